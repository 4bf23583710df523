package plan

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// TextOptions control the text timeline.
type TextOptions struct {
	Color bool // ANSI colours (a terminal without NO_COLOR)
}

type palette struct{ on bool }

func (p palette) wrap(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
func (p palette) bold(s string) string   { return p.wrap("1", s) }
func (p palette) dim(s string) string    { return p.wrap("2", s) }
func (p palette) red(s string) string    { return p.wrap("31", s) }
func (p palette) green(s string) string  { return p.wrap("32", s) }
func (p palette) yellow(s string) string { return p.wrap("33", s) }
func (p palette) cyan(s string) string   { return p.wrap("36", s) }

// maxListed is how many release resources the text lists by name.
const maxListed = 6

// WriteText writes the plan as a readable timeline per operation.
func WriteText(w io.Writer, p *Plan, o TextOptions) error {
	c := palette{o.Color}
	var b strings.Builder
	who := "Helm v4"
	if p.GitOps == "argocd" {
		who = "Argo CD"
	}
	chart := p.Chart
	if p.ChartVersion != "" {
		chart += " " + p.ChartVersion
	}
	fmt.Fprintf(&b, "%s chart %s, release %q in namespace %q, as %s runs it\n", c.bold("Plan:"), chart, p.Release, p.Namespace, who)
	b.WriteString(c.dim("Every hook is assumed to succeed; a failing hook stops its operation.") + "\n")

	writeHooks(&b, p, c)
	if len(p.Dropped) > 0 {
		fmt.Fprintf(&b, "\n%s\n", c.bold("Dropped by Helm (never deployed, no error)"))
		for _, d := range p.Dropped {
			fmt.Fprintf(&b, "  %s %s (%s): helm.sh/hook %q has %s Helm does not know (%s), so Helm skips the whole resource\n",
				c.yellow("!"), d.Ref, d.Path, d.Hook, plural(len(d.Unknown), "a value", "values"), quoteAll(d.Unknown))
		}
	}
	for _, op := range p.Operations {
		writeOperation(&b, p, op, c)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeHooks(b *strings.Builder, p *Plan, c palette) {
	fmt.Fprintf(b, "\n%s\n", c.bold(fmt.Sprintf("Hooks (%d)", len(p.Hooks))))
	if len(p.Hooks) == 0 {
		b.WriteString("  none\n")
		return
	}
	refW, evW := 0, 0
	for _, h := range p.Hooks {
		refW = max(refW, len(h.Ref.String()))
		evW = max(evW, len(strings.Join(h.Events, ",")))
	}
	for _, h := range p.Hooks {
		pol := strings.Join(h.EffectivePolicies, ",")
		if len(h.DeletePolicies) == 0 {
			pol += " (default)"
		} else if pol == "" {
			pol = "none"
		}
		fmt.Fprintf(b, "  %s  %s  weight %-4d  delete %s  %s\n",
			pad(h.Ref.String(), refW), pad(strings.Join(h.Events, ","), evW), h.Weight, pol, c.dim(h.Path))
	}
}

type group struct {
	event string
	steps []Step
}

// groupSteps splits a timeline into event groups (consecutive hook steps of
// one event) and single release or CRD steps (event "").
func groupSteps(steps []Step) []group {
	var gs []group
	for _, s := range steps {
		key := stepHeading(s)
		if key != "" && len(gs) > 0 && gs[len(gs)-1].event == key {
			gs[len(gs)-1].steps = append(gs[len(gs)-1].steps, s)
			continue
		}
		gs = append(gs, group{event: key, steps: []Step{s}})
	}
	return gs
}

// afterSync heads Argo CD's HookSucceeded deletions, which run once the
// whole sync succeeded, whatever phase the hook ran in.
const afterSync = "after the sync succeeded"

func stepHeading(s Step) string {
	if s.Reason == "HookSucceeded" && s.Event != "PreDelete" && s.Event != "PostDelete" {
		return afterSync
	}
	return s.Event
}

func writeOperation(b *strings.Builder, p *Plan, op OperationPlan, c palette) {
	fmt.Fprintf(b, "\n%s\n", c.bold(c.cyan(string(op.Operation))))
	for _, n := range op.Notes {
		fmt.Fprintf(b, "  %s\n", c.dim(n))
	}
	if op.Error != "" {
		fmt.Fprintf(b, "  %s %s\n", c.red("not planned:"), op.Error)
		return
	}
	refW := 0
	for _, s := range op.Steps {
		refW = max(refW, len(s.Kind)+1+len(s.Name))
	}
	gs := groupSteps(op.Steps)
	if p.GitOps == "" {
		// Show both events of the operation even without hooks, so the
		// reader sees where the release's own resources fall.
		pre, post := eventsOf(op.Operation)
		if !hasEvent(op.Steps, string(pre)) {
			at := 0
			if len(gs) > 0 && gs[0].steps[0].Action == ActionInstallCRDs {
				at = 1
			}
			gs = append(gs[:at], append([]group{{event: string(pre)}}, gs[at:]...)...)
		}
		if post != "" && !hasEvent(op.Steps, string(post)) {
			gs = append(gs, group{event: string(post)})
		}
	}
	for _, g := range gs {
		if g.event == "" {
			writeSingle(b, g.steps[0], "  ", c)
			continue
		}
		if len(g.steps) == 0 {
			fmt.Fprintf(b, "  %s %s\n", c.bold(g.event), c.dim("(no hooks)"))
			continue
		}
		fmt.Fprintf(b, "  %s\n", c.bold(g.event))
		for _, s := range g.steps {
			if s.Action == ActionApplyRelease || s.Action == ActionDeleteRelease {
				writeSingle(b, s, "    ", c)
				continue
			}
			writeHookStep(b, p, s, refW, c)
		}
	}
	if left := p.Leftovers[string(op.Operation)]; len(left) > 0 {
		fmt.Fprintf(b, "  %s\n", c.yellow("left in the cluster afterwards (hook objects are not managed resources):"))
		w := 0
		for _, l := range left {
			w = max(w, len(l.Ref.String()))
		}
		for _, l := range left {
			fmt.Fprintf(b, "    %s  %s\n", pad(l.Ref.String(), w), c.dim(strings.Join(l.Events, ",")+": "+l.Reason))
		}
	} else {
		fmt.Fprintf(b, "  %s\n", c.dim("nothing left behind"))
	}
}

func writeSingle(b *strings.Builder, s Step, indent string, c palette) {
	switch s.Action {
	case ActionInstallCRDs:
		fmt.Fprintf(b, "%s%s %s\n", indent, c.green("install CRDs from "+s.Path), refList(s.Resources))
	case ActionApplyRelease, ActionDeleteRelease:
		verb, col := "apply release resources", c.green
		if s.Action == ActionDeleteRelease {
			verb, col = "delete release resources", c.red
		}
		if s.Wave != nil {
			verb += fmt.Sprintf(" (wave %d)", *s.Wave)
		}
		if len(s.Resources) > 0 {
			fmt.Fprintf(b, "%s%s %s\n", indent, col(verb), refList(s.Resources))
			if by := byChart(s.Resources); by != "" {
				fmt.Fprintf(b, "%s  %s %s\n", indent, c.dim("by chart:"), by)
			}
		}
		for _, k := range s.Kept {
			fmt.Fprintf(b, "%s%s %s (%s)\n", indent, c.yellow("not deleted:"), k.Ref, k.Reason)
		}
	}
}

func writeHookStep(b *strings.Builder, p *Plan, s Step, refW int, c palette) {
	var verb string
	switch s.Action {
	case ActionDelete:
		verb = c.red(pad("delete", 6))
	case ActionCreate:
		if p.GitOps == "argocd" {
			verb = c.green(pad("apply", 6))
		} else {
			verb = c.green(pad("create", 6))
		}
	case ActionWait:
		verb = c.yellow(pad("wait", 6))
	default:
		verb = pad(string(s.Action), 6)
	}
	var detail string
	switch {
	case s.Action == ActionCreate && s.Wave != nil:
		detail = fmt.Sprintf("wave %d", *s.Wave)
	case s.Action == ActionCreate && s.Weight != nil:
		detail = fmt.Sprintf("weight %d", *s.Weight)
	case s.Reason == ReasonJobComplete:
		detail = "until the Job completes"
	case s.Reason == ReasonPodSucceeded:
		detail = "until the Pod succeeds"
	default:
		detail = s.Reason
	}
	fmt.Fprintf(b, "    %s %s  %s\n", verb, pad(s.Kind+"/"+s.Name, refW), c.dim(detail))
}

func hasEvent(steps []Step, ev string) bool {
	for _, s := range steps {
		if s.Event == ev {
			return true
		}
	}
	return false
}

func refList(rs []Ref) string {
	var parts []string
	for i, r := range rs {
		if i == maxListed {
			parts = append(parts, fmt.Sprintf("and %d more", len(rs)-maxListed))
			break
		}
		parts = append(parts, r.String())
	}
	return fmt.Sprintf("(%d) %s", len(rs), strings.Join(parts, ", "))
}

// byChart counts resources per chart (the parent first, then its subcharts
// by path) when they come from more than one: an umbrella chart.
func byChart(rs []Ref) string {
	var order []string
	n := map[string]int{}
	for _, r := range rs {
		if r.Chart == "" {
			continue
		}
		if n[r.Chart] == 0 {
			order = append(order, r.Chart)
		}
		n[r.Chart]++
	}
	if len(order) < 2 {
		return ""
	}
	slices.Sort(order)
	parts := make([]string, len(order))
	for i, c := range order {
		parts[i] = fmt.Sprintf("%s %d", c, n[c])
	}
	return strings.Join(parts, ", ")
}

func pad(s string, w int) string {
	if len(s) >= w {
		return s
	}
	return s + strings.Repeat(" ", w-len(s))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}
