package render_test

import (
	"testing"

	"github.com/hookgen/hookgen/bench/benchfix"
	"github.com/hookgen/hookgen/internal/render"
)

// BenchmarkLoadAndRender measures what every hookgen command pays first:
// Helm's loader, values merge, engine and hook/manifest split.
func BenchmarkLoadAndRender(b *testing.B) {
	for _, c := range benchfix.Charts(b, benchfix.DefaultCorpus, 100) {
		opts := render.Options{ValuesFiles: c.Values, KubeVersion: benchfix.KubeVersion}
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := render.LoadAndRender(c.Dir, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRender separates rendering from loading: the chart is loaded once.
func BenchmarkRender(b *testing.B) {
	for _, c := range benchfix.Charts(b, benchfix.DefaultCorpus, 100) {
		opts := render.Options{ValuesFiles: c.Values, KubeVersion: benchfix.KubeVersion}
		b.Run(c.Name, func(b *testing.B) {
			vals, err := render.Values(c.Values, nil)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				// Render mutates the chart's dependencies (ProcessDependencies),
				// so each iteration loads a fresh copy outside the timer.
				b.StopTimer()
				ch, err := render.Load(c.Dir)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := render.Render(ch, vals, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
