package chartview

import (
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	chartcommon "helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	release "helm.sh/helm/v4/pkg/release/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/render"
)

// Render renders ch, the loaded chart or a changed copy of it, with the
// user's render inputs, for releaseName ("" for the default) as an install
// or an upgrade.
func (c *Chart) Render(ch *chart.Chart, releaseName string, upgrade bool) (*render.Result, error) {
	vals, err := render.Values(c.RenderOptions.ValuesFiles, c.RenderOptions.Set)
	if err != nil {
		return nil, err
	}
	o := c.RenderOptions
	o.ReleaseName, o.Upgrade = releaseName, upgrade
	return render.Render(ch, vals, o)
}

// RenderUpgrade renders ch (not yet rendered) as an upgrade on top of
// install, its install render with the same inputs: only the templates
// that can tell the two apart render again (render.RenderUpgrade).
func (c *Chart) RenderUpgrade(ch *chart.Chart, install *render.Result) (*render.Result, error) {
	vals, err := render.Values(c.RenderOptions.ValuesFiles, c.RenderOptions.Set)
	if err != nil {
		return nil, err
	}
	o := c.RenderOptions
	o.ReleaseName = ""
	return render.RenderUpgrade(ch, vals, o, install)
}

// With is the chart as loaded with files (chart-relative path -> content)
// replaced or added in memory: the chart as the change leaves it, to
// render. c is left as it is.
func (c *Chart) With(files map[string][]byte) (*chart.Chart, error) {
	return render.With(c.pristine, files)
}

// RenderTemplate renders one template of the chart changed by files (the
// hook's template, with the changed named templates and values.yaml), for
// releaseName, without loading or rendering the rest of the chart again.
func (c *Chart) RenderTemplate(files map[string][]byte, tpl, releaseName string) (string, error) {
	out, err := c.RenderTemplates(files, []string{tpl}, releaseName)
	return out[tpl], err
}

// RenderTemplates is RenderTemplate for several templates in one render:
// the output of each, by chart-relative path.
func (c *Chart) RenderTemplates(files map[string][]byte, tpls []string, releaseName string) (map[string]string, error) {
	pc := *c.partials
	pc.Templates = slices.Clone(pc.Templates)
	for _, p := range sortedPaths(files) {
		content := files[p]
		switch {
		case p == "values.yaml":
			v := map[string]any{}
			if err := yaml.Unmarshal(content, &v); err != nil {
				return nil, err
			}
			pc.Values = v
		case p == SchemaPath:
			pc.Schema = content
		case slices.Contains(tpls, p) || (strings.HasPrefix(p, "templates/") && definesTemplates(p, content)):
			i := slices.IndexFunc(pc.Templates, func(t *chartcommon.File) bool { return t.Name == p })
			nf := &chartcommon.File{Name: p, Data: content}
			if i >= 0 {
				pc.Templates[i] = nf
			} else {
				pc.Templates = append(pc.Templates, nf)
			}
		}
	}
	// Templates the hooks render to read the app's context (hookgen.app):
	// the workloads' own, with the templates they include by path
	// (checksums of their ConfigMaps). A render that fails without the
	// others (a path built at render time) is done again with every
	// template of the chart itself, as it would fail or not in Helm.
	var apps []*chartcommon.File
	usesApp := false
	for _, p := range sortedPaths(files) {
		if !slices.Contains(tpls, p) {
			continue
		}
		for _, m := range appTemplateRe.FindAllSubmatch(files[p], -1) {
			usesApp = true
			name := "templates/" + string(m[1])
			i := slices.IndexFunc(c.Helm.Templates, func(t *chartcommon.File) bool { return t.Name == name })
			if i >= 0 && !slices.Contains(apps, c.Helm.Templates[i]) {
				apps = append(apps, c.Helm.Templates[i])
			}
		}
	}
	wanted := func(rel string) bool { return slices.Contains(tpls, rel) }
	pick := func(out map[string]string) map[string]string {
		res := map[string]string{}
		for _, tpl := range tpls {
			res[tpl] = out[pc.Name()+"/"+tpl]
		}
		return res
	}
	if len(apps) > 0 {
		scoped := pc
		scoped.Templates = slices.Clone(pc.Templates)
		for _, t := range apps {
			if !slices.ContainsFunc(scoped.Templates, func(x *chartcommon.File) bool { return x.Name == t.Name }) {
				scoped.Templates = append(scoped.Templates, t)
			}
		}
		scoped.Templates = render.WithIncluded(pc.Name(), c.Helm.Templates, scoped.Templates)
		if out, err := c.renderOnly(&scoped, releaseName, wanted); err == nil {
			return pick(out), nil
		}
	}
	if usesApp {
		for _, t := range c.Helm.Templates {
			if strings.HasSuffix(t.Name, "NOTES.txt") {
				continue
			}
			if !slices.ContainsFunc(pc.Templates, func(x *chartcommon.File) bool { return x.Name == t.Name }) {
				pc.Templates = append(pc.Templates, t)
			}
		}
	}
	out, err := c.renderOnly(&pc, releaseName, wanted)
	if err != nil {
		return nil, err
	}
	return pick(out), nil
}

// SuiteTemplates lists the chart's own templates (relative to templates/)
// that its helpers need but helm-unittest does not load unless a suite names
// them: helpers in files whose names do not start with "_" and templates
// included by path. helpers are the named templates the suite calls.
func (c *Chart) SuiteTemplates(helpers []string) []string {
	if c.partials == nil {
		return nil
	}
	used := map[string]bool{}
	for _, h := range helpers {
		used[h] = true
	}
	var out []string
	for _, t := range c.partials.Templates {
		if render.IsPartial(t.Name) || !strings.HasPrefix(t.Name, "templates/") {
			continue
		}
		need := definesTemplates(t.Name, nil) // under a "_" directory
		names := render.DefinedNames(t.Data)
		for _, n := range names {
			need = need || used[n]
		}
		if !need && len(names) == 0 {
			need = true // kept because a helper includes it by path
		}
		if need {
			out = append(out, strings.TrimPrefix(t.Name, "templates/"))
		}
	}
	sort.Strings(out)
	return out
}

// renderOnly is render.RenderFiles for the output of the templates of ch itself
// (chart-relative paths) that keep selects: the rest of the tree renders
// only as far as they need it (render.RenderOnly).
func (c *Chart) renderOnly(ch *chart.Chart, releaseName string, keep func(rel string) bool) (map[string]string, error) {
	vals, err := render.Values(c.RenderOptions.ValuesFiles, c.RenderOptions.Set)
	if err != nil {
		return nil, err
	}
	o := c.RenderOptions
	o.ReleaseName = releaseName
	prefix := ch.Name() + "/"
	return render.RenderOnly(ch, vals, o, func(p string) bool {
		rel, ok := strings.CutPrefix(p, prefix)
		return ok && !strings.HasPrefix(rel, "charts/") && keep(rel)
	})
}

// Defines lists every named template of ch and its subcharts.
func Defines(ch *chart.Chart) map[string]bool {
	out := map[string]bool{}
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		for _, t := range c.Templates {
			for _, n := range render.DefinedNames(t.Data) {
				out[n] = true
			}
		}
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(ch)
	return out
}

// partialsOnly copies the chart tree keeping only the templates that may
// define named templates (partials "_*", helpers in subdirectories such as
// templates/_helpers/x.tpl, any file with a define) and the templates those
// include by path (include (print $.Template.BasePath "/configmap.yaml")),
// so a probe parses the helpers without rendering (or failing on) the
// manifests.
func partialsOnly(ch *chart.Chart) *chart.Chart {
	c := *ch
	c.Templates = nil
	var rest []*chartcommon.File
	for _, t := range ch.Templates {
		if definesTemplates(t.Name, t.Data) {
			c.Templates = append(c.Templates, t)
		} else {
			rest = append(rest, t)
		}
	}
	// Templates included by path from the kept ones, transitively.
	for changed := true; changed; {
		changed = false
		for i, t := range rest {
			if t == nil {
				continue
			}
			rel := strings.TrimPrefix(t.Name, "templates")
			for _, k := range c.Templates {
				if bytes.Contains(k.Data, []byte(rel)) && bytes.Contains(k.Data, []byte("Template.BasePath")) {
					c.Templates = append(c.Templates, t)
					rest[i], changed = nil, true
					break
				}
			}
		}
	}
	var deps []*chart.Chart
	for _, d := range ch.Dependencies() {
		deps = append(deps, partialsOnly(d))
	}
	c.SetDependencies(deps...)
	return &c
}

// definesTemplates reports whether a template file may hold named
// templates: Helm parses every file under templates/ (pkg/engine), so a
// define can live in any of them.
func definesTemplates(name string, data []byte) bool {
	for _, seg := range strings.Split(name, "/")[1:] {
		if strings.HasPrefix(seg, "_") {
			return true
		}
	}
	return len(render.DefinedNames(data)) > 0
}

// Probe renders tpl, template text such as {{ include "x.fullname" . }},
// against the chart's named templates (Partials) with the chart's own
// values only, for the kube version of the render inputs: how a helper
// renders, without rendering (or failing on) the chart's manifests.
func (c *Chart) Probe(tpl string) (string, error) {
	pc := *c.partials
	pc.Templates = append(slices.Clone(c.partials.Templates), &chartcommon.File{Name: "templates/hookgen-probe.yaml", Data: []byte(tpl)})
	out := pc.Name() + "/templates/hookgen-probe.yaml"
	res, err := render.RenderOnly(&pc, nil, render.Options{KubeVersion: c.RenderOptions.KubeVersion}, func(p string) bool { return p == out })
	if err != nil {
		return "", err
	}
	return res[out], nil
}

// ProbeAll is Probe for several templates in one render: their outputs, in
// order. One that fails fails them all.
func (c *Chart) ProbeAll(tpls []string) ([]string, error) {
	pc := *c.partials
	pc.Templates = slices.Clone(c.partials.Templates)
	for i, t := range tpls {
		pc.Templates = append(pc.Templates, &chartcommon.File{Name: fmt.Sprintf("templates/hookgen-probe-%d.yaml", i), Data: []byte(t)})
	}
	probe := pc.Name() + "/templates/hookgen-probe-"
	res, err := render.RenderOnly(&pc, nil, render.Options{KubeVersion: c.RenderOptions.KubeVersion}, func(p string) bool { return strings.HasPrefix(p, probe) })
	if err != nil {
		return nil, err
	}
	outs := make([]string, len(tpls))
	for i := range tpls {
		outs[i] = res[fmt.Sprintf("%s/templates/hookgen-probe-%d.yaml", pc.Name(), i)]
	}
	return outs, nil
}

// RenderMarked renders the chart as loaded, with every random function
// marked (render.Options.MarkRandom): a whole render, made once per set of
// render inputs (the interview plans a hook several times). The files are
// shared: read only.
func (c *Chart) RenderMarked() (map[string]string, error) {
	o := c.RenderOptions
	o.MarkRandom = true
	key := fmt.Sprintf("%#v", o)
	if c.marked == nil {
		c.marked = &markedCache{}
	}
	c.marked.mu.Lock()
	defer c.marked.mu.Unlock()
	if r, ok := c.marked.byIn[key]; ok {
		return r.files, r.err
	}
	var r markedRender
	vals, err := render.Values(o.ValuesFiles, o.Set)
	if err == nil {
		r.files, err = render.RenderFiles(render.Clone(c.pristine), vals, o) // a render changes the chart it is given
	}
	r.err = err
	if c.marked.byIn == nil {
		c.marked.byIn = map[string]markedRender{}
	}
	c.marked.byIn[key] = r
	return r.files, r.err
}

var appTemplateRe = regexp.MustCompile(`include "hookgen\.app" \(list \. "([^"]+)"`)

// sortedPaths are the paths of files in order.
func sortedPaths(files map[string][]byte) []string { return slices.Sorted(maps.Keys(files)) }

// SiblingHooks returns, when the chart is a subchart vendored under another
// chart's charts/ directory, the hooks the rest of that release renders: the
// parent's and every other subchart's, rendered from the parent with its own
// values. Helm runs all hooks of a release in one order (pkg/action/hooks.go
// execHook sorts every hook of the event by weight, then name), so a weight
// planned against the subchart alone could tie with a sibling's hook or run
// on the wrong side of it. nil when the chart is not a subchart or the
// parent does not render; computed once.
func (c *Chart) SiblingHooks() []*release.Hook {
	sc := c.siblings
	if sc == nil {
		sc = &siblingCache{}
	}
	sc.once.Do(func() {
		abs, err := filepath.Abs(c.Dir)
		if err != nil || filepath.Base(filepath.Dir(abs)) != "charts" {
			return
		}
		parentDir := filepath.Dir(filepath.Dir(abs))
		if _, err := os.Stat(filepath.Join(parentDir, "Chart.yaml")); err != nil {
			return
		}
		res, err := render.LoadAndRender(parentDir, render.Options{KubeVersion: c.RenderOptions.KubeVersion})
		if err != nil {
			return
		}
		// This subchart's own hooks are in c.Rendered already; in the
		// parent they render under its name or its alias.
		own := []string{c.Name, filepath.Base(abs)}
		for _, d := range res.Chart.Metadata.Dependencies {
			if d != nil && d.Name == c.Name && d.Alias != "" {
				own = append(own, d.Alias)
			}
		}
		for _, h := range res.Hooks {
			mine := false
			for _, n := range own {
				mine = mine || strings.HasPrefix(h.Path, res.Chart.Name()+"/charts/"+n+"/")
			}
			if !mine {
				sc.hooks = append(sc.hooks, h)
			}
		}
	})
	return sc.hooks
}
