package chartview_test

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// checkRenderChange generates a hook for the chart in dir and requires
// RenderChange to return exactly what rendering the whole changed chart
// returns (hooks and manifests, content and order), and to have rendered
// only part of the chart when scoped says so.
func checkRenderChange(t *testing.T, dir string, ropts render.Options, image string, scoped bool) {
	t.Helper()
	ropts.KubeVersion = testcharts.KubeVersion
	info, err := generators.InspectWith(dir, "", ropts)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range []string{"migration", "backup"} {
		tk, _ := generators.LookupTask(task)
		req := generators.Request{Task: tk, Image: image, Command: []string{"true"}}
		out, err := generators.Generate(info, req)
		if err != nil && strings.Contains(err.Error(), "--no-app-context") {
			req.NoAppContext = true
			out, err = generators.Generate(info, req)
		}
		if err != nil {
			t.Fatalf("%s: %v", task, err)
		}
		m := generators.Contents(out.Files)
		if ok, err := info.Chart.ScopedRender(m); ok != scoped {
			t.Errorf("%s: scoped render %v, want %v", task, ok, scoped)
		} else if err != nil {
			// RenderChange falls back to a whole render when the scoped one
			// fails; here it must not have to.
			t.Errorf("%s: scoped render failed: %v", task, err)
		}
		got, err := info.Chart.RenderChange(m)
		if err != nil {
			t.Fatalf("%s: RenderChange: %v", task, err)
		}
		ch, err := render.LoadWith(dir, m)
		if err != nil {
			t.Fatal(err)
		}
		want, err := info.Chart.Render(ch, "", false)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Hooks) != len(want.Hooks) {
			t.Fatalf("%s: %d hooks, the whole render has %d", task, len(got.Hooks), len(want.Hooks))
		}
		for i := range want.Hooks {
			if !reflect.DeepEqual(got.Hooks[i], want.Hooks[i]) {
				t.Errorf("%s: hook %d is %s %s, the whole render's is %s %s", task, i, got.Hooks[i].Path, got.Hooks[i].Name, want.Hooks[i].Path, want.Hooks[i].Name)
			}
		}
		if len(got.Manifests) != len(want.Manifests) {
			t.Fatalf("%s: %d manifests, the whole render has %d", task, len(got.Manifests), len(want.Manifests))
		}
		for i := range want.Manifests {
			// Charts that generate passwords (randAlphaNum) render each
			// time differently: compare which object, not its bytes.
			if g, w := got.Manifests[i], want.Manifests[i]; g.Name != w.Name || objName(g.Head) != objName(w.Head) {
				t.Errorf("%s: manifest %d is %s of %s, the whole render's %s of %s", task, i, objName(g.Head), g.Name, objName(w.Head), w.Name)
			}
		}
	}
}

func TestRenderChangeHelmCreate(t *testing.T) {
	checkRenderChange(t, testcharts.HelmCreate(t, "shop"), render.Options{}, "", true)
}

// A template that reads the whole of .Values (here: dumps it) is rendered
// again; one that reads the hooks key too; the result is still the whole
// render's.
func TestRenderChangeRerendersWhatReadsTheChange(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	for name, body := range map[string]string{
		"dump.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dump\ndata:\n  values: {{ toJson .Values | quote }}\n",
		"counter.yaml": "{{- range $k, $v := .Values.hooks }}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hook-{{ $k }}\n  annotations:\n    helm.sh/hook: pre-install\n{{- end }}\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, "templates", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	checkRenderChange(t, dir, render.Options{}, "", true)
}

func TestCorpusRenderChange(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []string
	}{
		{"ingress-nginx", nil},
		{"kong", []string{"_values/kong-hooks.yaml"}},
		{"temporal", []string{"temporal/ci/postgres-values.yaml", "_values/temporal-hooks.yaml"}},
		{"argo-workflows", nil},
		{"bitnami-postgresql", []string{"_values/bitnami-postgresql-hooks.yaml"}},
		{"bitnami-keycloak", []string{"_values/bitnami-keycloak-hooks.yaml"}},
		{"keycloakx", []string{"_values/keycloakx-hooks.yaml"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			corpus := testcharts.CorpusDir()
			dir := testcharts.Corpus(t, c.name)
			var vf []string
			for _, v := range c.values {
				vf = append(vf, filepath.Join(corpus, v))
			}
			checkRenderChange(t, dir, render.Options{ValuesFiles: vf}, "registry.example/migrate:1.0", true)
		})
	}
}

func TestWideRenderChange(t *testing.T) {
	for _, name := range []string{"bitnami-argo-cd", "bitnami-grafana-loki", "bitnami-wordpress", "bitnami-ghost"} {
		t.Run(name, func(t *testing.T) {
			checkRenderChange(t, testcharts.Wide(t, name), render.Options{}, "registry.example/migrate:1.0", true)
		})
	}
}

func objName(h *releaseutil.SimpleHead) string {
	if h == nil || h.Metadata == nil {
		return "-"
	}
	return h.Kind + "/" + h.Metadata.Name
}
