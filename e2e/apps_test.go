//go:build e2e

package e2e

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/hookgen/hookgen/internal/testcharts"
)

// bitnamiUpgradeValues: bitnami's postgresql refuses to render an upgrade
// without the passwords a live release would be given.
var bitnamiUpgradeValues = []string{"global.postgresql.auth.postgresPassword=pw"}

// externalSecret creates a Secret the release does not own, as a user
// creates the database credentials for a backup before installing.
func externalSecret(t *testing.T, ns, name string) {
	t.Helper()
	s := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: name}, StringData: map[string]string{"password": "pw"}}
	if _, err := cluster.Client.CoreV1().Secrets(ns).Create(context.Background(), s, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestDatabaseSubchartLifecycle: a `helm create` app that deploys its own
// PostgreSQL (Bitnami's chart as a vendored dependency). hookgen moves the
// migration to post-install (the database does not exist at pre-install) and
// keeps it at pre-upgrade; the lifecycle matches the plan and every hook finds
// what it references.
func TestDatabaseSubchartLifecycle(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := storeChart(t, h)
		externalSecret(t, ns, "store-db-backup")
		mig := hookgenAdd(t, chart, "migration", "--command", "sh,-c,echo migrate")
		if want := []string{"post-install", "pre-upgrade"}; !slices.Equal(mig.Hook.Events, want) {
			t.Errorf("migration events %v, want %v (the release's own database does not exist at pre-install)", mig.Hook.Events, want)
		}
		hookgenAdd(t, chart, "seed", "--command", "sh,-c,echo seed")
		hookgenAdd(t, chart, "backup", "--db-host", "store-postgresql", "--db-user", "postgres", "--db-secret", "store-db-backup")

		w := cluster.WatchJobs(t, ns)
		refs := cluster.WatchRefs(t, ns)
		pw := bitnamiUpgradeValues
		lifecycle(t, h, ns, chart, "store", []step{
			{name: "install", planOp: "install", args: []string{"install", "store", chart}, set: pw},
			{name: "upgrade", planOp: "upgrade", args: []string{"upgrade", "store", chart}, set: pw},
			{name: "upgrade with image.tag changed", planOp: "upgrade", args: []string{"upgrade", "store", chart}, set: append([]string{"image.tag=1.27.0"}, pw...)},
			{name: "rollback to revision 1", planOp: "rollback", args: []string{"rollback", "store", "1"}, set: pw},
			{name: "uninstall", planOp: "uninstall", args: []string{"uninstall", "store"}, set: pw},
		}, w, refs)
	})
}

// storeChart is a `helm create` app named store that deploys its own
// PostgreSQL: Bitnami's chart, vendored as a dependency, whose StatefulSet,
// Service and Secret are release resources like the app's.
func storeChart(t *testing.T, h *Helm) string {
	t.Helper()
	chart := helmCreate(t, h, "store")
	tgz, err := os.ReadFile(filepath.Join(testcharts.Root(), "golden", "testdata", "charts", "postgresql-11.9.13.tgz"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(chart, "charts", "postgresql-11.9.13.tgz"), string(tgz))
	appendTo(t, filepath.Join(chart, "Chart.yaml"), `
dependencies:
  - name: postgresql
    version: 11.9.13
    repository: https://charts.bitnami.com/bitnami
    condition: postgresql.enabled
`)
	appendTo(t, filepath.Join(chart, "values.yaml"), `
postgresql:
  enabled: true
  auth:
    database: store
`)
	return chart
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(s); err != nil {
		t.Fatal(err)
	}
}

// TestWideHackmdLifecycle: a real chart from ../shared/wide (HackMD, an
// apiVersion v1 chart with the stable PostgreSQL chart vendored under
// charts/) with a migration, a seed and a backup written by hookgen, through
// the whole lifecycle. Skipped, with one line, without ../shared/wide.
func TestWideHackmdLifecycle(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := testcharts.Wide(t, "helm-hackmd")
		externalSecret(t, ns, "hackmd-db-backup")
		mig := hookgenAdd(t, chart, "migration", "--command", "sh,-c,echo migrate")
		if want := []string{"post-install", "pre-upgrade"}; !slices.Equal(mig.Hook.Events, want) {
			t.Errorf("migration events %v, want %v (the release's own database does not exist at pre-install)", mig.Hook.Events, want)
		}
		hookgenAdd(t, chart, "seed", "--command", "sh,-c,echo seed")
		hookgenAdd(t, chart, "backup", "--db-host", "hackmd-postgresql", "--db-user", "hackmd", "--db-secret", "hackmd-db-backup")

		w := cluster.WatchJobs(t, ns)
		refs := cluster.WatchRefs(t, ns)
		images := lifecycle(t, h, ns, chart, "hackmd", []step{
			{name: "install", planOp: "install", args: []string{"install", "hackmd", chart}},
			{name: "upgrade", planOp: "upgrade", args: []string{"upgrade", "hackmd", chart}},
			{name: "upgrade with image.tag changed", planOp: "upgrade", args: []string{"upgrade", "hackmd", chart}, set: []string{"image.tag=1.3.1-alpine"}},
			{name: "rollback to revision 1", planOp: "rollback", args: []string{"rollback", "hackmd", "1"}},
			{name: "uninstall", planOp: "uninstall", args: []string{"uninstall", "hackmd"}},
		}, w, refs)
		if got := images["upgrade with image.tag changed"]["hackmd-migration"]; !strings.HasSuffix(got, "/hackmd:1.3.1-alpine") {
			t.Errorf("migration image after image.tag=1.3.1-alpine: %q, want the chart's image with the new tag", got)
		}
	})
}

// appContextChart is a `helm create` app whose Deployment takes its
// environment from a ConfigMap and a Secret the chart creates.
func appContextChart(t *testing.T, h *Helm) string {
	t.Helper()
	chart := helmCreate(t, h, "shop")
	path := filepath.Join(chart, "templates", "deployment.yaml")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const pull = "          imagePullPolicy: {{ .Values.image.pullPolicy }}\n"
	if !strings.Contains(string(b), pull) {
		t.Fatalf("%s: no imagePullPolicy line to add envFrom after", path)
	}
	writeFile(t, path, strings.Replace(string(b), pull, pull+`          envFrom:
            - configMapRef:
                name: {{ include "shop.fullname" . }}-config
            - secretRef:
                name: {{ include "shop.fullname" . }}-db
`, 1))
	writeFile(t, filepath.Join(chart, "templates", "config.yaml"), `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "shop.fullname" . }}-config
data:
  LOG_LEVEL: {{ .Values.logLevel | default "info" | quote }}
`)
	writeFile(t, filepath.Join(chart, "templates", "db-secret.yaml"), dbSecret)
	return chart
}

// TestAppContextLifecycle: hooks written in the app's context (its image and
// envFrom, which name a ConfigMap and a Secret of the release) run through the
// lifecycle, and at the moment each hook Job and pod is created both objects
// exist: hookgen moved the migration to post-install, where the release's
// objects exist, and at pre-upgrade the previous revision's do.
func TestAppContextLifecycle(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := appContextChart(t, h)
		mig := hookgenAdd(t, chart, "migration", "--command", "sh,-c,echo migrate")
		if want := []string{"post-install", "pre-upgrade"}; !slices.Equal(mig.Hook.Events, want) {
			t.Errorf("migration events %v, want %v (the app's ConfigMap and Secret do not exist at pre-install)", mig.Hook.Events, want)
		}
		hookgenAdd(t, chart, "seed", "--command", "sh,-c,echo seed")

		w := cluster.WatchJobs(t, ns)
		refs := cluster.WatchRefs(t, ns)
		lifecycle(t, h, ns, chart, "shop", []step{
			{name: "install", planOp: "install", args: []string{"install", "shop", chart}},
			{name: "upgrade", planOp: "upgrade", args: []string{"upgrade", "shop", chart}},
			{name: "upgrade with logLevel changed", planOp: "upgrade", args: []string{"upgrade", "shop", chart}, set: []string{"logLevel=debug"}},
			{name: "rollback to revision 1", planOp: "rollback", args: []string{"rollback", "shop", "1"}},
			{name: "uninstall", planOp: "uninstall", args: []string{"uninstall", "shop"}},
		}, w, refs)
		// The hooks really ran in the app's context: their pods take the
		// app's ConfigMap and Secret, so the reference check had them to check.
		for _, job := range []string{"shop-migration", "shop-seed"} {
			var from []string
			for _, p := range w.Pods() {
				if p.Labels["job-name"] != job {
					continue
				}
				for _, c := range p.Spec.Containers {
					for _, e := range c.EnvFrom {
						if e.ConfigMapRef != nil {
							from = append(from, "ConfigMap/"+e.ConfigMapRef.Name)
						}
						if e.SecretRef != nil {
							from = append(from, "Secret/"+e.SecretRef.Name)
						}
					}
				}
				break
			}
			if !slices.Contains(from, "ConfigMap/shop-config") || !slices.Contains(from, "Secret/shop-db") {
				t.Errorf("%s pod envFrom %v, want the app's ConfigMap/shop-config and Secret/shop-db", job, from)
			}
		}
	})
}
