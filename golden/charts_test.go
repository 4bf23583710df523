package golden

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

func renderOpts() render.Options { return render.Options{KubeVersion: testcharts.KubeVersion} }

// withPostgres is a `helm create` chart that deploys its own PostgreSQL as
// an enabled dependency (Bitnami's chart, vendored in testdata/charts).
func withPostgres(t *testing.T) string {
	dir := testcharts.HelmCreate(t, "store")
	b, err := os.ReadFile(filepath.Join(testcharts.Root(), "golden", "testdata", "charts", "postgresql-11.9.13.tgz"))
	must(t, err)
	must(t, os.MkdirAll(filepath.Join(dir, "charts"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "charts", "postgresql-11.9.13.tgz"), b, 0o644))
	appendFile(t, filepath.Join(dir, "Chart.yaml"), `
dependencies:
  - name: postgresql
    version: 11.9.13
    repository: https://charts.bitnami.com/bitnami
    condition: postgresql.enabled
`)
	appendFile(t, filepath.Join(dir, "values.yaml"), `
# The release's own database.
postgresql:
  enabled: true
  auth:
    database: store
`)
	return dir
}

// withHooksKey is a `helm create` chart whose values already have a hooks: map.
func withHooksKey(t *testing.T) string {
	dir := testcharts.HelmCreate(t, "shop")
	appendFile(t, filepath.Join(dir, "values.yaml"), `
# Settings shared by the chart's hooks.
hooks:
  # -- Annotations for every hook pod
  podAnnotations: {}   # keep this comment

# A key after hooks, which must stay where it is.
extraObjects: []
`)
	return dir
}

func appendFile(t *testing.T, p, s string) {
	t.Helper()
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	must(t, err)
	_, err = f.WriteString(s)
	must(t, err)
	must(t, f.Close())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// withComponentLabel is a `helm create` chart whose labels helper also sets
// app.kubernetes.io/component: the hook's own component must replace it,
// not repeat the key (a repeated key fails strict decoding).
func withComponentLabel(t *testing.T) string {
	dir := testcharts.HelmCreate(t, "shop")
	p := filepath.Join(dir, "templates", "_helpers.tpl")
	b, err := os.ReadFile(p)
	must(t, err)
	const marker = "app.kubernetes.io/managed-by: {{ .Release.Service }}\n"
	s := string(b)
	if !strings.Contains(s, marker) {
		t.Fatalf("helm create's labels helper changed; no %q in it", marker)
	}
	s = strings.Replace(s, marker, marker+"app.kubernetes.io/component: web\n", 1)
	must(t, os.WriteFile(p, []byte(s), 0o644))
	return dir
}

// withStrictSchema is a `helm create` chart with a values.schema.json that
// allows no top-level key but its own (additionalProperties: false),
// indented with four spaces.
func withStrictSchema(t *testing.T) string {
	dir := testcharts.HelmCreate(t, "shop")
	strictSchema(t, dir)
	return dir
}

// strictSchema gives the chart in dir a values.schema.json that types each
// top-level key of its values.yaml and allows no other.
func strictSchema(t *testing.T, dir string) {
	b, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	must(t, err)
	var vals map[string]any
	must(t, yaml.Unmarshal(b, &vals))
	keys := slices.Sorted(maps.Keys(vals))
	var props []string
	for _, k := range keys {
		typ := "object"
		switch vals[k].(type) {
		case []any:
			typ = "array"
		case string:
			typ = "string"
		case int, int64, float64:
			typ = "integer"
		case bool:
			typ = "boolean"
		}
		props = append(props, fmt.Sprintf("        %q: {\n            \"type\": %q\n        }", k, typ))
	}
	schema := "{\n    \"$schema\": \"https://json-schema.org/draft-07/schema#\",\n    \"type\": \"object\",\n    \"additionalProperties\": false,\n    \"properties\": {\n" +
		strings.Join(props, ",\n") + "\n    }\n}\n"
	must(t, os.WriteFile(filepath.Join(dir, "values.schema.json"), []byte(schema), 0o644))
}

// withHelpersSubdir is a `helm create` chart that keeps its helpers in
// templates/_helpers/, in files whose names do not start with "_".
func withHelpersSubdir(t *testing.T) string {
	dir := testcharts.HelmCreate(t, "shop")
	tpl := filepath.Join(dir, "templates")
	b, err := os.ReadFile(filepath.Join(tpl, "_helpers.tpl"))
	must(t, err)
	must(t, os.Remove(filepath.Join(tpl, "_helpers.tpl")))
	must(t, os.MkdirAll(filepath.Join(tpl, "_helpers"), 0o755))
	// Names in one file, labels and the service account in another.
	s := string(b)
	i := strings.Index(s, "{{/*\nCommon labels")
	if i < 0 {
		t.Fatal("helm create's _helpers.tpl changed; no \"Common labels\" in it")
	}
	must(t, os.WriteFile(filepath.Join(tpl, "_helpers", "names.tpl"), []byte(s[:i]), 0o644))
	must(t, os.WriteFile(filepath.Join(tpl, "_helpers", "labels.tpl"), []byte(s[i:]), 0o644))
	return dir
}

// withIncludeByPath is a `helm create` chart whose Deployment carries a
// checksum of its ConfigMap, included by path, and whose labels helper
// includes that template by path too (a config hash on every object).
func withIncludeByPath(t *testing.T) string {
	dir := testcharts.HelmCreate(t, "shop")
	tpl := filepath.Join(dir, "templates")
	must(t, os.WriteFile(filepath.Join(tpl, "configmap.yaml"), []byte(`apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "shop.fullname" . }}
data:
  LOG_LEVEL: info
`), 0o644))
	p := filepath.Join(tpl, "deployment.yaml")
	b, err := os.ReadFile(p)
	must(t, err)
	const marker = "    metadata:\n      {{- with .Values.podAnnotations }}\n      annotations:\n        {{- toYaml . | nindent 8 }}\n      {{- end }}\n"
	if !strings.Contains(string(b), marker) {
		t.Fatal("helm create's deployment changed")
	}
	s := strings.Replace(string(b), marker, "    metadata:\n      annotations:\n        checksum/config: {{ include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum }}\n        {{- with .Values.podAnnotations }}\n        {{- toYaml . | nindent 8 }}\n        {{- end }}\n", 1)
	must(t, os.WriteFile(p, []byte(s), 0o644))
	h := filepath.Join(tpl, "_helpers.tpl")
	b, err = os.ReadFile(h)
	must(t, err)
	const marker2 = "app.kubernetes.io/managed-by: {{ .Release.Service }}\n"
	if !strings.Contains(string(b), marker2) {
		t.Fatal("helm create's labels helper changed")
	}
	s = strings.Replace(string(b), marker2, marker2+"shop.example/config: {{ include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum | trunc 16 | quote }}\n", 1)
	must(t, os.WriteFile(h, []byte(s), 0o644))
	return dir
}

// withDuplicateKeys is a `helm create` chart whose values.yaml sets a key
// twice, which Helm accepts (the later one wins).
func withDuplicateKeys(t *testing.T) string {
	dir := testcharts.HelmCreate(t, "shop")
	appendFile(t, filepath.Join(dir, "values.yaml"), `
# Set again further down, as long values files do; Helm takes this one.
replicaCount: 2
`)
	return dir
}

// withDatabase is a `helm create` chart that deploys its own database as an
// enabled dependency: Bitnami's chart db, vendored in testdata/charts as
// archive, with the parent's values for it.
func withDatabase(t *testing.T, name, archive, db, dbValues string) string {
	b, err := os.ReadFile(filepath.Join(testcharts.Root(), "golden", "testdata", "charts", archive))
	must(t, err)
	dir := testcharts.HelmCreate(t, name)
	must(t, os.MkdirAll(filepath.Join(dir, "charts"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "charts", archive), b, 0o644))
	appendFile(t, filepath.Join(dir, "Chart.yaml"), `
dependencies:
  - name: `+db+`
    version: "*"
    repository: oci://registry-1.docker.io/bitnamicharts
    condition: `+db+`.enabled
`)
	appendFile(t, filepath.Join(dir, "values.yaml"), "\n# The release's own database.\n"+db+":\n  enabled: true\n"+dbValues)
	return dir
}
