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
