// Command hookbench is `make bench`: it measures hookgen next to the Helm CLI
// it is built on, whole process against whole process, plus Go benchmarks of
// the hot paths, and writes a text report and a JSON file for tracking.
//
// What it runs, in one go:
//   - start-up: `hookgen version`, `helm version` and renderfloor without
//     a chart (the floor of every run);
//   - per chart (a `helm create` chart, each corpus chart with the values
//     files the corpus README names, each wide chart, and a synthetic chart
//     of 1,000 templates with 5 MB of CRDs): `hookgen plan`, `hookgen add
//     migration --dry-run`, `hookgen init --dry-run`, `helm template` and
//     renderfloor (bench/cmd/renderfloor: start-up, load, values, one
//     render and sort with Helm's SDK, the least any tool built on it
//     pays), alternated run by run;
//   - per chart: `hookgen lint`, `helm lint` and renderfloor, alternated;
//   - scaling: the same commands on synthetic charts of 10, 100 and 1,000
//     templates;
//   - `go test -bench` of the hot paths with allocation counts;
//   - profiles: GODEBUG=inittrace=1 of hookgen's start-up, the import chains
//     that bring the heaviest packages in, and CPU/heap pprof of the
//     in-process work on the costliest corpus chart.
//
// CPU time is user+system of the child (getrusage), peak memory its maximum
// resident set; each figure is the median of -runs runs after one warm-up.
//
// Usage: go run ./bench/cmd/hookbench [-runs 5] [-out DIR] [-compare OLD.json]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hookgen/hookgen/bench/corpus"
	"github.com/hookgen/hookgen/bench/synth"
	"github.com/hookgen/hookgen/internal/sharedcharts"
	"github.com/hookgen/hookgen/internal/testcharts"
)

type config struct {
	runs      int
	out       string
	compare   string
	hookgen   string
	helm      string
	corpus    string
	sizes     []int
	goBench   bool
	floor     bool
	benchTime string
	count     int
	profile   bool
	env       []string
	// wide is the directory of the wide charts ("" when absent).
	wide string
	// crdTemplates is the template count of the synthetic chart with 5 MB
	// of CRDs (0: none).
	crdTemplates int
}

func main() {
	var c config
	var sizes string
	flag.IntVar(&c.runs, "runs", 5, "measured runs per command (after one warm-up); figures are medians")
	flag.StringVar(&c.out, "out", "", "directory for report.txt, report.json and gobench.txt (default: a new directory under the user cache dir, hookgen-bench/results)")
	flag.StringVar(&c.compare, "compare", "", "a previous report.json to compare with (ratio table; benchstat for the Go benchmarks)")
	flag.StringVar(&c.hookgen, "hookgen", "", "hookgen binary to measure (default: build ./cmd/hookgen as make build does)")
	flag.StringVar(&c.helm, "helm", "", "helm "+HelmVersion+" binary (default: the e2e cache's, else built once from the module proxy)")
	flag.StringVar(&c.corpus, "corpus", "", "corpus directory (default: $HOOKGEN_CORPUS, else ../shared/corpus beside the repository)")
	flag.StringVar(&sizes, "sizes", "10,100,1000", "template counts of the synthetic charts for the scaling runs")
	flag.BoolVar(&c.goBench, "gobench", true, "run the Go benchmarks")
	flag.BoolVar(&c.floor, "floor", true, "measure renderfloor (start-up, load, values, one render, sort with Helm's SDK: the least any tool built on it pays) beside each chart's commands")
	flag.StringVar(&c.benchTime, "benchtime", "200ms", "go test -benchtime for the Go benchmarks")
	flag.IntVar(&c.count, "count", 6, "go test -count for the Go benchmarks (benchstat needs 6 for a confidence interval)")
	flag.StringVar(&c.wide, "wide", "", "wide charts directory (default: $HOOKGEN_WIDE, else ../shared/wide beside the repository, when present)")
	flag.IntVar(&c.crdTemplates, "crd-chart", 1000, "templates of the synthetic chart with 5 MB of CRDs (0: leave it out)")
	flag.BoolVar(&c.profile, "profile", true, "profile hookgen (inittrace, import chains, pprof) for the report")
	flag.Func("env", "KEY=VALUE set for every hookgen and renderfloor run, e.g. GOGC=400 to measure a runtime setting (repeatable)", func(s string) error {
		if !strings.Contains(s, "=") {
			return fmt.Errorf("want KEY=VALUE")
		}
		c.env = append(c.env, s)
		return nil
	})
	flag.Parse()
	if flag.NArg() > 0 {
		fail("hookbench takes no arguments, only flags (see -h)")
	}
	if c.runs < 1 {
		fail("-runs must be at least 1")
	}
	for _, f := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			fail("-sizes %q: want comma-separated template counts such as 10,100,1000", sizes)
		}
		c.sizes = append(c.sizes, n)
	}
	slices.Sort(c.sizes)
	if err := run(c); err != nil {
		fail("%v", err)
	}
}

func fail(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "hookbench: "+format+"\n", a...)
	os.Exit(1)
}

func logf(format string, a ...any) {
	fmt.Fprintf(os.Stderr, "[bench %s] %s\n", time.Now().UTC().Format("15:04:05"), fmt.Sprintf(format, a...))
}

func run(c config) error {
	start := time.Now()
	root, err := repoRoot()
	if err != nil {
		return err
	}
	var old *Result
	if c.compare != "" {
		if old, err = readResult(c.compare); err != nil {
			return err
		}
	}
	corpusDir := c.corpus
	if corpusDir == "" {
		if corpusDir, err = corpus.Dir(root); err != nil {
			return err
		}
	}
	if c.wide == "" {
		if d, err := sharedcharts.Dir(sharedcharts.Wide, root); err == nil {
			c.wide = d
		}
	}
	if c.out == "" {
		uc, err := os.UserCacheDir()
		if err != nil {
			return err
		}
		c.out = filepath.Join(uc, "hookgen-bench", "results", start.UTC().Format("20060102T150405Z"))
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "hookbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)

	res := &Result{Started: start.UTC(), Runs: c.runs, Machine: machine()}
	res.Machine.LoadStart = loadAvg()

	if c.hookgen == "" {
		logf("building hookgen")
		if c.hookgen, err = buildHookgen(root, work); err != nil {
			return err
		}
	}
	helm, err := findHelm(c.helm)
	if err != nil {
		return err
	}
	var floor string
	if c.floor {
		logf("building renderfloor")
		if floor, err = buildFloor(root, work); err != nil {
			return err
		}
	}
	res.Hookgen = binInfo(c.hookgen, output(root, "git", "describe", "--tags", "--always", "--dirty"))
	res.Helm = binInfo(helm, output("", helm, "version", "--template", "{{.Version}}"))
	tool := map[string]string{"helm": helm, "hookgen": c.hookgen, floorTool: floor}
	res.HookgenEnv = c.env
	mk := func(label, toolName, dir string, ok []int, args ...string) *Measure {
		m := &Measure{Label: label, Tool: toolName, Args: args, OKExit: ok, bin: tool[toolName], dir: dir}
		if toolName != "helm" {
			m.env = c.env
		}
		return m
	}
	// floorOf is renderfloor with what helm template or helm lint gets
	// (nil when -floor=false).
	floorOf := func(dir string, values []string) *Measure {
		if !c.floor {
			return nil
		}
		return mk(floorLabel, floorTool, work, []int{0}, append(append([]string{dir}, valuesArgs(values)...), "--kube-version", corpus.KubeVersion)...)
	}

	// Start-up floor.
	logf("start-up: hookgen version, helm version, renderfloor without a chart")
	res.Startup = []*Measure{
		mk("hookgen version", "hookgen", work, []int{0}, "version"),
		mk("helm version", "helm", work, []int{0}, "version"),
	}
	if c.floor {
		// No chart: a usage error after the package inits, exit 2.
		res.Startup = append(res.Startup, mk(floorStartLabel, floorTool, work, []int{2}))
	}
	// The floor is measured again inside every chart and lint group, so a
	// burst of other work on the machine cannot skew it for the whole run:
	// its figures are medians over all of those runs.
	runAlternating(res.Startup, c.runs)

	// Charts: helm create, the corpus, the wide charts when present, and the
	// synthetic chart of 1,000 templates with 5 MB of CRDs (all copied: add
	// and init never touch the originals, even with --dry-run).
	if err := exec.Command(helm, "create", filepath.Join(work, "helm-create")).Run(); err != nil {
		return fmt.Errorf("helm create: %v", err)
	}
	charts := []chartSpec{{Name: "helm-create", Source: "helm create", Dir: filepath.Join(work, "helm-create")}}
	cc := filepath.Join(work, "corpus")
	if err := testcharts.CopyDir(corpusDir, cc); err != nil {
		return fmt.Errorf("copying the corpus: %v", err)
	}
	for _, ch := range corpus.Charts {
		charts = append(charts, chartSpec{Name: ch.Name, Source: "corpus", Dir: filepath.Join(cc, ch.Name), Values: ch.ValuesPaths(cc), ValuesRel: ch.Values})
	}
	if wideDir := c.wide; wideDir != "" {
		ents, err := os.ReadDir(wideDir)
		if err != nil {
			return fmt.Errorf("-wide: %v", err)
		}
		wc := filepath.Join(work, "wide")
		for _, e := range ents {
			if !e.IsDir() {
				continue
			}
			if _, err := os.Stat(filepath.Join(wideDir, e.Name(), "Chart.yaml")); err != nil {
				continue
			}
			if err := testcharts.CopyDir(filepath.Join(wideDir, e.Name()), filepath.Join(wc, e.Name())); err != nil {
				return fmt.Errorf("copying %s: %v", e.Name(), err)
			}
			charts = append(charts, chartSpec{Name: e.Name(), Source: "wide", Dir: filepath.Join(wc, e.Name())})
		}
	} else {
		res.Notes = append(res.Notes, "wide charts not found: only helm create, the corpus and the synthetic charts were measured")
	}
	if c.crdTemplates > 0 {
		dir, err := synth.WriteWithCRDs(work, c.crdTemplates, crdBytes)
		if err != nil {
			return err
		}
		charts = append(charts, chartSpec{Name: filepath.Base(dir), Source: fmt.Sprintf("synthetic: %d templates, %d MB of CRDs", c.crdTemplates, crdBytes>>20), Dir: dir})
	}
	kv := []string{"--kube-version", corpus.KubeVersion}
	for _, ch := range charts {
		logf("chart %s: helm template, renderfloor, hookgen plan, add migration --dry-run, init --dry-run", ch.Name)
		cr := &ChartResult{Name: ch.Name, Source: ch.Source, Values: ch.ValuesRel}
		cr.Template = mk("helm template", "helm", work, []int{0}, append(append([]string{"template", "release-name", ch.Dir}, valuesArgs(ch.Values)...), kv...)...)
		cr.Plan = mk("hookgen plan", "hookgen", work, []int{0}, append(append([]string{"plan", ch.Dir}, valuesArgs(ch.Values)...), kv...)...)
		cr.Add = addMeasure(mk, work, ch.Dir, ch.Values)
		cr.Init = initMeasure(mk, work, ch.Dir, ch.Values)
		cr.Floor = floorOf(ch.Dir, ch.Values)
		runAlternating(append(withFloor([]*Measure{cr.Template, cr.Plan, cr.Add, cr.Init}, cr.Floor), res.Startup...), c.runs)
		res.Charts = append(res.Charts, cr)
	}
	for _, ch := range charts[1:] {
		logf("lint %s: hookgen lint, helm lint, renderfloor", ch.Name)
		lr := &LintResult{Name: ch.Name}
		lr.Hookgen = mk("hookgen lint", "hookgen", work, []int{0, 1}, append(append([]string{"lint", ch.Dir}, valuesArgs(ch.Values)...), kv...)...)
		lr.Helm = mk("helm lint", "helm", work, []int{0, 1}, append(append([]string{"lint", ch.Dir}, valuesArgs(ch.Values)...), kv...)...)
		lr.Floor = floorOf(ch.Dir, ch.Values)
		runAlternating(append(withFloor([]*Measure{lr.Helm, lr.Hookgen}, lr.Floor), res.Startup...), c.runs)
		res.Lint = append(res.Lint, lr)
	}

	// Scaling.
	for _, n := range c.sizes {
		dir, err := synth.Write(work, n)
		if err != nil {
			return err
		}
		logf("scaling: synthetic chart of %d templates", n)
		sr := &ScaleResult{Templates: n, Hooks: synth.Hooks(n)}
		sr.Template = mk("helm template", "helm", work, []int{0}, append([]string{"template", "release-name", dir}, kv...)...)
		sr.Plan = mk("hookgen plan", "hookgen", work, []int{0}, append([]string{"plan", dir}, kv...)...)
		sr.Add = addMeasure(mk, work, dir, nil)
		sr.Lint = mk("hookgen lint", "hookgen", work, []int{0, 1}, append([]string{"lint", dir}, kv...)...)
		sr.HelmLint = mk("helm lint", "helm", work, []int{0, 1}, append([]string{"lint", dir}, kv...)...)
		runAlternating([]*Measure{sr.Template, sr.Plan, sr.Add, sr.Lint, sr.HelmLint}, c.runs)
		res.Scaling = append(res.Scaling, sr)
	}

	if c.goBench {
		logf("Go benchmarks (count %d, benchtime %s)", c.count, c.benchTime)
		raw, err := runGoBench(root, c.benchTime, c.count)
		if err != nil {
			res.Notes = append(res.Notes, "Go benchmarks failed: "+err.Error())
		}
		res.GoBenchRaw = raw
		res.GoBench = parseGoBench(raw)
		if err := os.WriteFile(filepath.Join(c.out, "gobench.txt"), []byte(raw), 0o644); err != nil {
			return err
		}
	}
	res.evaluate()
	if c.profile {
		logf("profiling hookgen")
		// Each command is profiled in process on the chart where its ratio
		// to Helm is worst; one whose cost grows faster than linearly also
		// on the largest synthetic chart, where the extra cost shows.
		var tasks []pprofTask
		for _, label := range []string{"hookgen plan", "hookgen add --dry-run", "hookgen lint"} {
			if f := res.worstChart(label); f != "" {
				tasks = append(tasks, benchFor(label, f))
			}
			if k, ok := res.exponent(label); ok && k > goalExponent {
				tasks = append(tasks, benchFor(label, fmt.Sprintf("synth=%d", c.sizes[len(c.sizes)-1])))
			}
		}
		res.Profile = profile(root, work, c.hookgen, helm, tasks)
	}
	// The report names the run's temporary copies as $WORK, so reports
	// from different runs and machines read (and diff) alike.
	for _, m := range res.allMeasures() {
		for i, a := range m.Args {
			m.Args[i] = strings.ReplaceAll(a, work, "$WORK")
		}
		m.Err = strings.ReplaceAll(m.Err, work, "$WORK")
	}
	res.Machine.LoadEnd = loadAvg()
	res.Duration = time.Since(start).Round(time.Second)

	var cmp string
	if old != nil {
		cmp = compare(old, res, work)
	}
	text := res.Text() + cmp
	if err := os.WriteFile(filepath.Join(c.out, "report.txt"), []byte(text), 0o644); err != nil {
		return err
	}
	if err := writeResult(filepath.Join(c.out, "report.json"), res); err != nil {
		return err
	}
	fmt.Print(text)
	logf("report: %s (and report.json, gobench.txt)", filepath.Join(c.out, "report.txt"))
	return nil
}

type chartSpec struct {
	Name      string
	Source    string
	Dir       string
	Values    []string
	ValuesRel []string
}

// withFloor appends the floor measure to a group unless it is nil.
func withFloor(ms []*Measure, floor *Measure) []*Measure {
	if floor == nil {
		return ms
	}
	return append(ms, floor)
}

func valuesArgs(files []string) []string {
	var out []string
	for _, f := range files {
		out = append(out, "-f", f)
	}
	return out
}

// addMeasure is `hookgen add migration --dry-run --yes` with the chart's
// values files (add renders with them, as plan and helm template do).
// Charts with no image.repository value need --image, as a user would pass.
func addMeasure(mk func(string, string, string, []int, ...string) *Measure, work, dir string, values []string) *Measure {
	args := append([]string{"add", "migration", "--chart", dir, "--yes", "--dry-run", "--framework", "rails", "--kube-version", corpus.KubeVersion}, valuesArgs(values)...)
	m := mk("hookgen add --dry-run", "hookgen", work, []int{0, 7}, args...)
	return withUserFlags(m, []string{"--no-app-context"}, []string{"--image", "registry.example/migrate:1.0"})
}

// withUserFlags adds what a user would pass when the chart asks for it: on
// a chart with several workloads (hookgen cannot choose the app) manyApps,
// on one with no image of its own noImage.
func withUserFlags(m *Measure, manyApps, noImage []string) *Measure {
	for range 2 {
		_, err := m.runOnce()
		switch {
		case err == nil:
			return m
		case strings.Contains(err.Error(), "--no-app-context") && !slices.Contains(m.Args, manyApps[0]):
			m.Args = append(m.Args, manyApps...)
		case strings.Contains(err.Error(), "--image") && !slices.Contains(m.Args, noImage[0]):
			m.Args = append(m.Args, noImage...)
		default:
			return m
		}
	}
	return m
}

// initMeasure is `hookgen init --dry-run --yes` (the default hooks) with
// the chart's values files.
func initMeasure(mk func(string, string, string, []int, ...string) *Measure, work, dir string, values []string) *Measure {
	args := append([]string{"init", "--chart", dir, "--yes", "--dry-run", "--framework", "rails", "--kube-version", corpus.KubeVersion}, valuesArgs(values)...)
	m := mk("hookgen init --dry-run", "hookgen", work, []int{0, 7}, args...)
	// init has no --image: on a chart with no image of its own to reuse for
	// the migration and seed hooks, it bootstraps the backup hook alone.
	// Nor --no-app-context: on a chart with several workloads, the same.
	return withUserFlags(m, []string{"--with", "backup"}, []string{"--with", "backup"})
}

// crdBytes is the size of the synthetic chart's crds/ directory.
const crdBytes = 5 << 20

func repoRoot() (string, error) {
	root, err := sharedcharts.Root(".")
	if err != nil {
		return "", fmt.Errorf("run hookbench inside the hookgen repository (no go.mod found above the working directory)")
	}
	return root, nil
}

func machine() Machine {
	m := Machine{OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), Go: output("", "go", "env", "GOVERSION")}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPU = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}

// loadAvg reads the 1-minute load average (Linux); other agents' work on
// the machine shows here and makes the figures noisy.
func loadAvg() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return -1
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}

func binInfo(path, version string) Binary {
	b := Binary{Version: version}
	if fi, err := os.Stat(path); err == nil {
		b.Size = fi.Size()
	}
	return b
}
