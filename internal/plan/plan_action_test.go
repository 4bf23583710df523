package plan_test

// The proof that `hookgen plan` is Helm's order: drive Helm v4's own
// pkg/action (Install, Upgrade, Rollback, ReleaseTesting, Uninstall) with a
// recording fake Kubernetes client and the in-memory release store, and
// assert that the plan lists exactly the create, delete and wait calls Helm
// made, in the same order, plus where the release's own resources were
// applied or deleted (and in which order Helm passed them to the client).
//
// Helm v3.22 makes the same hook calls in the same order for these charts
// (same execHook, same weight/name/kind sort in pkg/action/hooks.go), with
// these differences the plan does not show (it models Helm v4):
//   - v3's kind order lacks MutatingWebhookConfiguration and
//     ValidatingWebhookConfiguration, so hooks of those kinds with equal
//     weight and name sort as unknown kinds (last, alphabetically);
//   - v3 waits for every hook deletion (polling until NotFound), v4's
//     default hookOnly strategy does not wait;
//   - v3 `helm test` deletes hook-succeeded test hooks before `--logs` can
//     read them; v4 deletes them after the logs;
//   - v3 uninstall deletes every release resource; v4 first checks
//     ownership and skips resources another release owns.

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/action"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/kube"
	kubefake "helm.sh/helm/v4/pkg/kube/fake"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"helm.sh/helm/v4/pkg/storage"
	"helm.sh/helm/v4/pkg/storage/driver"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/cli-runtime/pkg/resource"
	"k8s.io/client-go/rest/fake"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/sharedcharts"
	"github.com/hookgen/hookgen/internal/testcharts"
)

const (
	testRelease   = "demo"
	testNamespace = "hooks"
	testKube      = "1.33.0"
)

// recorder is a kube.Interface that builds real resource.Infos from the
// manifests Helm hands it (the stock fake returns none, so its calls carry
// no names) and records every create, update, delete and hook wait.
type recorder struct {
	kubefake.PrintingKubeClient
	mu    sync.Mutex
	calls []string
	// rest, when set, answers every GET with 404 (install's check that no
	// release resource already exists); nil makes uninstall treat every
	// resource as owned, as Helm does for Infos without a client.
	rest resource.RESTClient
	// stored reports whether the release record exists yet: Create calls
	// before it are install's crds/ step.
	stored func() bool
}

func (r *recorder) record(verb string, rs kube.ResourceList) {
	if len(rs) == 0 {
		return
	}
	hook := false
	var refs []string
	for _, info := range rs {
		u := info.Object.(*unstructured.Unstructured)
		// Read the map directly: GetAnnotations gives up on a non-string
		// value such as an unquoted hook weight.
		ann, _, _ := unstructured.NestedFieldNoCopy(u.Object, "metadata", "annotations")
		if m, ok := ann.(map[string]any); ok {
			if _, ok := m["helm.sh/hook"]; ok {
				hook = true
			}
		}
		refs = append(refs, u.GetKind()+"/"+u.GetName())
	}
	var line string
	switch {
	case hook && len(refs) == 1:
		line = verb + " " + refs[0]
	case hook:
		panic(fmt.Sprintf("a hook call with %d objects: %v", len(refs), refs))
	case verb == "create" && r.stored != nil && !r.stored():
		line = "install-crds " + strings.Join(refs, ",")
	case verb == "create" || verb == "update":
		line = "apply-release " + strings.Join(refs, ",")
	case verb == "delete":
		line = "delete-release " + strings.Join(refs, ",")
	default:
		return // waits on release resources: not hook steps
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, line)
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	return out
}

func (r *recorder) Build(in io.Reader, _ bool) (kube.ResourceList, error) {
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	var out kube.ResourceList
	docs := releaseutil.SplitManifests(string(b))
	keys := make([]string, 0, len(docs))
	for k := range docs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if releaseutil.BySplitManifestsOrder([]string{a, b}).Less(0, 1) {
			return -1
		}
		return 1
	})
	for _, k := range keys {
		m := map[string]any{}
		if err := yaml.Unmarshal([]byte(docs[k]), &m); err != nil {
			return nil, err
		}
		if len(m) == 0 {
			continue
		}
		u := &unstructured.Unstructured{Object: m}
		gvk := u.GroupVersionKind()
		ns := u.GetNamespace()
		if ns == "" {
			ns = testNamespace
		}
		out = append(out, &resource.Info{
			Name: u.GetName(), Namespace: ns, Object: u, Client: r.rest,
			Mapping: &meta.RESTMapping{
				GroupVersionKind: gvk,
				Resource:         schema.GroupVersionResource{Group: gvk.Group, Version: gvk.Version, Resource: strings.ToLower(gvk.Kind) + "s"},
				Scope:            meta.RESTScopeNamespace,
			},
		})
	}
	return out, nil
}

func (r *recorder) Create(rs kube.ResourceList, _ ...kube.ClientCreateOption) (*kube.Result, error) {
	r.record("create", rs)
	return &kube.Result{Created: rs}, nil
}

func (r *recorder) Update(_, target kube.ResourceList, _ ...kube.ClientUpdateOption) (*kube.Result, error) {
	r.record("update", target)
	return &kube.Result{Updated: target}, nil
}

func (r *recorder) Delete(rs kube.ResourceList, _ metav1.DeletionPropagation) (*kube.Result, []error) {
	r.record("delete", rs)
	return &kube.Result{Deleted: rs}, nil
}

func (r *recorder) GetWaiter(ws kube.WaitStrategy) (kube.Waiter, error) {
	return r.GetWaiterWithOptions(ws)
}

func (r *recorder) GetWaiterWithOptions(kube.WaitStrategy, ...kube.WaitOption) (kube.Waiter, error) {
	return &recWaiter{PrintingKubeWaiter: kubefake.PrintingKubeWaiter{Out: io.Discard, LogOutput: io.Discard}, r: r}, nil
}

// recWaiter records WatchUntilReady, the wait execHook does after each hook.
type recWaiter struct {
	kubefake.PrintingKubeWaiter
	r *recorder
}

func (w *recWaiter) WatchUntilReady(rs kube.ResourceList, _ time.Duration) error {
	// Helm calls WatchUntilReady for every hook, but the real waiters only
	// wait on Jobs and Pods; other kinds return at once (v4 pkg/kube/statuswait.go WatchUntilReady, wait.go watchUntilReady).
	var jp kube.ResourceList
	for _, info := range rs {
		if k := info.Object.GetObjectKind().GroupVersionKind().Kind; k == "Job" || k == "Pod" {
			jp = append(jp, info)
		}
	}
	w.r.record("wait", jp)
	return nil
}

func notFoundClient() resource.RESTClient {
	return &fake.RESTClient{
		NegotiatedSerializer: resource.UnstructuredPlusDefaultContentConfig().NegotiatedSerializer,
		Client: fake.CreateHTTPClient(func(*http.Request) (*http.Response, error) {
			h := http.Header{}
			h.Set("Content-Type", "application/json")
			body := `{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}`
			return &http.Response{StatusCode: http.StatusNotFound, Header: h, Body: io.NopCloser(strings.NewReader(body))}, nil
		}),
	}
}

// planLines turns one operation of the plan into the recorder's words.
func planLines(op plan.OperationPlan) []string {
	var out []string
	for _, s := range op.Steps {
		refs := make([]string, len(s.Resources))
		for i, r := range s.Resources {
			refs[i] = r.Kind + "/" + r.Name
		}
		switch s.Action {
		case plan.ActionDelete, plan.ActionCreate, plan.ActionWait:
			out = append(out, string(s.Action)+" "+s.Kind+"/"+s.Name)
		default:
			if len(refs) > 0 {
				out = append(out, string(s.Action)+" "+strings.Join(refs, ","))
			}
		}
	}
	return out
}

type chartCase struct {
	name   string
	path   string
	values []string
	set    []string
}

func corpusCases(t *testing.T) []chartCase {
	corpus := testcharts.Shared(t, sharedcharts.Corpus)
	c := func(name string, values ...string) chartCase {
		return chartCase{name: "corpus/" + name, path: filepath.Join(corpus, name), values: values}
	}
	// Values files as the corpus README names them.
	return []chartCase{
		c("ingress-nginx"),
		{name: "corpus/ingress-nginx-renamed-sa", path: filepath.Join(corpus, "ingress-nginx"), values: []string{filepath.Join(corpus, "_values/ingress-nginx-renamed-sa.yaml")}},
		// bitnami's postgresql refuses to render as an upgrade without the
		// passwords a live release would supply.
		{name: "corpus/kong", path: filepath.Join(corpus, "kong"), values: []string{filepath.Join(corpus, "_values/kong-hooks.yaml")},
			set: []string{"global.postgresql.auth.postgresPassword=pw,global.postgresql.auth.password=pw"}},
		c("temporal", filepath.Join(corpus, "temporal/ci/postgres-values.yaml"), filepath.Join(corpus, "_values/temporal-hooks.yaml")),
		c("argo-workflows"),
		c("bitnami-postgresql", filepath.Join(corpus, "_values/bitnami-postgresql-hooks.yaml")),
		{name: "corpus/bitnami-keycloak", path: filepath.Join(corpus, "bitnami-keycloak"), values: []string{filepath.Join(corpus, "_values/bitnami-keycloak-hooks.yaml")},
			set: []string{"global.postgresql.auth.password=pw,auth.adminPassword=pw"}},
		c("keycloakx", filepath.Join(corpus, "_values/keycloakx-hooks.yaml")),
	}
}

// TestPlanMatchesHelmActions runs the purpose-built charts of testdata;
// TestCorpusPlanMatchesHelmActions the shared corpus (make test-corpus).
func TestPlanMatchesHelmActions(t *testing.T) {
	var cases []chartCase
	for _, n := range []string{"ties", "weights", "events", "policies", "umbrella"} {
		cases = append(cases, chartCase{name: n, path: filepath.Join("testdata", n)})
	}
	planMatchesHelmActions(t, cases)
}

func TestCorpusPlanMatchesHelmActions(t *testing.T) {
	planMatchesHelmActions(t, corpusCases(t))
}

func planMatchesHelmActions(t *testing.T, cases []chartCase) {
	slog.SetDefault(slog.New(slog.DiscardHandler))
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ropts := render.Options{ValuesFiles: tc.values, Set: tc.set, ReleaseName: testRelease, Namespace: testNamespace, KubeVersion: testKube}
			p, err := plan.Load(tc.path, plan.Options{Render: ropts})
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			want := map[plan.Operation][]string{}
			for _, op := range p.Operations {
				want[op.Operation] = planLines(op)
			}
			got := runHelm(t, tc.path, ropts)
			hooks := 0
			for _, op := range plan.Operations {
				if !slices.Equal(got[op], want[op]) {
					t.Errorf("%s: plan differs from Helm's calls\nhelm:\n  %s\nplan:\n  %s", op,
						strings.Join(got[op], "\n  "), strings.Join(want[op], "\n  "))
				}
				for _, l := range got[op] {
					if strings.HasPrefix(l, "create ") {
						hooks++
					}
				}
			}
			if hooks == 0 && len(p.Hooks) > 0 {
				t.Errorf("Helm created no hooks, yet the plan lists %d: the comparison would prove nothing", len(p.Hooks))
			}
		})
	}
}

// runHelm runs install, upgrade, a second upgrade, rollback to revision 2,
// test and uninstall with Helm's action package, and returns the recorded
// calls of each (the second upgrade is only there to roll back from).
func runHelm(t *testing.T, chartPath string, ropts render.Options) map[plan.Operation][]string {
	t.Helper()
	vals, err := render.Values(ropts.ValuesFiles, ropts.Set)
	if err != nil {
		t.Fatal(err)
	}
	caps, err := render.Capabilities(ropts.KubeVersion)
	if err != nil {
		t.Fatal(err)
	}
	load := func() *chart.Chart {
		ch, err := loader.Load(chartPath)
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	rec := &recorder{PrintingKubeClient: kubefake.PrintingKubeClient{Out: io.Discard, LogOutput: io.Discard}}
	cfg := &action.Configuration{
		Releases:     storage.Init(driver.NewMemory()),
		KubeClient:   rec,
		Capabilities: caps,
	}
	cfg.SetLogger(slog.DiscardHandler)
	rec.stored = func() bool { _, err := cfg.Releases.Get(testRelease, 1); return err == nil }
	got := map[plan.Operation][]string{}
	step := func(op plan.Operation, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("helm %s: %v", op, err)
		}
		got[op] = rec.take()
	}

	rec.rest = notFoundClient()
	inst := action.NewInstall(cfg)
	inst.ReleaseName, inst.Namespace = testRelease, testNamespace
	inst.WaitStrategy, inst.Timeout = kube.HookOnlyStrategy, time.Minute
	_, err = inst.RunWithContext(context.Background(), load(), cloneVals(vals))
	step(plan.Install, err)
	rec.rest = nil

	for range 2 {
		up := action.NewUpgrade(cfg)
		up.Namespace = testNamespace
		up.WaitStrategy, up.Timeout = kube.HookOnlyStrategy, time.Minute
		_, err = up.RunWithContext(context.Background(), testRelease, load(), cloneVals(vals))
		if _, seen := got[plan.Upgrade]; !seen {
			step(plan.Upgrade, err)
		} else if err != nil {
			t.Fatalf("second upgrade: %v", err)
		}
	}
	rec.take()

	rb := action.NewRollback(cfg)
	rb.Version = 2
	rb.WaitStrategy, rb.Timeout = kube.HookOnlyStrategy, time.Minute
	step(plan.Rollback, rb.Run(testRelease))

	rt := action.NewReleaseTesting(cfg)
	rt.Namespace, rt.Timeout = testNamespace, time.Minute
	_, shutdown, err := rt.Run(testRelease)
	if err == nil {
		err = shutdown()
	}
	step(plan.Test, err)

	un := action.NewUninstall(cfg)
	un.WaitStrategy, un.Timeout = kube.HookOnlyStrategy, time.Minute
	_, err = un.Run(testRelease)
	step(plan.Uninstall, err)
	return got
}

// cloneVals deep-copies values: Helm's coalescing writes into the map.
func cloneVals(v map[string]any) map[string]any {
	b, err := yaml.Marshal(v)
	if err != nil {
		panic(err)
	}
	out := map[string]any{}
	if err := yaml.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}
