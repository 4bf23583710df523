package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Profile says where hookgen's time goes: package initialisation at start-up
// (paid on every run), which imports bring the costly packages in, and where
// the in-process work goes on the costliest corpus chart.
type Profile struct {
	InitRuns     int        `json:"init_runs"`
	InitTotalMs  float64    `json:"init_total_ms"`      // sum of package init clocks (median run)
	InitDoneMs   float64    `json:"init_done_at_ms"`    // process time when the last init finished
	HelmInitMs   float64    `json:"helm_init_total_ms"` // same sum for the helm CLI
	InitTop      []InitCost `json:"init_top"`           // costliest packages
	InitByModule []InitCost `json:"init_by_module"`     // grouped by module path prefix
	Chains       []Chain    `json:"import_chains"`      // why the costly packages are in the binary
	Packages     int        `json:"packages"`           // packages linked into hookgen
	Pprof        []PprofTop `json:"pprof"`
	Errors       []string   `json:"errors,omitempty"`
}

type InitCost struct {
	Pkg    string  `json:"pkg"`
	Ms     float64 `json:"ms"`
	Bytes  int64   `json:"bytes"`
	Allocs int64   `json:"allocs"`
}

type Chain struct {
	Pkg  string   `json:"pkg"`
	Path []string `json:"path"` // cmd/hookgen first
}

type PprofTop struct {
	Bench string `json:"bench"`
	Kind  string `json:"kind"` // cpu or alloc_space
	Top   string `json:"top"`
	// Shares are the cumulative CPU percentages of the functions in
	// shareFuncs (cpu (cumulative) only).
	Shares map[string]float64 `json:"shares,omitempty"`
}

// shareFuncs are the functions whose share of CPU the report states.
var shareFuncs = []struct{ fn, what string }{
	{"internal/render.RenderFiles", "Helm's engine (render.RenderFiles)"},
	{"crypto/rsa.GenerateKey", "RSA key generation (sprig's genCA/genSignedCert/genPrivateKey in the chart's templates)"},
	{"helm.sh/helm/v4/pkg/chart/v2/loader.Load", "Helm's chart loader"},
	{"helm.sh/helm/v4/pkg/release/v1/util.SortManifests", "Helm's manifest sorter"},
	{"runtime.gcBgMarkWorker", "garbage collection"},
}

var initLine = regexp.MustCompile(`^init (\S+) @([\d.]+) ms, ([\d.]+) ms clock, (\d+) bytes, (\d+) allocs`)

type initRun struct {
	total, done float64
	pkgs        map[string]InitCost
}

func initTrace(bin string, args ...string) (initRun, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Run(); err != nil {
		return initRun{}, err
	}
	r := initRun{pkgs: map[string]InitCost{}}
	for _, l := range strings.Split(stderr.String(), "\n") {
		m := initLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		at, _ := strconv.ParseFloat(m[2], 64)
		clk, _ := strconv.ParseFloat(m[3], 64)
		by, _ := strconv.ParseInt(m[4], 10, 64)
		al, _ := strconv.ParseInt(m[5], 10, 64)
		c := r.pkgs[m[1]]
		c.Pkg, c.Ms, c.Bytes, c.Allocs = m[1], c.Ms+clk, c.Bytes+by, c.Allocs+al
		r.pkgs[m[1]] = c
		r.total += clk
		r.done = max(r.done, at+clk)
	}
	return r, nil
}

// medianInit runs the trace n times and keeps the run with the median total.
func medianInit(n int, bin string, args ...string) (initRun, error) {
	var runs []initRun
	for range n {
		r, err := initTrace(bin, args...)
		if err != nil {
			return initRun{}, err
		}
		runs = append(runs, r)
	}
	slices.SortFunc(runs, func(a, b initRun) int { return cmpF(a.total, b.total) })
	return runs[len(runs)/2], nil
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// watched are packages that should not be in the hookgen binary (DESIGN.md)
// or are known to be costly; their import chains are always reported.
var watched = []string{
	"helm.sh/helm/v4/pkg/action",
	"helm.sh/helm/v4/pkg/kube",
	"k8s.io/client-go/kubernetes",
	"k8s.io/client-go/kubernetes/scheme",
	"github.com/santhosh-tekuri/jsonschema/v6",
}

const mainPkg = "github.com/hookgen/hookgen/cmd/hookgen"

// pprofTask is one benchmark to profile.
type pprofTask struct {
	pkg, bench, benchTime string
	synth                 int    // > 0: the fixture size to add (HOOKGEN_BENCH_SYNTH)
	corpus                string // corpus chart to add (HOOKGEN_BENCH_CORPUS)
}

// benchFor names the in-process benchmark of a hookgen command on one
// fixture ("helm-create", "corpus=kong", "synth=1000").
func benchFor(label, fixture string) pprofTask {
	sub := "/" + fixture + "$"
	t := pprofTask{benchTime: "10x"}
	if n, ok := strings.CutPrefix(fixture, "synth="); ok {
		t.synth, _ = strconv.Atoi(n)
		t.benchTime = "2x"
	}
	t.corpus, _ = strings.CutPrefix(fixture, "corpus=")
	if t.corpus == fixture {
		t.corpus = ""
	}
	switch label {
	case "hookgen plan":
		t.pkg, t.bench = "./internal/plan", "BenchmarkPlan"+sub
	case "hookgen lint":
		t.pkg, t.bench = "./internal/lint", "BenchmarkChart"+sub
	default:
		t.pkg, t.bench = "./generators", "Benchmark(Inspect|Generate|Verify)"+sub
	}
	return t
}

func profile(root, work, bin, helm string, tasks []pprofTask) *Profile {
	p := &Profile{InitRuns: 7}
	hr, err := medianInit(p.InitRuns, bin, "version")
	if err != nil {
		p.Errors = append(p.Errors, "inittrace: "+err.Error())
		return p
	}
	p.InitTotalMs, p.InitDoneMs = hr.total, hr.done
	var all []InitCost
	mods := map[string]InitCost{}
	for _, c := range hr.pkgs {
		all = append(all, c)
		m := moduleOf(c.Pkg)
		g := mods[m]
		g.Pkg, g.Ms, g.Bytes, g.Allocs = m, g.Ms+c.Ms, g.Bytes+c.Bytes, g.Allocs+c.Allocs
		mods[m] = g
	}
	byMs := func(a, b InitCost) int { return cmpF(b.Ms, a.Ms) }
	slices.SortFunc(all, byMs)
	p.InitTop = all[:min(12, len(all))]
	var ml []InitCost
	for _, g := range mods {
		ml = append(ml, g)
	}
	slices.SortFunc(ml, byMs)
	p.InitByModule = ml[:min(10, len(ml))]

	// Import chains, from `go list -deps`.
	graph, err := importGraph(root)
	if err != nil {
		p.Errors = append(p.Errors, "go list: "+err.Error())
	} else {
		p.Packages = len(graph)
		want := slices.Clone(watched)
		for _, c := range p.InitTop[:min(6, len(p.InitTop))] {
			if !slices.Contains(want, c.Pkg) {
				want = append(want, c.Pkg)
			}
		}
		for _, w := range want {
			if path := shortestPath(graph, mainPkg, w); path != nil {
				p.Chains = append(p.Chains, Chain{Pkg: w, Path: path})
			}
		}
	}

	// pprof of the in-process work on the costliest chart.
	for _, t := range tasks {
		tops, err := pprofTop(root, work, t)
		if err != nil {
			p.Errors = append(p.Errors, fmt.Sprintf("pprof %s %s: %v", t.pkg, t.bench, err))
			continue
		}
		p.Pprof = append(p.Pprof, tops...)
	}

	if r, err := medianInit(p.InitRuns, helm, "version"); err == nil {
		p.HelmInitMs = r.total
	}
	return p
}

// moduleOf groups a package path by its first meaningful path elements
// (k8s.io/api, github.com/owner/repo, helm.sh/helm/v4/pkg/x).
func moduleOf(pkg string) string {
	parts := strings.Split(pkg, "/")
	n := 2
	switch {
	case !strings.Contains(parts[0], "."):
		return "std"
	case strings.HasPrefix(pkg, "github.com/"), strings.HasPrefix(pkg, "sigs.k8s.io/"), strings.HasPrefix(pkg, "go.yaml.in/"):
		n = 3
	case strings.HasPrefix(pkg, "helm.sh/"):
		n = 5
	}
	return strings.Join(parts[:min(n, len(parts))], "/")
}

func importGraph(root string) (map[string][]string, error) {
	cmd := exec.Command("go", "list", "-deps", "-json=ImportPath,Imports", "./cmd/hookgen")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, err
	}
	g := map[string][]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err != nil {
			return nil, err
		}
		g[p.ImportPath] = p.Imports
	}
	return g, nil
}

func shortestPath(g map[string][]string, from, to string) []string {
	if _, ok := g[to]; !ok {
		return nil
	}
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var path []string
			for p := to; p != ""; p = prev[p] {
				path = append([]string{p}, path...)
			}
			return path
		}
		for _, n := range g[cur] {
			if _, seen := prev[n]; !seen {
				prev[n] = cur
				queue = append(queue, n)
			}
		}
	}
	return nil
}

// pprofTop profiles the matching benchmarks of pkg and returns pprof's top
// functions by CPU (flat and cumulative) and by bytes allocated.
func pprofTop(root, work string, task pprofTask) ([]PprofTop, error) {
	pkg, bench := task.pkg, task.bench
	name := strings.ReplaceAll(strings.Trim(pkg, "./"), "/", "_")
	testBin := filepath.Join(work, name+".test")
	cpu, mem := filepath.Join(work, name+".cpu"), filepath.Join(work, name+".mem")
	cmd := exec.Command("go", "test", "-run", "^$", "-bench", bench, "-benchtime", task.benchTime,
		"-cpuprofile", cpu, "-memprofile", mem, "-o", testBin, pkg)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), fmt.Sprintf("HOOKGEN_BENCH_SYNTH=%d", task.synth), "HOOKGEN_BENCH_CORPUS="+task.corpus)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, lastLines(string(out), 3))
	}
	var tops []PprofTop
	for _, q := range []struct {
		kind, file string
		args       []string
	}{
		{"cpu (flat)", cpu, []string{"-top", "-nodecount=12"}},
		{"cpu (cumulative)", cpu, []string{"-top", "-cum", "-nodecount=400"}},
		{"alloc_space", mem, []string{"-top", "-sample_index=alloc_space", "-nodecount=10"}},
	} {
		args := append([]string{"tool", "pprof"}, q.args...)
		args = append(args, testBin, q.file)
		c := exec.Command("go", args...)
		c.Dir = root
		out, err := c.Output()
		if err != nil {
			return nil, err
		}
		t := PprofTop{Bench: pkg + " " + bench, Kind: q.kind, Top: trimPprof(string(out))}
		if q.kind == "cpu (cumulative)" {
			t.Shares = map[string]float64{}
			for _, f := range shareFuncs {
				if x, ok := cumShare(t.Top, strings.TrimPrefix(f.fn, "internal/")); ok {
					t.Shares[f.fn] = x
				} else if x, ok := cumShare(t.Top, f.fn); ok {
					t.Shares[f.fn] = x
				}
			}
			t.Top = firstLines(t.Top, 28)
		}
		tops = append(tops, t)
	}
	return tops, nil
}

// trimPprof drops pprof's header lines before the table and shortens the
// long module paths in function names.
func trimPprof(s string) string {
	var out []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if strings.HasPrefix(l, "File:") || strings.HasPrefix(l, "Type:") || strings.HasPrefix(l, "Time:") || strings.HasPrefix(l, "Build ID:") {
			continue
		}
		// The benchmark harness's own frames say nothing about hookgen.
		if strings.Contains(l, " testing.") || strings.Contains(l, "_test.Benchmark") {
			continue
		}
		l = strings.ReplaceAll(l, "github.com/hookgen/hookgen/", "")
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func lastLines(s string, n int) string {
	ls := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(ls[max(0, len(ls)-n):], " | ")
}

func firstLines(s string, n int) string {
	ls := strings.Split(s, "\n")
	return strings.Join(ls[:min(n, len(ls))], "\n")
}
