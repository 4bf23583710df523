package generators

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	chartcommon "helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/oneline"
	"github.com/hookgen/hookgen/internal/render"
)

// ChartError is a problem with the user's chart (as opposed to their flags):
// missing, unreadable, invalid, or not rendering before hookgen touched it.
type ChartError struct{ Err error }

func (e *ChartError) Error() string { return e.Err.Error() }
func (e *ChartError) Unwrap() error { return e.Err }

func chartErr(format string, a ...any) error { return &ChartError{fmt.Errorf(format, a...)} }

// ImageLayout is how a chart spells its own image in values.yaml.
type ImageLayout int

const (
	ImageNone               ImageLayout = iota
	ImageRepositoryTag                  // image.repository + image.tag (helm create)
	ImageRegistryRepository             // image.registry + image.repository + image.tag (bitnami)
)

// ChartInfo is what hookgen learned about a chart: its conventions (helpers,
// image layout, indentation), its release shape (database dependencies,
// selectors) and its existing hooks, all from Helm's own rendering.
type ChartInfo struct {
	Dir      string
	Name     string
	Chart    *chart.Chart
	Rendered *render.Result

	// Template expressions reusing the chart's helpers, or "" where it has none.
	FullnameExpr string // e.g. include "shop.fullname" .
	// FullnameRendered is what FullnameExpr gives for the analysis render.
	FullnameRendered string
	LabelsExpr       string // renders a YAML map of labels
	SAExpr           string // the chart's service account name

	Image ImageLayout
	// CommonImages: the chart renders its image and pull secrets with
	// bitnami's common.images helpers (global registry, digest, secrets).
	CommonImages        bool
	HasImagePullSecrets bool // top-level imagePullSecrets list
	HasNodeSelector     bool
	HasTolerations      bool
	HasAffinity         bool

	// Database is the enabled dependency that deploys a database with the
	// release (postgresql, mysql, ...), or "".
	Database string
	// dependencies are Chart.yaml's dependencies as written: rendering
	// rewrites the chart's metadata (Helm's dependency processing drops the
	// dependencies its condition turns off under the chart's own values, and
	// renames aliased ones), which -f or --set may turn on again.
	dependencies []chart.Dependency

	// Selectors are the label selectors of the chart's Services and workloads.
	Selectors []labels.Selector

	// Values is values.yaml as it is on disk (nil when the file is absent).
	Values     []byte
	ValuesPath string
	ValuesKey  string
	// Schema is values.schema.json and Helmignore .helmignore as they are on
	// disk (nil when absent): add extends both.
	Schema     []byte
	Helmignore []byte
	// Planned are files planned but not yet written (init plans several
	// hooks in one go), by chart-relative path: what a later hook of the
	// same plan reads in place of the file on disk.
	Planned map[string][]byte
	// partials is the chart with only its named templates (and its
	// subcharts'), for renders of a single template.
	partials *chart.Chart
	// RenderOptions are the user's render inputs (values files, --set, kube
	// version); every render of the chart uses them.
	RenderOptions render.Options
	// siblings caches the hooks of the rest of an umbrella chart's release
	// (see siblingHooks); shared by copies of the ChartInfo.
	siblings *siblingCache
	// pristine is the chart as loaded, before any render changed it
	// (render.Clone), for renders of the chart as a change leaves it.
	pristine *chart.Chart
	// facts caches what RenderChange reads of the chart (see templateFacts);
	// shared by copies of the ChartInfo.
	facts *templateFacts
}

type siblingCache struct {
	once  sync.Once
	hooks []*release.Hook
}

// Render renders ch, the inspected chart or a changed copy of it, with the
// user's render inputs, for releaseName ("" for the default) as an install
// or an upgrade.
func (info *ChartInfo) Render(ch *chart.Chart, releaseName string, upgrade bool) (*render.Result, error) {
	vals, err := render.Values(info.RenderOptions.ValuesFiles, info.RenderOptions.Set)
	if err != nil {
		return nil, err
	}
	o := info.RenderOptions
	o.ReleaseName, o.Upgrade = releaseName, upgrade
	return render.Render(ch, vals, o)
}

// RenderUpgrade renders ch (not yet rendered) as an upgrade on top of
// install, its install render with the same inputs: only the templates
// that can tell the two apart render again (render.RenderUpgrade).
func (info *ChartInfo) RenderUpgrade(ch *chart.Chart, install *render.Result) (*render.Result, error) {
	vals, err := render.Values(info.RenderOptions.ValuesFiles, info.RenderOptions.Set)
	if err != nil {
		return nil, err
	}
	o := info.RenderOptions
	o.ReleaseName = ""
	return render.RenderUpgrade(ch, vals, o, install)
}

// ChartWith is the inspected chart, as loaded, with files replaced or added
// in memory: the chart as the change leaves it, to render.
func (info *ChartInfo) ChartWith(files []File) (*chart.Chart, error) {
	m := map[string][]byte{}
	for _, f := range files {
		m[f.Path] = f.Content
	}
	if info.pristine == nil {
		return render.LoadWith(info.Dir, m)
	}
	return render.With(info.pristine, m)
}

// RenderTemplate renders one template of the chart changed by files (the
// hook's template, with the changed named templates and values.yaml), for
// releaseName, without loading or rendering the rest of the chart again.
func (info *ChartInfo) RenderTemplate(files []File, tpl, releaseName string) (string, error) {
	out, err := info.RenderTemplates(files, []string{tpl}, releaseName)
	return out[tpl], err
}

// RenderTemplates is RenderTemplate for several templates in one render:
// the output of each, by chart-relative path.
func (info *ChartInfo) RenderTemplates(files []File, tpls []string, releaseName string) (map[string]string, error) {
	c := *info.partials
	c.Templates = slices.Clone(c.Templates)
	for _, f := range files {
		switch {
		case f.Path == "values.yaml":
			v := map[string]any{}
			if err := yaml.Unmarshal(f.Content, &v); err != nil {
				return nil, err
			}
			c.Values = v
		case f.Path == SchemaPath:
			c.Schema = f.Content
		case slices.Contains(tpls, f.Path) || (strings.HasPrefix(f.Path, "templates/") && definesTemplates(f.Path, f.Content)):
			i := slices.IndexFunc(c.Templates, func(t *chartcommon.File) bool { return t.Name == f.Path })
			nf := &chartcommon.File{Name: f.Path, Data: f.Content}
			if i >= 0 {
				c.Templates[i] = nf
			} else {
				c.Templates = append(c.Templates, nf)
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
	for _, f := range files {
		if !slices.Contains(tpls, f.Path) {
			continue
		}
		for _, m := range appTemplateRe.FindAllSubmatch(f.Content, -1) {
			usesApp = true
			name := "templates/" + string(m[1])
			i := slices.IndexFunc(info.Chart.Templates, func(t *chartcommon.File) bool { return t.Name == name })
			if i >= 0 && !slices.Contains(apps, info.Chart.Templates[i]) {
				apps = append(apps, info.Chart.Templates[i])
			}
		}
	}
	pick := func(out map[string]string) map[string]string {
		res := map[string]string{}
		for _, tpl := range tpls {
			res[tpl] = out[c.Name()+"/"+tpl]
		}
		return res
	}
	if len(apps) > 0 {
		scoped := c
		scoped.Templates = slices.Clone(c.Templates)
		for _, t := range apps {
			if !slices.ContainsFunc(scoped.Templates, func(x *chartcommon.File) bool { return x.Name == t.Name }) {
				scoped.Templates = append(scoped.Templates, t)
			}
		}
		scoped.Templates = render.WithIncluded(c.Name(), info.Chart.Templates, scoped.Templates)
		if out, err := info.RenderFiles(&scoped, releaseName); err == nil {
			return pick(out), nil
		}
	}
	if usesApp {
		for _, t := range info.Chart.Templates {
			if strings.HasSuffix(t.Name, "NOTES.txt") {
				continue
			}
			if !slices.ContainsFunc(c.Templates, func(x *chartcommon.File) bool { return x.Name == t.Name }) {
				c.Templates = append(c.Templates, t)
			}
		}
	}
	out, err := info.RenderFiles(&c, releaseName)
	if err != nil {
		return nil, err
	}
	return pick(out), nil
}

// SuiteTemplates lists the chart's own templates (relative to templates/)
// that its helpers need but helm-unittest does not load unless a suite names
// them: helpers in files whose names do not start with "_" and templates
// included by path.
func (info *ChartInfo) SuiteTemplates() []string {
	if info.partials == nil {
		return nil
	}
	// The helpers hookgen calls, by name.
	used := map[string]bool{}
	for _, e := range []string{info.FullnameExpr, info.LabelsExpr, info.SAExpr} {
		if f := strings.Fields(e); len(f) > 1 {
			used[strings.Trim(f[1], `"`)] = true
		}
	}
	var out []string
	for _, t := range info.partials.Templates {
		if strings.HasPrefix(path.Base(t.Name), "_") || !strings.HasPrefix(t.Name, "templates/") {
			continue
		}
		need := definesTemplates(t.Name, nil) // under a "_" directory
		for _, m := range defineRe.FindAllSubmatch(t.Data, -1) {
			need = need || used[string(m[1])]
		}
		if !need && !defineRe.Match(t.Data) {
			need = true // kept because a helper includes it by path
		}
		if need {
			out = append(out, strings.TrimPrefix(t.Name, "templates/"))
		}
	}
	sort.Strings(out)
	return out
}

// RenderFiles is Render without splitting hooks from manifests.
func (info *ChartInfo) RenderFiles(ch *chart.Chart, releaseName string) (map[string]string, error) {
	vals, err := render.Values(info.RenderOptions.ValuesFiles, info.RenderOptions.Set)
	if err != nil {
		return nil, err
	}
	o := info.RenderOptions
	o.ReleaseName = releaseName
	return render.RenderFiles(ch, vals, o)
}

var databaseCharts = []string{"postgresql", "postgresql-ha", "mysql", "mariadb", "mariadb-galera", "mongodb", "mongodb-sharded", "cockroachdb", "cassandra"}

var appTemplateRe = regexp.MustCompile(`include "hookgen\.app" \(list \. "([^"]+)"`)

var defineRe = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)

// CheckChartDir checks that dir is an editable Helm chart directory and
// explains in one line what to do when it is not.
func CheckChartDir(dir string) error {
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return chartErr("no chart at %s: the directory does not exist; pass --chart with a chart directory", dir)
	}
	if err != nil {
		return chartErr("cannot read chart %s: %v", dir, err)
	}
	if !fi.IsDir() {
		if strings.HasSuffix(dir, ".tgz") || strings.HasSuffix(dir, ".tar.gz") {
			return chartErr("%s is a packaged chart; hookgen edits chart directories: unpack it first (tar xzf %s) and pass the directory", dir, dir)
		}
		return chartErr("%s is a file, not a chart directory; pass --chart with the directory that holds Chart.yaml", dir)
	}
	cf := filepath.Join(dir, "Chart.yaml")
	if err := checkRegular(cf); errors.Is(err, fs.ErrNotExist) {
		return chartErr("no Chart.yaml in %s; pass --chart with a chart directory (helm create NAME makes one)", dir)
	} else if err != nil {
		return chartErr("%v", err)
	}
	md, err := chartutil.LoadChartfile(cf)
	if err != nil {
		return chartErr("%s does not parse: %v; fix the YAML", cf, oneline.Err(err))
	}
	// Helm's loader reads a Chart.yaml without apiVersion as v1 (Helm 2), whose
	// dependencies are in requirements.yaml; Helm 3 and 4 install both.
	switch md.APIVersion {
	case "", chart.APIVersionV1, chart.APIVersionV2:
	default:
		return chartErr("%s has apiVersion %q; Helm charts have apiVersion v2 (or v1): fix apiVersion in Chart.yaml", cf, md.APIVersion)
	}
	if md.Name == "" {
		return chartErr("%s has no name; add name: to it", cf)
	}
	if md.Type == "library" {
		// Helm renders no templates of a library chart and never installs it
		// (helm install refuses it), so a hook in it could never run.
		return chartErr("%s is a library chart (type: library): Helm never installs it, so a hook there never runs; add the hook to the application chart that depends on it", dir)
	}
	if fi, err := os.Stat(filepath.Join(dir, "templates")); err == nil && !fi.IsDir() {
		return chartErr("%s/templates is a file, not a directory; move it away (Helm reads templates from the directory)", dir)
	}
	return nil
}

// Inspect loads and renders the chart as it is and learns its conventions.
func Inspect(dir, kubeVersion, valuesKey string) (*ChartInfo, error) {
	return InspectWith(dir, valuesKey, render.Options{KubeVersion: kubeVersion})
}

// InspectWith is Inspect rendering with extra values files and --set
// arguments (ValuesFiles, Set) and kube version of ropts: for charts that only
// render with some values. Every later render of the chart uses them too.
func InspectWith(dir, valuesKey string, ropts render.Options) (*ChartInfo, error) {
	if err := CheckChartDir(dir); err != nil {
		return nil, err
	}
	if valuesKey == "" {
		valuesKey = DefaultValuesKey
	}
	ropts.ReleaseName, ropts.Upgrade = "", false
	info := &ChartInfo{Dir: dir, ValuesKey: valuesKey, RenderOptions: ropts, ValuesPath: filepath.Join(dir, "values.yaml"), siblings: &siblingCache{}, facts: &templateFacts{}}
	if b, err := readRegular(info.ValuesPath); err == nil {
		info.Values = b
	} else if isIrregular(err) {
		return nil, &ChartError{err}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, &ChartError{fmt.Errorf("cannot read %s: %w", info.ValuesPath, err)}
	}
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{SchemaPath, &info.Schema}, {HelmignorePath, &info.Helmignore}} {
		b, err := os.ReadFile(filepath.Join(dir, f.name))
		switch {
		case err == nil:
			*f.dst = b
		case !errors.Is(err, fs.ErrNotExist):
			return nil, &ChartError{fmt.Errorf("cannot read %s: %w", filepath.Join(dir, f.name), err)}
		}
	}
	ch, err := render.Load(dir)
	if err != nil {
		return nil, chartErr("the chart does not load: %s; fix it first (helm lint %s shows the same)", oneline.Err(err), dir)
	}
	info.Chart = ch
	info.Name = ch.Name()
	user, err := render.Values(ropts.ValuesFiles, ropts.Set)
	if err != nil {
		return nil, &UsageError{err}
	}
	// Before the render: Helm's dependency processing renames aliased
	// dependencies in the chart's metadata.
	dbs := enabledDatabases(ch, user)
	if len(dbs) > 0 {
		info.Database = dbs[0]
	}
	for _, d := range ch.Metadata.Dependencies {
		info.dependencies = append(info.dependencies, *d)
	}
	info.pristine = render.Clone(ch)
	res, err := info.Render(ch, "", false)
	if err != nil {
		return nil, chartErr("the chart does not render before hookgen touches it: %s; fix it first (helm template %s shows the same)", oneline.Err(err), dir)
	}
	info.Rendered = res
	// With several database subcharts enabled (bitnami redmine: postgresql
	// and mariadb, the app using the one databaseType names), the database
	// is the server the chart's own objects use, as backup and
	// --wait-for-db pick it, not the first declared.
	if len(dbs) > 1 {
		if s := detectDBServer(info); s != nil {
			info.Database = s.DependencyName(info.dependencies)
		}
	}

	info.Selectors = selectors(res.Manifests)
	info.detectValues(ch.Values)
	info.detectHelpers(ch)
	return info, nil
}

func (info *ChartInfo) detectValues(v map[string]any) {
	if img, ok := v["image"].(map[string]any); ok {
		if _, ok := img["repository"].(string); ok {
			info.Image = ImageRepositoryTag
			if _, ok := img["registry"].(string); ok {
				info.Image = ImageRegistryRepository
			}
		}
	}
	_, info.HasImagePullSecrets = v["imagePullSecrets"].([]any)
	_, info.HasNodeSelector = v["nodeSelector"].(map[string]any)
	_, info.HasTolerations = v["tolerations"].([]any)
	_, info.HasAffinity = v["affinity"].(map[string]any)
}

// defines lists every named template of the chart and its subcharts.
func defines(ch *chart.Chart) map[string]bool {
	out := map[string]bool{}
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		for _, t := range c.Templates {
			for _, m := range defineRe.FindAllStringSubmatch(string(t.Data), -1) {
				out[m[1]] = true
			}
		}
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(ch)
	return out
}

// detectHelpers finds the chart's fullname, labels and service-account
// helpers, whatever their prefix, and keeps only those that render to what
// a hook needs (probed with Helm's engine on the chart's own partials).
func (info *ChartInfo) detectHelpers(ch *chart.Chart) {
	defs := defines(ch)
	var prefixes []string
	if defs[info.Name+".fullname"] {
		prefixes = append(prefixes, info.Name)
	}
	var others []string
	for d := range defs {
		if p, ok := strings.CutSuffix(d, ".fullname"); ok && p != info.Name && !strings.Contains(p, ".") {
			others = append(others, p)
		}
	}
	sort.Slice(others, func(i, j int) bool {
		if len(others[i]) != len(others[j]) {
			return len(others[i]) < len(others[j])
		}
		return others[i] < others[j]
	})
	prefixes = append(prefixes, others...)

	p := newProber(ch, info.RenderOptions.KubeVersion)
	info.partials = p.ch
	// One render answers every probe unless one of them fails; then each is
	// rendered alone.
	var all []string
	for _, pre := range prefixes {
		for _, d := range []string{".fullname", ".labels", ".metaLabels", ".serviceAccountName"} {
			if defs[pre+d] {
				all = append(all, fmt.Sprintf(`{{ include %q . }}`, pre+d))
			}
		}
	}
	if defs["common.names.fullname"] {
		all = append(all, `{{ include "common.names.fullname" . }}`)
		if defs[info.Name+".serviceAccountName"] {
			all = append(all, fmt.Sprintf(`{{ include %q . }}`, info.Name+".serviceAccountName"))
		}
	}
	if defs["common.labels.standard"] {
		all = append(all, `{{ include "common.labels.standard" (dict "customLabels" .Values.commonLabels "context" $) }}`)
	}
	const commonImage = `{{ include "common.images.image" (dict "imageRoot" .Values.image "global" .Values.global "chart" .Chart) }}`
	if info.Image == ImageRegistryRepository && defs["common.images.image"] && defs["common.images.renderPullSecrets"] {
		all = append(all, commonImage)
	}
	p.prefetch(all)
	for _, pre := range prefixes {
		expr := fmt.Sprintf(`include %q .`, pre+".fullname")
		if out, err := p.run("{{ " + expr + " }}"); err == nil && isDNSLabel(strings.TrimSpace(out)) {
			info.FullnameExpr, info.FullnameRendered = expr, strings.TrimSpace(out)
			for _, l := range []string{pre + ".labels", pre + ".metaLabels"} {
				if defs[l] && p.isLabelMap(fmt.Sprintf(`include %q .`, l)) {
					info.LabelsExpr = fmt.Sprintf(`include %q .`, l)
					break
				}
			}
			if defs[pre+".serviceAccountName"] {
				e := fmt.Sprintf(`include %q .`, pre+".serviceAccountName")
				if out, err := p.run("{{ " + e + " }}"); err == nil && strings.TrimSpace(out) != "" {
					info.SAExpr = e
				}
			}
			break
		}
	}
	// bitnami charts: helpers live in the common library subchart.
	if info.FullnameExpr == "" && defs["common.names.fullname"] {
		expr := `include "common.names.fullname" .`
		if out, err := p.run("{{ " + expr + " }}"); err == nil && isDNSLabel(strings.TrimSpace(out)) {
			info.FullnameExpr, info.FullnameRendered = expr, strings.TrimSpace(out)
		}
	}
	if info.LabelsExpr == "" && defs["common.labels.standard"] {
		e := `include "common.labels.standard" (dict "customLabels" .Values.commonLabels "context" $)`
		if p.isLabelMap(e) {
			info.LabelsExpr = e
		}
	}
	if info.Image == ImageRegistryRepository && defs["common.images.image"] && defs["common.images.renderPullSecrets"] {
		if out, err := p.run(commonImage); err == nil && strings.TrimSpace(out) != "" {
			info.CommonImages = true
		}
	}
	if info.SAExpr == "" && defs["common.names.fullname"] && defs[info.Name+".serviceAccountName"] {
		e := fmt.Sprintf(`include %q .`, info.Name+".serviceAccountName")
		if out, err := p.run("{{ " + e + " }}"); err == nil && strings.TrimSpace(out) != "" {
			info.SAExpr = e
		}
	}
}

// prober renders one-off expressions against the chart's named templates.
type prober struct {
	ch          *chart.Chart
	kubeVersion string
	cache       map[string]string // probe template -> output, from prefetch
}

func newProber(ch *chart.Chart, kubeVersion string) *prober {
	return &prober{ch: partialsOnly(ch), kubeVersion: kubeVersion}
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
	return defineRe.Match(data)
}

// prefetch renders every probe in one pass and keeps the outputs; when any
// probe fails the whole pass fails, and run renders each on its own.
func (p *prober) prefetch(tpls []string) {
	if len(tpls) == 0 {
		return
	}
	c := *p.ch
	c.Templates = slices.Clone(p.ch.Templates)
	for i, t := range tpls {
		c.Templates = append(c.Templates, &chartcommon.File{Name: fmt.Sprintf("templates/hookgen-probe-%d.yaml", i), Data: []byte(t)})
	}
	res, err := render.RenderFiles(&c, nil, render.Options{KubeVersion: p.kubeVersion})
	if err != nil {
		return
	}
	p.cache = map[string]string{}
	for i, t := range tpls {
		p.cache[t] = res[fmt.Sprintf("%s/templates/hookgen-probe-%d.yaml", c.Name(), i)]
	}
}

func (p *prober) run(tpl string) (string, error) {
	if out, ok := p.cache[tpl]; ok {
		return out, nil
	}
	c := *p.ch
	c.Templates = append(slices.Clone(p.ch.Templates), &chartcommon.File{Name: "templates/hookgen-probe.yaml", Data: []byte(tpl)})
	res, err := render.RenderFiles(&c, nil, render.Options{KubeVersion: p.kubeVersion})
	if err != nil {
		return "", err
	}
	return res[c.Name()+"/templates/hookgen-probe.yaml"], nil
}

func (p *prober) isLabelMap(expr string) bool {
	out, err := p.run("{{ " + expr + " }}")
	if err != nil || strings.TrimSpace(out) == "" {
		return false
	}
	m := map[string]string{}
	return yaml.UnmarshalStrict([]byte(out), &m) == nil && len(m) > 0
}

// selectors collects the selectors with which the release's Services and
// workloads pick pods.
func selectors(ms []releaseutil.Manifest) []labels.Selector {
	var out []labels.Selector
	for _, m := range ms {
		if m.Head == nil {
			continue
		}
		if sel := helmhook.PodSelector(m.Head.Kind, m.Content); sel != nil {
			out = append(out, sel)
		}
	}
	return out
}

// Matches reports whether labels satisfy any selector of the chart.
func (info *ChartInfo) Matches(podLabels map[string]string) bool {
	for _, sel := range info.Selectors {
		if sel.Matches(labels.Set(podLabels)) {
			return true
		}
	}
	return false
}
