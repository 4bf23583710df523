package lint

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/render"
)

// A prober renders the chart again under another release name or with other
// values, so a rule can prove what such a change does (a Job name that grows
// past 63 characters, a hook name that never changes, two hooks that swap
// places) instead of guessing. Only the templates that rendered hooks or
// Jobs are rendered again, with what they need (render.Needs); when that
// fails (a template named at render time was left out) the whole chart is
// rendered.
type prober struct {
	path  string
	opts  Options
	ropts render.Options
	files map[string]bool // Helm paths of the templates that rendered a hook or a Job
	chart string          // the chart's name
	// pristine is the chart as loaded, before any render changed it; each
	// probe renders a copy (render.Clone).
	pristine *chart.Chart

	need     map[*common.File]bool // what rendering files needs (render.Needs)
	nameKeys [][]string            // values that name things (…name, …Name, nameOverride)
	order    []*probe              // the probes for ties, rendered on first use
	ordered  bool
}

// A probe is one alternative render.
type probe struct {
	label string // what was changed, for messages: release name "zz"
	objs  []*object
	hooks []*release.Hook
	byDoc map[string]*object
	// marks maps each value a values probe wrote to its key's path.
	marks map[string][]string
}

// docKey identifies a rendered document across renders.
func docKey(o *object) string { return fmt.Sprintf("%s#%d", o.File, o.Doc) }

func newProber(path string, opts Options, ropts render.Options, ch *chart.Chart, objs []*object) *prober {
	p := &prober{path: path, opts: opts, ropts: ropts, files: map[string]bool{}, chart: ch.Name()}
	for _, o := range objs {
		if o.IsHook || o.Kind == "Job" {
			p.files[o.File] = true
		}
	}
	p.nameKeys = nameKeys(ch, nil)
	return p
}

// needed reports whether anything is worth rendering again.
func (p *prober) needed() bool { return len(p.files) > 0 }

// releaseName renders with another release name.
func (p *prober) releaseName(name string) (*probe, error) {
	ro := p.ropts
	ro.ReleaseName = name
	return p.render(ro, nil, fmt.Sprintf("release name %q", name))
}

// render renders the hook templates with ro and the values in set (paths
// into the values) on top of the user's values.
func (p *prober) render(ro render.Options, set map[string]string, label string) (*probe, error) {
	try := func(partial bool) (*render.Result, error) {
		var ch *chart.Chart
		if p.pristine != nil {
			ch = render.Clone(p.pristine)
		} else {
			c, err := render.Load(p.path)
			if err != nil {
				return nil, err
			}
			ch = c
		}
		vals, err := render.Values(p.opts.ValuesFiles, p.opts.Set)
		if err != nil {
			return nil, err
		}
		if partial {
			need := p.need
			if need == nil {
				need = render.Needs(ch, vals, func(path string) bool { return p.files[path] })
				if p.pristine != nil {
					p.need = need // the same files in every Clone
				}
			}
			render.KeepOnly(ch, need)
		}
		for k, v := range set {
			setPath(vals, strings.Split(k, "\x00"), v)
		}
		return render.Render(ch, vals, ro)
	}
	res, err := try(true)
	if err != nil {
		if res, err = try(false); err != nil {
			return nil, err
		}
	}
	objs, err := parseObjects(res.Files, res.Hooks, nil)
	if err != nil {
		return nil, err
	}
	pr := &probe{label: label, objs: objs, hooks: res.Hooks, byDoc: map[string]*object{}}
	for _, o := range objs {
		pr.byDoc[docKey(o)] = o
	}
	return pr, nil
}

// orderProbes are the renders that can reorder hooks of equal weight: short
// and long release names at both ends of the alphabet, the chart's own name
// (fullname helpers then drop the chart name), and every value that names
// something set to a name sorting first, then last. A probe that does not
// render is skipped: it proves nothing.
func (p *prober) orderProbes(long *probe) []*probe {
	if p.ordered {
		return p.order
	}
	p.ordered = true
	if long != nil {
		p.order = append(p.order, long)
	}
	for _, name := range []string{"a", "zz", p.chart} {
		if pr, err := p.releaseName(name); err == nil {
			p.order = append(p.order, pr)
		}
	}
	if len(p.nameKeys) > 0 {
		for _, end := range []string{"0-hg%d-p", "zz-hg%d-p"} {
			marks := map[string][]string{}
			for i, k := range p.nameKeys {
				marks[fmt.Sprintf(end, i)] = k
			}
			if pr, err := p.values(marks); err == nil {
				p.order = append(p.order, pr)
			}
		}
	}
	return p.order
}

// nameKeyRE matches values keys that hold a name: name, serviceAccountName,
// nameOverride, fullnameOverride.
var nameKeyRE = regexp.MustCompile(`(?i)(name|nameoverride)$`)

// values renders with each key in marks (value -> key path) set.
func (p *prober) values(marks map[string][]string) (*probe, error) {
	set := map[string]string{}
	var shown []string
	for v, k := range marks {
		set[strings.Join(k, "\x00")] = v
		shown = append(shown, strings.Join(k, ".")+"="+v)
	}
	sort.Strings(shown)
	pr, err := p.render(p.ropts, set, "--set "+strings.Join(shown, ","))
	if err != nil {
		return nil, err
	}
	pr.marks = marks
	return pr, nil
}

// narrow returns a probe with only the values of pr that appear in name
// (the values that name that object), or nil when pr changed no values or
// none appears.
func (p *prober) narrow(pr *probe, name string) *probe {
	if pr.marks == nil {
		return nil
	}
	sub := map[string][]string{}
	for v, k := range pr.marks {
		if strings.Contains(name, v) {
			sub[v] = k
		}
	}
	if len(sub) == 0 || len(sub) == len(pr.marks) {
		return nil
	}
	n, err := p.values(sub)
	if err != nil {
		return nil
	}
	return n
}

// maxNameKeys bounds the values one probe changes at once.
const maxNameKeys = 200

// nameKeys lists the values of ch and its dependencies (under their alias
// or name) whose key names something and whose value is a string or empty.
// Keys under existing… are left out: setting them switches a chart to an
// object it does not create.
func nameKeys(ch *chart.Chart, prefix []string) [][]string {
	var out [][]string
	var walk func(m map[string]any, at []string)
	walk = func(m map[string]any, at []string) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.HasPrefix(strings.ToLower(k), "existing") || len(out) >= maxNameKeys {
				continue
			}
			p := append(append([]string{}, at...), k)
			switch v := m[k].(type) {
			case map[string]any:
				walk(v, p)
			case string, nil:
				if nameKeyRE.MatchString(k) {
					out = append(out, p)
				}
			}
		}
	}
	walk(ch.Values, prefix)
	aliases := map[string]string{}
	if ch.Metadata != nil {
		for _, d := range ch.Metadata.Dependencies {
			if d.Alias != "" {
				aliases[d.Name] = d.Alias
			}
		}
	}
	// Helm's loader lists subcharts in no stable order; sorted, the keys
	// kept under maxNameKeys are the same on every run.
	deps := slices.Clone(ch.Dependencies())
	slices.SortFunc(deps, func(a, b *chart.Chart) int { return strings.Compare(a.Name(), b.Name()) })
	for _, d := range deps {
		name := d.Name()
		if a := aliases[name]; a != "" {
			name = a
		}
		out = append(out, nameKeys(d, append(append([]string{}, prefix...), name))...)
	}
	if len(out) > maxNameKeys {
		out = out[:maxNameKeys]
	}
	return out
}

// setPath sets vals[k0][k1]...=v, creating maps on the way.
func setPath(vals map[string]any, keys []string, v string) {
	m := vals
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[k] = next
		}
		m = next
	}
	m[keys[len(keys)-1]] = v
}

// longReleaseName is a valid release name of n characters that contains no
// chart name, so fullname helpers prepend it in full.
func longReleaseName(n int) string { return strings.Repeat("r", n) }
