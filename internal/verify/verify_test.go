package verify

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/testcharts"
)

func generate(t *testing.T, dir string, task string, mod func(*generators.Request)) (*generators.ChartInfo, *generators.Output) {
	t.Helper()
	info, err := generators.Inspect(dir, testcharts.KubeVersion, "")
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := generators.LookupTask(task)
	req := generators.Request{Task: tk}
	if task == "migration" || task == "seed" {
		req.Command = []string{"./" + task}
	}
	if mod != nil {
		mod(&req)
	}
	out, err := generators.Generate(info, req)
	if err != nil {
		t.Fatal(err)
	}
	return info, out
}

func TestEveryTaskVerifies(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	for _, task := range []string{"migration", "backup", "seed", "custom"} {
		info, out := generate(t, dir, task, func(r *generators.Request) {
			if task == "custom" {
				r.Name, r.Image = "warm-cache", "busybox:1.37"
				r.Events, _ = helmhook.ParseEvents([]string{"post-upgrade"})
			}
		})
		if _, err := Hook(info, out); err != nil {
			t.Errorf("%s: %v", task, err)
		}
	}
}

// A hook whose template renders a Job that breaks the rules is refused.
func TestVerificationCatchesBrokenJob(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	info, out := generate(t, dir, "migration", nil)
	for i, f := range out.Files {
		if f.Path == out.Hook.TemplatePath {
			s := strings.Replace(string(f.Content), `"helm.sh/hook-weight": "0"`, `"helm.sh/hook-weight": "7"`, 1)
			s = strings.Replace(s, "kind: Job", "kind: Job\nbogusField: 1", 1)
			out.Files[i].Content = []byte(s)
		}
		if f.Path == "values.yaml" {
			s := strings.Replace(string(f.Content), "    runAsNonRoot: true\n    runAsUser: 65532", "    runAsNonRoot: false\n    runAsUser: 0", 1)
			out.Files[i].Content = []byte(s)
		}
	}
	_, err := Hook(info, out)
	var ve *Error
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a verification error", err)
	}
	msg := err.Error()
	for _, want := range []string{"weight 7, want 0", "does not decode strictly", "nothing was written"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

// On an image hookgen chose, the hook must meet Pod Security "restricted".
func TestVerificationCatchesPodSecurity(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	info, out := generate(t, dir, "backup", nil)
	for i, f := range out.Files {
		if f.Path == "values.yaml" {
			s := strings.Replace(string(f.Content), "    allowPrivilegeEscalation: false", "    allowPrivilegeEscalation: true", 1)
			out.Files[i].Content = []byte(s)
		}
	}
	_, err := Hook(info, out)
	if err == nil || !strings.Contains(err.Error(), "Pod Security restricted: allowPrivilegeEscalation != false") {
		t.Fatalf("got %v, want a Pod Security failure", err)
	}
}

// On the app's own image the hook runs as the app does: a `helm create` app
// is not "restricted", so neither is its seed, and verification says so in a
// note instead of failing.
func TestAppNotRestrictedIsANote(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	info, out := generate(t, dir, "seed", func(r *generators.Request) { r.Command = []string{"./seed"} })
	if out.Hook.App == nil {
		t.Fatal("the seed does not run in the app's context")
	}
	if _, err := Hook(info, out); err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(out.Notes, func(n string) bool {
		return strings.Contains(n, `the app's own pods (Deployment/release-name-shop) do not meet Pod Security "restricted"`)
	}) {
		t.Errorf("no note that the app is not restricted: %q", out.Notes)
	}
}

// The init container that waits for the database runs an image hookgen
// chose: it must meet "restricted" on its own even when the hook runs as an
// app that does not (whose pod-level findings are only a note).
func TestWaitContainerMustBeRestricted(t *testing.T) {
	dir := testcharts.HelmCreate(t, "store")
	b, err := os.ReadFile(filepath.Join(testcharts.Root(), "golden", "testdata", "charts", "postgresql-11.9.13.tgz"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "charts", "postgresql-11.9.13.tgz"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	appendTo := func(name, s string) {
		f, err := os.OpenFile(filepath.Join(dir, name), os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(s); err != nil {
			t.Fatal(err)
		}
	}
	appendTo("Chart.yaml", "\ndependencies:\n  - name: postgresql\n    version: 11.9.13\n    repository: https://charts.bitnami.com/bitnami\n")
	info, out := generate(t, dir, "migration", nil)
	if out.Hook.Wait == nil || out.Hook.App == nil {
		t.Fatalf("want a migration in the app's context that waits for the database; wait %v, app %v", out.Hook.Wait, out.Hook.App)
	}
	if _, err := Hook(info, out); err != nil {
		t.Fatalf("the generated hook: %v", err)
	}
	for i, f := range out.Files {
		if f.Path == "values.yaml" {
			s := string(f.Content)
			at := strings.Index(s, "waitForDatabase:")
			s = s[:at] + strings.Replace(s[at:], "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", 1)
			out.Files[i].Content = []byte(s)
		}
	}
	_, err = Hook(info, out)
	var ve *Error
	if !errors.As(err, &ve) || !strings.Contains(err.Error(), "init container wait-for-database: Pod Security restricted: allowPrivilegeEscalation != false") {
		t.Errorf("a wait container that allows privilege escalation: err = %v", err)
	}
}
