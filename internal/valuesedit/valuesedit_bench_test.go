package valuesedit_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hookgen/hookgen/bench/benchfix"
	"github.com/hookgen/hookgen/internal/valuesedit"
)

var benchBlock = valuesedit.Block{
	Parent:       "hooks",
	ParentHeader: "# -- Helm hook Jobs added by hookgen",
	Name:         "migration",
	Comment:      "# -- Database migration hook (hookgen add migration)",
	Body:         "# -- Run the migration hook\nenabled: true\nimage:\n  repository: x\n  tag: \"1.0\"\nargs: []\n",
}

// BenchmarkInsert measures adding one hook's block to a chart's values.yaml,
// comments kept, from a small file (helm create) to a 1,000-entry one.
func BenchmarkInsert(b *testing.B) {
	for _, c := range benchfix.Charts(b, benchfix.DefaultCorpus, 1000) {
		src, err := os.ReadFile(filepath.Join(c.Dir, "values.yaml"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.Name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := valuesedit.Insert(src, benchBlock); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
