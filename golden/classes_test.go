package golden

import (
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// A labels helper that already sets app.kubernetes.io/component: the hook
// Job carries the key once, with the hook's own value (it identifies the
// hook, and keeps the hook's objects apart from the app's), while the
// chart's workloads keep theirs.
func TestComponentLabelMerged(t *testing.T) {
	dir := withComponentLabel(t)
	if _, stderr, code := run(t, "add", "migration", "--yes", "--command", "./migrate", "--chart", dir, "--kube-version", testcharts.KubeVersion); code != 0 {
		t.Fatalf("add: exit %d: %s", code, stderr)
	}
	res, err := render.LoadAndRender(dir, render.Options{KubeVersion: testcharts.KubeVersion})
	if err != nil {
		t.Fatal(err)
	}
	var job string
	for _, h := range res.Hooks {
		if h.Kind == "Job" && strings.HasSuffix(h.Path, "hooks/migration.yaml") {
			job = h.Manifest
		}
	}
	if job == "" {
		t.Fatal("no migration Job rendered")
	}
	head, _, _ := strings.Cut(job, "spec:")
	if n := strings.Count(head, "app.kubernetes.io/component:"); n != 1 {
		t.Errorf("the Job's metadata has app.kubernetes.io/component %d times, want once:\n%s", n, head)
	}
	var m struct {
		Metadata struct {
			Labels map[string]string `json:"labels"`
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal([]byte(job), &m); err != nil {
		t.Fatalf("the Job does not decode: %v", err)
	}
	if got := m.Metadata.Labels["app.kubernetes.io/component"]; got != "hook-migration" {
		t.Errorf("component label %q, want the hook's own hook-migration", got)
	}
	if m.Metadata.Labels["app.kubernetes.io/name"] != "shop" {
		t.Errorf("the chart's other labels are gone: %v", m.Metadata.Labels)
	}
	for _, mf := range res.Manifests {
		if mf.Head.Kind == "Deployment" && !strings.Contains(mf.Content, "app.kubernetes.io/component: web") {
			t.Errorf("the chart's Deployment lost its own component label:\n%s", mf.Content)
		}
	}
}

// With a strict values.schema.json, the schema add writes makes Helm check
// the hook's settings too: a typo or a wrong type is refused at render time.
func TestStrictSchemaValidatesHook(t *testing.T) {
	dir := withStrictSchema(t)
	if _, stderr, code := run(t, "add", "migration", "--yes", "--command", "./migrate", "--chart", dir, "--kube-version", testcharts.KubeVersion); code != 0 {
		t.Fatalf("add: exit %d: %s", code, stderr)
	}
	if _, err := render.LoadAndRender(dir, render.Options{KubeVersion: testcharts.KubeVersion}); err != nil {
		t.Fatalf("the chart with the hook does not pass its own schema: %v", err)
	}
	for set, want := range map[string]string{
		"hooks.migration.backofLimit=1":         "backofLimit",
		"hooks.migration.backoffLimit=often":    "backoffLimit",
		"hooks.migration.enabled=maybe":         "enabled",
		"hooks.migration.image.pullPolicy[0]=x": "pullPolicy",
	} {
		_, err := render.LoadAndRender(dir, render.Options{KubeVersion: testcharts.KubeVersion, Set: []string{set}})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--set %s: %v, want a schema error naming %s", set, err, want)
		}
	}
}
