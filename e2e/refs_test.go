//go:build e2e

package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// naiveSecretMigration is a pre-install migration that runs as the
// namespace's default ServiceAccount (so admission lets its pod be created)
// but takes its environment from the release's own Secret, which Helm creates
// only after the pre-install hooks. A kubelet would keep the pod in
// CreateContainerConfigError until Helm's --timeout; the fake node runs it.
const naiveSecretMigration = `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "shop.fullname" . }}-migrate
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
        command: ["sh", "-c", "migrate up"]
        envFrom:
        - secretRef:
            name: {{ include "shop.fullname" . }}-db
`

// TestReferenceCheckCatchesNaiveHook shows that the reference check works:
// the naive migration's install succeeds on the fake node, and the check
// reports its Secret as missing at pre-install, for the Job and its pod. On
// upgrade the previous revision's Secret exists, and nothing is reported.
func TestReferenceCheckCatchesNaiveHook(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := helmCreate(t, h, "shop")
		writeFile(t, filepath.Join(chart, "templates", "db-secret.yaml"), dbSecret)
		writeFile(t, filepath.Join(chart, "templates", "migrate.yaml"), naiveSecretMigration)
		w := cluster.WatchJobs(t, ns)
		refs := cluster.WatchRefs(t, ns)

		mark, rmark := w.Mark(), refs.Mark()
		h.MustRun(t, 2*time.Minute, "install", "shop", chart, "-n", ns, "--timeout", "60s")
		w.WaitFor(mark, 10*time.Second, func(ev []JobEvent) bool { return len(names(ev, "deleted")) > 0 })
		missing, checked := refs.Missing(rmark, "install")
		var got []string
		for _, m := range missing {
			got = append(got, m.Event+" "+strings.SplitN(m.User, "-migrate", 2)[0]+" "+m.Object+" "+m.Field)
		}
		want := []string{
			"pre-install Job/shop Secret/shop-db containers[migrate].envFrom",
			"pre-install Pod/shop Secret/shop-db containers[migrate].envFrom",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("install: missing references\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		if checked != 2 {
			t.Errorf("install: %d hook Jobs and pods checked, want 2 (the Job and its pod)", checked)
		}
		for _, m := range missing {
			t.Logf("reported, as it should be: %s", m)
		}

		rmark = refs.Mark()
		h.MustRun(t, 2*time.Minute, "upgrade", "shop", chart, "-n", ns, "--timeout", "60s")
		refs.Check(t, rmark, "upgrade", "upgrade")
	})
}
