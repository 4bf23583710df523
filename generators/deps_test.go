package generators

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// A database dependency counts whether or not `helm dependency build` has
// vendored it yet, from Chart.yaml (v2) or requirements.yaml (v1), and only
// when Helm would deploy it (its condition or tags).
func TestDatabaseDependency(t *testing.T) {
	const image = "image:\n  repository: busybox\n  tag: \"1.37\"\n"
	cases := []struct {
		name             string
		files            map[string]string
		set              []string
		want             string
		wantMigrationEvt string
	}{
		{
			name: "declared in Chart.yaml, charts/ empty",
			files: map[string]string{
				"Chart.yaml":  "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: postgresql\n    version: 16.x.x\n    repository: oci://registry-1.docker.io/bitnamicharts\n    condition: postgresql.enabled\n",
				"values.yaml": image + "postgresql:\n  enabled: true\n",
				"charts/":     "",
			},
			want: "postgresql", wantMigrationEvt: "post-install",
		},
		{
			name: "declared in requirements.yaml of a v1 chart, not downloaded",
			files: map[string]string{
				"Chart.yaml":        "apiVersion: v1\nname: app\nversion: 0.1.0\n",
				"requirements.yaml": "dependencies:\n- name: mysql\n  version: 0.10.1\n  repository: https://charts.helm.sh/stable\n  condition: mysql.enabled\n",
				"values.yaml":       image + "mysql:\n  enabled: true\n",
			},
			want: "mysql", wantMigrationEvt: "post-install",
		},
		{
			name: "condition false",
			files: map[string]string{
				"Chart.yaml":  "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: postgresql\n    version: 16.x.x\n    repository: oci://x\n    condition: postgresql.enabled\n",
				"values.yaml": image + "postgresql:\n  enabled: false\n",
			},
			want: "", wantMigrationEvt: "pre-install",
		},
		{
			name: "condition switched on by --set",
			files: map[string]string{
				"Chart.yaml":  "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: mariadb\n    version: 20.x.x\n    repository: oci://x\n    condition: db.enabled\n    alias: db\n",
				"values.yaml": image + "db:\n  enabled: false\n",
			},
			set:  []string{"db.enabled=true"},
			want: "mariadb", wantMigrationEvt: "post-install",
		},
		{
			name: "all tags false",
			files: map[string]string{
				"Chart.yaml":  "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: postgresql\n    version: 16.x.x\n    repository: oci://x\n    tags: [database]\n",
				"values.yaml": image + "tags:\n  database: false\n",
			},
			want: "", wantMigrationEvt: "pre-install",
		},
		{
			name: "no condition, no tags",
			files: map[string]string{
				"Chart.yaml":  "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: postgresql\n    version: 16.x.x\n    repository: oci://x\n",
				"values.yaml": image,
			},
			want: "postgresql", wantMigrationEvt: "post-install",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for p, s := range c.files {
				f := filepath.Join(dir, p)
				if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
					t.Fatal(err)
				}
				if s == "" && p[len(p)-1] == '/' {
					continue
				}
				if err := os.WriteFile(f, []byte(s), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			info, err := InspectWith(dir, "", render.Options{KubeVersion: "1.33.0", Set: c.set})
			if err != nil {
				t.Fatal(err)
			}
			if info.Database != c.want {
				t.Errorf("Database = %q, want %q", info.Database, c.want)
			}
			task, _ := LookupTask("migration")
			out, err := Generate(info, Request{Task: task, Command: []string{"./migrate"}})
			if err != nil {
				t.Fatal(err)
			}
			if got := out.Hook.Events[0].String(); got != c.wantMigrationEvt {
				t.Errorf("migration runs at %s first, want %s", got, c.wantMigrationEvt)
			}
		})
	}
}

// --chart pointing at a subchart vendored under an umbrella chart's charts/
// works, and says whose release runs the hook and where the parent
// overrides it (the dependency's alias).
func TestUmbrellaSubchart(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"Chart.yaml":                 "apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n  - name: api\n    version: 0.1.0\n    alias: backend\n",
		"charts/api/Chart.yaml":      "apiVersion: v2\nname: api\nversion: 0.1.0\n",
		"charts/api/values.yaml":     "image:\n  repository: registry.example/api\n  tag: \"1.0\"\n",
		"charts/api/templates/.keep": "",
	}
	testcharts.WriteTree(t, root, files)
	info, err := Inspect(filepath.Join(root, "charts", "api"), "1.33.0", "")
	if err != nil {
		t.Fatal(err)
	}
	task, _ := LookupTask("migration")
	out, err := Generate(info, Request{Task: task, Command: []string{"./migrate"}})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, n := range out.Notes {
		found = found || strings.Contains(n, "subchart of platform") && strings.Contains(n, "under backend.hooks.migration")
	}
	if !found {
		t.Errorf("no note on the umbrella chart: %q", out.Notes)
	}
}

// A hook added to a subchart is weighted against the whole release Helm runs
// it in: the parent's hooks and the other subcharts' (one order per event),
// not the subchart's alone.
func TestUmbrellaSubchartWeight(t *testing.T) {
	root := t.TempDir()
	job := func(name, events string, weight int, task string) string {
		return fmt.Sprintf("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: %s\n  labels:\n    hookgen.io/task: %q\n  annotations:\n    helm.sh/hook: %s\n    helm.sh/hook-weight: \"%d\"\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: x\n          image: busybox\n", name, task, events, weight)
	}
	files := map[string]string{
		"Chart.yaml":                        "apiVersion: v2\nname: platform\nversion: 1.0.0\ndependencies:\n  - name: api\n    version: 0.1.0\n  - name: worker\n    version: 0.1.0\n",
		"templates/backup.yaml":             job("platform-backup", "pre-upgrade", 3, "backup"),
		"charts/api/Chart.yaml":             "apiVersion: v2\nname: api\nversion: 0.1.0\n",
		"charts/api/values.yaml":            "image:\n  repository: registry.example/api\n  tag: \"1.0\"\n",
		"charts/api/templates/.keep":        "",
		"charts/worker/Chart.yaml":          "apiVersion: v2\nname: worker\nversion: 0.1.0\n",
		"charts/worker/templates/hook.yaml": job("worker-prepare", "pre-install", 4, ""),
	}
	testcharts.WriteTree(t, root, files)
	info, err := Inspect(filepath.Join(root, "charts", "api"), "1.33.0", "")
	if err != nil {
		t.Fatal(err)
	}
	task, _ := LookupTask("migration")
	out, err := Generate(info, Request{Task: task, Command: []string{"./migrate"}, Events: []release.HookEvent{release.HookPreInstall, release.HookPreUpgrade}})
	if err != nil {
		t.Fatal(err)
	}
	// After the parent's backup (3), and not tied with worker's hook (4).
	if out.Hook.Weight != 5 {
		t.Errorf("weight %d, want 5 (after platform's backup at 3, not tied with worker's hook at 4)", out.Hook.Weight)
	}
	for _, w := range out.Warnings {
		if strings.Contains(w, "same weight") {
			t.Errorf("tie warning: %s", w)
		}
	}
}

// outputFiles are the files an Output plans, for writeTree.
func outputFiles(out *Output) map[string]string {
	m := map[string]string{}
	for _, f := range out.Files {
		m[f.Path] = string(f.Content)
	}
	return m
}
