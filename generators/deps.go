package generators

import (
	"slices"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"

	"github.com/hookgen/hookgen/internal/render"
)

// databaseDependency names the database chart the release deploys with the
// application ("" for none): a dependency declared in Chart.yaml (for
// apiVersion v1 charts, requirements.yaml, which Helm's loader reads into the
// same list) whether or not it is vendored under charts/ yet, or a chart
// vendored under charts/ without a declaration (Helm renders those too).
// Declared dependencies count only when enabled by their condition or tags
// with the chart's values and the user's -f/--set, as Helm decides.
func databaseDependency(ch *chart.Chart, ropts render.Options) string {
	vals := ch.Values
	if user, err := render.Values(ropts.ValuesFiles, ropts.Set); err == nil && len(user) > 0 {
		vals = loader.MergeMaps(ch.Values, user)
	}
	declared := map[string]bool{}
	for _, d := range ch.Metadata.Dependencies {
		if d == nil {
			continue
		}
		declared[d.Name] = true
		if slices.Contains(databaseCharts, d.Name) && dependencyEnabled(d, vals) {
			return d.Name
		}
	}
	for _, d := range ch.Dependencies() {
		if !declared[d.Name()] && slices.Contains(databaseCharts, d.Name()) {
			return d.Name()
		}
	}
	return ""
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
