package main

import (
	"math"
	"strings"
	"testing"
	"time"
)

const rawBench = `goos: linux
goarch: amd64
pkg: github.com/hookgen/hookgen/internal/render
cpu: AMD EPYC
BenchmarkLoadAndRender/helm-create-2   	     100	   2000000 ns/op	  600000 B/op	    8000 allocs/op
BenchmarkLoadAndRender/helm-create-2   	     100	   4000000 ns/op	  700000 B/op	    9000 allocs/op
BenchmarkLoadAndRender/helm-create-2   	     100	   3000000 ns/op	  650000 B/op	    8500 allocs/op
PASS
pkg: github.com/hookgen/hookgen/internal/valuesedit
BenchmarkInsert/synth=1000-2   	       3	 339310000 ns/op	   1.82 MB/s	61904536 B/op	  264001 allocs/op
`

func TestParseGoBench(t *testing.T) {
	got := parseGoBench(rawBench)
	if len(got) != 2 {
		t.Fatalf("parsed %d benchmarks, want 2: %+v", len(got), got)
	}
	g := got[0]
	if g.Pkg != "internal/render" || g.Name != "BenchmarkLoadAndRender/helm-create" || g.Runs != 3 {
		t.Errorf("first = %+v", g)
	}
	if g.NsOp != 3e6 || g.BytesOp != 650000 || g.AllocsOp != 8500 {
		t.Errorf("medians = %v ns, %v B, %v allocs; want 3e6, 650000, 8500", g.NsOp, g.BytesOp, g.AllocsOp)
	}
	// MB/s sits between ns/op and B/op; it must not shift the columns.
	if v := got[1]; v.Pkg != "internal/valuesedit" || v.BytesOp != 61904536 || v.AllocsOp != 264001 {
		t.Errorf("second = %+v", v)
	}
}

func TestMedian(t *testing.T) {
	if m := median([]int64{5, 1, 3}); m != 3 {
		t.Errorf("median odd = %d", m)
	}
	if m := median([]time.Duration{4, 1, 3, 2}); m != 2 {
		t.Errorf("median even = %d", m)
	}
}

func TestRunAlternatingExitCodes(t *testing.T) {
	ok := &Measure{Label: "exit 7 allowed", Tool: "sh", Args: []string{"-c", "exit 7"}, OKExit: []int{0, 7}, bin: "/bin/sh"}
	bad := &Measure{Label: "exit 3", Tool: "sh", Args: []string{"-c", "echo broken chart >&2; exit 3"}, OKExit: []int{0}, bin: "/bin/sh"}
	runAlternating([]*Measure{ok, bad}, 3)
	if !ok.OK() || len(ok.Samples) != 3 || ok.Samples[0].Exit != 7 {
		t.Errorf("ok measure: err %q, %d samples", ok.Err, len(ok.Samples))
	}
	if ok.PeakRSS <= 0 || ok.MedianWall <= 0 {
		t.Errorf("ok measure has no rusage figures: %+v", ok)
	}
	if bad.OK() || !strings.Contains(bad.Err, "exit 3: broken chart") {
		t.Errorf("bad measure: err %q", bad.Err)
	}
}

func m(tool, label string, cpuMs float64, rssMiB int64) *Measure {
	d := time.Duration(cpuMs * 1e6)
	return &Measure{Tool: tool, Label: label, Samples: []Sample{{CPU: d}}, MedianCPU: d, PeakRSS: rssMiB * 1024}
}

func TestEvaluateTargets(t *testing.T) {
	r := &Result{
		Startup: []*Measure{m("hookgen", "hookgen version", 10, 30), m("helm", "helm version", 40, 50)},
		Charts: []*ChartResult{
			{Name: "a", Template: m("helm", "helm template", 100, 60), Plan: m("hookgen", "hookgen plan", 40, 40), Add: m("hookgen", "hookgen add --dry-run", 60, 70)},
		},
		Lint: []*LintResult{{Name: "a", Helm: m("helm", "helm lint", 100, 60), Hookgen: m("hookgen", "hookgen lint", 50, 40)}},
	}
	// plan and add linear, lint quadratic above the 10 ms start-up.
	for _, n := range []int{100, 1000} {
		f := float64(n)
		r.Scaling = append(r.Scaling, &ScaleResult{Templates: n,
			Template: m("helm", "helm template", 40+f/10, 50), Plan: m("hookgen", "hookgen plan", 10+f, 40),
			Add: m("hookgen", "hookgen add --dry-run", 10+2*f, 40), Lint: m("hookgen", "hookgen lint", 10+f*f/100, 40),
			HelmLint: m("helm", "helm lint", 40+f, 50)})
	}
	r.evaluate()
	want := map[string]bool{
		"hookgen add --dry-run CPU vs helm template":               false, // 0.6x
		"hookgen plan CPU vs helm template":                        true,  // 0.4x
		"hookgen lint CPU vs helm lint":                            true,  // 0.5x
		"hookgen peak memory vs helm template's on the same chart": false, // add peaks at 70 MiB, helm template at 60
		"growth from the smallest to the largest synthetic chart":  false, // lint is quadratic
	}
	for _, tg := range r.Targets {
		w, ok := want[tg.Name]
		if !ok {
			t.Errorf("unexpected target %q", tg.Name)
			continue
		}
		if tg.Met != w {
			t.Errorf("%s: met = %v, want %v (measured %s, misses %v)", tg.Name, tg.Met, w, tg.Measured, tg.Misses)
		}
	}
	if k, _ := r.exponent("hookgen plan"); math.Abs(k-1) > 0.01 {
		t.Errorf("plan exponent %.2f, want 1", k)
	}
	if k, _ := r.exponent("hookgen lint"); math.Abs(k-2) > 0.01 {
		t.Errorf("lint exponent %.2f, want 2", k)
	}
	text := r.Text()
	for _, s := range []string{"[MISS] hookgen add --dry-run", "[met ] hookgen plan", "a: 0.60x (60.0 ms vs 100.0 ms)", "a, hookgen add --dry-run: 70.0 MiB vs 60.0 MiB (1.17x)"} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
}

func TestDeepestOwn(t *testing.T) {
	top := `      flat  flat%   sum%        cum   cum%
         0     0%     0%      9.50s 99.00%  internal/lint.Chart
         0     0%     0%      7.02s 73.35%  internal/lint.(*checker).misc
     0.03s  0.31%  0.63%      6.99s 73.04%  internal/lint.selectorOf
         0     0%  0.63%      6.24s 65.20%  sigs.k8s.io/yaml.yamlToJSONTarget
     0.01s   0.1%  5.96%      0.94s  9.82%  internal/lint.parseObjects`
	fn, x, ok := deepestOwn(top)
	if !ok || fn != "internal/lint.selectorOf" || x != 73.04 {
		t.Errorf("deepestOwn = %q %.2f %v", fn, x, ok)
	}
	if v, ok := cumShare(top, "sigs.k8s.io/yaml.yamlToJSONTarget"); !ok || v != 65.2 {
		t.Errorf("cumShare = %v %v", v, ok)
	}
}

func TestModuleOf(t *testing.T) {
	for in, want := range map[string]string{
		"k8s.io/api/core/v1":                       "k8s.io/api",
		"github.com/santhosh-tekuri/jsonschema/v6": "github.com/santhosh-tekuri/jsonschema",
		"helm.sh/helm/v4/pkg/chart/common":         "helm.sh/helm/v4/pkg/chart",
		"encoding/json":                            "std",
	} {
		if got := moduleOf(in); got != want {
			t.Errorf("moduleOf(%s) = %s, want %s", in, got, want)
		}
	}
}

func TestWorstChartAndBenchFor(t *testing.T) {
	r := &Result{Charts: []*ChartResult{
		{Name: "helm-create", Source: "helm create", Template: m("helm", "helm template", 50, 0), Plan: m("hookgen", "hookgen plan", 25, 0), Add: m("hookgen", "hookgen add --dry-run", 30, 0)},
		{Name: "kong", Source: "corpus", Template: m("helm", "helm template", 100, 0), Plan: m("hookgen", "hookgen plan", 120, 0), Add: m("hookgen", "hookgen add --dry-run", 20, 0)},
	}}
	if w := r.worstChart("hookgen plan"); w != "corpus=kong" {
		t.Errorf("worst plan chart = %q, want corpus=kong", w)
	}
	if w := r.worstChart("hookgen add --dry-run"); w != "helm-create" {
		t.Errorf("worst add chart = %q, want helm-create", w)
	}
	tk := benchFor("hookgen lint", "corpus=kong")
	if tk.pkg != "./internal/lint" || tk.bench != "BenchmarkChart/corpus=kong$" || tk.corpus != "kong" || tk.synth != 0 {
		t.Errorf("benchFor lint kong = %+v", tk)
	}
	tk = benchFor("hookgen add --dry-run", "synth=1000")
	if tk.pkg != "./generators" || tk.synth != 1000 || tk.corpus != "" || tk.benchTime != "2x" {
		t.Errorf("benchFor add synth = %+v", tk)
	}
}
