package render

import (
	"bytes"
	"regexp"
	"slices"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// An upgrade render differs from an install render of the same chart and
// values only in .Release: IsInstall, IsUpgrade and Revision (Helm's
// pkg/action/upgrade.go renders with ReleaseOptions{IsUpgrade: true,
// Revision: n}; install.go with IsInstall: true, Revision: 1). A template
// whose text cannot reach those fields renders the same both ways, so an
// upgrade render needs only the templates that can, merged with the install
// render for the rest.

// RenderUpgrade renders ch as an upgrade. install is a render of the same
// chart with the same values and options as an install (nil when there is
// none); ch must not have been rendered (pass a Clone). Only the templates
// that can read .Release's install/upgrade fields -- directly, through the
// named templates they include or the templates they include by path,
// spelt as quoted strings as WithIncluded reads them -- are rendered again,
// with every named template of the chart; the rest is taken from install.
// When values or chart files hold text that tpl could render into such a
// read, or the scoped render misses a template it includes, the whole chart
// is rendered as an upgrade instead.
func RenderUpgrade(ch *chart.Chart, vals map[string]any, opts Options, install *Result) (*Result, error) {
	opts.Upgrade = true
	if install == nil || valuesRead(vals) || filesRead(ch) {
		return Render(ch, vals, opts)
	}
	whole := Clone(ch) // the fallback renders a chart no render has changed
	g := newGraph(ch)
	keep := g.upgradeScope()
	if len(keep) == 0 {
		// Nothing can tell the renders apart: the install render is it.
		return install, nil
	}
	KeepOnly(ch, g.needs(keep, valueStrings(vals, ch)))
	files, err := RenderFiles(ch, vals, opts)
	if err != nil {
		if missingTemplate(err) {
			return Render(whole, vals, opts)
		}
		return nil, err
	}
	for k := range files {
		if strings.HasSuffix(k, "NOTES.txt") {
			delete(files, k)
		}
	}
	return Merge(install, files)
}

// valueStrings are the quoted strings in the values and chart files, which
// tpl may render: the named templates they include must be there.
func valueStrings(vals map[string]any, ch *chart.Chart) []string {
	var out []string
	var walkValues func(v any)
	walkValues = func(v any) {
		switch v := v.(type) {
		case string:
			if strings.Contains(v, "{{") {
				for _, q := range quotedStrings([]byte(v)) {
					out = append(out, q.s)
				}
			}
		case map[string]any:
			for _, x := range v {
				walkValues(x)
			}
		case []any:
			for _, x := range v {
				walkValues(x)
			}
		}
	}
	walkValues(vals)
	var walkChart func(c *chart.Chart)
	walkChart = func(c *chart.Chart) {
		walkValues(map[string]any(c.Values))
		for _, f := range c.Files {
			if bytes.Contains(f.Data, []byte("{{")) {
				for _, q := range quotedStrings(f.Data) {
					out = append(out, q.s)
				}
			}
		}
		for _, d := range c.Dependencies() {
			walkChart(d)
		}
	}
	walkChart(ch)
	return out
}

// missingTemplate reports whether a render failed on a template the scoped
// chart left out: text/template's `no template "x" associated with template
// "y"` (include, Helm's engine) and `template "x" not defined` (the template
// action). A chart's own fail or required message does not count.
func missingTemplate(err error) bool {
	return missingTemplateRe.MatchString(err.Error())
}

var missingTemplateRe = regexp.MustCompile(`no template "[^"]*" associated with template|template "[^"]*" not defined`)

// valuesRead reports whether a value string could be a template reading
// what differs (charts render values with tpl).
func valuesRead(v any) bool {
	switch v := v.(type) {
	case string:
		return readsRelease([]byte(v))
	case map[string]any:
		for _, x := range v {
			if valuesRead(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if valuesRead(x) {
				return true
			}
		}
	}
	return false
}

// filesRead reports whether a chart's values or other files (which tpl can
// render: .Files.Get) could read what differs.
func filesRead(ch *chart.Chart) bool {
	if valuesRead(map[string]any(ch.Values)) {
		return true
	}
	for _, f := range ch.Files {
		if readsRelease(f.Data) {
			return true
		}
	}
	for _, d := range ch.Dependencies() {
		if filesRead(d) {
			return true
		}
	}
	return false
}

// segment is a piece of a template's text: a named template (from its
// define to the next define of the file) or, for define=="", the whole
// file as Helm renders it.
type segment struct {
	file       *tmpl
	define     string
	start, end int // its text: file.f.Data[start:end]
	names      []string
	scanned    bool
	reads      bool // it reads a release field itself
	reached    bool
}

// quoted lists the quoted strings in s (what it can name), read on first
// use: Needs reads only the segments a render reaches.
func (s *segment) quoted() []string {
	if !s.scanned {
		s.scanned = true
		for _, q := range quotedStrings(s.file.f.Data[s.start:s.end]) {
			s.names = append(s.names, q.s)
		}
	}
	return s.names
}

type tmpl struct {
	f       *common.File
	paths   []string // how a quoted string names it (see WithIncluded)
	whole   *segment
	defines []*segment
}

// graph is what the templates of a chart's tree name of each other, as far
// as quoted strings tell: named templates by name, templates by path. It
// reads every template once, without regular expressions (on a chart with
// many subcharts, a few milliseconds instead of tens).
type graph struct {
	files  []*tmpl
	byName map[string][]*segment
	byPath map[string][]*tmpl
}

func newGraph(ch *chart.Chart) *graph {
	g := &graph{byName: map[string][]*segment{}, byPath: map[string][]*tmpl{}}
	var walk func(c *chart.Chart, prefix string)
	walk = func(c *chart.Chart, prefix string) {
		full := prefix + c.Name()
		for _, f := range c.Templates {
			rel := strings.TrimPrefix(f.Name, "templates/")
			t := &tmpl{f: f, paths: []string{full + "/" + f.Name, f.Name, rel, "/" + rel}}
			for _, p := range t.paths {
				g.byPath[p] = append(g.byPath[p], t)
			}
			t.whole = &segment{file: t, end: len(f.Data), reads: readsRelease(f.Data)}
			g.files = append(g.files, t)
			ds := defineSpans(f.Data)
			for i, m := range ds {
				end := len(f.Data)
				if i+1 < len(ds) {
					end = ds[i+1].at
				}
				d := &segment{file: t, define: m.name, start: m.after, end: end, reads: t.whole.reads && readsRelease(f.Data[m.at:end])}
				t.defines = append(t.defines, d)
				g.byName[d.define] = append(g.byName[d.define], d)
			}
		}
		for _, d := range c.Dependencies() {
			walk(d, full+"/charts/")
		}
	}
	walk(ch, "")
	return g
}

// upgradeScope returns the non-partial templates whose output can differ
// between an install and an upgrade render: those that read a release
// field, or name a named template or a template that does, transitively.
func (g *graph) upgradeScope() map[*common.File]bool {
	var segs []*segment
	for _, t := range g.files {
		segs = append(segs, t.whole)
		segs = append(segs, t.defines...)
	}
	names, paths := map[string]bool{}, map[string]bool{}
	reach := func(s *segment) {
		s.reached = true
		if s.define != "" {
			names[s.define] = true
		} else {
			for _, p := range s.file.paths {
				paths[p] = true
			}
		}
	}
	for _, s := range segs {
		if s.reads {
			reach(s)
		}
	}
	for changed := len(names)+len(paths) > 0; changed; {
		changed = false
		for _, s := range segs {
			if s.reached {
				continue
			}
			for _, q := range s.quoted() {
				if names[q] || paths[q] {
					reach(s)
					changed = true
					break
				}
			}
		}
	}
	keep := map[*common.File]bool{}
	for _, t := range g.files {
		if t.whole.reached && !IsPartial(t.f.Name) {
			keep[t.f] = true
		}
	}
	return keep
}

// needs returns the templates a render of keep needs: keep, every file
// that defines a named template they name (all its definitions: Helm's
// engine takes the last one parsed), and every template they include by
// path, transitively; roots are further names (quoted strings of values
// and files that tpl may render).
func (g *graph) needs(keep map[*common.File]bool, roots []string) map[*common.File]bool {
	need := map[*common.File]bool{}
	seen := map[string]bool{}
	var queue []string
	add := func(qs []string) {
		for _, q := range qs {
			if !seen[q] {
				seen[q] = true
				queue = append(queue, q)
			}
		}
	}
	for _, t := range g.files {
		if keep[t.f] {
			need[t.f] = true
			add(t.whole.quoted())
		}
	}
	add(roots)
	for len(queue) > 0 {
		q := queue[0]
		queue = queue[1:]
		for _, d := range g.byName[q] {
			need[d.file.f] = true
			add(d.quoted())
		}
		for _, t := range g.byPath[q] {
			if !need[t.f] {
				need[t.f] = true
				add(t.whole.quoted())
			}
		}
	}
	return need
}

// readsRelease reports whether b reads what differs: one of the three
// fields, or .Release handed on whole (to a named template, toYaml, a dict).
// It is the regular expression IsInstall|IsUpgrade|Revision|\.Release([^.\w]|$)
// written out: it runs over every template of the chart.
func readsRelease(b []byte) bool {
	if bytes.Contains(b, []byte("IsInstall")) || bytes.Contains(b, []byte("IsUpgrade")) || bytes.Contains(b, []byte("Revision")) {
		return true
	}
	return ReadsWhole(b, ".Release")
}

type quotedAt struct {
	at int // offset of the opening quote
	s  string
}

// quotedStrings finds the quoted strings without blanks ("([^"\s]+)"), with offsets.
func quotedStrings(b []byte) []quotedAt {
	var out []quotedAt
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			break
		}
		open := i + j
		k := bytes.IndexByte(b[open+1:], '"')
		if k < 0 {
			break
		}
		close := open + 1 + k
		if s := b[open+1 : close]; len(s) > 0 && bytes.IndexAny(s, " \t\n\r\f\v") < 0 {
			out = append(out, quotedAt{open, string(s)})
			i = close + 1
		} else {
			i = close // the closing quote may open the next string
		}
	}
	return out
}

// Needs returns the templates of ch's tree that a render of the templates
// keep selects (by Helm path, "chart/charts/sub/templates/x.yaml") needs:
// those, the files that define the named templates they name, the
// templates they include by path, transitively, as quoted strings tell;
// values and chart files that tpl may render count as roots too. Pass the
// result to KeepOnly on each Clone to render: a render then parses only
// what it can execute. A name built at render time is not seen: the render
// fails on it, and the caller renders the whole chart.
func Needs(ch *chart.Chart, vals map[string]any, keep func(path string) bool) map[*common.File]bool {
	g := newGraph(ch)
	sel := map[*common.File]bool{}
	for _, t := range g.files {
		if keep(t.paths[0]) {
			sel[t.f] = true
		}
	}
	return g.needs(sel, valueStrings(vals, ch))
}

// RenderOnly renders ch (not yet rendered; it is left as it is) for the
// output of the templates keep selects (by Helm path): a Clone with only
// what they need (Needs) is rendered, so the engine parses and executes no
// template whose output is thrown away. When that render misses a
// template named at render time, ch is rendered whole.
func RenderOnly(ch *chart.Chart, vals map[string]any, opts Options, keep func(path string) bool) (map[string]string, error) {
	c := Clone(ch)
	KeepOnly(c, Needs(ch, vals, keep))
	files, err := RenderFiles(c, vals, opts)
	if err != nil && missingTemplate(err) {
		return RenderFiles(ch, vals, opts)
	}
	return files, err
}

// KeepOnly leaves in ch's tree the templates of need (see Needs).
func KeepOnly(ch *chart.Chart, need map[*common.File]bool) {
	ch.Templates = slices.DeleteFunc(ch.Templates, func(t *common.File) bool { return !need[t] })
	for _, d := range ch.Dependencies() {
		KeepOnly(d, need)
	}
}
