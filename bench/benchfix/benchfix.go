// Package benchfix gives the Go benchmarks their charts: a `helm create`
// chart, real corpus charts with the values files the corpus README names,
// and synthetic charts of a chosen size. Charts are written once per
// benchmark into a temporary directory; corpus charts are read in place
// (benchmarks only read them).
package benchfix

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hookgen/hookgen/bench/corpus"
	"github.com/hookgen/hookgen/bench/synth"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// KubeVersion is what every benchmark renders for.
const KubeVersion = corpus.KubeVersion

// Chart is one benchmark fixture.
type Chart struct {
	Name   string   // sub-benchmark name, e.g. "corpus=kong"
	Dir    string   // chart directory
	Values []string // values files to render with
}

// DefaultCorpus are the corpus charts the Go benchmarks use: the largest
// chart with hook values, a bitnami chart (deep helper libraries) and a
// clean one. The whole corpus is measured process by process by the driver.
var DefaultCorpus = []string{"kong", "bitnami-postgresql", "argo-workflows"}

// Charts returns the fixtures: the helm create chart, the named corpus charts
// (none when the corpus is absent) and synthetic charts of the given sizes.
func Charts(b testing.TB, corpusNames []string, synthSizes ...int) []Chart {
	b.Helper()
	out := []Chart{{Name: "helm-create", Dir: testcharts.HelmCreate(b, "shop")}}
	// HOOKGEN_BENCH_CORPUS adds corpus charts (comma-separated names), so
	// the driver can profile the chart where a command does worst.
	for _, f := range strings.Split(os.Getenv("HOOKGEN_BENCH_CORPUS"), ",") {
		if f = strings.TrimSpace(f); f != "" && !slices.Contains(corpusNames, f) {
			corpusNames = append(slices.Clone(corpusNames), f)
		}
	}
	if dir, err := corpus.Dir("."); err == nil {
		for _, name := range corpusNames {
			for _, c := range corpus.Charts {
				if c.Name == name {
					out = append(out, Chart{Name: "corpus=" + name, Dir: filepath.Join(dir, name), Values: c.ValuesPaths(dir)})
				}
			}
		}
	} else {
		b.Logf("corpus charts skipped: %v", err)
	}
	// HOOKGEN_BENCH_SYNTH adds sizes (comma-separated), so the driver can
	// profile a command on the size where its growth stops being linear.
	for _, f := range strings.Split(os.Getenv("HOOKGEN_BENCH_SYNTH"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 && !slices.Contains(synthSizes, n) {
			synthSizes = append(synthSizes, n)
		}
	}
	for _, n := range synthSizes {
		dir, err := synth.Write(b.TempDir(), n)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, Chart{Name: fmt.Sprintf("synth=%d", n), Dir: dir})
	}
	return out
}
