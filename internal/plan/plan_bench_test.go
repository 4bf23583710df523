package plan_test

import (
	"io"
	"testing"

	"github.com/hookgen/hookgen/bench/benchfix"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/render"
)

// BenchmarkPlan measures `hookgen plan` in process: install and upgrade
// renders, the per-operation plan and its text output.
func BenchmarkPlan(b *testing.B) {
	for _, c := range benchfix.Charts(b, benchfix.DefaultCorpus, 100) {
		opts := plan.Options{Render: render.Options{ValuesFiles: c.Values, KubeVersion: benchfix.KubeVersion}}
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := plan.Load(c.Dir, opts)
				if err != nil {
					b.Fatal(err)
				}
				if err := plan.WriteText(io.Discard, p, plan.TextOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
