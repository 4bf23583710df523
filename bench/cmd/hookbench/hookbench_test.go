package main

import (
	"math"
	"regexp"
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

// floorResult has two charts with a floor (a: floor 0.6x helm template,
// above the goal; b: 0.4x) and one measured before the floor was (c).
func floorResult() *Result {
	return &Result{
		Startup: []*Measure{m("hookgen", "hookgen version", 10, 30), m("helm", "helm version", 40, 50), m(floorTool, floorStartLabel, 8, 30)},
		Charts: []*ChartResult{
			{Name: "a", Template: m("helm", "helm template", 100, 60), Floor: m(floorTool, floorLabel, 60, 40),
				Plan: m("hookgen", "hookgen plan", 70, 40), Add: m("hookgen", "hookgen add --dry-run", 90, 40), Init: m("hookgen", "hookgen init --dry-run", 40, 40)},
			{Name: "b", Template: m("helm", "helm template", 200, 60), Floor: m(floorTool, floorLabel, 80, 40),
				Plan: m("hookgen", "hookgen plan", 80, 40), Add: m("hookgen", "hookgen add --dry-run", 160, 40), Init: m("hookgen", "hookgen init --dry-run", 80, 40)},
			{Name: "c", Template: m("helm", "helm template", 100, 60),
				Plan: m("hookgen", "hookgen plan", 30, 40), Add: m("hookgen", "hookgen add --dry-run", 70, 40), Init: m("hookgen", "hookgen init --dry-run", 30, 40)},
		},
		Lint: []*LintResult{
			{Name: "a", Helm: m("helm", "helm lint", 200, 60), Hookgen: m("hookgen", "hookgen lint", 120, 40), Floor: m(floorTool, floorLabel, 60, 40)},
			{Name: "b", Helm: m("helm", "helm lint", 100, 60), Hookgen: m("hookgen", "hookgen lint", 84, 40), Floor: m(floorTool, floorLabel, 56, 40)},
		},
	}
}

func target(t *testing.T, r *Result, name string) Target {
	t.Helper()
	for _, tg := range r.Targets {
		if tg.Name == name {
			return tg
		}
	}
	t.Fatalf("no target %q in %+v", name, r.Targets)
	return Target{}
}

func TestFloorFindings(t *testing.T) {
	r := floorResult()
	r.evaluate()
	for name, want := range map[string]string{
		// floor/template a 0.60x, b 0.40x; add/floor a 1.50x, b 2.00x.
		"hookgen add --dry-run CPU vs helm template": "renderfloor alone is above 0.5x helm template on 1 of 2 charts (there no tool that renders the chart with Helm's SDK as Helm does can meet the goal); floor/helm template worst 0.60x (a), median 0.50x; add --dry-run/floor median 1.75x, worst 2.00x (b)",
		// plan/floor a 1.17x, b 1.00x.
		"hookgen plan CPU vs helm template": "renderfloor alone is above 0.5x helm template on 1 of 2 charts (there no tool that renders the chart with Helm's SDK as Helm does can meet the goal); floor/helm template worst 0.60x (a), median 0.50x; plan/floor median 1.08x, worst 1.17x (a)",
		// floor/helm lint a 0.30x, b 0.56x; lint/floor a 2.00x, b 1.50x.
		"hookgen lint CPU vs helm lint": "renderfloor alone is above 0.5x helm lint on 1 of 2 charts (there no tool that renders the chart with Helm's SDK as Helm does can meet the goal); floor/helm lint worst 0.56x (b), median 0.43x; lint/floor median 1.75x, worst 2.00x (a)",
		// init is 0.4x on a and b, 0.3x on c: met, nothing to explain.
		"hookgen init --dry-run CPU vs helm template": "",
	} {
		if got := target(t, r, name).Floor; got != want {
			t.Errorf("%s floor:\n got %q\nwant %q", name, got, want)
		}
	}
	add := target(t, r, "hookgen add --dry-run CPU vs helm template")
	if len(add.Misses) != 3 || !strings.HasSuffix(add.Misses[0], "; floor 0.60x (above the goal)") ||
		!strings.HasSuffix(add.Misses[1], "; floor 0.40x") || !strings.HasSuffix(add.Misses[2], "of work") {
		t.Errorf("add misses (a, b, then c with no floor):\n%s", strings.Join(add.Misses, "\n"))
	}

	text := r.Text()
	for _, s := range []string{
		"         floor: renderfloor alone is above 0.5x helm template on 1 of 2 charts",
		"start-up CPU: hookgen 10.0 ms, helm 40.0 ms, renderfloor 8.0 ms",
		"renderfloor (no chart)  8.0 ms",
	} {
		if !strings.Contains(text, s) {
			t.Errorf("report lacks %q:\n%s", s, text)
		}
	}
	// chart, floor cpu, floor/template, plan/, add/, init/floor, floor cpu
	// (lint), floor/helm lint, lint/floor, floor peak; worst floor first.
	rows := tableRows(t, text, "FLOOR,")
	want := [][]string{
		{"a", "60.0", "ms", "0.60x", "1.17x", "1.50x", "0.67x", "60.0", "ms", "0.30x", "2.00x", "40.0", "MiB"},
		{"b", "80.0", "ms", "0.40x", "1.00x", "2.00x", "1.00x", "56.0", "ms", "0.56x", "1.50x", "40.0", "MiB"},
	}
	if len(rows) != len(want) {
		t.Fatalf("FLOOR rows %q, want a and b only (c has no floor)", rows)
	}
	for i := range want {
		if strings.Join(rows[i], " ") != strings.Join(want[i], " ") {
			t.Errorf("FLOOR row %d = %q, want %q", i, rows[i], want[i])
		}
	}
}

// tableRows returns the fields of the rows of the report table whose
// heading starts with heading (the header line left out).
func tableRows(t *testing.T, text, heading string) [][]string {
	t.Helper()
	_, sec, ok := strings.Cut(text, "\n"+heading)
	if !ok {
		t.Fatalf("report has no %q section:\n%s", heading, text)
	}
	sec, _, _ = strings.Cut(sec, "\n\n")
	lines := strings.Split(sec, "\n")
	var rows [][]string
	for _, l := range lines[2:] {
		rows = append(rows, strings.Fields(l))
	}
	return rows
}

func TestFloorInComparison(t *testing.T) {
	cur := floorResult()
	for key, base := range map[string]string{
		"chart a/renderfloor":            "helm template",
		"lint a/renderfloor":             "helm lint",
		"startup/renderfloor (no chart)": "helm version",
		"chart a/hookgen add --dry-run":  "helm template",
	} {
		if b := cur.helmBase(key); b == nil || b.Label != base {
			t.Errorf("helmBase(%s) = %+v, want %s", key, b, base)
		}
	}
	got := compare(cur, cur, "")
	if !regexp.MustCompile(`chart a/renderfloor +60.0 ms +60.0 ms +1.00 +0.60x +0.60x`).MatchString(got) ||
		!regexp.MustCompile(`lint b/renderfloor +56.0 ms +56.0 ms +1.00 +0.56x +0.56x`).MatchString(got) {
		t.Errorf("comparison lacks the floor rows:\n%s", got)
	}

	// A report from before the floor (the committed one of 2026-12-07,
	// cut to two charts) still reads, compares and renders, with no floor
	// anywhere.
	old, err := readResult("testdata/report-before-floor.json")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(compare(old, cur, ""), "renderfloor") || strings.Contains(old.Text(), "FLOOR") {
		t.Error("a report from before the floor shows floor figures")
	}
}
