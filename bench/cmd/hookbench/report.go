package main

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Text is the human report: targets first, then every table they come from.
func (r *Result) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hookgen benchmarks, %s (took %s)\n", r.Started.Format("2006-01-02 15:04 UTC"), r.Duration)
	fmt.Fprintf(&b, "command: make bench  (go run ./bench/cmd/hookbench; -h for flags)\n")
	fmt.Fprintf(&b, "machine: %s/%s, %d CPUs (%s), %s\n", r.Machine.OS, r.Machine.Arch, r.Machine.CPUs, r.Machine.CPU, r.Machine.Go)
	fmt.Fprintf(&b, "load average: %.2f at start, %.2f at end", r.Machine.LoadStart, r.Machine.LoadEnd)
	if max(r.Machine.LoadStart, r.Machine.LoadEnd) > float64(r.Machine.CPUs)/2 {
		fmt.Fprintf(&b, " (other work was running: wall times are noisy; CPU times less so)")
	}
	fmt.Fprintf(&b, "\nhookgen %s (%.1f MB)   helm %s (%.1f MB)\n", r.Hookgen.Version, float64(r.Hookgen.Size)/1e6, r.Helm.Version, float64(r.Helm.Size)/1e6)
	if len(r.HookgenEnv) > 0 {
		fmt.Fprintf(&b, "hookgen ran with %s\n", strings.Join(r.HookgenEnv, " "))
	}
	fmt.Fprintf(&b, "Each figure: median of %d runs after one warm-up, commands alternated run by run (start-up: of every group's runs). CPU = user+system; peak = max RSS.\n", r.Runs)
	fmt.Fprintf(&b, "Charts render with --kube-version 1.33.0; corpus charts with the values files the corpus README names.\n")

	b.WriteString("\nTARGETS (goals of issue 15, not assertions; misses worst first)\n")
	for _, t := range r.Targets {
		mark := "met "
		if !t.Met {
			mark = "MISS"
		}
		fmt.Fprintf(&b, "  [%s] %s: goal %s; measured %s\n", mark, t.Name, t.Goal, t.Measured)
		if t.Floor != "" {
			fmt.Fprintf(&b, "         floor: %s\n", t.Floor)
		}
		for _, m := range t.Misses {
			fmt.Fprintf(&b, "         - %s\n", m)
		}
		for _, m := range t.NotMeasured {
			fmt.Fprintf(&b, "         - not measured: %s\n", m)
		}
	}

	r.obstacles(&b)

	b.WriteString("\nSTART-UP (the floor under every run)\n")
	tw := table(&b)
	fmt.Fprintln(tw, "  command\tcpu\twall\tpeak\t")
	for _, m := range r.Startup {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\n", m.Label, cpuS(m), wallS(m), peakS(m))
	}
	tw.Flush()

	b.WriteString("\nCHARTS, worst first: hookgen plan, add --dry-run and init --dry-run vs helm template (x = hookgen CPU / helm template CPU)\n")
	tw = table(&b)
	fmt.Fprintln(tw, "  chart\tsource\ttemplate cpu\tplan x\tadd x\tinit x\tplan cpu\tadd cpu\tinit cpu\ttemplate peak\tplan peak\tadd peak\tinit peak\t")
	charts := slices.Clone(r.Charts)
	sort.SliceStable(charts, func(i, j int) bool { return charts[i].worst() > charts[j].worst() })
	for _, c := range charts {
		in := c.Init
		if in == nil {
			in = &Measure{}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", c.Name, c.Source,
			cpuS(c.Template), xS(c.Plan, c.Template), xS(c.Add, c.Template), xS(in, c.Template),
			cpuS(c.Plan), cpuS(c.Add), cpuS(in),
			peakS(c.Template), peakS(c.Plan), peakS(c.Add), peakS(in))
	}
	tw.Flush()

	b.WriteString("\nLINT, worst first: hookgen lint vs helm lint, one process per chart with its values\n")
	tw = table(&b)
	fmt.Fprintln(tw, "  chart\thelm lint cpu\thookgen lint cpu\tx\thelm peak\thookgen peak\texit helm/hookgen\t")
	lints := slices.Clone(r.Lint)
	lx := func(l *LintResult) float64 {
		if !l.Hookgen.OK() || !l.Helm.OK() {
			return 0
		}
		return ratio(l.Hookgen.MedianCPU, l.Helm.MedianCPU)
	}
	sort.SliceStable(lints, func(i, j int) bool { return lx(lints[i]) > lx(lints[j]) })
	var hc, gc time.Duration
	for _, l := range lints {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s/%s\t\n", l.Name, cpuS(l.Helm), cpuS(l.Hookgen), xS(l.Hookgen, l.Helm),
			peakS(l.Helm), peakS(l.Hookgen), exitS(l.Helm), exitS(l.Hookgen))
		if l.Hookgen.OK() && l.Helm.OK() {
			hc, gc = hc+l.Helm.MedianCPU, gc+l.Hookgen.MedianCPU
		}
	}
	fmt.Fprintf(tw, "  total\t%s\t%s\t%.2fx\t\t\t\t\n", ms(hc), ms(gc), ratio(gc, hc))
	tw.Flush()

	r.floorTable(&b)

	b.WriteString("\nSCALING: synthetic charts (a tenth of the templates are hook Jobs); CPU, and peak\n")
	tw = table(&b)
	fmt.Fprintln(tw, "  templates\thooks\thelm template\thookgen plan\thookgen add\thookgen lint\thelm lint\tplan peak\tadd peak\tlint peak\t")
	for _, s := range r.Scaling {
		fmt.Fprintf(tw, "  %d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", s.Templates, s.Hooks, cpuS(s.Template), cpuS(s.Plan), cpuS(s.Add), cpuS(s.Lint), cpuS(s.HelmLint),
			peakS(s.Plan), peakS(s.Add), peakS(s.Lint))
	}
	tw.Flush()
	if len(r.Scaling) > 0 {
		b.WriteString("  CPU above start-up, per template (µs), and growth exponent k from the smallest to the largest size (1 = linear):\n")
		tw = table(&b)
		hdr := "  command\t"
		for _, s := range r.Scaling {
			hdr += fmt.Sprintf("n=%d\t", s.Templates)
		}
		fmt.Fprintln(tw, hdr+"k\t")
		for _, label := range []string{"helm template", "hookgen plan", "hookgen add --dry-run", "hookgen lint", "helm lint"} {
			row := "  " + label + "\t"
			for _, s := range r.Scaling {
				m := s.measure(label)
				if m == nil || !m.OK() {
					row += "-\t"
					continue
				}
				row += fmt.Sprintf("%.0f\t", float64(m.MedianCPU-r.startupCPU(m.Tool))/1e3/float64(s.Templates))
			}
			if k, ok := r.exponent(label); ok {
				row += fmt.Sprintf("%.2f\t", k)
			} else {
				row += "-\t"
			}
			fmt.Fprintln(tw, row)
		}
		tw.Flush()
	}

	if len(r.GoBench) > 0 {
		b.WriteString("\nGO BENCHMARKS (medians; raw output in gobench.txt, for benchstat)\n")
		tw = table(&b)
		fmt.Fprintln(tw, "  package\tbenchmark\ttime/op\tB/op\tallocs/op\t")
		for _, g := range r.GoBench {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%.0f\t\n", g.Pkg, g.Name, durS(g.NsOp), bytesS(g.BytesOp), g.AllocsOp)
		}
		tw.Flush()
		r.renderMultiples(&b)
	}
	if p := r.Profile; p != nil {
		r.profileText(&b)
	}
	var errs []string
	for _, m := range r.allMeasures() {
		if m.Err != "" {
			e := m.Err
			if len(e) > 300 {
				e = e[:300] + " ..."
			}
			errs = append(errs, fmt.Sprintf("%s %s: %s", m.Tool, strings.Join(m.Args, " "), e))
		}
	}
	errs = append(errs, r.Notes...)
	if len(errs) > 0 {
		b.WriteString("\nPROBLEMS (left out of every ratio)\n")
		for _, e := range errs {
			fmt.Fprintf(&b, "  - %s\n", e)
		}
	}
	return b.String()
}

// floorTable is each chart's floor: renderfloor's CPU and its ratio to helm
// template (chart group) and helm lint (lint group), and each hookgen
// command's CPU over the floor of its own group. Nothing when no chart has
// a floor (reports from before it, -floor=false).
func (r *Result) floorTable(b *strings.Builder) {
	lints := map[string]*LintResult{}
	for _, l := range r.Lint {
		if l.Floor != nil {
			lints[l.Name] = l
		}
	}
	var charts []*ChartResult
	for _, c := range r.Charts {
		if c.Floor != nil {
			charts = append(charts, c)
		}
	}
	if len(charts) == 0 && len(lints) == 0 {
		return
	}
	fx := func(c *ChartResult) float64 {
		if !c.Floor.OK() || !c.Template.OK() {
			return 0
		}
		return ratio(c.Floor.MedianCPU, c.Template.MedianCPU)
	}
	sort.SliceStable(charts, func(i, j int) bool { return fx(charts[i]) > fx(charts[j]) })
	fmt.Fprintf(b, "\nFLOOR, worst first: renderfloor (start-up, load, values, one render, sort with Helm's SDK: the least any tool built on it pays) vs helm template and helm lint; above %.1fx no tool rendering with the SDK as Helm does meets the goal. cmd/floor = hookgen's cost over it (floor of the same group)\n", goalCPURatio)
	tw := table(b)
	fmt.Fprintln(tw, "  chart\tfloor cpu\tfloor/template\tplan/floor\tadd/floor\tinit/floor\tfloor cpu (lint)\tfloor/helm lint\tlint/floor\tfloor peak\t")
	row := func(name string, c *ChartResult, l *LintResult) {
		cells := []string{"-", "-", "-", "-", "-", "-", "-", "-", "-"}
		if c != nil {
			in := c.Init
			if in == nil {
				in = &Measure{}
			}
			cells[0], cells[1] = cpuS(c.Floor), xS(c.Floor, c.Template)
			cells[2], cells[3], cells[4] = xS(c.Plan, c.Floor), xS(c.Add, c.Floor), xS(in, c.Floor)
			cells[8] = peakS(c.Floor)
		}
		if l != nil {
			cells[5], cells[6], cells[7] = cpuS(l.Floor), xS(l.Floor, l.Helm), xS(l.Hookgen, l.Floor)
		}
		fmt.Fprintf(tw, "  %s\t%s\t\n", name, strings.Join(cells, "\t"))
	}
	for _, c := range charts {
		row(c.Name, c, lints[c.Name])
		delete(lints, c.Name)
	}
	for _, l := range r.Lint {
		if lints[l.Name] != nil {
			row(l.Name, nil, l)
		}
	}
	tw.Flush()
}

// renderMultiples shows how many chart renders each command's in-process work
// costs: hookgen cannot be cheaper than helm template by more than its
// start-up saving if it renders the chart several times.
func (r *Result) renderMultiples(b *strings.Builder) {
	var rows []string
	for _, g := range r.GoBench {
		fixture, ok := strings.CutPrefix(g.Name, "BenchmarkLoadAndRender/")
		if !ok || g.NsOp == 0 {
			continue
		}
		cell := func(names ...string) string {
			var sum float64
			for _, n := range names {
				x, ok := r.goBench(n + "/" + fixture)
				if !ok {
					return "-"
				}
				sum += x.NsOp
			}
			return fmt.Sprintf("%.1f", sum/g.NsOp)
		}
		rows = append(rows, fmt.Sprintf("  %s\t%s\t%s\t%s\t%s\t", fixture, durS(g.NsOp), cell("BenchmarkPlan"), cell("BenchmarkChart"), cell("BenchmarkInspect", "BenchmarkGenerate", "BenchmarkVerify")))
	}
	if len(rows) == 0 {
		return
	}
	b.WriteString("\n  In-process work in units of one load+render (render.LoadAndRender = 1):\n")
	tw := table(b)
	fmt.Fprintln(tw, "  chart\tload+render\tplan\tlint\tadd (inspect+generate+verify)\t")
	for _, row := range rows {
		fmt.Fprintln(tw, row)
	}
	tw.Flush()
}

func (r *Result) profileText(b *strings.Builder) {
	p := r.Profile
	b.WriteString("\nPROFILE\n")
	fmt.Fprintf(b, "  start-up (GODEBUG=inittrace=1, hookgen version, median of %d): package inits %.1f ms, last init done at %.1f ms; helm version: package inits %.1f ms\n",
		p.InitRuns, p.InitTotalMs, p.InitDoneMs, p.HelmInitMs)
	fmt.Fprintf(b, "  %d packages linked into hookgen\n", p.Packages)
	b.WriteString("  costliest inits, by module:\n")
	tw := table(b)
	for _, c := range p.InitByModule {
		fmt.Fprintf(tw, "    %s\t%.2f ms\t%s\t%d allocs\t\n", c.Pkg, c.Ms, bytesS(float64(c.Bytes)), c.Allocs)
	}
	tw.Flush()
	b.WriteString("  costliest inits, by package:\n")
	tw = table(b)
	for _, c := range p.InitTop {
		fmt.Fprintf(tw, "    %s\t%.2f ms\t%s\t%d allocs\t\n", c.Pkg, c.Ms, bytesS(float64(c.Bytes)), c.Allocs)
	}
	tw.Flush()
	b.WriteString("  why they are linked in (shortest import chain from cmd/hookgen):\n")
	for _, c := range p.Chains {
		var short []string
		for _, s := range c.Path {
			short = append(short, strings.TrimPrefix(s, "github.com/hookgen/hookgen/"))
		}
		fmt.Fprintf(b, "    %s:\n      %s\n", c.Pkg, strings.Join(short, " -> "))
	}
	for _, w := range watched {
		found := false
		for _, c := range p.Chains {
			found = found || c.Pkg == w
		}
		if !found && p.Packages > 0 {
			fmt.Fprintf(b, "    %s: not linked in (good)\n", w)
		}
	}
	for _, t := range p.Pprof {
		if fn, x, ok := deepestOwn(t.Top); ok && strings.Contains(t.Bench, "synth=") {
			fmt.Fprintf(b, "\n  growth profile %s: %.0f%% of CPU is under %s\n", t.Bench, x, fn)
		}
		if len(t.Shares) > 0 {
			fmt.Fprintf(b, "\n  where %s's CPU goes (cumulative):\n", t.Bench)
			for _, f := range shareFuncs {
				if x, ok := t.Shares[f.fn]; ok {
					fmt.Fprintf(b, "    %5.1f%%  %s\n", x, f.what)
				}
			}
		}
	}
	b.WriteString("\n")
	for _, t := range p.Pprof {
		fmt.Fprintf(b, "\n  pprof %s, %s:\n", t.Bench, t.Kind)
		for _, l := range strings.Split(t.Top, "\n") {
			fmt.Fprintf(b, "    %s\n", l)
		}
	}
	for _, e := range p.Errors {
		fmt.Fprintf(b, "  profile problem: %s\n", e)
	}
}

func (r *Result) allMeasures() []*Measure {
	out := append([]*Measure{}, r.Startup...)
	for _, c := range r.Charts {
		out = append(out, c.Template)
		out = withFloor(append(out, c.measures()...), c.Floor)
	}
	for _, l := range r.Lint {
		out = withFloor(append(out, l.Helm, l.Hookgen), l.Floor)
	}
	for _, s := range r.Scaling {
		out = append(out, s.Template, s.Plan, s.Add, s.Lint, s.HelmLint)
	}
	return out
}

// keyed names every measure for comparisons between runs.
func (r *Result) keyed() map[string]*Measure {
	out := map[string]*Measure{}
	for _, m := range r.Startup {
		out["startup/"+m.Label] = m
	}
	for _, c := range r.Charts {
		for _, m := range withFloor(append([]*Measure{c.Template}, c.measures()...), c.Floor) {
			out["chart "+c.Name+"/"+m.Label] = m
		}
	}
	for _, l := range r.Lint {
		for _, m := range withFloor([]*Measure{l.Helm, l.Hookgen}, l.Floor) {
			out["lint "+l.Name+"/"+m.Label] = m
		}
	}
	for _, s := range r.Scaling {
		for _, m := range []*Measure{s.Template, s.Plan, s.Add, s.Lint, s.HelmLint} {
			out[fmt.Sprintf("synth %d/%s", s.Templates, m.Label)] = m
		}
	}
	return out
}

// compare is the section comparing this run with an earlier report.json:
// every process figure new/old, and, for hookgen's commands, their ratio to
// Helm in the same run, old and new. The ratio is what to watch: a busier
// machine slows both tools alike and leaves it unchanged.
func compare(old, cur *Result, work string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nCOMPARISON with the run of %s (hookgen %s)\n", old.Started.Format("2006-01-02 15:04 UTC"), old.Hookgen.Version)
	b.WriteString("  cpu new/old compares runs directly (machine load moves it); x helm is hookgen's CPU over Helm's in the same run (load cancels out).\n")
	om, nm := old.keyed(), cur.keyed()
	tw := table(&b)
	fmt.Fprintln(tw, "  measure\told cpu\tnew cpu\tcpu new/old\tx helm old\tx helm new\tx helm new/old\told peak\tnew peak\t")
	for _, m := range cur.allMeasures() {
		var key string
		for k, v := range nm {
			if v == m {
				key = k
			}
		}
		o := om[key]
		if o == nil || !o.OK() || !m.OK() {
			continue
		}
		xo, xn, xr := "", "", ""
		if bo, bn := old.helmBase(key), cur.helmBase(key); bo != nil && bn != nil && bo.OK() && bn.OK() {
			ro, rn := ratio(o.MedianCPU, bo.MedianCPU), ratio(m.MedianCPU, bn.MedianCPU)
			xo, xn = fmt.Sprintf("%.2fx", ro), fmt.Sprintf("%.2fx", rn)
			xr = fmt.Sprintf("%.2f", rn/ro)
			if rn/ro > 1.10 {
				xr += " slower"
			} else if rn/ro < 0.90 {
				xr += " faster"
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%.2f\t%s\t%s\t%s\t%s\t%s\t\n", key, ms(o.MedianCPU), ms(m.MedianCPU), ratio(m.MedianCPU, o.MedianCPU),
			xo, xn, xr, mib(o.PeakRSS), mib(m.PeakRSS))
	}
	tw.Flush()
	if old.GoBenchRaw != "" && cur.GoBenchRaw != "" {
		b.WriteString("\n  benchstat old.txt new.txt (Go benchmarks):\n")
		for _, l := range strings.Split(strings.TrimRight(benchstat(work, old.GoBenchRaw, cur.GoBenchRaw), "\n"), "\n") {
			fmt.Fprintf(&b, "    %s\n", l)
		}
	}
	return b.String()
}

// helmBase is the Helm measure a hookgen or renderfloor measure is
// compared with in the same run: helm template for plan, add, init and the
// floor of a chart group, helm lint for lint and the floor of a lint group,
// helm version for the start-ups. nil for Helm's own measures.
func (r *Result) helmBase(key string) *Measure {
	group, label, ok := strings.Cut(key, "/")
	if !ok || !strings.HasPrefix(label, "hookgen ") && !strings.HasPrefix(label, floorLabel) {
		return nil
	}
	base := "helm template"
	switch {
	case label == "hookgen lint" || label == floorLabel && strings.HasPrefix(group, "lint "):
		base = "helm lint"
	case group == "startup":
		base = "helm version"
	}
	return r.keyed()[group+"/"+base]
}

func table(b *strings.Builder) *tabwriter.Writer {
	return tabwriter.NewWriter(b, 0, 0, 2, ' ', 0)
}

func cpuS(m *Measure) string {
	if !m.OK() {
		return "failed"
	}
	return ms(m.MedianCPU)
}

func wallS(m *Measure) string {
	if !m.OK() {
		return "-"
	}
	return ms(m.MedianWall)
}

func peakS(m *Measure) string {
	if !m.OK() {
		return "-"
	}
	return mib(m.PeakRSS)
}

func exitS(m *Measure) string {
	if len(m.Samples) == 0 {
		return "-"
	}
	return fmt.Sprint(m.Samples[0].Exit)
}

func xS(m, base *Measure) string {
	if !m.OK() || !base.OK() {
		return "-"
	}
	x := ratio(m.MedianCPU, base.MedianCPU)
	if x > maxRatioShown {
		return ">99x"
	}
	return fmt.Sprintf("%.2fx", x)
}

func durS(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func bytesS(n float64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", n/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", n/(1<<10))
	}
	return fmt.Sprintf("%.0f B", n)
}

// cumShare reads the cum% of fn from a `pprof -top -cum` table.
func cumShare(top, fn string) (float64, bool) {
	for _, l := range strings.Split(top, "\n") {
		f := strings.Fields(l)
		if len(f) >= 6 && f[len(f)-1] == fn {
			v, err := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64)
			return v, err == nil
		}
	}
	return 0, false
}

// deepestOwn finds, in a `pprof -top -cum` table, the last (deepest) of
// hookgen's own functions that still holds at least 30% of the CPU: the
// place to look when a command grows faster than the chart.
func deepestOwn(top string) (string, float64, bool) {
	var fn string
	var share float64
	for _, l := range strings.Split(top, "\n") {
		f := strings.Fields(l)
		if len(f) < 6 {
			continue
		}
		name := f[len(f)-1]
		if len(f) > 6 { // "(inline)" suffix
			name = f[5]
		}
		if !strings.HasPrefix(name, "internal/") && !strings.HasPrefix(name, "generators.") {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSuffix(f[4], "%"), 64)
		if err != nil || v < 30 {
			continue
		}
		fn, share = name, v
	}
	return fn, share, fn != ""
}

// obstacles states, from the figures, what stands between each CPU goal and
// the measured cost: a command that renders the chart n times costs at least
// its start-up plus n renders, while helm template costs its start-up plus one.
func (r *Result) obstacles(b *strings.Builder) {
	fh, fk := r.startupCPU("hookgen"), r.startupCPU("helm")
	if fh == 0 || fk == 0 {
		return
	}
	b.WriteString("\nWHAT STANDS IN THE WAY (computed from the figures below)\n")
	fmt.Fprintf(b, "  start-up CPU: hookgen %s, helm %s", ms(fh), ms(fk))
	if ff := r.startupCPU(floorTool); ff > 0 {
		fmt.Fprintf(b, ", renderfloor %s", ms(ff))
	}
	if p := r.Profile; p != nil && len(p.InitByModule) > 1 {
		fmt.Fprintf(b, " (hookgen's package inits %.1f ms, most in %s %.1f ms and %s %.1f ms)", p.InitTotalMs,
			p.InitByModule[0].Pkg, p.InitByModule[0].Ms, p.InitByModule[1].Pkg, p.InitByModule[1].Ms)
	}
	b.WriteString("\n")
	budget := goalCPURatio*float64(fk) - float64(fh)
	fmt.Fprintf(b, "  A command doing n chart renders costs about start-up + n*W, helm template start-up + W (W = one render).\n")
	fmt.Fprintf(b, "  So it meets %.1fx only on charts with W <= (%.1f*%s - %s)/(n - %.1f) = %.1f ms/(n - %.1f).\n",
		goalCPURatio, goalCPURatio, ms(fk), ms(fh), goalCPURatio, budget/1e6, goalCPURatio)
	var renders []string
	for _, c := range []struct{ label, bench string }{
		{"plan", "BenchmarkPlan"}, {"add", "BenchmarkInspect+BenchmarkGenerate+BenchmarkVerify"}, {"lint", "BenchmarkChart"},
	} {
		var xs []float64
		for _, g := range r.GoBench {
			fixture, ok := strings.CutPrefix(g.Name, "BenchmarkLoadAndRender/")
			if !ok || g.NsOp == 0 {
				continue
			}
			var sum float64
			complete := true
			for _, n := range strings.Split(c.bench, "+") {
				x, ok := r.goBench(n + "/" + fixture)
				complete = complete && ok
				sum += x.NsOp
			}
			if complete {
				xs = append(xs, sum/g.NsOp)
			}
		}
		if len(xs) == 0 {
			continue
		}
		n := median(xs)
		wmax := budget / 1e6 / (n - goalCPURatio)
		if budget <= 0 || n <= goalCPURatio {
			wmax = 0
		}
		renders = append(renders, fmt.Sprintf("  %s: n = %.1f load+renders (median over the Go benchmark charts) -> W <= %.1f ms", c.label, n, wmax))
	}
	for _, l := range renders {
		b.WriteString(l + "\n")
	}
	var ws []string
	for _, g := range r.GoBench {
		if fixture, ok := strings.CutPrefix(g.Name, "BenchmarkLoadAndRender/"); ok {
			ws = append(ws, fmt.Sprintf("%s %s", fixture, durS(g.NsOp)))
		}
	}
	if len(ws) > 0 {
		fmt.Fprintf(b, "  One load+render (W) measured: %s.\n", strings.Join(ws, ", "))
	}
}
