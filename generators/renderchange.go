package generators

import (
	"fmt"
	"path"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	chartcommon "helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/helmhook"
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
// render Inspect made. Otherwise the whole changed chart is rendered.
func (info *ChartInfo) RenderChange(files []File) (*render.Result, error) {
	if plan, ok := info.changeScope(files); ok {
		return info.renderScoped(plan)
	}
	m := map[string][]byte{}
	for _, f := range files {
		m[f.Path] = f.Content
	}
	ch, err := render.LoadWith(info.Dir, m)
	if err != nil {
		return nil, err
	}
	return info.Render(ch, "", false)
}

// scope is what a scoped render renders.
type scope struct {
	values   map[string]any               // values.yaml after the change (nil: unchanged)
	changed  map[string]*chartcommon.File // templates/ files of the change, by chart-relative path
	rerender map[string]bool              // chart-relative paths of templates to render again
	files    []*chartcommon.File          // files outside templates/ the change adds or replaces
}

// changeScope decides whether files change only what a scoped render can
// see, and which of the chart's own templates must render again.
func (info *ChartInfo) changeScope(files []File) (scope, bool) {
	ch := info.Chart
	if ch == nil || info.Rendered == nil || info.ValuesKey == "" || info.ValuesKey == "global" {
		return scope{}, false
	}
	for _, d := range ch.Metadata.Dependencies {
		if d.Name == info.ValuesKey || d.Alias == info.ValuesKey {
			return scope{}, false // the key is a subchart's values
		}
	}
	s := scope{changed: map[string]*chartcommon.File{}, rerender: map[string]bool{}}
	tainted := map[string]bool{} // named templates whose output the change can alter
	for _, f := range files {
		switch {
		case f.Path == "values.yaml":
			v, ok := info.valuesChangeOnlyUnderKey(f.Content)
			if !ok {
				return scope{}, false
			}
			s.values = v
		case strings.HasPrefix(f.Path, "templates/"):
			s.changed[f.Path] = &chartcommon.File{Name: f.Path, Data: f.Content}
			for _, m := range defineRe.FindAllStringSubmatch(string(f.Content), -1) {
				tainted[m[1]] = true
			}
			// A changed template that defined named templates before may
			// have dropped some: the old ones are tainted too.
			for _, t := range ch.Templates {
				if t.Name == f.Path {
					for _, m := range defineRe.FindAllStringSubmatch(string(t.Data), -1) {
						tainted[m[1]] = true
					}
				}
			}
		case strings.Contains(f.Path, "/") && !strings.HasPrefix(f.Path, "charts/"):
			// A new file outside templates/ (a hook's unit test): the chart's
			// templates see it through .Files.Glob, so those render again.
			s.files = append(s.files, &chartcommon.File{Name: f.Path, Data: f.Content})
		default:
			return scope{}, false
		}
	}
	// Named templates reading the hooks key, or a tainted named template,
	// are tainted in turn (until nothing changes).
	keyRe := regexp.MustCompile(`\b` + regexp.QuoteMeta(info.ValuesKey) + `\b`)
	var all []*chartcommon.File
	walkTemplates(ch, func(c *chart.Chart, t *chartcommon.File) { all = append(all, t) })
	globs := len(s.files) > 0
	reads := func(data []byte) bool {
		if keyRe.Match(data) || globs && globRe.Match(data) {
			return true
		}
		for name := range tainted {
			if strings.Contains(string(data), `"`+name+`"`) {
				return true
			}
		}
		return false
	}
	for grew := true; grew; {
		grew = false
		for _, t := range all {
			ds := defineRe.FindAllStringSubmatch(string(t.Data), -1)
			if len(ds) == 0 || !reads(t.Data) {
				continue
			}
			for _, m := range ds {
				if !tainted[m[1]] {
					tainted[m[1]], grew = true, true
				}
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
		if reads(t.Data) || wholeValuesRe.Match(t.Data) {
			s.rerender[t.Name] = true
		}
	}
	globs = false // a subchart's .Files are its own
	for _, d := range ch.Dependencies() {
		sub := false
		walkTemplates(d, func(c *chart.Chart, t *chartcommon.File) { sub = sub || reads(t.Data) })
		if sub {
			return scope{}, false
		}
	}
	return s, true
}

// wholeValuesRe finds .Values used as a whole (ranged over, dumped, passed
// on) rather than read by key: such a template may render the hooks key.
var wholeValuesRe = regexp.MustCompile(`\.Values\b[^.\w]`)

// valuesChangeOnlyUnderKey parses values.yaml after the change and reports
// whether it differs from the file as inspected only under the hooks key.
func (info *ChartInfo) valuesChangeOnlyUnderKey(data []byte) (map[string]any, bool) {
	after := map[string]any{}
	if err := yaml.Unmarshal(data, &after); err != nil {
		return nil, false
	}
	before := map[string]any{}
	if info.Values != nil {
		if err := yaml.Unmarshal(info.Values, &before); err != nil {
			return nil, false
		}
	}
	for k, v := range after {
		if k != info.ValuesKey && !reflect.DeepEqual(v, before[k]) {
			return nil, false
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok && k != info.ValuesKey {
			return nil, false
		}
	}
	return after, true
}

// renderScoped renders the templates of s with every named template of the
// chart (and the templates they or the rendered ones include by path), and
// merges the output with the rest of the inspected render.
func (info *ChartInfo) renderScoped(s scope) (*render.Result, error) {
	c := *info.Chart
	if s.values != nil {
		c.Values = s.values
	}
	c.Files = slices.Clone(c.Files)
	for _, f := range s.files {
		if i := slices.IndexFunc(c.Files, func(x *chartcommon.File) bool { return x.Name == f.Name }); i >= 0 {
			c.Files[i] = f
		} else {
			c.Files = append(c.Files, f)
		}
	}
	keep := map[string]bool{}
	for name := range s.rerender {
		keep[name] = true
	}
	c.Templates = nil
	for _, t := range info.Chart.Templates {
		if _, ok := s.changed[t.Name]; !ok && (keep[t.Name] || isPartial(t.Name) || defineRe.Match(t.Data)) {
			c.Templates = append(c.Templates, t)
		}
	}
	var names []string
	for name := range s.changed {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c.Templates = append(c.Templates, s.changed[name])
	}
	// Templates included by path ({{ include "chart/templates/x.yaml" . }}):
	// add them until every included path is there.
	byPath := map[string]*chartcommon.File{}
	for _, t := range info.Chart.Templates {
		byPath[c.Name()+"/"+t.Name] = t
	}
	in := map[string]bool{}
	for _, t := range c.Templates {
		in[t.Name] = true
	}
	for i := 0; i < len(c.Templates); i++ {
		for _, m := range quotedRe.FindAllStringSubmatch(string(c.Templates[i].Data), -1) {
			if t, ok := byPath[m[1]]; ok && !in[t.Name] {
				in[t.Name] = true
				c.Templates = append(c.Templates, t)
			}
		}
	}
	var deps []*chart.Chart
	for _, d := range info.Chart.Dependencies() {
		deps = append(deps, partialsOnly(d))
	}
	c.SetDependencies(deps...)
	out, err := info.RenderFiles(&c, "")
	if err != nil {
		return nil, err
	}
	// Which rendered files replace the inspected render's: the re-rendered
	// templates and the changed ones (all of the chart itself).
	fresh := map[string]string{}
	for _, t := range c.Templates {
		full := c.Name() + "/" + t.Name
		if _, ok := s.changed[t.Name]; ok || s.rerender[t.Name] {
			if !strings.HasSuffix(t.Name, "NOTES.txt") {
				fresh[full] = out[full]
			}
		}
	}
	return mergeRender(info.Rendered, fresh)
}

var globRe = regexp.MustCompile(`\.Glob\b`)

var quotedRe = regexp.MustCompile(`"([^"\s]+)"`)

// mergeRender is base with the files of fresh rendered anew, sorted by
// Helm's SortManifests as one render of the whole chart would be: the other
// files are passed to it by their documents' heads (all it reads), and
// their hooks and manifests are then taken back from base whole.
func mergeRender(base *render.Result, fresh map[string]string) (*render.Result, error) {
	type key struct{ path, head string }
	hooks := map[key][]int{}
	for i, h := range base.Hooks {
		k := key{h.Path, strings.TrimSpace(helmhook.HeadOnly(h.Manifest))}
		hooks[k] = append(hooks[k], i)
	}
	manifests := map[key][]int{}
	for i, m := range base.Manifests {
		k := key{m.Name, strings.TrimSpace(helmhook.HeadOnly(m.Content))}
		manifests[k] = append(manifests[k], i)
	}
	files := map[string]string{}
	for p, content := range base.Files {
		if _, ok := fresh[p]; ok {
			continue
		}
		docs := releaseutil.SplitManifests(content)
		keys := make([]string, 0, len(docs))
		for k := range docs {
			keys = append(keys, k)
		}
		sort.Sort(releaseutil.BySplitManifestsOrder(keys))
		var b strings.Builder
		for _, k := range keys {
			fmt.Fprintf(&b, "---\n%s\n", helmhook.HeadOnly(docs[k]))
		}
		files[p] = b.String()
	}
	all := map[string]string{}
	for p, content := range base.Files {
		all[p] = content
	}
	for p, content := range fresh {
		files[p] = content
		all[p] = content
	}
	hs, ms, err := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	if err != nil {
		return nil, err
	}
	for i, h := range hs {
		if _, ok := fresh[h.Path]; ok {
			continue
		}
		k := key{h.Path, strings.TrimSpace(h.Manifest)}
		q := hooks[k]
		if len(q) == 0 {
			return nil, fmt.Errorf("merging renders: hook %s/%s of %s not found", h.Kind, h.Name, h.Path)
		}
		hs[i], hooks[k] = base.Hooks[q[0]], q[1:]
	}
	for i, m := range ms {
		if _, ok := fresh[m.Name]; ok {
			continue
		}
		k := key{m.Name, strings.TrimSpace(m.Content)}
		q := manifests[k]
		if len(q) == 0 {
			return nil, fmt.Errorf("merging renders: a manifest of %s not found", m.Name)
		}
		ms[i], manifests[k] = base.Manifests[q[0]], q[1:]
	}
	return &render.Result{Chart: base.Chart, Files: all, Hooks: hs, Manifests: ms}, nil
}

func isPartial(name string) bool { return strings.HasPrefix(path.Base(name), "_") }

func walkTemplates(ch *chart.Chart, fn func(*chart.Chart, *chartcommon.File)) {
	for _, t := range ch.Templates {
		fn(ch, t)
	}
	for _, d := range ch.Dependencies() {
		walkTemplates(d, fn)
	}
}
