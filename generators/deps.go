package generators

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	release "helm.sh/helm/v4/pkg/release/v1"
	"sigs.k8s.io/yaml"
)

// enabledDatabases lists the database charts the release deploys with the
// application: declared in Chart.yaml (for apiVersion v1 charts,
// requirements.yaml, which Helm's loader reads into the same list) whether
// or not they are vendored under charts/ yet, enabled by their condition or
// tags with the chart's values and the user's (user: -f/--set, parsed), as
// Helm decides, in Chart.yaml order; then charts vendored under charts/
// without a declaration (Helm renders those too), by name, since Helm's
// loader lists subcharts in no stable order.
func enabledDatabases(ch *chart.Chart, user map[string]any) []string {
	vals := ch.Values
	if len(user) > 0 {
		vals = loader.MergeMaps(ch.Values, user)
	}
	var out []string
	declared := map[string]bool{}
	for _, d := range ch.Metadata.Dependencies {
		if d == nil {
			continue
		}
		declared[d.Name] = true
		if slices.Contains(databaseCharts, d.Name) && dependencyEnabled(d, vals) && !slices.Contains(out, d.Name) {
			out = append(out, d.Name)
		}
	}
	var undeclared []string
	for _, d := range ch.Dependencies() {
		if !declared[d.Name()] && slices.Contains(databaseCharts, d.Name()) {
			undeclared = append(undeclared, d.Name())
		}
	}
	slices.Sort(undeclared)
	return append(out, undeclared...)
}

// dependencyEnabled follows Helm's rules (pkg/chart/v2/util/dependencies.go,
// processDependencyConditions and processDependencyTags): the first condition
// path that holds a boolean decides; without one, tags decide (enabled when
// any of its tags is true, disabled when all that are set are false);
// otherwise the dependency is enabled.
func dependencyEnabled(d *chart.Dependency, vals map[string]any) bool {
	for _, c := range strings.Split(strings.TrimSpace(d.Condition), ",") {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if b, ok := lookupPath(vals, c).(bool); ok {
			return b
		}
	}
	tags, _ := vals["tags"].(map[string]any)
	seen, any := false, false
	for _, t := range d.Tags {
		if b, ok := tags[t].(bool); ok {
			seen = true
			any = any || b
		}
	}
	return !seen || any
}

func lookupPath(vals map[string]any, dotted string) any {
	var cur any = vals
	for _, k := range strings.Split(dotted, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[k]
	}
	return cur
}

// umbrellaNote says, when dir is a subchart vendored under another chart's
// charts/ directory, how the hook runs: in the parent's release, ordered
// with the hooks of the parent and every sibling subchart, its settings
// overridable from the parent's values under the subchart's key.
func umbrellaNote(dir, name, valuesKey, hook string) string {
	abs, err := filepath.Abs(dir)
	if err != nil || filepath.Base(filepath.Dir(abs)) != "charts" {
		return ""
	}
	parentDir := filepath.Dir(filepath.Dir(abs))
	md, err := chartutil.LoadChartfile(filepath.Join(parentDir, "Chart.yaml"))
	if err != nil {
		return ""
	}
	key := name
	deps := md.Dependencies
	if req, err := os.ReadFile(filepath.Join(parentDir, "requirements.yaml")); err == nil && len(deps) == 0 {
		var r struct {
			Dependencies []*chart.Dependency `json:"dependencies"`
		}
		if yaml.Unmarshal(req, &r) == nil {
			deps = r.Dependencies
		}
	}
	for _, d := range deps {
		if d != nil && d.Name == name && d.Alias != "" {
			key = d.Alias
		}
	}
	return fmt.Sprintf("this chart is a subchart of %s (%s): Helm runs the hook in %s's release, ordered by weight with the hooks of %s and its other subcharts, and Release objects named in the hook come from that release; %s's values override its settings under %s.%s.%s",
		md.Name, parentDir, md.Name, md.Name, md.Name, key, valuesKey, hook)
}

// releaseHooks are the hooks the hook is ordered with: the chart's own and,
// for a subchart of an umbrella, the rest of the release's.
func releaseHooks(info *ChartInfo) []*release.Hook {
	sib := info.Chart.SiblingHooks()
	if len(sib) == 0 {
		return info.Chart.Rendered.Hooks
	}
	return append(slices.Clip(info.Chart.Rendered.Hooks), sib...)
}
