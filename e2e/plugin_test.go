//go:build e2e

package e2e

import (
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHelmPlugin installs hookgen as a Helm plugin from this checkout into
// each pinned Helm CLI (the install hook builds it with the Go toolchain) and
// runs `helm hookgen plan` and `helm hookgen lint` through it on the suite's
// chart: Helm's -n reaches plan as its namespace, --kube-context makes the
// chart render for that cluster's Kubernetes version (as Helm renders it on
// install), --debug shows the hookgen command, and hookgen's exit codes come
// through Helm.
func TestHelmPlugin(t *testing.T) {
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		r := h.MustRun(t, 10*time.Minute, "plugin", "install", root)
		mustContain(t, "helm plugin install", r.Stdout, "Installed plugin: hookgen")
		mustContain(t, "helm plugin list", h.MustRun(t, time.Minute, "plugin", "list").Stdout, "hookgen")

		chart := shopChart(t, h)
		// A hook the chart renders only below Kubernetes 1.37 (hookgen's
		// default is newer; the suite's cluster runs 1.36).
		writeFile(t, filepath.Join(chart, "templates", "old-cluster-hook.yaml"), `{{- if semverCompare "<1.37.0-0" .Capabilities.KubeVersion.Version }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-old-cluster
  annotations:
    "helm.sh/hook": pre-install
    "helm.sh/hook-weight": "-20"
    "helm.sh/hook-delete-policy": before-hook-creation
data: {}
{{- end }}
`)
		type planOut struct {
			Namespace string `json:"namespace"`
			Hooks     []struct {
				Name string `json:"name"`
			} `json:"hooks"`
		}
		plan := func(args ...string) (planOut, Result) {
			r := h.MustRun(t, time.Minute, append(args, "hookgen", "plan", chart, "--release", "shop", "-o", "json")...)
			var p planOut
			if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
				t.Fatalf("helm hookgen plan -o json: %v\n%s", err, r)
			}
			return p, r
		}
		hasHook := func(p planOut, name string) bool {
			for _, hk := range p.Hooks {
				if hk.Name == name {
					return true
				}
			}
			return false
		}

		// Helm's namespace is plan's namespace; hookgen's own default
		// Kubernetes version without a kube context.
		p, _ := plan("-n", ns)
		if p.Namespace != ns {
			t.Errorf("helm -n %s hookgen plan: namespace %q", ns, p.Namespace)
		}
		if hasHook(p, "shop-old-cluster") || !hasHook(p, "shop-migration") {
			t.Errorf("helm hookgen plan without a kube context: hooks %v; want hookgen's hooks, not the <1.37 one", p.Hooks)
		}
		// The -n given after the command wins over Helm's.
		r = h.MustRun(t, time.Minute, "-n", ns, "hookgen", "plan", chart, "-o", "json", "--namespace", "other")
		if !strings.Contains(r.Stdout, `"namespace": "other"`) {
			t.Errorf("helm hookgen plan --namespace other: %s", r.Stdout)
		}

		// --kube-context: the cluster's version, shown with --debug.
		p, r = plan("--kube-context", "e2e", "-n", ns, "--debug")
		if !hasHook(p, "shop-old-cluster") {
			t.Errorf("helm --kube-context e2e hookgen plan: hooks %v; want the hook the chart renders for the cluster's Kubernetes 1.36", p.Hooks)
		}
		mustContain(t, "helm --debug hookgen plan (stderr)", r.Stderr, "runs Kubernetes v1.36", "--kube-version 1.36", "--namespace "+ns)
		// A context the kubeconfig lacks: a warning, hookgen's default.
		r = h.Run(t, time.Minute, "--kube-context", "nosuch", "hookgen", "plan", chart, "-o", "json")
		if r.Err != nil || !strings.Contains(r.Stderr, "warning: rendering for hookgen's default Kubernetes version") {
			t.Errorf("helm --kube-context nosuch hookgen plan: want exit 0 and a warning\n%s", r)
		}

		// lint: the generated hooks pass; a chart with hand-written
		// mistakes fails with hookgen's exit code 1 and its findings.
		r = h.Run(t, time.Minute, "--kube-context", "e2e", "hookgen", "lint", chart)
		if r.Err != nil {
			t.Errorf("helm hookgen lint on hookgen's hooks: %s", r)
		}
		r = h.Run(t, time.Minute, "hookgen", "lint", filepath.Join(root, "examples", "legacy"))
		if code := exitCode(r.Err); code != 1 || !strings.Contains(r.Stdout, "HG008 pre-install-uses-release-resource") {
			t.Errorf("helm hookgen lint examples/legacy: exit %d, want 1 and HG008\n%s", code, r)
		}
		// A usage error keeps hookgen's exit code 2.
		r = h.Run(t, time.Minute, "hookgen", "add", "nosuch", "--chart", chart, "--yes")
		if code := exitCode(r.Err); code != 2 || !strings.Contains(r.Stderr, `unknown task "nosuch"`) {
			t.Errorf("helm hookgen add nosuch: exit %d, want 2\n%s", code, r)
		}
		mustContain(t, "helm hookgen --version", h.MustRun(t, time.Minute, "hookgen", "--version").Stdout, "hookgen ")
	})
}

// exitCode is the exit status of a finished command (0 when err is nil).
func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
