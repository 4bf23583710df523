package valuesedit

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// fuzzBlocks are the entries FuzzInsert adds; the fuzzer picks one. Short
// parent names make it likely that generated inputs already use them.
var fuzzBlocks = []Block{
	migration,
	{Parent: "a", Name: "b", Body: "c: 1\n"},
	{Parent: "a", ParentHeader: "# -- a", Name: "x", Comment: "# -- x", Body: "s: |\n  line\n    more\nn: [1, 2]\n"},
	{Parent: "hooks", Name: "on", Body: "# -- quoted key\nenabled: false\nlist:\n  - a\n  - b: 2\n"},
}

func FuzzInsert(f *testing.F) {
	for _, s := range []string{
		"", "a: 1\n", "a: 1", "# c\n", "---\na: 1\n", "a: 1\n...\n", "hooks: {}\nb: 1\n", "hooks:\n",
		"hooks:\n  seed: 1\n  # x\n\n# next\nb: 1\n", "a:\n  b: 1\n", "a: {}\n", "a:\n    z: 1\n",
		"a: &x\n  k: 1\nb: *x\n", "\uFEFFa: 1\r\nb: 2\r\n", "a:\r\n  k: |\r\n    t\r\n\r\nz: 1",
		"  a:\n    k: 1\n  b: 2\n", "a: [1]\n", "a: \"s\"\n", "a:\n  k: >+\n    t\n\n\nb: 1\n",
	} {
		for i := range fuzzBlocks {
			f.Add([]byte(s), uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, src []byte, sel uint8) {
		b := fuzzBlocks[int(sel)%len(fuzzBlocks)]
		out, err := Insert(src, b)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("untyped error: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			if errors.Is(err, ErrUnsafe) || errors.Is(err, ErrBlock) {
				// The self-check caught a misplaced edit: a bug in the
				// placement rules, found by the fuzzer.
				t.Fatalf("Insert(%q): %v", src, err)
			}
			return
		}
		if bytes.Equal(out, src) {
			// Already there: Insert is a no-op.
			if ok, err := Has(src, b.Parent, b.Name); !ok || err != nil {
				t.Fatalf("Insert was a no-op but Has = %v, %v", ok, err)
			}
			return
		}
		checkProperties(t, src, b, out)
	})
}

// FuzzForceRemove removes a.b from arbitrary files: the result must decode
// to the input less a.b (checked inside ForceRemove, which would return
// ErrUnsafe), and a file without a.b must come back unchanged.
func FuzzForceRemove(f *testing.F) {
	for _, s := range []string{
		"a:\n  b: 1\n", "a:\n  x: 1\n  b:\n    c: 2\n  # -- d\n  d: 3\n", "a:\n  # -- b\n  b: |\n    t\n\nz: 1\n",
		"a:\n  b: >+\n    t\n\n", "a:\n    b: [1,\n      2]\n    c: 1\n", "a: {}\n", "a:\n  b: 1", "\uFEFFa:\r\n  b: 1\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		b := Block{Parent: "a", Name: "b"}
		has, herr := Has(src, "a", "b")
		out, err := ForceRemove(src, b)
		if err != nil {
			// ErrUnsafe is a refusal (odd shapes such as tag-only keys): the
			// file is never corrupted, so it is an acceptable outcome here.
			var e *Error
			if !errors.As(err, &e) || errors.Is(err, ErrBlock) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("ForceRemove(%q): %v", src, err)
			}
			return
		}
		// Checked here independently of ForceRemove's own verification.
		before, after := decode(t, src), decode(t, out)
		if m, ok := before.(map[string]any); ok {
			if am, ok := m["a"].(map[string]any); ok {
				delete(am, "b")
			}
			if am, ok := m["a"].(map[string]any); ok && len(am) == 0 {
				if _, kept := asMap(after)["a"]; !kept {
					delete(m, "a")
				}
			}
			if len(m) == 0 && after == nil {
				before = nil
			}
		}
		if !equalValues(before, after) {
			t.Fatalf("ForceRemove(%q) = %q: values other than a.b changed", src, out)
		}
		if herr != nil {
			t.Fatalf("Has failed (%v) where ForceRemove worked", herr)
		}
		if !has && !bytes.Equal(out, src) {
			t.Fatalf("ForceRemove changed a file without a.b: %q -> %q", src, out)
		}
		if ok, err := Has(out, "a", "b"); ok || err != nil {
			t.Fatalf("a.b still there after ForceRemove: %q (%v)", out, err)
		}
	})
}
