package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
	"time"
)

// Result is one `make bench` run; report.json is this, indented.
type Result struct {
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration_ns"`
	Machine  Machine       `json:"machine"`
	Hookgen  Binary        `json:"hookgen"`
	Helm     Binary        `json:"helm"`
	Runs     int           `json:"runs"`
	// HookgenEnv is the -env settings every hookgen run had.
	HookgenEnv []string `json:"hookgen_env,omitempty"`

	Startup []*Measure     `json:"startup"`
	Charts  []*ChartResult `json:"charts"`
	Lint    []*LintResult  `json:"lint"`
	Scaling []*ScaleResult `json:"scaling"`

	GoBench    []GoBench `json:"gobench"`
	GoBenchRaw string    `json:"gobench_raw"`

	Targets []Target `json:"targets"`
	Profile *Profile `json:"profile,omitempty"`
	Notes   []string `json:"notes,omitempty"`
}

type Machine struct {
	OS        string  `json:"os"`
	Arch      string  `json:"arch"`
	CPUs      int     `json:"cpus"`
	CPU       string  `json:"cpu"`
	Go        string  `json:"go"`
	LoadStart float64 `json:"loadavg_start"`
	LoadEnd   float64 `json:"loadavg_end"`
}

type Binary struct {
	Version string `json:"version"`
	Size    int64  `json:"size_bytes"`
}

// ChartResult compares hookgen plan and add --dry-run with helm template.
type ChartResult struct {
	Name     string   `json:"chart"`
	Source   string   `json:"source,omitempty"` // helm create, corpus, wide or synthetic
	Values   []string `json:"values,omitempty"` // relative to the corpus directory
	Template *Measure `json:"helm_template"`
	Plan     *Measure `json:"hookgen_plan"`
	Add      *Measure `json:"hookgen_add_dry_run"`
	Init     *Measure `json:"hookgen_init_dry_run,omitempty"`
	// Floor is renderfloor with helm template's inputs, alternated with
	// the others (nil in reports from before it was measured).
	Floor *Measure `json:"renderfloor,omitempty"`
}

// measures are the chart's hookgen measures compared with helm template.
func (c *ChartResult) measures() []*Measure {
	out := []*Measure{c.Plan, c.Add}
	if c.Init != nil {
		out = append(out, c.Init)
	}
	return out
}

// worst is the highest ratio of a hookgen command to helm template on the
// chart (0 when nothing was measured).
func (c *ChartResult) worst() float64 {
	w := 0.0
	for _, m := range c.measures() {
		if m.OK() && c.Template.OK() {
			w = max(w, ratio(m.MedianCPU, c.Template.MedianCPU))
		}
	}
	return w
}

// LintResult compares hookgen lint with helm lint on one chart.
type LintResult struct {
	Name    string   `json:"chart"`
	Hookgen *Measure `json:"hookgen_lint"`
	Helm    *Measure `json:"helm_lint"`
	// Floor is renderfloor with helm lint's inputs, alternated with the
	// two: lint must render the chart, so it is lint's floor too.
	Floor *Measure `json:"renderfloor,omitempty"`
}

// ScaleResult is one synthetic chart size.
type ScaleResult struct {
	Templates int      `json:"templates"`
	Hooks     int      `json:"hooks"`
	Template  *Measure `json:"helm_template"`
	Plan      *Measure `json:"hookgen_plan"`
	Add       *Measure `json:"hookgen_add_dry_run"`
	Lint      *Measure `json:"hookgen_lint"`
	HelmLint  *Measure `json:"helm_lint"`
}

// Target is one goal of issue 15 with the figure measured against it.
type Target struct {
	Name     string   `json:"name"`
	Goal     string   `json:"goal"`
	Measured string   `json:"measured"`
	Met      bool     `json:"met"`
	Misses   []string `json:"misses,omitempty"`
	// NotMeasured are charts the command could not run on (e.g. add on a
	// chart that needs values files to render); they count neither way.
	NotMeasured []string `json:"not_measured,omitempty"`
	// Floor says, for a missed CPU goal, on how many charts renderfloor
	// itself is above the goal (out of reach there for any tool that
	// renders with Helm's SDK) and what the command adds over it.
	Floor string `json:"floor,omitempty"`
}

// The floor: bench/cmd/renderfloor, measured per chart and at start-up.
const (
	floorTool       = "renderfloor"
	floorLabel      = "renderfloor"
	floorStartLabel = "renderfloor (no chart)"
)

// Goals (issue 15). They are reported, not asserted.
const (
	goalCPURatio  = 0.5
	goalExponent  = 1.05 // cost above start-up grows as templates^k from the smallest to the largest synthetic chart; 1 is linear
	maxRatioShown = 99
)

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

func (r *Result) startupCPU(tool string) time.Duration {
	for _, m := range r.Startup {
		if m.Tool == tool && m.OK() {
			return m.MedianCPU
		}
	}
	return 0
}

// evaluate fills in Targets from the measures. Misses are listed worst
// first.
func (r *Result) evaluate() {
	r.Targets = nil
	type miss struct {
		x    float64
		text string
	}
	finish := func(t *Target, ms []miss) {
		sort.SliceStable(ms, func(i, j int) bool { return ms[i].x > ms[j].x })
		for _, m := range ms {
			t.Misses = append(t.Misses, m.text)
		}
	}
	for _, label := range []string{"hookgen add --dry-run", "hookgen plan", "hookgen init --dry-run"} {
		t := Target{Name: label + " CPU vs helm template", Goal: fmt.Sprintf("<= %.1fx on every chart", goalCPURatio), Met: true}
		worst, worstAt, n := 0.0, "", 0
		var found []miss
		for _, c := range r.Charts {
			var m *Measure
			for _, x := range c.measures() {
				if x.Label == label {
					m = x
				}
			}
			if m == nil {
				continue
			}
			if !m.OK() || !c.Template.OK() {
				t.NotMeasured = append(t.NotMeasured, fmt.Sprintf("%s: %s", c.Name, firstErr(m, c.Template)))
				continue
			}
			x := ratio(m.MedianCPU, c.Template.MedianCPU)
			n++
			if x > worst {
				worst, worstAt = x, c.Name
			}
			if x > goalCPURatio {
				t.Met = false
				found = append(found, miss{x, fmt.Sprintf("%s: %.2fx (%s vs %s); %s%s", c.Name, x, ms(m.MedianCPU), ms(c.Template.MedianCPU), r.budget(m, c.Template), floorNote(c.Floor, c.Template))})
			}
		}
		if n == 0 {
			continue
		}
		t.Measured = fmt.Sprintf("worst %.2fx (%s) over %d charts, %d above the goal", worst, worstAt, n, len(found))
		if !t.Met {
			t.Floor = floorFinding(r.floorRows(label), "helm template", label)
		}
		finish(&t, found)
		r.Targets = append(r.Targets, t)
	}

	lt := Target{Name: "hookgen lint CPU vs helm lint", Goal: fmt.Sprintf("<= %.1fx on every chart", goalCPURatio), Met: true}
	worst, worstAt, n := 0.0, "", 0
	var lms []miss
	for _, l := range r.Lint {
		if !l.Hookgen.OK() || !l.Helm.OK() {
			lt.NotMeasured = append(lt.NotMeasured, fmt.Sprintf("%s: %s", l.Name, firstErr(l.Hookgen, l.Helm)))
			continue
		}
		n++
		x := ratio(l.Hookgen.MedianCPU, l.Helm.MedianCPU)
		if x > worst {
			worst, worstAt = x, l.Name
		}
		if x > goalCPURatio {
			lt.Met = false
			lms = append(lms, miss{x, fmt.Sprintf("%s: %.2fx (%s vs %s); %s%s", l.Name, x, ms(l.Hookgen.MedianCPU), ms(l.Helm.MedianCPU), r.budget(l.Hookgen, l.Helm), floorNote(l.Floor, l.Helm))})
		}
	}
	lt.Measured = fmt.Sprintf("worst %.2fx (%s) over %d charts, %d above the goal", worst, worstAt, n, len(lms))
	if !lt.Met {
		lt.Floor = floorFinding(r.floorRows("hookgen lint"), "helm lint", "hookgen lint")
	}
	finish(&lt, lms)
	r.Targets = append(r.Targets, lt)

	// Peak memory: every hookgen command on a chart against helm template
	// on the same chart.
	mt := Target{Name: "hookgen peak memory vs helm template's on the same chart", Goal: "<= 1.0x on every chart", Met: true}
	var pms []miss
	worstP, worstPAt := 0.0, ""
	lints := map[string]*Measure{}
	for _, l := range r.Lint {
		lints[l.Name] = l.Hookgen
	}
	for _, c := range r.Charts {
		if !c.Template.OK() {
			continue
		}
		cmds := c.measures()
		if l := lints[c.Name]; l != nil {
			cmds = append(cmds, l)
		}
		for _, m := range cmds {
			if !m.OK() {
				continue
			}
			x := float64(m.PeakRSS) / float64(c.Template.PeakRSS)
			if x > worstP {
				worstP, worstPAt = x, c.Name+" ("+m.Label+")"
			}
			if x > 1 {
				mt.Met = false
				pms = append(pms, miss{x, fmt.Sprintf("%s, %s: %s vs %s (%.2fx)", c.Name, m.Label, mib(m.PeakRSS), mib(c.Template.PeakRSS), x)})
			}
		}
	}
	mt.Measured = fmt.Sprintf("worst %.2fx, %s", worstP, worstPAt)
	finish(&mt, pms)
	r.Targets = append(r.Targets, mt)

	gt := Target{Name: "growth from the smallest to the largest synthetic chart", Goal: fmt.Sprintf("CPU above start-up grows as templates^k, k <= %.2f", goalExponent), Met: true}
	var parts []string
	for _, label := range []string{"hookgen plan", "hookgen add --dry-run", "hookgen lint"} {
		k, ok := r.exponent(label)
		if !ok {
			gt.Met = false
			gt.Misses = append(gt.Misses, label+": not measured")
			continue
		}
		parts = append(parts, fmt.Sprintf("%s k=%.2f", strings.TrimPrefix(label, "hookgen "), k))
		if k > goalExponent {
			gt.Met = false
			gt.Misses = append(gt.Misses, fmt.Sprintf("%s: k=%.2f", label, k))
		}
	}
	gt.Measured = strings.Join(parts, ", ")
	r.Targets = append(r.Targets, gt)
}

// floorRow is one chart's floor beside the Helm command a goal compares
// with and the hookgen command the goal judges.
type floorRow struct {
	chart            string
	floor, helm, cmd *Measure
}

// floorRows pairs each chart's floor with helm template and label's
// measure, or for "hookgen lint" with helm lint and hookgen lint. Charts
// with no floor measure (older reports, -floor=false) are left out.
func (r *Result) floorRows(label string) []floorRow {
	var rows []floorRow
	if label == "hookgen lint" {
		for _, l := range r.Lint {
			if l.Floor != nil {
				rows = append(rows, floorRow{l.Name, l.Floor, l.Helm, l.Hookgen})
			}
		}
		return rows
	}
	for _, c := range r.Charts {
		if c.Floor == nil {
			continue
		}
		for _, m := range c.measures() {
			if m.Label == label {
				rows = append(rows, floorRow{c.Name, c.Floor, c.Template, m})
			}
		}
	}
	return rows
}

// floorFinding states how far the floor itself is from the CPU goal over
// the rows: on how many charts renderfloor alone costs more than
// goalCPURatio of the Helm command (no tool that renders the chart with
// Helm's SDK as Helm does can meet the goal there), its worst and median
// ratio, and the command's
// own cost over the floor. "" when no row has both figures.
func floorFinding(rows []floorRow, helmLabel, label string) string {
	var xs, over []float64
	above, worst, worstAt := 0, 0.0, ""
	overWorst, overWorstAt := 0.0, ""
	for _, row := range rows {
		if !row.floor.OK() || !row.helm.OK() {
			continue
		}
		x := ratio(row.floor.MedianCPU, row.helm.MedianCPU)
		xs = append(xs, x)
		if x > goalCPURatio {
			above++
		}
		if x > worst {
			worst, worstAt = x, row.chart
		}
		if row.cmd.OK() {
			o := ratio(row.cmd.MedianCPU, row.floor.MedianCPU)
			over = append(over, o)
			if o > overWorst {
				overWorst, overWorstAt = o, row.chart
			}
		}
	}
	if len(xs) == 0 {
		return ""
	}
	s := fmt.Sprintf("renderfloor alone is above %.1fx %s on %d of %d charts (there no tool that renders the chart with Helm's SDK as Helm does can meet the goal); floor/%s worst %.2fx (%s), median %.2fx",
		goalCPURatio, helmLabel, above, len(xs), helmLabel, worst, worstAt, median(xs))
	if len(over) > 0 {
		s += fmt.Sprintf("; %s/floor median %.2fx, worst %.2fx (%s)", strings.TrimPrefix(label, "hookgen "), median(over), overWorst, overWorstAt)
	}
	return s
}

// floorNote is the floor's ratio to the Helm command, for a miss line.
func floorNote(floor, helm *Measure) string {
	if floor == nil || !floor.OK() || !helm.OK() {
		return ""
	}
	x := ratio(floor.MedianCPU, helm.MedianCPU)
	s := fmt.Sprintf("; floor %.2fx", x)
	if x > goalCPURatio {
		s += " (above the goal)"
	}
	return s
}

// scaleMeasure picks one command's measure of a scaling row.
func (s *ScaleResult) measure(label string) *Measure {
	for _, m := range []*Measure{s.Template, s.Plan, s.Add, s.Lint, s.HelmLint} {
		if m.Label == label {
			return m
		}
	}
	return nil
}

// exponent fits cost = floor + a*templates^k between the smallest and the
// largest sizes (10 and 1,000 by default), with floor the tool's start-up
// CPU; k near 1 is linear growth.
func (r *Result) exponent(label string) (float64, bool) {
	if len(r.Scaling) < 2 {
		return 0, false
	}
	a, b := r.Scaling[0], r.Scaling[len(r.Scaling)-1]
	ma, mb := a.measure(label), b.measure(label)
	if ma == nil || mb == nil || !ma.OK() || !mb.OK() {
		return 0, false
	}
	floor := r.startupCPU(ma.Tool)
	wa, wb := ma.MedianCPU-floor, mb.MedianCPU-floor
	if wa <= 0 || wb <= 0 {
		return 0, false
	}
	return math.Log(float64(wb)/float64(wa)) / math.Log(float64(b.Templates)/float64(a.Templates)), true
}

// budget splits a hookgen/helm CPU pair into start-up and the work above
// it, and says how much work hookgen could do and still meet the goal.
func (r *Result) budget(hg, helm *Measure) string {
	fh, fk := r.startupCPU("hookgen"), r.startupCPU("helm")
	allowed := time.Duration(goalCPURatio*float64(helm.MedianCPU)) - fh
	s := fmt.Sprintf("start-up %s vs %s, work above it %s vs %s", ms(fh), ms(fk), ms(hg.MedianCPU-fh), ms(helm.MedianCPU-fk))
	if allowed <= 0 {
		return s + "; hookgen's start-up alone exceeds the goal"
	}
	return s + fmt.Sprintf("; the goal leaves hookgen %s of work", ms(allowed))
}

func firstErr(ms ...*Measure) string {
	for _, m := range ms {
		if m.Err != "" {
			e := m.Err
			if len(e) > 220 {
				e = e[:220] + " ..."
			}
			return m.Label + ": " + e
		}
	}
	return "no samples"
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/1e6) }

func mib(kb int64) string { return fmt.Sprintf("%.1f MiB", float64(kb)/1024) }

func writeResult(path string, r *Result) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readResult(path string) (*Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-compare: %v", err)
	}
	var r Result
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("-compare %s is not a hookbench report.json: %v", path, err)
	}
	return &r, nil
}

// worstChart returns the benchmark fixture name ("helm-create",
// "corpus=NAME") of the chart where label's CPU ratio to Helm is highest.
func (r *Result) worstChart(label string) string {
	worst, at := 0.0, ""
	try := func(name string, m, base *Measure) {
		if !m.OK() || !base.OK() {
			return
		}
		if x := ratio(m.MedianCPU, base.MedianCPU); x > worst {
			worst, at = x, name
		}
	}
	for _, c := range r.Charts {
		// The in-process benchmarks have helm create and the corpus only.
		if c.Name != "helm-create" && c.Source != "corpus" {
			continue
		}
		switch label {
		case "hookgen plan":
			try(c.Name, c.Plan, c.Template)
		case "hookgen add --dry-run":
			try(c.Name, c.Add, c.Template)
		}
	}
	if label == "hookgen lint" {
		for _, l := range r.Lint {
			try(l.Name, l.Hookgen, l.Helm)
		}
	}
	if at == "" || at == "helm-create" {
		return at
	}
	return "corpus=" + at
}
