package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"
	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/podrefs"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// realChartArgs are what a real chart needs beyond its defaults: values that
// make its app workload render (ghost and mastodon render none without a
// host name), and --workload where several of its workloads fit equally
// (hookgen then refuses to guess in a script).
var realChartArgs = map[string][]string{
	"wide/bitnami-ghost":          {"--set", "ghostHost=blog.example.com"},
	"wide/bitnami-mastodon":       {"--set", "webDomain=social.example.com"},
	"corpus/temporal":             {"--workload", "Deployment/release-name-temporal-frontend"},
	"wide/bitnami-airflow":        {"--workload", "Deployment/release-name-airflow-web"},
	"wide/bitnami-argo-cd":        {"--workload", "Deployment/release-name-argo-cd-server"},
	"wide/bitnami-dremio":         {"--workload", "StatefulSet/release-name-dremio-coordinator"},
	"wide/bitnami-grafana-loki":   {"--workload", "Deployment/release-name-grafana-loki-distributor"},
	"wide/bitnami-harbor":         {"--workload", "Deployment/release-name-harbor-core"},
	"wide/bitnami-milvus":         {"--workload", "Deployment/release-name-milvus-proxy"},
	"wide/bitnami-postgresql-ha":  {"--workload", "Deployment/release-name-postgresql-ha-pgpool"},
	"wide/bitnami-vault":          {"--workload", "StatefulSet/release-name-vault-server"},
	"wide/bitnami-mastodon#after": {"--workload", "Deployment/release-name-mastodon-web"},
}

// On every real chart, a migration added with --yes runs in the app's
// context: the rendered Job's container has every env name, envFrom source
// and ConfigMap/Secret/projected volume mount of the app workload's main
// container, the same image and security contexts; and at no event of any
// operation does it reference a release object that does not exist then.
func TestCorpusAppContext(t *testing.T) {
	for _, rc := range testcharts.RealCharts(t) {
		t.Run(rc.Name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), filepath.Base(rc.Dir))
			must(t, testcharts.CopyDir(rc.Dir, dir))
			var ropts render.Options
			ropts.KubeVersion = testcharts.KubeVersion
			var extra []string
			for _, v := range rc.Values {
				f := filepath.Join(rc.Dir, v)
				ropts.ValuesFiles = append(ropts.ValuesFiles, f)
				extra = append(extra, "-f", f)
			}
			args := slices.Concat(realChartArgs[rc.Name], realChartArgs[rc.Name+"#after"])
			for i := 0; i+1 < len(args); i += 2 {
				if args[i] == "--set" {
					ropts.Set = append(ropts.Set, args[i+1])
				}
			}
			extra = append(extra, args...)
			for _, step := range []struct{ name, how, arg string }{{"migration", "--command", "sh,-c,echo migrate"}, {"migrate-rails", "--framework", "rails"}} {
				cmd := slices.Concat([]string{"add", "migration", "--chart", dir, "--yes", "--kube-version", testcharts.KubeVersion,
					"--name", step.name, step.how, step.arg}, extra)
				stdout, stderr, code := run(t, cmd...)
				if code != 0 {
					if strings.Contains(stderr, "apiVersion v1") {
						t.Skipf("apiVersion v1 chart: %s", strings.TrimSpace(stderr))
					}
					t.Fatalf("hookgen %s: exit %d\n%s%s", strings.Join(cmd, " "), code, stdout, stderr)
				}
				checkAppContext(t, dir, ropts, "templates/hooks/"+step.name+".yaml")
			}
		})
	}
}

// checkAppContext renders the chart, finds the hook's Job and the workload
// its record names, and compares them.
func checkAppContext(t *testing.T, dir string, ropts render.Options, hookPath string) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, hookPath))
	must(t, err)
	rec, err := generators.ReadRecord(src)
	must(t, err)
	if rec.Workload == "" {
		t.Fatalf("%s runs in no app context", hookPath)
	}
	res, err := render.LoadAndRender(dir, ropts)
	must(t, err)
	var job batchv1.Job
	var hook *release.Hook
	for _, h := range res.Hooks {
		if h.Kind == "Job" && strings.HasSuffix(h.Path, "/"+hookPath) {
			hook = h
			must(t, yaml.UnmarshalStrict([]byte(h.Manifest), &job))
		}
	}
	if hook == nil {
		t.Fatalf("no Job rendered from %s", hookPath)
	}
	kind, name, _ := strings.Cut(rec.Workload, "/")
	var pod *corev1.PodSpec
	for _, m := range res.Manifests {
		if m.Head == nil || m.Head.Kind != kind || m.Head.Metadata == nil || m.Head.Metadata.Name != name {
			continue
		}
		switch kind {
		case "Deployment":
			var d appsv1.Deployment
			must(t, yaml.Unmarshal([]byte(m.Content), &d))
			pod = &d.Spec.Template.Spec
		case "StatefulSet":
			var s appsv1.StatefulSet
			must(t, yaml.Unmarshal([]byte(m.Content), &s))
			pod = &s.Spec.Template.Spec
		}
	}
	if pod == nil {
		t.Fatalf("workload %s not rendered", rec.Workload)
	}
	m := regexp.MustCompile(`include "hookgen.app" \(list \. "[^"]+" "[^"]+" \d+ "([^"]+)"\)`).FindSubmatch(src)
	if m == nil {
		t.Fatalf("%s does not read the app's context with hookgen.app", hookPath)
	}
	app := appContainer(pod, string(m[1]))
	// Where the hook has copies of the app's objects (at pre-install), it
	// reads them instead of the originals.
	if names := copyRenames(res.Hooks, hookPath); len(names) > 0 {
		pod = pod.DeepCopy()
		app = *app.DeepCopy()
		renameRefs(pod, &app, names)
	}
	hc := job.Spec.Template.Spec.Containers[0]
	jp := job.Spec.Template.Spec
	if hc.Image != app.Image {
		t.Errorf("image %q, the app's is %q", hc.Image, app.Image)
	}
	for _, e := range app.Env {
		if !slices.ContainsFunc(hc.Env, func(x corev1.EnvVar) bool { return reflect.DeepEqual(x, e) }) {
			t.Errorf("env %s of the app is missing or different", e.Name)
		}
	}
	for _, e := range app.EnvFrom {
		if !slices.ContainsFunc(hc.EnvFrom, func(x corev1.EnvFromSource) bool { return reflect.DeepEqual(x, e) }) {
			t.Errorf("envFrom %+v of the app is missing", e)
		}
	}
	for _, v := range pod.Volumes {
		if v.ConfigMap == nil && v.Secret == nil && v.Projected == nil {
			continue
		}
		for _, m := range app.VolumeMounts {
			if m.Name != v.Name {
				continue
			}
			if !slices.ContainsFunc(hc.VolumeMounts, func(x corev1.VolumeMount) bool { return reflect.DeepEqual(x, m) }) {
				t.Errorf("volume mount %s at %s of the app is missing", m.Name, m.MountPath)
			}
			if !slices.ContainsFunc(jp.Volumes, func(x corev1.Volume) bool { return reflect.DeepEqual(x, v) }) {
				t.Errorf("volume %s of the app is missing or different", v.Name)
			}
		}
	}
	if !reflect.DeepEqual(hc.SecurityContext, app.SecurityContext) {
		t.Errorf("container securityContext %s, the app's is %s", js(hc.SecurityContext), js(app.SecurityContext))
	}
	if !reflect.DeepEqual(jp.SecurityContext, pod.SecurityContext) && !(jp.SecurityContext == nil && reflect.DeepEqual(pod.SecurityContext, &corev1.PodSecurityContext{})) {
		t.Errorf("pod securityContext %s, the app's is %s", js(jp.SecurityContext), js(pod.SecurityContext))
	}
	checkRefsExist(t, dir, ropts, hook, jp)
}

// checkRefsExist replays every operation of the chart's plan and checks that
// each Secret, ConfigMap and ServiceAccount the Job uses exists when the Job
// is created, or is neither a release object nor a hook (an external one).
func checkRefsExist(t *testing.T, dir string, ropts render.Options, hook *release.Hook, pod corev1.PodSpec) {
	t.Helper()
	p, err := plan.Load(dir, plan.Options{Render: ropts})
	must(t, err)
	known := map[plan.Ref]bool{}
	for r := range plan.ReleaseObjects(p, plan.Upgrade) {
		known[r] = true
	}
	for _, h := range p.Hooks {
		known[plan.Ref{Kind: h.Kind, Name: h.Name}] = true
	}
	refs := podRefs(pod)
	for _, op := range p.Operations {
		if op.Error != "" {
			continue
		}
		start := plan.ReleaseObjects(p, op.Operation)
		for _, ev := range hook.Events {
			have, ok := plan.ExistingAt(op, start, string(ev), "Job", hook.Name)
			if !ok {
				continue
			}
			for _, r := range refs {
				if known[r] && !have[r] {
					t.Errorf("%s at %s: the Job uses %s, which does not exist then", op.Operation, ev, r)
				}
			}
		}
	}
}

// podRefs lists the Secrets, ConfigMaps, claims and ServiceAccount a pod's
// containers and volumes need to start (pull secrets are not checked here).
func podRefs(pod corev1.PodSpec) []plan.Ref {
	var refs []podrefs.Ref
	for _, r := range podrefs.Pod(&pod) {
		if r.Field != "imagePullSecrets" {
			refs = append(refs, r)
		}
	}
	var out []plan.Ref
	for _, r := range podrefs.Objects(refs) {
		out = append(out, plan.Ref{Kind: r.Kind, Name: r.Name})
	}
	return out
}

// appContainer is the app's main container, by the name the hook template gives.
func appContainer(pod *corev1.PodSpec, name string) corev1.Container {
	if i := slices.IndexFunc(pod.Containers, func(c corev1.Container) bool { return c.Name == name }); i >= 0 {
		return pod.Containers[i]
	}
	return pod.Containers[0]
}

func js(v any) string {
	b, _ := yaml.Marshal(v)
	return fmt.Sprintf("%q", strings.TrimSpace(string(b)))
}
