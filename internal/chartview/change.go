package chartview

import (
	"bytes"
	"io/fs"
	"path"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	chartcommon "helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/ignore"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/render"
)

// RenderChange renders the chart as files change it (install, default
// release name) and returns what a render of the whole changed chart
// returns: every hook and manifest, in Helm's order. When the change adds
// hook templates and values under the hooks key and nothing else, only the
// templates the change can reach are rendered again -- the changed ones,
// with every named template of the chart and the files they include by
// path, plus any template of the chart that reads the hooks key, a changed
// named template or the whole of .Values -- and the rest is taken from the
// render Load made. Otherwise the whole changed chart is rendered.
func (c *Chart) RenderChange(files map[string][]byte) (*render.Result, error) {
	if plan, ok := c.changeScope(files); ok {
		// A scoped render that fails (a template included by a path built
		// at render time was left out) proves nothing: render it all.
		if res, err := c.renderScoped(plan); err == nil {
			return res, nil
		}
	}
	ch, err := c.With(files)
	if err != nil {
		return nil, err
	}
	return c.Render(ch, "", false)
}

// scope is what a scoped render renders.
type scope struct {
	values   map[string]any               // values.yaml after the change (nil: unchanged)
	changed  map[string]*chartcommon.File // templates/ files of the change, by chart-relative path
	rerender map[string]bool              // chart-relative paths of templates to render again
	files    []*chartcommon.File          // files outside templates/ the change adds or replaces
	removed  []string                     // files a changed .helmignore leaves out of the chart
	schema   []byte                       // values.schema.json after the change (nil: unchanged)
}

// changeScope decides whether files change only what a scoped render can
// see, and which of the chart's own templates must render again.
func (c *Chart) changeScope(files map[string][]byte) (scope, bool) {
	ch := c.Helm
	if ch == nil || c.Rendered == nil || c.ValuesKey == "" || c.ValuesKey == "global" {
		return scope{}, false
	}
	for _, d := range ch.Metadata.Dependencies {
		if d.Name == c.ValuesKey || d.Alias == c.ValuesKey {
			return scope{}, false // the key is a subchart's values
		}
	}
	s := scope{changed: map[string]*chartcommon.File{}, rerender: map[string]bool{}}
	tainted := map[string]bool{} // named templates whose output the change can alter
	var ignore *ignore.Rules
	if content, ok := files[HelmignorePath]; ok {
		r, removed, ok := c.helmignoreRemoves(content)
		if !ok {
			return scope{}, false
		}
		ignore = r
		// Files it leaves out (tests/ suites) reach templates only
		// through .Files: by name (then render everything) or Glob.
		for _, name := range removed {
			mentioned := false
			walkTemplates(ch, func(_ *chart.Chart, t *chartcommon.File) {
				mentioned = mentioned || bytes.Contains(t.Data, []byte(name))
			})
			if mentioned {
				return scope{}, false
			}
		}
		s.removed = removed
	}
	for _, p := range sortedPaths(files) {
		content := files[p]
		switch {
		case p == SchemaPath:
			// Read by the values validation of the scoped render itself.
			s.schema = content
		case p == HelmignorePath:
			// Checked above: it leaves every loaded file loaded.
		case p == "values.yaml":
			v, ok := c.valuesChangeOnlyUnderKey(content)
			if !ok {
				return scope{}, false
			}
			s.values = v
		case strings.HasPrefix(p, "templates/"):
			s.changed[p] = &chartcommon.File{Name: p, Data: content}
			for _, n := range render.DefinedNames(content) {
				tainted[n] = true
			}
			// A changed template that defined named templates before may
			// have dropped some: the old ones are tainted too.
			for _, t := range ch.Templates {
				if t.Name == p {
					for _, n := range render.DefinedNames(t.Data) {
						tainted[n] = true
					}
				}
			}
		case strings.Contains(p, "/") && !strings.HasPrefix(p, "charts/"):
			// A new file outside templates/ (a hook's unit test): unless
			// .helmignore leaves it out, the chart's templates see it
			// through .Files.Glob, so those render again.
			if ignore != nil && ignoredPath(ignore, p) {
				continue
			}
			s.files = append(s.files, &chartcommon.File{Name: p, Data: content})
		default:
			return scope{}, false
		}
	}
	// Named templates reading the hooks key, or a tainted named template,
	// are tainted in turn (until nothing changes).
	facts := c.templateFacts()
	globs := len(s.files) > 0 || len(s.removed) > 0
	quoted := map[string][]byte{} // `"name"` of each tainted name
	for name := range tainted {
		quoted[name] = []byte(`"` + name + `"`)
	}
	reads := func(t *chartcommon.File) bool {
		if m := facts.match(t, c.ValuesKey); m.key || globs && m.glob {
			return true
		}
		for _, q := range quoted {
			if bytes.Contains(t.Data, q) {
				return true
			}
		}
		return false
	}
	// The least fixpoint, found with a worklist: a template that defines
	// named templates taints them all once it reads the key or a tainted
	// name; each newly tainted name is looked for once.
	var definers []*chartcommon.File
	fired := map[*chartcommon.File]bool{}
	var work []string
	taint := func(t *chartcommon.File) {
		fired[t] = true
		for _, d := range facts.defines(t) {
			if !tainted[d] {
				tainted[d] = true
				quoted[d] = []byte(`"` + d + `"`)
				work = append(work, d)
			}
		}
	}
	walkTemplates(ch, func(_ *chart.Chart, t *chartcommon.File) {
		if len(facts.defines(t)) > 0 {
			definers = append(definers, t)
		}
	})
	for _, t := range definers {
		if !fired[t] && reads(t) {
			taint(t)
		}
	}
	for len(work) > 0 {
		q := quoted[work[0]]
		work = work[1:]
		for _, t := range definers {
			if !fired[t] && bytes.Contains(t.Data, q) {
				taint(t)
			}
		}
	}
	// The chart's own templates that must render again. Subcharts cannot
	// see the top-level hooks key or this chart's named templates... except
	// through the tainted names, which they could only call if they
	// defined or used them: then render everything.
	for _, t := range ch.Templates {
		if _, ok := s.changed[t.Name]; ok || isPartial(t.Name) {
			continue
		}
		if reads(t) || facts.match(t, c.ValuesKey).whole {
			s.rerender[t.Name] = true
		}
	}
	globs = false // a subchart's .Files are its own
	for _, d := range ch.Dependencies() {
		sub := false
		walkTemplates(d, func(c *chart.Chart, t *chartcommon.File) { sub = sub || reads(t) })
		if sub {
			return scope{}, false
		}
	}
	return s, true
}

// valuesChangeOnlyUnderKey parses values.yaml after the change and reports
// whether it differs from the file as loaded only under the hooks key.
func (c *Chart) valuesChangeOnlyUnderKey(data []byte) (map[string]any, bool) {
	after := map[string]any{}
	if err := yaml.Unmarshal(data, &after); err != nil {
		return nil, false
	}
	before, ok := c.templateFacts().parsedValues(c.Values)
	if !ok {
		return nil, false
	}
	for k, v := range after {
		if k != c.ValuesKey && !reflect.DeepEqual(v, before[k]) {
			return nil, false
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok && k != c.ValuesKey {
			return nil, false
		}
	}
	return after, true
}

// renderScoped renders the templates of s with every named template of the
// chart (and the templates they or the rendered ones include by path), and
// merges the output with the rest of the analysis render (Rendered).
func (c *Chart) renderScoped(s scope) (*render.Result, error) {
	sc := *c.Helm
	if s.values != nil {
		sc.Values = s.values
	}
	if s.schema != nil {
		sc.Schema = s.schema
	}
	sc.Files = slices.DeleteFunc(slices.Clone(sc.Files), func(f *chartcommon.File) bool { return slices.Contains(s.removed, f.Name) })
	for _, f := range s.files {
		if i := slices.IndexFunc(sc.Files, func(x *chartcommon.File) bool { return x.Name == f.Name }); i >= 0 {
			sc.Files[i] = f
		} else {
			sc.Files = append(sc.Files, f)
		}
	}
	keep := map[string]bool{}
	for name := range s.rerender {
		keep[name] = true
	}
	sc.Templates = nil
	for _, t := range c.Helm.Templates {
		if _, ok := s.changed[t.Name]; !ok && (keep[t.Name] || isPartial(t.Name) || len(render.DefinedNames(t.Data)) > 0) {
			sc.Templates = append(sc.Templates, t)
		}
	}
	var names []string
	for name := range s.changed {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		sc.Templates = append(sc.Templates, s.changed[name])
	}
	sc.Templates = render.WithIncluded(sc.Name(), c.Helm.Templates, sc.Templates)
	var deps []*chart.Chart
	for _, d := range c.Helm.Dependencies() {
		deps = append(deps, partialsOnly(d))
	}
	sc.SetDependencies(deps...)
	out, err := c.renderOnly(&sc, "", func(rel string) bool {
		_, changed := s.changed[rel]
		return changed || s.rerender[rel]
	})
	if err != nil {
		return nil, err
	}
	// Which rendered files replace the analysis render's: the re-rendered
	// templates and the changed ones (all of the chart itself).
	fresh := map[string]string{}
	for _, t := range sc.Templates {
		full := sc.Name() + "/" + t.Name
		if _, ok := s.changed[t.Name]; ok || s.rerender[t.Name] {
			if !strings.HasSuffix(t.Name, "NOTES.txt") {
				fresh[full] = out[full]
			}
		}
	}
	return render.Merge(c.Rendered, fresh)
}

// helmignoreRemoves parses .helmignore after the change and returns the
// files the chart loaded that it leaves out (Helm's loader skips what it
// ignores); not ok when that would drop a template or Chart.yaml.
func (c *Chart) helmignoreRemoves(data []byte) (*ignore.Rules, []string, bool) {
	r, err := ignore.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, nil, false
	}
	r.AddDefaults()
	for _, f := range c.Helm.Templates {
		if ignoredPath(r, f.Name) {
			return nil, nil, false
		}
	}
	var removed []string
	for _, f := range c.Helm.Files {
		if ignoredPath(r, f.Name) {
			removed = append(removed, f.Name)
		}
	}
	for _, f := range c.Helm.Raw {
		if ignoredPath(r, f.Name) && !slices.Contains(removed, f.Name) {
			if f.Name == "Chart.yaml" || f.Name == "values.yaml" || f.Name == "values.schema.json" {
				return nil, nil, false
			}
			removed = append(removed, f.Name)
		}
	}
	return r, removed, true
}

// ignoredPath applies r to a chart-relative path and each directory above
// it, as Helm's loader does while walking the chart.
func ignoredPath(r *ignore.Rules, p string) bool {
	dirs := strings.Split(p, "/")
	for i := 1; i < len(dirs); i++ {
		if r.Ignore(strings.Join(dirs[:i], "/"), dirInfo{dirs[i-1]}) {
			return true
		}
	}
	return r.Ignore(p, fileInfo{path.Base(p)})
}

type fileInfo struct{ name string }

func (f fileInfo) Name() string       { return f.name }
func (f fileInfo) Size() int64        { return 0 }
func (f fileInfo) Mode() fs.FileMode  { return 0o644 }
func (f fileInfo) ModTime() time.Time { return time.Time{} }
func (f fileInfo) IsDir() bool        { return false }
func (f fileInfo) Sys() any           { return nil }

type dirInfo struct{ name string }

func (d dirInfo) Name() string       { return d.name }
func (d dirInfo) Size() int64        { return 0 }
func (d dirInfo) Mode() fs.FileMode  { return fs.ModeDir | 0o755 }
func (d dirInfo) ModTime() time.Time { return time.Time{} }
func (d dirInfo) IsDir() bool        { return true }
func (d dirInfo) Sys() any           { return nil }

func isPartial(name string) bool { return render.IsPartial(name) }

func walkTemplates(ch *chart.Chart, fn func(*chart.Chart, *chartcommon.File)) {
	for _, t := range ch.Templates {
		fn(ch, t)
	}
	for _, d := range ch.Dependencies() {
		walkTemplates(d, fn)
	}
}

// templateFacts is what RenderChange reads of the loaded chart's
// templates and values.yaml, worked out once per inspection and shared by
// every copy of the Chart (init plans several hooks, each rendered).
type templateFacts struct {
	mu         sync.Mutex
	names      map[*chartcommon.File][]string      // the named templates each template defines
	matchKey   string                              // the values key matches are for
	matches    map[*chartcommon.File]templateMatch // what each template reads
	valuesSrc  []byte                              // values.yaml as parsed into values
	values     map[string]any                      // never changed: read only
	valuesOK   bool
	valuesDone bool
}

func (c *Chart) templateFacts() *templateFacts {
	if c.facts == nil {
		return &templateFacts{} // a Chart made without Load
	}
	return c.facts
}

// defines lists the named templates t defines.
func (f *templateFacts) defines(t *chartcommon.File) []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if ds, ok := f.names[t]; ok {
		return ds
	}
	ds := render.DefinedNames(t.Data)
	if f.names == nil {
		f.names = map[*chartcommon.File][]string{}
	}
	f.names[t] = ds
	return ds
}

// templateMatch is what a template reads, as far as its text tells (the
// scans of internal/render/scan.go): the values key, .Files.Glob, the whole
// of .Values (ranged over, dumped, passed on: it may render the hooks key).
type templateMatch struct{ key, glob, whole bool }

// match is what t reads, with key the values key.
func (f *templateFacts) match(t *chartcommon.File, key string) templateMatch {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.matches == nil || f.matchKey != key {
		f.matchKey, f.matches = key, map[*chartcommon.File]templateMatch{}
	}
	m, ok := f.matches[t]
	if !ok {
		m = templateMatch{key: render.ContainsWord(t.Data, key), glob: render.ContainsField(t.Data, ".Glob"), whole: render.ReadsWhole(t.Data, ".Values")}
		f.matches[t] = m
	}
	return m
}

// parsedValues is src (values.yaml as loaded) parsed, or not ok when it
// does not parse; the map is shared and must not be changed.
func (f *templateFacts) parsedValues(src []byte) (map[string]any, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.valuesDone && bytes.Equal(f.valuesSrc, src) {
		return f.values, f.valuesOK
	}
	v := map[string]any{}
	ok := src == nil || yaml.Unmarshal(src, &v) == nil
	f.valuesSrc, f.values, f.valuesOK, f.valuesDone = src, v, ok, true
	return v, ok
}
