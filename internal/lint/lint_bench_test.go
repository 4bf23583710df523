package lint_test

import (
	"testing"

	"github.com/hookgen/hookgen/bench/benchfix"
	"github.com/hookgen/hookgen/internal/lint"
)

// BenchmarkChart measures `hookgen lint` of one chart in process: load,
// render and every rule.
func BenchmarkChart(b *testing.B) {
	for _, c := range benchfix.Charts(b, benchfix.DefaultCorpus, 100) {
		opts := lint.Options{ValuesFiles: c.Values, KubeVersion: benchfix.KubeVersion}
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := lint.Chart(c.Dir, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
