package generators

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/chartview"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/render"
)

// ChartError is a problem with the user's chart (as opposed to their flags):
// missing, unreadable, invalid, or not rendering before hookgen touched it.
type ChartError = chartview.ChartError

// ImageLayout is how a chart spells its own image in values.yaml.
type ImageLayout int

const (
	ImageNone               ImageLayout = iota
	ImageRepositoryTag                  // image.repository + image.tag (helm create)
	ImageRegistryRepository             // image.registry + image.repository + image.tag (bitnami)
)

// ChartInfo is what hookgen learned about a chart: its conventions (helpers,
// image layout), its release shape (database dependencies, selectors) and,
// in Chart, the chart itself as loaded and rendered by Helm's SDK, which
// every decision is read from.
type ChartInfo struct {
	// Chart is the chart as loaded, its files and its renders.
	Chart *chartview.Chart

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

	// Selectors are the label selectors of the chart's Services and workloads.
	Selectors []labels.Selector
}

var databaseCharts = []string{"postgresql", "postgresql-ha", "mysql", "mariadb", "mariadb-galera", "mongodb", "mongodb-sharded", "cockroachdb", "cassandra"}

// Inspect loads and renders the chart as it is and learns its conventions.
func Inspect(dir, kubeVersion, valuesKey string) (*ChartInfo, error) {
	return InspectWith(dir, valuesKey, render.Options{KubeVersion: kubeVersion})
}

// InspectWith is Inspect rendering with extra values files and --set
// arguments (ValuesFiles, Set) and kube version of ropts: for charts that only
// render with some values. Every later render of the chart uses them too.
func InspectWith(dir, valuesKey string, ropts render.Options) (*ChartInfo, error) {
	if valuesKey == "" {
		valuesKey = DefaultValuesKey
	}
	ch, err := chartview.Load(dir, valuesKey, ropts)
	var ve *chartview.ValuesError
	if errors.As(err, &ve) {
		return nil, &UsageError{ve.Err}
	}
	if err != nil {
		return nil, err
	}
	info := &ChartInfo{Chart: ch}
	// The chart as loaded: Helm's dependency processing in the render
	// renames aliased dependencies in the chart's metadata.
	dbs := enabledDatabases(ch.AsLoaded(), ch.UserValues)
	if len(dbs) > 0 {
		info.Database = dbs[0]
	}
	// With several database subcharts enabled (bitnami redmine: postgresql
	// and mariadb, the app using the one databaseType names), the database
	// is the server the chart's own objects use, as backup and
	// --wait-for-db pick it, not the first declared.
	if len(dbs) > 1 {
		if s := detectDBServer(info); s != nil {
			info.Database = s.DependencyName(ch.Dependencies)
		}
	}

	info.Selectors = selectors(ch.Rendered.Manifests)
	info.detectValues(ch.Helm.Values)
	info.detectHelpers(ch.Helm)
	return info, nil
}

// SuiteTemplates lists the chart's own templates (relative to templates/)
// that the helpers hookgen calls need but helm-unittest does not load unless
// a suite names them (chartview.Chart.SuiteTemplates).
func (info *ChartInfo) SuiteTemplates() []string {
	var helpers []string
	for _, e := range []string{info.FullnameExpr, info.LabelsExpr, info.SAExpr} {
		if f := strings.Fields(e); len(f) > 1 {
			helpers = append(helpers, strings.Trim(f[1], `"`))
		}
	}
	return info.Chart.SuiteTemplates(helpers)
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

// detectHelpers finds the chart's fullname, labels and service-account
// helpers, whatever their prefix, and keeps only those that render to what
// a hook needs (probed with Helm's engine on the chart's own partials).
func (info *ChartInfo) detectHelpers(ch *chart.Chart) {
	defs := chartview.Defines(ch)
	name := info.Chart.Name
	var prefixes []string
	if defs[name+".fullname"] {
		prefixes = append(prefixes, name)
	}
	var others []string
	for d := range defs {
		if p, ok := strings.CutSuffix(d, ".fullname"); ok && p != name && !strings.Contains(p, ".") {
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

	p := &prober{ch: info.Chart}
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
		if defs[name+".serviceAccountName"] {
			all = append(all, fmt.Sprintf(`{{ include %q . }}`, name+".serviceAccountName"))
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
	if info.SAExpr == "" && defs["common.names.fullname"] && defs[name+".serviceAccountName"] {
		e := fmt.Sprintf(`include %q .`, name+".serviceAccountName")
		if out, err := p.run("{{ " + e + " }}"); err == nil && strings.TrimSpace(out) != "" {
			info.SAExpr = e
		}
	}
}

// prober renders one-off expressions against the chart's named templates
// (chartview.Chart.Probe).
type prober struct {
	ch    *chartview.Chart
	cache map[string]string // probe template -> output, from prefetch
}

// prefetch renders every probe in one pass and keeps the outputs; when any
// probe fails the whole pass fails, and run renders each on its own.
func (p *prober) prefetch(tpls []string) {
	if len(tpls) == 0 {
		return
	}
	outs, err := p.ch.ProbeAll(tpls)
	if err != nil {
		return
	}
	p.cache = map[string]string{}
	for i, t := range tpls {
		p.cache[t] = outs[i]
	}
}

func (p *prober) run(tpl string) (string, error) {
	if out, ok := p.cache[tpl]; ok {
		return out, nil
	}
	return p.ch.Probe(tpl)
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
