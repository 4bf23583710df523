package generators_test

import (
	"testing"

	"github.com/hookgen/hookgen/bench/benchfix"
	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/verify"
)

// The three stages of `hookgen add migration`: inspect the chart (load,
// render, learn its helpers and values), generate the files (plan of file
// changes, values insertion included), and verify the result by rendering
// the chart with them. add renders charts with their default values.

func BenchmarkInspect(b *testing.B) {
	for _, c := range benchfix.Charts(b, benchfix.DefaultCorpus, 100) {
		b.Run(c.Name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := generators.Inspect(c.Dir, benchfix.KubeVersion, ""); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// migration is `add migration --yes --framework rails`, as the bench runs
// it (a migration on the app's image needs its command); charts without an
// image.repository value (argo-workflows) need --image, as on the command
// line; with several candidate apps, --no-app-context.
func migration(b *testing.B, info *generators.ChartInfo) generators.Request {
	t, ok := generators.LookupTask("migration")
	if !ok {
		b.Fatal("no migration task")
	}
	fw, ok := generators.LookupFramework("rails")
	if !ok {
		b.Fatal("no rails framework")
	}
	req := generators.Request{Task: t, Framework: fw.Name}
	if info.Image == generators.ImageNone {
		req.Image = BenchImage
	}
	if list, clear := info.Workloads(); len(list) > 1 && !clear {
		// Several candidate apps: the bench passes --no-app-context.
		req.NoAppContext, req.Image = true, BenchImage
	}
	return req
}

// BenchImage is the --image given to charts that have no image of their own.
const BenchImage = "registry.example/migrate:1.0"

func BenchmarkGenerate(b *testing.B) {
	for _, c := range benchfix.Charts(b, benchfix.DefaultCorpus, 100) {
		b.Run(c.Name, func(b *testing.B) {
			info, err := generators.Inspect(c.Dir, benchfix.KubeVersion, "")
			if err != nil {
				b.Fatal(err)
			}
			req := migration(b, info)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := generators.Generate(info, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	for _, c := range benchfix.Charts(b, benchfix.DefaultCorpus, 100) {
		b.Run(c.Name, func(b *testing.B) {
			info, err := generators.Inspect(c.Dir, benchfix.KubeVersion, "")
			if err != nil {
				b.Fatal(err)
			}
			out, err := generators.Generate(info, migration(b, info))
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := verify.Hook(info, out); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
