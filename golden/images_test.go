package golden

import (
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// renderJob renders dir with --set values and returns the Job that the hook
// template hookPath (e.g. "templates/hooks/migration.yaml") renders.
func renderJob(t *testing.T, dir, hookPath string, set ...string) batchv1.Job {
	t.Helper()
	res, err := render.LoadAndRender(dir, render.Options{KubeVersion: testcharts.KubeVersion, Set: set})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hooks {
		if h.Kind == "Job" && strings.HasSuffix(h.Path, hookPath) {
			var job batchv1.Job
			if err := yaml.UnmarshalStrict([]byte(h.Manifest), &job); err != nil {
				t.Fatal(err)
			}
			return job
		}
	}
	t.Fatalf("no Job from %s", hookPath)
	return batchv1.Job{}
}

// The hook runs the chart's own image as the chart spells it: bitnami's
// global registry, digest and pull secrets through its common helpers; a
// hook tag replaces the chart's tag (and its digest).
func TestCorpusHookImageFollowsTheChart(t *testing.T) {
	bk := testcharts.Corpus(t, "bitnami-keycloak")
	if _, stderr, code := run(t, "add", "migration", "--chart", bk, "--yes", "--command", "kc.sh,build", "--kube-version", testcharts.KubeVersion); code != 0 {
		t.Fatal(stderr)
	}
	const path = "templates/hooks/migration.yaml"
	mirror := []string{"global.imageRegistry=mirror.local", "global.imagePullSecrets[0]=regcred", "global.security.allowInsecureImages=true"}
	for _, tc := range []struct {
		set  []string
		want string
	}{
		{nil, "docker.io/bitnami/keycloak:26.3.3-debian-12-r0"},
		{mirror, "mirror.local/bitnami/keycloak:26.3.3-debian-12-r0"},
		{append(mirror, "image.digest=sha256:0123"), "mirror.local/bitnami/keycloak@sha256:0123"},
		{append(mirror, "image.digest=sha256:0123", "hooks.migration.image.tag=v9"), "mirror.local/bitnami/keycloak:v9"},
		{[]string{"hooks.migration.image.repository=busybox", "hooks.migration.image.tag=1.37"}, "busybox:1.37"},
	} {
		job := renderJob(t, bk, path, tc.set...)
		spec := job.Spec.Template.Spec
		if got := spec.Containers[0].Image; got != tc.want {
			t.Errorf("--set %v: image %q, want %q", tc.set, got, tc.want)
		}
		if len(tc.set) > 0 && tc.set[0] == mirror[0] && (len(spec.ImagePullSecrets) != 1 || spec.ImagePullSecrets[0].Name != "regcred") {
			t.Errorf("--set %v: pull secrets %v, want regcred", tc.set, spec.ImagePullSecrets)
		}
	}

	shop := testcharts.HelmCreate(t, "shop")
	if _, stderr, code := run(t, "add", "migration", "--chart", shop, "--yes", "--command", "./migrate", "--kube-version", testcharts.KubeVersion); code != 0 {
		t.Fatal(stderr)
	}
	for set, want := range map[string]string{
		// The hook runs what the app's Deployment runs, read from it at
		// install time: helm create's Deployment knows no digest.
		"image.tag=2.0":                "nginx:2.0",
		"image.digest=sha256:abcd":     "nginx:1.16.0",
		"hooks.migration.image.tag=v3": "nginx:v3",
	} {
		if got := renderJob(t, shop, path, set).Spec.Template.Spec.Containers[0].Image; got != want {
			t.Errorf("--set %s: image %q, want %q", set, got, want)
		}
	}
}

// A hook on the app's own image is never written without a command (exit 2,
// nothing written); a command emptied later in values.yaml stops the render
// with a line naming the value, rather than start the application; args or
// an image of its own mean the entrypoint is meant.
func TestHookWithoutCommandDoesNotRender(t *testing.T) {
	shop := testcharts.HelmCreate(t, "shop")
	before := testcharts.Tree(t, shop)
	if _, stderr, code := run(t, "add", "migration", "--chart", shop, "--yes", "--kube-version", testcharts.KubeVersion); code != 2 || !strings.Contains(stderr, "pass --command") || !strings.Contains(stderr, "or --framework (rails,") {
		t.Fatalf("without a command: exit %d, want 2 naming --command and --framework: %s", code, stderr)
	}
	if diff := treeDiff(before, testcharts.Tree(t, shop)); diff != "" {
		t.Fatalf("files changed: %s", diff)
	}
	if _, stderr, code := run(t, "add", "migration", "--chart", shop, "--yes", "--command", "./migrate", "--kube-version", testcharts.KubeVersion); code != 0 {
		t.Fatal(stderr)
	}
	const path = "templates/hooks/migration.yaml"
	_, err := render.LoadAndRender(shop, render.Options{KubeVersion: testcharts.KubeVersion, Set: []string{"hooks.migration.command=null"}})
	if err == nil || !strings.Contains(err.Error(), "hooks.migration.command is empty: set it to the command this hook runs, or set enabled: false") {
		t.Errorf("render with the command emptied: %v, want the failure naming hooks.migration.command", err)
	}
	for _, set := range []string{"hooks.migration.args={migrate}", "hooks.migration.image.repository=migrate/migrate"} {
		if c := renderJob(t, shop, path, "hooks.migration.command=null", set).Spec.Template.Spec.Containers[0]; len(c.Command) != 0 {
			t.Errorf("--set %s: command %q, want the image's entrypoint", set, c.Command)
		}
	}
	if c := renderJob(t, shop, path, "hooks.migration.command={./migrate,up}").Spec.Template.Spec.Containers[0]; strings.Join(c.Command, " ") != "./migrate up" {
		t.Errorf("command %q, want ./migrate up", c.Command)
	}
}
