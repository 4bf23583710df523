// Package chartview is the user's chart as hookgen sees it: loaded from its
// directory once, with the files hookgen edits (values.yaml,
// values.schema.json, .helmignore) as they are on disk, rendered once as it
// is with the user's render inputs (-f, --set, --kube-version), and rendered
// again as a change leaves it, in memory, without loading it from disk
// again: the whole chart, only what a change can reach (RenderChange), or a
// few templates with the chart's named templates (RenderTemplates).
//
// It knows nothing of hooks: generators learns the chart's conventions from
// a Chart and plans the files to write; verify renders the changed chart
// with it.
package chartview

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/oneline"
	"github.com/hookgen/hookgen/internal/render"
)

// SchemaPath and HelmignorePath are the chart files add extends besides
// values.yaml (Helm reads both from the chart's root).
const (
	SchemaPath     = "values.schema.json"
	HelmignorePath = ".helmignore"
)

// ChartError is a problem with the user's chart (as opposed to their flags):
// missing, unreadable, invalid, or not rendering before hookgen touched it.
type ChartError struct{ Err error }

func (e *ChartError) Error() string { return e.Err.Error() }
func (e *ChartError) Unwrap() error { return e.Err }

func chartErr(format string, a ...any) error { return &ChartError{fmt.Errorf(format, a...)} }

// ValuesError is the user's values files or --set arguments not parsing
// (their flags, not their chart).
type ValuesError struct{ Err error }

func (e *ValuesError) Error() string { return e.Err.Error() }
func (e *ValuesError) Unwrap() error { return e.Err }

// Chart is a chart directory loaded and rendered once (Load), with its
// render inputs and the caches its later renders share.
type Chart struct {
	Dir  string
	Name string
	// Helm is the chart as Helm's loader loaded it; the render of it
	// (Rendered) processed its dependencies as Helm does (disabled ones
	// dropped, aliased ones renamed).
	Helm *chart.Chart
	// Rendered is the render of the chart as it is (install, default
	// release name): the analysis render every decision is made from.
	Rendered *render.Result
	// Dependencies are Chart.yaml's dependencies as written: rendering
	// rewrites the chart's metadata (Helm's dependency processing drops the
	// dependencies its condition turns off under the chart's own values, and
	// renames aliased ones), which -f or --set may turn on again.
	Dependencies []chart.Dependency
	// UserValues are the user's values files and --set arguments, parsed
	// (read only).
	UserValues map[string]any

	// Values is values.yaml as it is on disk (nil when the file is absent).
	Values     []byte
	ValuesPath string
	// ValuesKey is the top-level key of values.yaml under which hookgen
	// keeps its values: a change only under it lets RenderChange render
	// only the templates that read it.
	ValuesKey string
	// Schema is values.schema.json and Helmignore .helmignore as they are on
	// disk (nil when absent): add extends both.
	Schema     []byte
	Helmignore []byte
	// Planned are files planned but not yet written (init plans several
	// hooks in one go), by chart-relative path: what a later hook of the
	// same plan reads in place of the file on disk (see Changed, ReadFile).
	Planned map[string][]byte

	// RenderOptions are the user's render inputs (values files, --set, kube
	// version); every render of the chart uses them.
	RenderOptions render.Options

	// partials is the chart with only its named templates (and its
	// subcharts'), for renders of a single template and helper probes.
	partials *chart.Chart
	// pristine is the chart as loaded, before any render changed it
	// (render.Clone), for renders of the chart as a change leaves it.
	pristine *chart.Chart
	// siblings caches the hooks of the rest of an umbrella chart's release
	// (see SiblingHooks); shared by copies of the Chart.
	siblings *siblingCache
	// facts caches what RenderChange reads of the chart (see templateFacts);
	// shared by copies of the Chart.
	facts *templateFacts
	// marked caches RenderMarked by render inputs (WithSet copies differ);
	// shared by copies of the Chart.
	marked *markedCache
}

type markedCache struct {
	mu   sync.Mutex
	byIn map[string]markedRender
}

type markedRender struct {
	files map[string]string
	err   error
}

type siblingCache struct {
	once  sync.Once
	hooks []*release.Hook
}

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

// Load checks the chart directory, reads the files hookgen edits, loads the
// chart and renders it as it is with ropts (its release name and upgrade
// ignored): every later render of the chart uses ropts too. Problems with
// the chart are a *ChartError, values files or --set that do not parse a
// *ValuesError.
func Load(dir, valuesKey string, ropts render.Options) (*Chart, error) {
	if err := CheckChartDir(dir); err != nil {
		return nil, err
	}
	ropts.ReleaseName, ropts.Upgrade = "", false
	c := &Chart{Dir: dir, ValuesKey: valuesKey, RenderOptions: ropts, ValuesPath: filepath.Join(dir, "values.yaml"), siblings: &siblingCache{}, facts: &templateFacts{}, marked: &markedCache{}}
	if b, err := ReadRegular(c.ValuesPath); err == nil {
		c.Values = b
	} else if isIrregular(err) {
		return nil, &ChartError{err}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, &ChartError{fmt.Errorf("cannot read %s: %w", c.ValuesPath, err)}
	}
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{SchemaPath, &c.Schema}, {HelmignorePath, &c.Helmignore}} {
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
	c.Helm = ch
	c.Name = ch.Name()
	if c.UserValues, err = render.Values(ropts.ValuesFiles, ropts.Set); err != nil {
		return nil, &ValuesError{err}
	}
	// Before the render: Helm's dependency processing renames aliased
	// dependencies in the chart's metadata.
	for _, d := range ch.Metadata.Dependencies {
		c.Dependencies = append(c.Dependencies, *d)
	}
	c.pristine = render.Clone(ch)
	res, err := c.Render(ch, "", false)
	if err != nil {
		return nil, chartErr("the chart does not render before hookgen touches it: %s; fix it first (helm template %s shows the same)", oneline.Err(err), dir)
	}
	c.Rendered = res
	c.partials = partialsOnly(ch)
	return c, nil
}

// AsLoaded is the chart as loaded, before any render changed it: read only.
func (c *Chart) AsLoaded() *chart.Chart { return c.pristine }

// Changed is the chart as files (chart-relative paths) change it, in
// memory: Rendered is RenderChange(files); values.yaml, values.schema.json
// and .helmignore are as files have them where they have them; Planned is
// files. c is left as it is. The renders of the result start from the chart
// as loaded, so a later change passes every changed file again (init
// accumulates them).
func (c *Chart) Changed(files map[string][]byte) (*Chart, error) {
	res, err := c.RenderChange(files)
	if err != nil {
		return nil, err
	}
	return c.changed(files, res), nil
}

// WithHooks is Changed without the render, for a change that adds hook
// objects and nothing else the chart renders: Rendered is c's with hooks
// (the change's hook objects as planned) added. init weighs each hook
// against those planned before it this way and renders the whole change
// once, after the last; its verification then checks every hook against
// its plan in Helm's render.
func (c *Chart) WithHooks(files map[string][]byte, hooks []*release.Hook) *Chart {
	res := *c.Rendered
	res.Hooks = append(slices.Clip(c.Rendered.Hooks), hooks...)
	return c.changed(files, &res)
}

func (c *Chart) changed(files map[string][]byte, res *render.Result) *Chart {
	n := *c
	n.Rendered = res
	for p, dst := range map[string]*[]byte{"values.yaml": &n.Values, SchemaPath: &n.Schema, HelmignorePath: &n.Helmignore} {
		if b, ok := files[p]; ok {
			*dst = b
		}
	}
	n.Planned = files
	return &n
}

// WithSet is c rendering with extra --set arguments after the user's (a
// hook that renders only when asked for, checked as asked for). Rendered
// is still the render without them.
func (c *Chart) WithSet(set []string) *Chart {
	n := *c
	n.RenderOptions.Set = append(slices.Clone(c.RenderOptions.Set), set...)
	return &n
}

// ReadFile reads a chart file (chart-relative, slash-separated) as the plan
// so far leaves it: planned, else on disk.
func (c *Chart) ReadFile(rel string) ([]byte, error) {
	if b, ok := c.Planned[rel]; ok {
		return b, nil
	}
	return os.ReadFile(filepath.Join(c.Dir, filepath.FromSlash(rel)))
}
