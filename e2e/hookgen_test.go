//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

var (
	hookgenOnce sync.Once
	hookgenBin  string
	hookgenErr  error
)

// hookgen builds the hookgen binary from this checkout once per run.
func hookgen(t *testing.T) string {
	t.Helper()
	hookgenOnce.Do(func() {
		t0 := time.Now()
		root, err := filepath.Abs("..")
		if err != nil {
			hookgenErr = err
			return
		}
		hookgenBin = filepath.Join(cluster.Dir, "hookgen")
		cmd := exec.Command("go", "build", "-o", hookgenBin, "./cmd/hookgen")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			hookgenErr = fmt.Errorf("go build ./cmd/hookgen: %v\n%s", err, out)
			return
		}
		fmt.Fprintf(os.Stderr, "e2e: built hookgen in %.1fs\n", time.Since(t0).Seconds())
	})
	if hookgenErr != nil {
		t.Fatal(hookgenErr)
	}
	return hookgenBin
}

// runHookgen runs hookgen and fails the test unless it exits 0.
func runHookgen(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(hookgen(t), args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("hookgen %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out.String(), errb.String())
	}
	t.Logf("hookgen %s (%.1fs)", strings.Join(args, " "), time.Since(t0).Seconds())
	return out.Bytes()
}

// addResult is the part of `hookgen add -o json` the suite uses.
type addResult struct {
	Hook struct {
		Name           string   `json:"name"`
		Events         []string `json:"events"`
		Weight         int      `json:"weight"`
		DeletePolicies []string `json:"deletePolicies"`
	} `json:"hook"`
	Order map[string][]struct {
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		Weight int    `json:"weight"`
	} `json:"order"`
}

func hookgenAdd(t *testing.T, chart string, args ...string) addResult {
	t.Helper()
	out := runHookgen(t, append(append([]string{"add"}, args...), "--chart", chart, "--yes", "-o", "json")...)
	var r addResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("hookgen add -o json: %v\n%s", err, out)
	}
	return r
}

// planJSON is the part of `hookgen plan -o json` the suite checks the
// cluster against.
type planJSON struct {
	Operations []struct {
		Operation string `json:"operation"`
		Error     string `json:"error"`
		Steps     []struct {
			Event  string `json:"event"`
			Action string `json:"action"`
			Kind   string `json:"kind"`
			Name   string `json:"name"`
			Reason string `json:"reason"`
		} `json:"steps"`
	} `json:"operations"`
}

// hookgenPlan returns hookgen's prediction for one operation, rendered as
// Helm will render it for release in ns with the given --set values.
func hookgenPlan(t *testing.T, chart, release, ns, op string, set ...string) planJSON {
	t.Helper()
	args := []string{"plan", chart, "--release", release, "-n", ns, "--operation", op, "-o", "json"}
	for _, s := range set {
		args = append(args, "--set", s)
	}
	out := runHookgen(t, args...)
	var p planJSON
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatalf("hookgen plan -o json: %v\n%s", err, out)
	}
	if len(p.Operations) != 1 || p.Operations[0].Operation != op || p.Operations[0].Error != "" {
		t.Fatalf("hookgen plan --operation %s: unexpected operations %+v", op, p.Operations)
	}
	return p
}

// predict turns the plan's steps for Jobs into the Job events the cluster
// must show, given the hook Jobs that exist before the operation: a
// before-hook-creation delete only shows when there is something to delete.
// It returns the events ("created X", "deleted X") and the Jobs left after.
func (p planJSON) predict(live map[string]bool) (want []string, after map[string]bool) {
	after = map[string]bool{}
	for k, v := range live {
		after[k] = v
	}
	for _, s := range p.Operations[0].Steps {
		if s.Kind != "Job" {
			continue
		}
		switch s.Action {
		case "create":
			want = append(want, "created "+s.Name)
			after[s.Name] = true
		case "delete":
			if after[s.Name] {
				want = append(want, "deleted "+s.Name)
				delete(after, s.Name)
			}
		}
	}
	return want, after
}

// seq returns the created and deleted events in order.
func seq(ev []JobEvent) []string {
	var out []string
	for _, e := range ev {
		if e.Kind == "created" || e.Kind == "deleted" {
			out = append(out, e.String())
		}
	}
	return out
}

// createdDeleted returns seq(ev), and fails the test if a created Job did
// not finish before the next was created (Helm waits for each hook Job
// before creating the next).
func createdDeleted(t *testing.T, ev []JobEvent) []string {
	t.Helper()
	var waiting *JobEvent
	for i, e := range ev {
		switch e.Kind {
		case "created":
			if waiting != nil {
				t.Errorf("Job %s was created before %s finished", e.Name, waiting.Name)
			}
			waiting = &ev[i]
		case "complete", "failed":
			if waiting != nil && waiting.UID == e.UID {
				waiting = nil
			}
		}
	}
	return seq(ev)
}

// liveJobs lists the Jobs in ns from the API server.
func liveJobs(t *testing.T, ns string) map[string]bool {
	t.Helper()
	l, err := cluster.Client.BatchV1().Jobs(ns).List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, j := range l.Items {
		out[j.Name] = true
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// shopChart is a `helm create` chart with four hooks, each written by
// `hookgen add`: backup, migration and seed with their defaults, and a
// custom post-upgrade hook that keeps its Job after success
// (--delete-policy before-hook-creation), so the lifecycle sees both a Job
// deleted by hook-succeeded and one kept, then replaced on the next run.
func shopChart(t *testing.T, h *Helm) string {
	t.Helper()
	chart := helmCreate(t, h, "shop")
	hookgenAdd(t, chart, "backup")
	hookgenAdd(t, chart, "migration", "--command", "sh,-c,echo migrate")
	hookgenAdd(t, chart, "seed", "--command", "sh,-c,echo seed")
	r := hookgenAdd(t, chart, "custom", "--name", "warm-cache", "--event", "post-upgrade",
		"--image", "busybox:1.37", "--command", "sh,-c,echo warm", "--delete-policy", "before-hook-creation")
	t.Logf("hook order reported by the last hookgen add: %v", r.Order)
	return chart
}

// step is one Helm operation of a lifecycle and the plan operation that
// predicts its hooks.
type step struct {
	name   string   // for the log
	planOp string   // install, upgrade, rollback, uninstall
	args   []string // helm arguments after the verb's release and chart
	set    []string // --set values, also given to hookgen plan
}

// TestGeneratedHooksLifecycle installs, upgrades twice (the second time with
// a changed value, so Job specs change), rolls back and uninstalls a chart
// whose hooks hookgen wrote, and checks against a live watch of the Jobs that
// every command succeeds, every hook Job is created in exactly the order
// `hookgen plan` predicts, completes, and is deleted or kept as its policy says.
func TestGeneratedHooksLifecycle(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := shopChart(t, h)
		w := cluster.WatchJobs(t, ns)
		refs := cluster.WatchRefs(t, ns)
		const rel = "shop"

		steps := []step{
			{name: "install", planOp: "install", args: []string{"install", rel, chart}},
			{name: "upgrade", planOp: "upgrade", args: []string{"upgrade", rel, chart}},
			{name: "upgrade with image.tag changed", planOp: "upgrade", args: []string{"upgrade", rel, chart}, set: []string{"image.tag=1.27.0"}},
			{name: "rollback to revision 1", planOp: "rollback", args: []string{"rollback", rel, "1"}},
			{name: "uninstall", planOp: "uninstall", args: []string{"uninstall", rel}},
		}
		images := lifecycle(t, h, ns, chart, rel, steps, w, refs)
		// The changed value reached the migration Job (it runs the chart's image).
		before, changed := images["upgrade"]["shop-migration"], images["upgrade with image.tag changed"]["shop-migration"]
		if before == "" || !strings.HasSuffix(changed, ":1.27.0") {
			t.Errorf("migration image: %q on the first upgrade, %q after image.tag=1.27.0; want the new tag", before, changed)
		}
		// The kept hook Job outlives the release (Helm never deletes hooks on
		// uninstall); every other Job was deleted by hook-succeeded.
		if live := sortedKeys(liveJobs(t, ns)); !slices.Equal(live, []string{"shop-warm-cache"}) {
			t.Errorf("Jobs after uninstall %v, want [shop-warm-cache]", live)
		}
		// Every hook Job ran at least once.
		var all []string
		for _, e := range w.Since(0) {
			if e.Kind == "complete" && !slices.Contains(all, e.Name) {
				all = append(all, e.Name)
			}
		}
		slices.Sort(all)
		if want := []string{"shop-backup", "shop-migration", "shop-seed", "shop-warm-cache"}; !slices.Equal(all, want) {
			t.Errorf("hook Jobs that completed: %v, want %v", all, want)
		}
	})
}

// lifecycle runs the Helm operations of steps on chart as release rel in ns
// and checks each against the cluster: the command succeeds, hook Jobs are
// created and deleted exactly as `hookgen plan` predicts, each completes
// before the next starts, the Jobs left are the ones policies keep, every
// object a hook references existed when the hook was created, and the
// release is deployed. It returns the image of each Job created, per step.
func lifecycle(t *testing.T, h *Helm, ns, chart, rel string, steps []step, w *JobWatch, refs *RefWatch) map[string]map[string]string {
	t.Helper()
	timeout := []string{"-n", ns, "--timeout", "2m"}
	images := map[string]map[string]string{} // step -> Job -> image
	for _, s := range steps {
		before := liveJobs(t, ns)
		p := hookgenPlan(t, chart, rel, ns, s.planOp, s.set...)
		want, after := p.predict(before)
		mark, rmark := w.Mark(), refs.Mark()
		args := append(append([]string(nil), s.args...), timeout...)
		// Only install and upgrade render; the plan renders every operation.
		for _, v := range s.set {
			if s.args[0] == "install" || s.args[0] == "upgrade" {
				args = append(args, "--set", v)
			}
		}
		r := h.MustRun(t, 3*time.Minute, args...)
		// The generated hooks ask for logs on failure only.
		if strings.Contains(r.Stdout+r.Stderr, ContainerLog) {
			t.Errorf("%s: helm printed a hook's logs although every hook succeeded (log policy hook-failed)", s.name)
		}
		// Deletions Helm does not wait for (v4) may reach the watch a
		// moment after helm exits.
		w.WaitFor(mark, 15*time.Second, func(ev []JobEvent) bool { return len(seq(ev)) >= len(want) })
		ev := w.Since(mark)
		// Every object a hook Job or pod references existed when it was created.
		refs.Check(t, rmark, s.planOp, s.name)
		got := createdDeleted(t, ev)
		if !slices.Equal(got, want) {
			t.Errorf("%s: Job events in the cluster:\n  %s\nwant, from hookgen plan:\n  %s",
				s.name, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
		}
		for _, e := range ev {
			if e.Kind == "failed" {
				t.Errorf("%s: Job %s failed", s.name, e.Name)
			}
		}
		created := names(ev, "created")
		if c := names(ev, "complete"); len(c) != len(created) {
			t.Errorf("%s: created %v but completed %v", s.name, created, c)
		}
		if live := liveJobs(t, ns); !slices.Equal(sortedKeys(live), sortedKeys(after)) {
			t.Errorf("%s: Jobs left in the cluster %v, want %v (kept by policy)", s.name, sortedKeys(live), sortedKeys(after))
		}
		images[s.name] = map[string]string{}
		for _, e := range ev {
			if e.Kind == "created" {
				images[s.name][e.Name] = e.Image
			}
		}
		t.Logf("%s: %d hook Jobs ran; Job events as planned: %s", s.name, len(created), strings.Join(got, ", "))
		if s.planOp != "uninstall" {
			st := h.MustRun(t, time.Minute, "status", rel, "-n", ns, "-o", "json")
			var status struct {
				Info struct{ Status string } `json:"info"`
			}
			if err := json.Unmarshal([]byte(st.Stdout), &status); err != nil || status.Info.Status != "deployed" {
				t.Errorf("%s: release status %q (%v), want deployed", s.name, status.Info.Status, err)
			}
		}
	}
	return images
}

// TestFailingHook makes hookgen's migration fail on upgrade through its
// values (kwok fails pods carrying its failure label; hooks.migration.podLabels
// puts the label on the pod) and checks what a user relies on: the upgrade
// fails naming the Job, the backup that ran before it is still cleaned up,
// later hooks do not run, the failed Job stays for inspection, Helm prints
// the pod's logs because the generated hook asks for them on failure
// (helm.sh/hook-output-log-policy: hook-failed), and the next upgrade
// replaces the failed Job and succeeds.
func TestFailingHook(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := shopChart(t, h)
		w := cluster.WatchJobs(t, ns)
		h.MustRun(t, 3*time.Minute, "install", "shop", chart, "-n", ns, "--timeout", "2m")

		mark := w.Mark()
		r := h.Run(t, 3*time.Minute, "upgrade", "shop", chart, "-n", ns, "--timeout", "2m",
			"--set-string", `hooks.migration.podLabels.pod-container-running-failed\.stage\.kwok\.x-k8s\.io=true`,
			"--set", "hooks.migration.backoffLimit=0")
		if r.Err == nil {
			t.Fatalf("upgrade with a failing migration succeeded\n%s", r)
		}
		switch h.Major {
		case 3:
			mustContain(t, "v3 error", r.Stderr, "job shop-migration failed: BackoffLimitExceeded")
		case 4:
			mustContain(t, "v4 error", r.Stderr, "resource Job/"+ns+"/shop-migration not ready. status: Failed")
		}
		// The log policy: Helm fetched the failed pod's log and printed it.
		mustContain(t, "helm output", r.Stdout+r.Stderr, ContainerLog)
		if !strings.Contains(r.Stdout+r.Stderr, ContainerLog) {
			for _, p := range jobPods(w, "shop-migration") {
				out, err := cluster.Client.CoreV1().Pods(ns).GetLogs(p, &corev1.PodLogOptions{Container: "migration"}).DoRaw(context.Background())
				t.Logf("the API server, asked for the logs of %s: %q %v", p, out, err)
			}
			n, _ := cluster.Client.CoreV1().Nodes().Get(context.Background(), nodeName, metav1.GetOptions{})
			t.Logf("node addresses %v, kubelet endpoint %v", n.Status.Addresses, n.Status.DaemonEndpoints)
		}

		w.WaitFor(mark, 10*time.Second, func(ev []JobEvent) bool { return len(names(ev, "deleted")) > 0 })
		ev := w.Since(mark)
		want := []string{"created shop-backup", "created shop-migration", "deleted shop-backup"}
		if got := createdDeleted(t, ev); !slices.Equal(got, want) {
			t.Errorf("Job events of the failed upgrade %v, want %v (backup cleaned up, nothing after the migration)", got, want)
		}
		if got := names(ev, "failed"); !slices.Equal(got, []string{"shop-migration"}) {
			t.Errorf("failed Jobs %v, want [shop-migration]", got)
		}
		job, err := cluster.Client.BatchV1().Jobs(ns).Get(context.Background(), "shop-migration", metav1.GetOptions{})
		if err != nil {
			t.Fatalf("the failed migration Job is gone; want it kept for inspection: %v", err)
		}
		if c := jobConditions(job); !strings.Contains(c, "Failed") {
			t.Errorf("kept Job conditions %s, want Failed", c)
		}
		hist := h.MustRun(t, time.Minute, "history", "shop", "-n", ns, "-o", "json")
		var revs []struct {
			Revision int    `json:"revision"`
			Status   string `json:"status"`
		}
		if err := json.Unmarshal([]byte(hist.Stdout), &revs); err != nil || len(revs) != 2 || revs[1].Status != "failed" || revs[0].Status != "deployed" {
			t.Errorf("history %+v (%v), want revision 1 deployed and 2 failed", revs, err)
		}

		// Fixed values: before-hook-creation removes the failed Job and the
		// hook runs again, exactly as the plan says.
		before := liveJobs(t, ns)
		wantFix, after := hookgenPlan(t, chart, "shop", ns, "upgrade").predict(before)
		mark = w.Mark()
		h.MustRun(t, 3*time.Minute, "upgrade", "shop", chart, "-n", ns, "--timeout", "2m")
		w.WaitFor(mark, 15*time.Second, func(ev []JobEvent) bool {
			return len(seq(ev)) >= len(wantFix)
		})
		if got := createdDeleted(t, w.Since(mark)); !slices.Equal(got, wantFix) || !contains(got, "deleted shop-migration") {
			t.Errorf("upgrade after the fix: Job events %v, want %v (the failed migration replaced)", got, wantFix)
		}
		if live := liveJobs(t, ns); !slices.Equal(sortedKeys(live), sortedKeys(after)) {
			t.Errorf("after the fixed upgrade: Jobs %v, want %v", sortedKeys(live), sortedKeys(after))
		}
	})
}
