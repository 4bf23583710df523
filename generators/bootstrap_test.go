package generators

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// init plans each hook against the hooks planned before it (without a
// render per hook): where the chart's own hooks push the migration past the
// seed's base weight, the seed goes after the migration, not to the free
// weight nearest its base, and the render of the whole change shows both as
// planned.
func TestBootstrapWeighsAgainstPlannedHooks(t *testing.T) {
	dir := testcharts.Testdata(t, "generators/testdata/dbapp")
	var b strings.Builder
	for w := -20; w <= 12; w++ {
		fmt.Fprintf(&b, "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: taken%d\n  annotations:\n    helm.sh/hook: post-install\n    helm.sh/hook-weight: \"%d\"\n", w+20, w)
	}
	if err := os.WriteFile(filepath.Join(dir, "templates", "taken.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	info := mustInspect(t, dir)
	mig, _ := LookupTask("migration")
	seed, _ := LookupTask("seed")
	boot, err := PlanBootstrap(info, []Request{{Task: seed, Framework: "rails", Image: "registry.example/app:1.0"}, {Task: mig, Framework: "rails", Image: "registry.example/app:1.0"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"migration": 13, "seed": 14}
	names := map[string]string{} // template path -> the Job name the plan gives
	for _, out := range boot.Outputs {
		if w, ok := want[out.Hook.Name]; !ok || out.Hook.Weight != w {
			t.Errorf("%s planned at weight %d, want %d (events %v)", out.Hook.Name, out.Hook.Weight, w, out.Hook.Events)
		}
		names[info.Chart.Name+"/"+out.Hook.TemplatePath] = out.plannedHooks(info)[0].Name
	}
	for _, h := range boot.Rendered.Hooks {
		if n, ok := names[h.Path]; ok && h.Kind == "Job" && n != h.Name {
			t.Errorf("the plan names the Job %s %q, Helm's render %q", h.Path, n, h.Name)
		}
	}
	for _, h := range boot.Rendered.Hooks {
		if name := strings.TrimPrefix(h.Path, info.Chart.Name+"/templates/hooks/"); h.Kind == "Job" && name != h.Path {
			if w := want[strings.TrimSuffix(name, ".yaml")]; h.Weight != w {
				t.Errorf("%s renders at weight %d, want %d", h.Name, h.Weight, w)
			}
			delete(want, strings.TrimSuffix(name, ".yaml"))
		}
	}
	if len(want) > 0 {
		t.Errorf("not in the render of the whole change: %v", want)
	}
}

// The hook objects init plans the next hook against are the ones Helm's
// render of the change holds: same name, kind, events, weight and delete
// policies, on a chart with a fullname helper and on one without.
func TestPlannedHooksMatchRender(t *testing.T) {
	mig, _ := LookupTask("migration")
	seed, _ := LookupTask("seed")
	img := "registry.example/app:1.0"
	both := []Request{{Task: mig, Framework: "rails", Image: img}, {Task: seed, Framework: "rails", Image: img}}
	// appconfig's migration at pre-install copies the app's Secret and
	// ConfigMap as hooks.
	copies := []Request{{Task: mig, Command: []string{"./migrate"}, Events: []release.HookEvent{release.HookPreInstall, release.HookPreUpgrade}}, {Task: seed, Command: []string{"./seed"}}}
	for dir, reqs := range map[string][]Request{
		testcharts.HelmCreate(t, "shop"):                           both,
		testcharts.Testdata(t, "generators/testdata/dbapp"):        both,
		testcharts.Testdata(t, "golden/testdata/charts/appconfig"): copies,
	} {
		info := mustInspect(t, dir)
		boot, err := PlanBootstrap(info, reqs)
		if err != nil {
			t.Fatal(err)
		}
		if n := len(boot.Outputs[0].Hook.Copies); reqs[0].Events != nil && n == 0 {
			t.Errorf("%s: no hook copies planned", info.Chart.Name)
		}
		for _, out := range boot.Outputs {
			path := info.Chart.Name + "/" + out.Hook.TemplatePath
			var got []string
			for _, h := range boot.Rendered.Hooks {
				if h.Path == path {
					got = append(got, fmt.Sprint(h.Name, h.Kind, h.Events, h.Weight, h.DeletePolicies))
				}
			}
			var want []string
			for _, h := range out.plannedHooks(info) {
				want = append(want, fmt.Sprint(h.Name, h.Kind, h.Events, h.Weight, h.DeletePolicies))
			}
			slices.Sort(got)
			slices.Sort(want)
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("%s: planned\n%s\nrendered\n%s", path, strings.Join(want, "\n"), strings.Join(got, "\n"))
			}
		}
	}
}

// mustInspect is Inspect for the default Kubernetes version and values key,
// failing the test on an error.
func mustInspect(t *testing.T, dir string) *ChartInfo {
	t.Helper()
	info, err := Inspect(dir, render.DefaultKubeVersion, DefaultValuesKey)
	if err != nil {
		t.Fatal(err)
	}
	return info
}
