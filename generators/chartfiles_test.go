package generators

import (
	"testing"
)

// .helmignore: the unit-test suites add writes stay out of helm package,
// and remove gives back every byte.
func TestHelmignore(t *testing.T) {
	tp := TestPath("migration")
	for name, src := range map[string][]byte{
		"absent":             nil,
		"empty":              {},
		"helm create":        []byte("# Patterns to ignore when building packages.\n.git/\n*.swp\n"),
		"no final newline":   []byte(".git/\n*.swp"),
		"templates/tests ok": []byte("templates/tests/\n"),
	} {
		t.Run(name, func(t *testing.T) {
			out, changed := helmignoreAdd(src, tp)
			if !changed {
				t.Fatal("tests/ not added")
			}
			if !ignored(out, tp) {
				t.Errorf("%s is not ignored by\n%s", tp, out)
			}
			if ignored(out, "templates/tests/test-connection.yaml") && !ignored(src, "templates/tests/test-connection.yaml") {
				t.Errorf("the chart's own test hooks under templates/tests/ are ignored now:\n%s", out)
			}
			back, del, changed := helmignoreRemove(out)
			if !changed {
				t.Fatal("remove changed nothing")
			}
			if src == nil {
				if !del {
					t.Error("remove keeps the .helmignore add created")
				}
				return
			}
			if del || string(back) != string(src) {
				t.Errorf("remove gave %q (delete %v), want %q", back, del, src)
			}
		})
	}
	for _, src := range []string{"tests/\n", "/tests\n", "tests/*_test.yaml\n", "*_test.yaml\n"} {
		if out, changed := helmignoreAdd([]byte(src), tp); changed {
			t.Errorf("%q already ignores %s, yet add wrote %q", src, tp, out)
		}
		if _, _, changed := helmignoreRemove([]byte(src)); changed {
			t.Errorf("remove changed the chart's own %q", src)
		}
	}
}
