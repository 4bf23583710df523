package valuesedit

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"
)

// helmValues decodes values the way Helm does (chartutil.ReadValues uses
// sigs.k8s.io/yaml): a key given twice takes its later value.
func helmValues(t *testing.T, b []byte) map[string]any {
	t.Helper()
	v := map[string]any{}
	if err := sigsyaml.Unmarshal(b, &v); err != nil {
		t.Fatalf("Helm does not parse it: %v\n%s", err, b)
	}
	return v
}

// TestDuplicateKeys (issue 13): a values.yaml with a key given twice, which
// Helm accepts, is edited with Helm's reading (the later key wins): the
// block goes into the map Helm uses, every other byte stays, and Remove
// gives the file back byte for byte.
func TestDuplicateKeys(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"top-level duplicate", "a: 1\nb: 2\na: 3\n", ""},
		{"parent given twice", "hooks:\n  x: 1\nother: 2\nhooks:\n  keep: 2\n", "keep"},
		{"earlier parent has the hook", "hooks:\n  migration:\n    enabled: false\nhooks:\n  keep: 1\n", "keep"},
		{"duplicate inside the parent", "hooks:\n  keep: 1\n  keep: 2\n", "keep"},
		{"duplicate deep down", "image:\n  tag: a\n  tag: b\nhooks:\n  keep: 1\n", "keep"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.src)
			out, err := Insert(src, migration)
			if err != nil {
				t.Fatalf("Insert: %v", err)
			}
			p := commonPrefix(src, out)
			if p+commonSuffix(src[p:], out[p:]) != len(src) {
				t.Fatalf("bytes outside the block changed:\n%s", out)
			}
			want := helmValues(t, src)
			var body map[string]any
			if err := sigsyaml.Unmarshal([]byte(migration.Body), &body); err != nil {
				t.Fatal(err)
			}
			hooks, _ := want["hooks"].(map[string]any)
			if hooks == nil {
				hooks = map[string]any{}
			}
			hooks["migration"] = body
			want["hooks"] = hooks
			if got := helmValues(t, out); !reflect.DeepEqual(got, want) {
				t.Fatalf("Helm reads %v\nwant %v\nfile:\n%s", got, want, out)
			}
			if c.want != "" {
				if _, ok := helmValues(t, out)["hooks"].(map[string]any)[c.want]; !ok {
					t.Fatalf("the block went into a map Helm does not use:\n%s", out)
				}
			}
			back, err := Remove(out, migration)
			if err != nil || !bytes.Equal(back, src) {
				t.Fatalf("Remove = %q, %v; want %q", back, err, src)
			}
		})
	}
}

// TestSizeLimit (issue 17 case 12): Insert returns no file over Helm 3's
// 5 MiB limit, with Helm's message; up to it, the edit works.
func TestSizeLimit(t *testing.T) {
	want := `values.yaml: chart file "values.yaml" is larger than the maximum file size 5242880 with hooks.migration added, so Helm 3 would not load the chart; move values out of values.yaml (e.g. into a values file passed with -f) first`
	if _, err := Insert(bigValues(MaxValuesSize+1), sizeBlock); !errors.Is(err, ErrTooLarge) || err.Error() != want {
		t.Fatalf("Insert = %v\nwant %s", err, want)
	}
	// Under the limit before the edit, over it after.
	src := bigValues(3000)
	defer func(n int) { MaxValuesSize = n }(MaxValuesSize)
	MaxValuesSize = len(src) + 10
	if _, err := Insert(src, sizeBlock); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("Insert = %v, want the limit", err)
	}
	MaxValuesSize = len(src) + 1000
	if _, err := Insert(src, sizeBlock); err != nil {
		t.Fatalf("Insert under the limit: %v", err)
	}
}

// TestNullParentKept (issue 17 case 10): a parent written "hooks:" or
// "hooks: ~" comes back exactly so after Insert then Remove, given the form
// EmptyForm read before the Insert.
func TestNullParentKept(t *testing.T) {
	for _, src := range []string{"a: 1\nhooks:\nb: 2\n", "a: 1\nhooks: ~\nb: 2\n", "hooks: null # none yet\nb: 2\n", "a: 1\nhooks: {}\n"} {
		b := migration
		b.EmptyAs = EmptyForm([]byte(src), "hooks")
		out, err := Insert([]byte(src), b)
		if err != nil {
			t.Fatalf("Insert(%q): %v", src, err)
		}
		if EmptyForm(out, "hooks") != "" {
			t.Fatalf("EmptyForm after Insert is not empty")
		}
		back, err := Remove(out, b)
		if err != nil || string(back) != src {
			t.Errorf("Remove(Insert(%q)) = %q, %v", src, back, err)
		}
	}
}

// TestEmptyFormEscapedKey: a parent key spelt with an escape in a quoted
// scalar is the same key to Helm; EmptyForm's shortcut for files that do
// not name the key must not miss it.
func TestEmptyFormEscapedKey(t *testing.T) {
	for src, want := range map[string]string{
		"a: 1\n\"\\x68ooks\": ~\n": "~",
		"a: 1\n\"ho\\u006Fks\":\n": BareParent,
		"a: 1\nhooksx: ~\n":        "",
		"a: 1\n":                   "",
	} {
		if got := EmptyForm([]byte(src), "hooks"); got != want {
			t.Errorf("EmptyForm(%q) = %q, want %q", src, got, want)
		}
	}
}
