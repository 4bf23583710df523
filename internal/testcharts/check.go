package testcharts

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/v2/lint"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	release "helm.sh/helm/v4/pkg/release/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/podsecurity"
	"github.com/hookgen/hookgen/internal/render"
)

// KubeVersion is the Kubernetes version tests render for.
const KubeVersion = "1.33.0"

// Lint runs Helm's own chart linter and returns its messages at warning or
// above: what `helm lint --strict` fails on.
func Lint(t testing.TB, dir string) []string {
	t.Helper()
	kv, err := common.ParseKubeVersion(KubeVersion)
	if err != nil {
		t.Fatal(err)
	}
	l := lint.RunAll(dir, nil, "default", lint.WithKubeVersion(kv))
	var out []string
	for _, m := range l.Messages {
		if m.Severity >= support.WarningSev {
			out = append(out, m.Error())
		}
	}
	return out
}

// Orders renders dir with the Helm SDK and returns, per event, the hooks in
// Helm's order as "Kind/name(weight)".
func Orders(t testing.TB, dir string) map[release.HookEvent][]string {
	t.Helper()
	res, err := render.LoadAndRender(dir, render.Options{KubeVersion: KubeVersion})
	if err != nil {
		t.Fatalf("rendering %s: %v", dir, err)
	}
	out := map[release.HookEvent][]string{}
	for _, ev := range helmhook.Events {
		for _, h := range helmhook.ForEvent(res.Hooks, ev) {
			out[ev] = append(out[ev], fmt.Sprintf("%s/%s(%d)", h.Kind, h.Name, h.Weight))
		}
	}
	return out
}

// CheckHookJobs renders dir and checks every hook Job whose template path
// contains pathPart: strict batch/v1 decoding, restartPolicy Never, explicit
// backoffLimit and activeDeadlineSeconds, a name within 63 characters and
// Pod Security "restricted". It returns how many Jobs it checked.
func CheckHookJobs(t testing.TB, dir, pathPart string, opts render.Options) int {
	t.Helper()
	if opts.KubeVersion == "" {
		opts.KubeVersion = KubeVersion
	}
	res, err := render.LoadAndRender(dir, opts)
	if err != nil {
		t.Fatalf("rendering %s: %v", dir, err)
	}
	// A hook on the app's own image runs as the app does: where the app's
	// pods are not "restricted", neither is the hook.
	unrestricted := map[string]bool{}
	for _, m := range res.Manifests {
		if m.Head == nil || (m.Head.Kind != "Deployment" && m.Head.Kind != "StatefulSet") {
			continue
		}
		var w struct {
			Spec struct {
				Template corev1.PodTemplateSpec `json:"template"`
			} `json:"spec"`
		}
		if yaml.Unmarshal([]byte(m.Content), &w) != nil {
			continue
		}
		if len(podsecurity.Restricted(&w.Spec.Template.ObjectMeta, &w.Spec.Template.Spec)) > 0 {
			for _, c := range w.Spec.Template.Spec.Containers {
				unrestricted[c.Image] = true
			}
		}
	}
	n := 0
	for _, h := range res.Hooks {
		if h.Kind != "Job" || !strings.Contains(h.Path, pathPart) {
			continue
		}
		n++
		var job batchv1.Job
		if err := yaml.UnmarshalStrict([]byte(h.Manifest), &job); err != nil {
			t.Errorf("%s: Job %s does not decode strictly into batch/v1: %v", h.Path, h.Name, err)
			continue
		}
		if len(job.Name) > 63 {
			t.Errorf("%s: Job name %q is %d characters", h.Path, job.Name, len(job.Name))
		}
		if job.Spec.Template.Spec.RestartPolicy != "Never" {
			t.Errorf("%s: restartPolicy %q", h.Path, job.Spec.Template.Spec.RestartPolicy)
		}
		if job.Spec.BackoffLimit == nil || job.Spec.ActiveDeadlineSeconds == nil {
			t.Errorf("%s: backoffLimit or activeDeadlineSeconds missing", h.Path)
		}
		if f := podsecurity.Restricted(&job.Spec.Template.ObjectMeta, &job.Spec.Template.Spec); len(f) > 0 && !unrestricted[job.Spec.Template.Spec.Containers[0].Image] {
			t.Errorf("%s: Pod Security restricted: %v", h.Path, f)
		}
		for _, f := range InitRestricted(job.Spec.Template.Spec) {
			t.Errorf("%s: %s", h.Path, f)
		}
		if !slices.Contains(h.OutputLogPolicies, release.HookOutputOnFailed) {
			t.Errorf("%s: no hook-failed output log policy", h.Path)
		}
		if !slices.Contains(helmhook.EffectiveDeletePolicies(h), release.HookBeforeHookCreation) {
			t.Errorf("%s: no before-hook-creation delete policy", h.Path)
		}
	}
	return n
}

// WaitContainer is the init container hookgen adds to wait for the database
// (templates/waitdb.yaml.tmpl): hookgen chose its image, so it must meet Pod
// Security "restricted" on its own, even in a pod that runs the app's image
// with the app's own security settings.
const WaitContainer = "wait-for-database"

// InitRestricted checks each WaitContainer of spec on its own
// (podsecurity.RestrictedContainer).
func InitRestricted(spec corev1.PodSpec) []string {
	var out []string
	for _, c := range spec.InitContainers {
		if c.Name != WaitContainer {
			continue
		}
		if f := podsecurity.RestrictedContainer(c); len(f) > 0 {
			out = append(out, fmt.Sprintf("init container %s: Pod Security restricted: %v", c.Name, f))
		}
	}
	return out
}
