//go:build e2e

package e2e

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The hand-written hooks below are the mistakes hookgen exists to prevent;
// each test shows the mistake happen in a real cluster. The hookgen side of
// each comparison is in hookgen_test.go.

// naiveMigration is a pre-install migration written the obvious way: it uses
// the chart's own ServiceAccount and database Secret, both normal release
// resources that Helm creates only after the pre-install hooks finished.
const naiveMigration = `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "shop.fullname" . }}-migrate
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-weight": "0"
    "helm.sh/hook-delete-policy": before-hook-creation,hook-succeeded
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      serviceAccountName: {{ include "shop.serviceAccountName" . }}
      containers:
      - name: migrate
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}"
        command: ["sh", "-c", "migrate up"]
        envFrom:
        - secretRef:
            name: {{ include "shop.fullname" . }}-db
`

const dbSecret = `apiVersion: v1
kind: Secret
metadata:
  name: {{ include "shop.fullname" . }}-db
stringData:
  DATABASE_URL: postgres://shop:secret@db:5432/shop
`

// TestNaivePreInstallMigrationHangs: the Job is created, but its pod can
// never be: admission rejects a pod whose ServiceAccount does not exist yet
// (a kubelet would equally refuse to start it without its Secret; the fake
// node cannot show that part). Helm waits for the hook until --timeout and
// the install fails.
func TestNaivePreInstallMigrationHangs(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := helmCreate(t, h, "shop")
		writeFile(t, filepath.Join(chart, "templates", "db-secret.yaml"), dbSecret)
		writeFile(t, filepath.Join(chart, "templates", "migrate.yaml"), naiveMigration)
		w := cluster.WatchJobs(t, ns)

		t0 := time.Now()
		r := h.Run(t, 2*time.Minute, "install", "shop", chart, "-n", ns, "--timeout", "20s")
		if r.Err == nil {
			t.Fatalf("install with the naive pre-install migration succeeded; want it to hang until --timeout\n%s", r)
		}
		if r.Took < 20*time.Second {
			t.Errorf("install failed after %.1fs, before its 20s timeout: not the hang this test is about\n%s", r.Took.Seconds(), r)
		}
		ev := w.Since(0)
		if got := names(ev, "created"); len(got) != 1 || got[0] != "shop-migrate" {
			t.Errorf("Jobs created: %v, want [shop-migrate]", got)
		}
		if got := names(ev, "complete"); len(got) != 0 {
			t.Errorf("Jobs completed: %v, want none", got)
		}
		if pods := jobPods(w, "shop-migrate"); len(pods) != 0 {
			t.Errorf("pods of shop-migrate: %v, want none (its ServiceAccount does not exist at pre-install)", pods)
		}
		// The reason, as a user would find it: kubectl describe job.
		desc := cluster.Describe(ns)
		mustContain(t, "events of the hung Job", desc, "FailedCreate", `serviceaccount "shop" not found`)
		t.Logf("helm v%d gave up after %.1fs: %s", h.Major, time.Since(t0).Seconds(), firstLine(r.Stderr))

		// The same chart with hookgen's migration instead: it does not use
		// what the release has not created yet, so the install goes through.
		chart = helmCreate(t, h, "shop")
		writeFile(t, filepath.Join(chart, "templates", "db-secret.yaml"), dbSecret)
		hookgenAdd(t, chart, "migration", "--command", "sh,-c,echo migrate")
		mark := w.Mark()
		h.MustRun(t, 2*time.Minute, "install", "hooked", chart, "-n", ns, "--timeout", "60s")
		w.WaitFor(mark, 10*time.Second, func(ev []JobEvent) bool { return len(names(ev, "deleted")) > 0 })
		ev = w.Since(mark)
		if got, want := createdDeleted(t, ev), []string{"created hooked-shop-migration", "deleted hooked-shop-migration"}; !slices.Equal(got, want) {
			t.Errorf("hookgen's migration: Job events %v, want %v", got, want)
		}
		if got := names(ev, "complete"); !slices.Equal(got, []string{"hooked-shop-migration"}) {
			t.Errorf("hookgen's migration: completed %v, want [hooked-shop-migration]", got)
		}
	})
}

// trapHook is a hook whose delete policy lacks before-hook-creation: it is
// kept after success ("for inspection") and its spec depends on a value.
const trapHook = `apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "trap.fullname" . }}-report
  annotations:
    "helm.sh/hook": post-install,post-upgrade
    "helm.sh/hook-delete-policy": hook-failed
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: report
        image: busybox:1.37
        command: ["sh", "-c", {{ .Values.reportMessage | default "echo report" | quote }}]
`

// TestV4TrapHookNotRerun: with a policy that lacks before-hook-creation, the
// successful Job from the last run is still there on upgrade. Helm v3 fails
// the upgrade ("already exists"). Helm v4 applies the hook server-side: with
// an unchanged spec the old Complete Job satisfies the wait, the upgrade
// succeeds and the hook silently does not run; with a changed spec the apply
// fails on the immutable pod template.
func TestV4TrapHookNotRerun(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := helmCreate(t, h, "trap")
		writeFile(t, filepath.Join(chart, "templates", "report.yaml"), trapHook)
		w := cluster.WatchJobs(t, ns)

		h.MustRun(t, time.Minute, "install", "trap", chart, "-n", ns, "--timeout", "60s")
		ev := w.Since(0)
		if got := names(ev, "complete"); len(got) != 1 || got[0] != "trap-report" {
			t.Fatalf("after install: Jobs completed %v, want [trap-report]", got)
		}
		firstUID := ev[0].UID
		if len(jobPods(w, "trap-report")) != 1 {
			t.Fatalf("after install: pods of trap-report %v, want one", jobPods(w, "trap-report"))
		}

		// Upgrade with nothing changed.
		mark := w.Mark()
		r := h.Run(t, time.Minute, "upgrade", "trap", chart, "-n", ns, "--timeout", "60s")
		time.Sleep(2 * time.Second) // let a (wrongly) re-created Job show up in the watch
		ev = w.Since(mark)
		switch h.Major {
		case 3:
			if r.Err == nil {
				t.Fatalf("v3 upgrade succeeded; want it to fail because the kept hook Job already exists\n%s", r)
			}
			mustContain(t, "v3 upgrade error", r.Stderr, `"trap-report" already exists`)
		case 4:
			if r.Err != nil {
				t.Fatalf("v4 upgrade failed; the trap is that it succeeds without running the hook\n%s", r)
			}
			if len(ev) != 0 {
				t.Errorf("v4 upgrade: Job events %v, want none (the hook is not re-run)", ev)
			}
			if pods := jobPods(w, "trap-report"); len(pods) != 1 {
				t.Errorf("v4 upgrade: pods of trap-report %v, want still only the install's pod", pods)
			}
			t.Logf("v4 trap shown: upgrade succeeded, Job %s (uid %s) from the install was reused, no pod ran", "trap-report", firstUID)
		}

		// Upgrade with a changed pod template.
		mark = w.Mark()
		r = h.Run(t, time.Minute, "upgrade", "trap", chart, "-n", ns, "--timeout", "60s", "--set", "reportMessage=echo changed")
		if r.Err == nil {
			t.Fatalf("upgrade with a changed hook spec succeeded; want it to fail on the kept Job\n%s", r)
		}
		if h.Major == 3 {
			mustContain(t, "v3 upgrade error", r.Stderr, "already exists")
		} else {
			mustContain(t, "v4 upgrade error", r.Stderr, "field is immutable")
		}
		if got := names(w.Since(mark), "created"); len(got) != 0 {
			t.Errorf("Jobs created by the failed upgrade: %v, want none", got)
		}
		if !strings.Contains(r.Stderr, "trap-report") {
			t.Errorf("the error does not name the hook Job:\n%s", r.Stderr)
		}

		// The same hook written by hookgen (its policy always includes
		// before-hook-creation) runs again on every upgrade, changed or not.
		chart = helmCreate(t, h, "trap")
		hookgenAdd(t, chart, "custom", "--name", "report", "--event", "post-install,post-upgrade",
			"--image", "busybox:1.37", "--command", "sh,-c,echo report")
		for i, set := range [][]string{nil, nil, {"--set", "hooks.report.command={sh,-c,echo changed}"}} {
			verb := []string{"upgrade", "hooked", chart}
			if i == 0 {
				verb[0] = "install"
			}
			mark := w.Mark()
			h.MustRun(t, time.Minute, append(append(verb, "-n", ns, "--timeout", "60s"), set...)...)
			w.WaitFor(mark, 10*time.Second, func(ev []JobEvent) bool { return len(names(ev, "deleted")) > 0 })
			ev := w.Since(mark)
			want := []string{"created hooked-trap-report", "deleted hooked-trap-report"}
			if got := createdDeleted(t, ev); !slices.Equal(got, want) || len(names(ev, "complete")) != 1 {
				t.Errorf("hookgen's hook, %s %v: Job events %v, want %v with the Job complete", verb[0], set, ev, want)
			}
		}
	})
}
