package helmhook_test

// ForEvent must equal the order in which Helm's own pkg/action creates hooks
// (execHookWithDelayedShutdown). This drives Install, ReleaseTesting and
// Uninstall with a fake client that records the hook objects it is asked to
// create, over charts built to make weight, name, kind and file order matter.

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/action"
	"helm.sh/helm/v4/pkg/kube"
	kubefake "helm.sh/helm/v4/pkg/kube/fake"
	release "helm.sh/helm/v4/pkg/release/v1"
	"helm.sh/helm/v4/pkg/storage"
	"helm.sh/helm/v4/pkg/storage/driver"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/render"
)

// createRecorder builds one Info per hook manifest (release manifests build
// to nothing, so only hooks reach the client) and records hook creates.
type createRecorder struct {
	kubefake.PrintingKubeClient
	created []string
}

func (c *createRecorder) Build(in io.Reader, _ bool) (kube.ResourceList, error) {
	b, err := io.ReadAll(in)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	if err := yaml.Unmarshal(b, &m); err != nil || len(m) == 0 {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: m}
	// Not GetAnnotations: it gives up on an unquoted (non-string) weight.
	ann, _, _ := unstructured.NestedMap(u.Object, "metadata", "annotations")
	if _, ok := ann["helm.sh/hook"]; !ok {
		return nil, nil
	}
	return kube.ResourceList{{Name: u.GetName(), Object: u}}, nil
}

func (c *createRecorder) Create(rs kube.ResourceList, _ ...kube.ClientCreateOption) (*kube.Result, error) {
	for _, r := range rs {
		c.created = append(c.created, r.Object.GetObjectKind().GroupVersionKind().Kind+"/"+r.Name)
	}
	return &kube.Result{Created: rs}, nil
}

func (c *createRecorder) Delete(rs kube.ResourceList, _ metav1.DeletionPropagation) (*kube.Result, []error) {
	return &kube.Result{Deleted: rs}, nil
}

func (c *createRecorder) take() []string {
	out := c.created
	c.created = nil
	return out
}

func refs(hs []*release.Hook) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Kind+"/"+h.Name)
	}
	return out
}

func TestForEventEqualsHelmExecHook(t *testing.T) {
	slog.SetDefault(slog.New(slog.DiscardHandler))
	for _, chart := range []string{"ties", "weights", "umbrella", "policies"} {
		t.Run(chart, func(t *testing.T) {
			path := "../plan/testdata/" + chart
			opts := render.Options{ReleaseName: "demo", Namespace: "hooks", KubeVersion: "1.33.0"}
			res, err := render.LoadAndRender(path, opts)
			if err != nil {
				t.Fatal(err)
			}
			ch, err := render.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			caps, _ := render.Capabilities(opts.KubeVersion)
			rec := &createRecorder{PrintingKubeClient: kubefake.PrintingKubeClient{Out: io.Discard, LogOutput: io.Discard}}
			cfg := &action.Configuration{Releases: storage.Init(driver.NewMemory()), KubeClient: rec, Capabilities: caps}
			cfg.SetLogger(slog.DiscardHandler)

			inst := action.NewInstall(cfg)
			inst.ReleaseName, inst.Namespace = opts.ReleaseName, opts.Namespace
			inst.WaitStrategy, inst.Timeout = kube.HookOnlyStrategy, time.Minute
			inst.SkipCRDs = true
			if _, err := inst.RunWithContext(context.Background(), ch, map[string]any{}); err != nil {
				t.Fatal(err)
			}
			got := rec.take()
			want := append(refs(helmhook.ForEvent(res.Hooks, release.HookPreInstall)), refs(helmhook.ForEvent(res.Hooks, release.HookPostInstall))...)
			check(t, "install", got, want)

			rt := action.NewReleaseTesting(cfg)
			rt.Namespace, rt.Timeout = opts.Namespace, time.Minute
			_, shutdown, err := rt.Run(opts.ReleaseName)
			if err == nil {
				err = shutdown()
			}
			if err != nil {
				t.Fatal(err)
			}
			check(t, "test", rec.take(), refs(helmhook.ForEvent(res.Hooks, release.HookTest)))

			un := action.NewUninstall(cfg)
			un.WaitStrategy, un.Timeout = kube.HookOnlyStrategy, time.Minute
			if _, err := un.Run(opts.ReleaseName); err != nil {
				t.Fatal(err)
			}
			want = append(refs(helmhook.ForEvent(res.Hooks, release.HookPreDelete)), refs(helmhook.ForEvent(res.Hooks, release.HookPostDelete))...)
			check(t, "uninstall", rec.take(), want)
		})
	}
}

func check(t *testing.T, op string, got, want []string) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: Helm created\n  %s\nForEvent says\n  %s", op, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}
