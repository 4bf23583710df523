//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
)

// Namespace creates a fresh namespace for t, waits until pods can be created
// in it (the default ServiceAccount exists), and on cleanup prints the Job
// and pod state, events and component logs if t failed, then deletes it.
// Hook Jobs survive helm uninstall, so a namespace per test keeps tests apart.
func (c *Cluster) Namespace(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	name := strings.ToLower(regexp.MustCompile(`[^a-zA-Z0-9]+`).ReplaceAllString(t.Name(), "-"))
	if len(name) > 50 {
		name = name[len(name)-50:]
	}
	name = strings.Trim(name, "-") + fmt.Sprintf("-%d", time.Now().UnixNano()%100000)
	t0 := time.Now()
	if _, err := c.Client.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create namespace %s: %v", name, err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("diagnostics for namespace %s:\n%s\n%s", name, c.Describe(name), c.LogTails(30))
		}
		_ = c.Client.CoreV1().Namespaces().Delete(context.Background(), name, metav1.DeleteOptions{})
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		if _, err := c.Client.CoreV1().ServiceAccounts(name).Get(ctx, "default", metav1.GetOptions{}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("namespace %s: default ServiceAccount not created after 30s", name)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("namespace %s ready (%.1fs)", name, time.Since(t0).Seconds())
	return name
}

// Describe returns the Jobs, pods and events of namespace ns, oldest event
// first: what one needs to see why a hook did not finish.
func (c *Cluster) Describe(ns string) string {
	ctx := context.Background()
	var b strings.Builder
	jobs, err := c.Client.BatchV1().Jobs(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		fmt.Fprintf(&b, "list jobs: %v\n", err)
	} else {
		fmt.Fprintf(&b, "Jobs (%d):\n", len(jobs.Items))
		for _, j := range jobs.Items {
			fmt.Fprintf(&b, "  %s created=%s active=%d succeeded=%d failed=%d conditions=%s annotations=%v\n",
				j.Name, j.CreationTimestamp.Format(time.TimeOnly), j.Status.Active, j.Status.Succeeded, j.Status.Failed,
				jobConditions(&j), j.Annotations)
		}
	}
	pods, err := c.Client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		fmt.Fprintf(&b, "list pods: %v\n", err)
	} else {
		fmt.Fprintf(&b, "Pods (%d):\n", len(pods.Items))
		for _, p := range pods.Items {
			fmt.Fprintf(&b, "  %s phase=%s node=%s sa=%s labels=%v\n", p.Name, p.Status.Phase, p.Spec.NodeName, p.Spec.ServiceAccountName, p.Labels)
		}
	}
	events, err := c.Client.CoreV1().Events(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		fmt.Fprintf(&b, "list events: %v\n", err)
	} else {
		items := events.Items
		sort.SliceStable(items, func(i, j int) bool { return eventTime(&items[i]).Before(eventTime(&items[j])) })
		fmt.Fprintf(&b, "Events (%d):\n", len(items))
		for _, e := range items {
			fmt.Fprintf(&b, "  %s %s %s/%s %s: %s (x%d)\n", eventTime(&e).Format(time.TimeOnly), e.Type,
				e.InvolvedObject.Kind, e.InvolvedObject.Name, e.Reason, e.Message, max(e.Count, 1))
		}
	}
	return b.String()
}

func eventTime(e *corev1.Event) time.Time {
	if !e.EventTime.IsZero() {
		return e.EventTime.Time
	}
	if !e.LastTimestamp.IsZero() {
		return e.LastTimestamp.Time
	}
	return e.CreationTimestamp.Time
}

func jobConditions(j *batchv1.Job) string {
	var cs []string
	for _, c := range j.Status.Conditions {
		if c.Status == corev1.ConditionTrue {
			cs = append(cs, string(c.Type)+"("+c.Reason+")")
		}
	}
	return "[" + strings.Join(cs, ",") + "]"
}

// JobEvent is one observed change of a Job, in the order the API server
// reported it.
type JobEvent struct {
	At   time.Time
	Kind string // created, complete, failed, deleted
	Name string
	UID  types.UID
	// Image is the first container's image (created events only), so tests
	// can see that a changed value changed the Job spec.
	Image string
}

func (e JobEvent) String() string { return e.Kind + " " + e.Name }

// JobWatch records every Job creation, completion, failure and deletion in a
// namespace as it happens (an informer on a watch, not a poll), so tests can
// assert the order Helm created hook Jobs in and what it deleted.
type JobWatch struct {
	mu     sync.Mutex
	cond   *sync.Cond
	events []JobEvent
	done   map[types.UID]string // UID -> complete/failed, each recorded once
	pods   []*corev1.Pod        // pods as first seen, in creation order
}

// WatchJobs starts recording Jobs and pods in ns until t ends.
func (c *Cluster) WatchJobs(t *testing.T, ns string) *JobWatch {
	t.Helper()
	w := &JobWatch{done: map[types.UID]string{}}
	w.cond = sync.NewCond(&w.mu)
	f := informers.NewSharedInformerFactoryWithOptions(c.Client, 0, informers.WithNamespace(ns))
	ji := f.Batch().V1().Jobs().Informer()
	_, err := ji.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			j := obj.(*batchv1.Job)
			e := JobEvent{At: time.Now(), Kind: "created", Name: j.Name, UID: j.UID}
			if cs := j.Spec.Template.Spec.Containers; len(cs) > 0 {
				e.Image = cs[0].Image
			}
			w.add(e)
			w.status(j)
		},
		UpdateFunc: func(_, obj any) { w.status(obj.(*batchv1.Job)) },
		DeleteFunc: func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			j := obj.(*batchv1.Job)
			w.add(JobEvent{At: time.Now(), Kind: "deleted", Name: j.Name, UID: j.UID})
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	pi := f.Core().V1().Pods().Informer()
	if _, err := pi.AddEventHandler(cache.ResourceEventHandlerFuncs{AddFunc: func(obj any) {
		w.mu.Lock()
		w.pods = append(w.pods, obj.(*corev1.Pod))
		w.mu.Unlock()
	}}); err != nil {
		t.Fatal(err)
	}
	startInformers(t, f)
	return w
}

func (w *JobWatch) add(e JobEvent) {
	w.mu.Lock()
	w.events = append(w.events, e)
	w.mu.Unlock()
	w.cond.Broadcast()
}

func (w *JobWatch) status(j *batchv1.Job) {
	for _, c := range j.Status.Conditions {
		if c.Status != corev1.ConditionTrue || (c.Type != batchv1.JobComplete && c.Type != batchv1.JobFailed) {
			continue
		}
		kind := "complete"
		if c.Type == batchv1.JobFailed {
			kind = "failed"
		}
		w.mu.Lock()
		_, seen := w.done[j.UID]
		w.done[j.UID] = kind
		w.mu.Unlock()
		if !seen {
			w.add(JobEvent{At: time.Now(), Kind: kind, Name: j.Name, UID: j.UID})
		}
	}
}

// Mark returns a position in the event log; Since(mark) returns what came after.
func (w *JobWatch) Mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.events)
}

// Since returns the events recorded after mark.
func (w *JobWatch) Since(mark int) []JobEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]JobEvent(nil), w.events[mark:]...)
}

// Pods returns every pod seen in the namespace, in the order they appeared.
func (w *JobWatch) Pods() []*corev1.Pod {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]*corev1.Pod(nil), w.pods...)
}

// WaitFor waits until ok holds for the events since mark, or timeout.
func (w *JobWatch) WaitFor(mark int, timeout time.Duration, ok func([]JobEvent) bool) bool {
	deadline := time.Now().Add(timeout)
	timer := time.AfterFunc(timeout, w.cond.Broadcast)
	defer timer.Stop()
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		if ok(w.events[mark:]) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		w.cond.Wait()
	}
}

// Helm runs one Helm CLI against the cluster with its own empty Helm home,
// so no user configuration or repository cache takes part.
type Helm struct {
	Major int
	Bin   string
	env   []string
}

func (c *Cluster) Helm(t *testing.T, major int) *Helm {
	t.Helper()
	bin := filepath.Join(c.bin, fmt.Sprintf("helm%d", major))
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("helm v%d not found at %s: run hack/e2e/build.sh", major, bin)
	}
	home := t.TempDir()
	env := append(os.Environ(),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"),
		"KUBECONFIG="+c.Kubeconfig,
	)
	h := &Helm{Major: major, Bin: bin, env: env}
	h.MustRun(t, time.Minute, "version", "--short")
	return h
}

// Result is what one Helm command did.
type Result struct {
	Args           []string
	Stdout, Stderr string
	Err            error
	Took           time.Duration
}

func (r Result) String() string {
	return fmt.Sprintf("helm %s: err=%v\nstdout:\n%s\nstderr:\n%s", strings.Join(r.Args, " "), r.Err, r.Stdout, r.Stderr)
}

// Run runs helm with args and logs the command and how long it took. The
// process is killed if it outlives limit (a hung Helm must not hang the suite).
func (h *Helm) Run(t *testing.T, limit time.Duration, args ...string) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, h.Bin, args...)
	cmd.Env = h.env
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	t0 := time.Now()
	err := cmd.Run()
	r := Result{Args: args, Stdout: out.String(), Stderr: errb.String(), Err: err, Took: time.Since(t0)}
	status := "ok"
	if err != nil {
		status = "FAILED: " + firstLine(r.Stderr)
	}
	if status == "ok" && len(args) > 0 && args[0] == "version" {
		status = strings.TrimSpace(r.Stdout)
	}
	t.Logf("helm v%d %s (%.1fs) %s", h.Major, strings.Join(args, " "), r.Took.Seconds(), status)
	return r
}

// MustRun is Run that fails the test when helm fails.
func (h *Helm) MustRun(t *testing.T, limit time.Duration, args ...string) Result {
	t.Helper()
	r := h.Run(t, limit, args...)
	if r.Err != nil {
		t.Fatalf("%s", r)
	}
	return r
}

// firstLine returns Helm's error line (it prints it last), cut to 300 bytes.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "\n"); i >= 0 {
		s = s[i+1:]
	}
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}

// startInformers starts the factory's informers until the test ends and
// waits for their first list.
func startInformers(t *testing.T, f informers.SharedInformerFactory) {
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	f.Start(stop)
	f.WaitForCacheSync(stop)
}
