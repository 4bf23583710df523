// Package render loads a chart and renders it with the Helm v4 SDK's own
// loader and engine, then splits the output into hooks and release manifests
// with Helm's own sorter, so everything downstream sees exactly what Helm sees.
package render

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"helm.sh/helm/v4/pkg/strvals"
	"sigs.k8s.io/yaml"
)

// DefaultKubeVersion is the Kubernetes version charts are rendered for when
// none is given. Helm's SDK falls back to 1.20 outside a release build, which
// makes charts with a kubeVersion constraint fail; a current version does not.
const DefaultKubeVersion = "v1.37.0"

// DefaultReleaseName is the release name used when none is given.
const DefaultReleaseName = "release-name"

// MaxReleaseNameLen is the longest release name Helm accepts
// (helm.sh/helm/v4 pkg/chart/v2/util/validate_name.go maxReleaseNameLen):
// names built from it must still fit Kubernetes' 63-character limits.
const MaxReleaseNameLen = 53

// LongReleaseName is a release name of MaxReleaseNameLen characters, to
// render with when checking that names fit.
var LongReleaseName = strings.Repeat("r", MaxReleaseNameLen)

// Options say how to render: the same inputs `helm template` takes.
type Options struct {
	ValuesFiles []string // -f, merged left to right
	Set         []string // --set, applied after the files
	ReleaseName string
	Namespace   string
	KubeVersion string
	Upgrade     bool // render as an upgrade (.Release.IsUpgrade) instead of an install
	// MarkRandom renders every call of a random function (randAlphaNum,
	// uuidv4, genPrivateKey, ...) as a value of its own: compared with an
	// ordinary render, the objects that differ are the ones whose content
	// is random.
	MarkRandom bool
}

// Result is a rendered chart.
type Result struct {
	Chart *chart.Chart
	// Files holds every rendered template by path (e.g. "shop/templates/x.yaml").
	Files map[string]string
	// Hooks are in the order Helm's SortManifests returns them: by file path,
	// then stable by kind. Use helmhook.ForEvent to get the order of one event.
	Hooks []*release.Hook
	// Manifests are the release's normal resources, in install order.
	Manifests []releaseutil.Manifest
}

// Load loads a chart directory or packaged archive with Helm's loader
// (which honours .helmignore and loads charts/ dependencies).
func Load(path string) (*chart.Chart, error) {
	ch, err := loader.Load(path)
	if err != nil {
		return nil, err
	}
	return ch, nil
}

// Values merges values files and --set arguments the way Helm does: files in
// order, each overriding the last, then --set on top.
func Values(files, set []string) (map[string]any, error) {
	base := map[string]any{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("cannot read values file %s: %v; pass an existing file to -f", f, errors.Unwrap(err))
		}
		cur := map[string]any{}
		if err := yaml.Unmarshal(b, &cur); err != nil {
			return nil, fmt.Errorf("parsing values file %s: %w", f, err)
		}
		base = loader.MergeMaps(base, cur)
	}
	for _, s := range set {
		if err := strvals.ParseInto(s, base); err != nil {
			return nil, fmt.Errorf("--set %q: %v; use key=value (e.g. --set image.tag=1.2)", s, err)
		}
	}
	return base, nil
}

// Capabilities returns Helm's default capabilities with the given Kubernetes version.
func Capabilities(kubeVersion string) (*common.Capabilities, error) {
	if kubeVersion == "" {
		kubeVersion = DefaultKubeVersion
	}
	kv, err := common.ParseKubeVersion(kubeVersion)
	if err != nil {
		return nil, fmt.Errorf("invalid --kube-version %q: %w", kubeVersion, err)
	}
	caps := common.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	return caps, nil
}

// RenderFiles renders ch and returns every rendered template by path,
// without splitting hooks from manifests.
func RenderFiles(ch *chart.Chart, vals map[string]any, opts Options) (map[string]string, error) {
	caps, err := Capabilities(opts.KubeVersion)
	if err != nil {
		return nil, err
	}
	if vals == nil {
		vals = map[string]any{}
	}
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		return nil, fmt.Errorf("processing chart dependencies: %w", err)
	}
	// Helm's own preparation of the values, its schema check made once per
	// distinct input (validateValues).
	top, err := util.ToRenderValuesWithSchemaValidation(ch, vals, releaseOptions(opts), caps, true)
	if err != nil {
		return nil, err
	}
	if v, ok := top["Values"].(common.Values); ok {
		if err := validateValues(ch, v); err != nil {
			return nil, err
		}
	} else if top, err = util.ToRenderValuesWithSchemaValidation(ch, vals, releaseOptions(opts), caps, false); err != nil {
		return nil, err
	}
	e := engine.Engine{CustomTemplateFuncs: funcs(opts)}
	engineChart := ch
	if !keepCopies {
		engineChart = withoutCopies(ch)
	}
	files, err := e.RenderWithContext(context.Background(), engineChart, top)
	if err != nil && engineChart != ch && missingTemplate(err) {
		// A template includes a left-out copy by path: render them all.
		return e.RenderWithContext(context.Background(), ch, top)
	}
	return files, err
}

func releaseOptions(opts Options) common.ReleaseOptions {
	name := opts.ReleaseName
	if name == "" {
		name = DefaultReleaseName
	}
	ns := opts.Namespace
	if ns == "" {
		ns = "default"
	}
	ro := common.ReleaseOptions{Name: name, Namespace: ns, Revision: 1, IsInstall: !opts.Upgrade, IsUpgrade: opts.Upgrade}
	if opts.Upgrade {
		ro.Revision = 2
	}
	return ro
}

// Render renders ch with the given values (already merged user values) the
// way `helm install`/`helm template` prepare them: dependencies processed,
// values coalesced and schema-validated, then Helm's engine and sorter.
func Render(ch *chart.Chart, vals map[string]any, opts Options) (*Result, error) {
	if ch.Metadata == nil {
		return nil, errors.New("chart has no metadata")
	}
	caps, err := Capabilities(opts.KubeVersion)
	if err != nil {
		return nil, err
	}
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return nil, fmt.Errorf("chart requires kubeVersion %s, which is incompatible with Kubernetes %s (pass --kube-version)", ch.Metadata.KubeVersion, caps.KubeVersion.Version)
	}
	files, err := RenderFiles(ch, vals, opts)
	if err != nil {
		return nil, err
	}
	// NOTES.txt is not a manifest; Helm removes it before sorting.
	for k := range files {
		if strings.HasSuffix(k, "NOTES.txt") {
			delete(files, k)
		}
	}
	hooks, manifests, err := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	if err != nil {
		return nil, err
	}
	return &Result{Chart: ch, Files: files, Hooks: hooks, Manifests: manifests}, nil
}

// LoadAndRender is Load, Values and Render in one call.
func LoadAndRender(path string, opts Options) (*Result, error) {
	ch, err := Load(path)
	if err != nil {
		return nil, err
	}
	vals, err := Values(opts.ValuesFiles, opts.Set)
	if err != nil {
		return nil, err
	}
	return Render(ch, vals, opts)
}

// LoadWith loads the chart in dir with some files replaced or added in
// memory (chart-relative slash paths), as they would be after a write: how
// hookgen renders a change before it touches the disk.
func LoadWith(dir string, files map[string][]byte) (*chart.Chart, error) {
	ch, err := Load(dir)
	if err != nil {
		return nil, err
	}
	return ch, replaceFiles(ch, files)
}

// With is LoadWith on a chart loaded already: a Clone of ch (taken before
// ch was rendered) with the files replaced or added; ch is left as it is.
func With(ch *chart.Chart, files map[string][]byte) (*chart.Chart, error) {
	c := Clone(ch)
	return c, replaceFiles(c, files)
}

func replaceFiles(ch *chart.Chart, files map[string][]byte) error {
	for name, data := range files {
		switch {
		case name == "values.yaml":
			v := map[string]any{}
			if err := yaml.Unmarshal(data, &v); err != nil {
				return fmt.Errorf("values.yaml after the change does not parse: %w", err)
			}
			ch.Values = v
			replaceFile(&ch.Raw, name, data)
		case name == "values.schema.json":
			ch.Schema = data
		case strings.HasPrefix(name, "templates/"):
			replaceFile(&ch.Templates, name, data)
		default:
			replaceFile(&ch.Files, name, data)
		}
	}
	return nil
}

// replaceFile puts a new File in the list (the old one may be shared with
// the chart a Clone was taken from).
func replaceFile(list *[]*common.File, name string, data []byte) {
	for i, f := range *list {
		if f.Name == name {
			nf := *f
			nf.Data = data
			(*list)[i] = &nf
			return
		}
	}
	*list = append(*list, &common.File{Name: name, Data: data})
}

// Clone returns a copy of ch that a render can change without touching ch:
// Helm's dependency processing rewrites the chart it renders (enabled
// dependencies, import values, aliases), so a second render of a chart
// needs a copy taken before the first, which costs far less than loading
// and parsing every file again. File contents are shared, never copied.
func Clone(ch *chart.Chart) *chart.Chart {
	c := *ch
	if ch.Metadata != nil {
		md := *ch.Metadata
		md.Dependencies = slices.Clone(ch.Metadata.Dependencies) // nil stays nil: Helm tells them apart
		for i, d := range md.Dependencies {
			dc := *d
			md.Dependencies[i] = &dc
		}
		c.Metadata = &md
	}
	c.Templates = slices.Clone(ch.Templates)
	c.Files = slices.Clone(ch.Files)
	c.Raw = slices.Clone(ch.Raw)
	deps := make([]*chart.Chart, 0, len(ch.Dependencies()))
	for _, d := range ch.Dependencies() {
		deps = append(deps, Clone(d))
	}
	c.SetDependencies(deps...)
	return &c
}

// SplitManifests splits a rendered template into its documents as Helm
// does (releaseutil.SplitManifests: split on "---" lines, empty documents
// dropped, each trimmed) and returns them in Helm's order
// (releaseutil.BySplitManifestsOrder), which is document order.
func SplitManifests(content string) []string {
	m := releaseutil.SplitManifests(content)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Sort(releaseutil.BySplitManifestsOrder(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}
