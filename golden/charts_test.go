package golden

import (
	"os"
	"path/filepath"
	"testing"

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
