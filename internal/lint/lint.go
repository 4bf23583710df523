// Package lint finds the Helm hook mistakes that Helm itself lets through:
// unknown events, weights and delete policies that silently mean something
// else, hooks that need resources which do not exist yet, Jobs that Helm
// cannot wait on, and more. It works on the chart as Helm renders it (the v4
// SDK's loader and engine, see internal/render), so values-driven annotations
// count and .helmignore is honoured. Every rule is in rules.go and documented
// in docs/rules.md with its class and evidence; Helm's own hook rules come
// from internal/helmhook. Where a rule depends on the release name or on
// values, probe.go renders the chart again to prove it.
package lint

import (
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hookgen/hookgen/internal/oneline"
	"github.com/hookgen/hookgen/internal/render"
)

// Severity of a finding.
type Severity int

// Severities, lowest first.
const (
	Info Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	default:
		return "error"
	}
}

// MarshalText writes the severity as its name in JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity parses info, warning or error.
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(s) {
	case "info", "note":
		return Info, nil
	case "warning", "warn":
		return Warning, nil
	case "error":
		return Error, nil
	}
	return 0, fmt.Errorf("unknown severity %q (use info, warning or error)", s)
}

// GitOps tools whose hook semantics the linter knows.
const GitOpsArgoCD = "argocd"

// Options say how to render the chart and which environment to lint for.
type Options struct {
	ValuesFiles []string // -f, merged left to right
	Set         []string // --set
	KubeVersion string   // defaults to render.DefaultKubeVersion
	// GitOps is "" (plain Helm) or "argocd" (also check Argo CD's hook mapping).
	GitOps string
	// ReleaseNameLength is the longest release name the chart must support
	// (Helm allows 53). Job names are checked with a release name this long.
	// 0 means 53, and then a Job name that only release names over 30
	// characters break is reported at info.
	ReleaseNameLength int
	// HelmTimeout is Helm's --timeout, the per-hook wait. 0 means 5m.
	HelmTimeout time.Duration
}

// Defaults for Options' zero values.
const (
	DefaultReleaseNameLength = render.MaxReleaseNameLen
	DefaultHelmTimeout       = 5 * time.Minute
)

// Finding is one problem found in a chart. The JSON field names are part of
// hookgen's interface (docs/rules.md "JSON output").
type Finding struct {
	Rule     string   `json:"rule"`     // stable ID, e.g. HG001
	Name     string   `json:"name"`     // rule name, e.g. unknown-hook-event
	Severity Severity `json:"severity"` // info, warning or error
	Message  string   `json:"message"`  // what Helm will do, and the fix
	Chart    string   `json:"chart"`    // the CHART argument as given
	File     string   `json:"file"`     // template file on disk: CHART joined with the template's path in the chart
	Template string   `json:"template"` // Helm's name of the template, e.g. app/templates/job.yaml
	Line     int      `json:"line,omitempty"`
	Kind     string   `json:"kind,omitempty"`
	Object   string   `json:"object,omitempty"` // metadata.name
	Events   []string `json:"events,omitempty"` // hook events the finding is about
}

// Chart lints one chart (a directory or packaged archive) and returns every
// finding of every severity, sorted by file, line and rule. An error means
// the chart could not be loaded or rendered.
func Chart(path string, opts Options) ([]Finding, error) {
	if opts.GitOps != "" && opts.GitOps != GitOpsArgoCD {
		return nil, fmt.Errorf("unknown --gitops %q (the only one supported is argocd)", opts.GitOps)
	}
	n := opts.ReleaseNameLength
	if n == 0 {
		n = DefaultReleaseNameLength
	}
	if n < 1 || n > render.MaxReleaseNameLen {
		return nil, fmt.Errorf("--release-name-length %d is out of range (Helm allows 1 to %d)", n, render.MaxReleaseNameLen)
	}
	if opts.HelmTimeout == 0 {
		opts.HelmTimeout = DefaultHelmTimeout
	}
	ropts := render.Options{ValuesFiles: opts.ValuesFiles, Set: opts.Set, KubeVersion: opts.KubeVersion}
	ch, err := render.Load(path)
	if err != nil {
		return nil, err
	}
	// A render changes the chart it is given (dependency processing): the
	// probes render copies of the chart as loaded, not the files again.
	pristine := render.Clone(ch)
	vals, err := render.Values(opts.ValuesFiles, opts.Set)
	if err != nil {
		return nil, err
	}
	res, err := render.Render(ch, vals, ropts)
	if err != nil {
		return nil, err
	}
	srcs := templateSources(ch)
	objs, err := parseObjects(res.Files, res.Hooks, srcs)
	if err != nil {
		return nil, err
	}

	c := &checker{opts: opts, releaseNameLen: n, objs: objs, hooks: res.Hooks}
	c.probes = newProber(path, opts, ropts, ch, objs)
	c.probes.pristine = pristine
	// The longest release name the chart must support shows the Job names a
	// real release can get, and which hook names do not depend on the
	// release name at all (HG012, HG027).
	if c.probes.needed() {
		c.long, c.longErr = c.probes.releaseName(longReleaseName(n))
	}
	c.run()
	rootName := ch.Name()
	var out []Finding
	for _, f := range c.findings {
		if ignored(f.obj, f.Rule) {
			continue
		}
		rel := strings.TrimPrefix(f.obj.File, rootName+"/")
		f.Finding.Chart = path
		f.Finding.Template = f.obj.File
		f.Finding.File = filepath.ToSlash(filepath.Join(path, rel))
		f.Finding.Kind = f.obj.Kind
		f.Finding.Object = f.obj.Name
		out = append(out, f.Finding)
	}
	Sort(out)
	return out, nil
}

// Sort orders findings by chart, file, line, rule and object, so output and
// golden files are stable.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.Chart != b.Chart {
			return a.Chart < b.Chart
		}
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Rule != b.Rule {
			return a.Rule < b.Rule
		}
		if a.Object != b.Object {
			return a.Object < b.Object
		}
		return a.Message < b.Message
	})
}

// AtLeast returns the findings at or above min.
func AtLeast(fs []Finding, min Severity) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Severity >= min {
			out = append(out, f)
		}
	}
	return out
}

// ignored reports whether the object's hookgen.io/ignore annotation lists
// the rule, by ID or name (comma- or space-separated, case-insensitive), or "all".
func ignored(o *object, rule string) bool {
	v, ok := o.Annotations[annIgnore]
	if !ok {
		return false
	}
	r := ruleByID[rule]
	for _, f := range strings.FieldsFunc(v, func(c rune) bool { return c == ',' || c == ' ' }) {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "all" || f == strings.ToLower(rule) || (r != nil && f == r.Name) {
			return true
		}
	}
	return false
}

// eventNames turns events into strings, in lifecycle order, without repeats.
func eventNames[E ~string](evs []E) []string {
	var out []string
	for _, e := range evs {
		if !slices.Contains(out, string(e)) {
			out = append(out, string(e))
		}
	}
	return out
}

// ChartError is a chart that could not be loaded or rendered.
type ChartError struct {
	Chart string
	Err   error
}

func (e *ChartError) Error() string {
	return fmt.Sprintf("cannot lint %s: %s (fix the chart, or pass the values it needs with -f/--set)", e.Chart, oneline.Err(e.Err))
}

func (e *ChartError) Unwrap() error { return e.Err }

// Run lints every chart, then writes the findings at or above min to w in
// format. It returns how many findings it wrote. Nothing is written when a
// chart fails: the error (a *ChartError) says which one and why.
func Run(w io.Writer, charts []string, opts Options, min Severity, format, version string) (int, error) {
	var all []Finding
	for _, ch := range charts {
		fs, err := Chart(ch, opts)
		if err != nil {
			return 0, &ChartError{Chart: ch, Err: err}
		}
		all = append(all, fs...)
	}
	shown := AtLeast(all, min)
	return len(shown), Write(w, format, Report{Charts: charts, Findings: shown, Min: min}, version)
}
