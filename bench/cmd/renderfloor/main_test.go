package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookgen/hookgen/internal/testcharts"
)

// TestMain runs the command itself when a test starts this binary with
// RENDERFLOOR_RUN_MAIN=1, so exit codes are checked on a real process.
func TestMain(m *testing.M) {
	if os.Getenv("RENDERFLOOR_RUN_MAIN") == "1" {
		main()
	}
	os.Exit(m.Run())
}

// shop is `helm create shop` plus a subchart that its condition disables
// by default, whose NOTES.txt is not YAML (Helm drops every NOTES.txt
// before sorting), and a values file that enables it.
func shop(t *testing.T) string {
	dir := testcharts.HelmCreate(t, "shop")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	testcharts.WriteTree(t, dir, map[string]string{
		"Chart.yaml":                       read("Chart.yaml") + "dependencies:\n- name: cache\n  version: 0.1.0\n  condition: cache.enabled\n",
		"values.yaml":                      read("values.yaml") + "cache:\n  enabled: false\n",
		"charts/cache/Chart.yaml":          "apiVersion: v2\nname: cache\nversion: 0.1.0\n",
		"charts/cache/templates/cm.yaml":   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cache\n",
		"charts/cache/templates/NOTES.txt": "Cache for {{ .Release.Name }}:\n  * not: [yaml\n",
		"values-on.yaml":                   "ingress:\n  enabled: true\nautoscaling:\n  enabled: true\n",
		"values-off.yaml":                  "ingress:\n  enabled: false\n",
		"values-cache.yaml":                "cache:\n  enabled: true\n",
	})
	return dir
}

func TestRender(t *testing.T) {
	dir := shop(t)
	v := func(name string) string { return filepath.Join(dir, name) }
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		// deployment, service, serviceaccount; the test-connection hook.
		{"helm create", []string{dir, "--kube-version", "1.33.0"}, "7 files, 1 hooks, 3 manifests"},
		{"values file", []string{dir, "-f", v("values-on.yaml")}, "7 files, 1 hooks, 5 manifests"},
		// The later file wins, flags before or after the chart, as helm.
		{"values files merged in order", []string{"--values", v("values-on.yaml"), dir, "-f", v("values-off.yaml")}, "7 files, 1 hooks, 4 manifests"},
		// The condition leaves the subchart out until a values file sets it.
		{"subchart enabled", []string{dir, "-f", v("values-cache.yaml")}, "8 files, 1 hooks, 4 manifests"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if code := run(tc.args, &out, &errOut); code != 0 || strings.TrimSpace(out.String()) != tc.want {
				t.Errorf("renderfloor %s: exit %d, stdout %q, stderr %q; want exit 0, %q", strings.Join(tc.args, " "), code, out.String(), errOut.String(), tc.want)
			}
		})
	}
}

func TestRenderErrors(t *testing.T) {
	dir := shop(t)
	broken := testcharts.HelmCreate(t, "broken")
	testcharts.WriteTree(t, broken, map[string]string{"templates/bad.yaml": "{{ .Values.image.repository "})
	schema := testcharts.HelmCreate(t, "strict")
	testcharts.WriteTree(t, schema, map[string]string{
		"values.schema.json": `{"type": "object", "properties": {"replicaCount": {"type": "integer"}}}`,
		"bad-values.yaml":    "replicaCount: many\n",
	})
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // in the one line on stderr
	}{
		{"no chart", nil, 2, "usage: renderfloor CHART"},
		{"two charts", []string{dir, dir}, 2, "want one chart, got 2"},
		{"unknown flag", []string{dir, "--set", "a=b"}, 2, "flag provided but not defined: -set"},
		{"missing chart", []string{filepath.Join(dir, "nope")}, 1, "no such file or directory"},
		{"missing values file", []string{dir, "-f", filepath.Join(dir, "nope.yaml")}, 1, "nope.yaml"},
		{"template error", []string{broken}, 1, "broken/templates/bad.yaml"},
		{"schema", []string{schema, "-f", filepath.Join(schema, "bad-values.yaml")}, 1, "replicaCount"},
		{"kube version", []string{dir, "--kube-version", "one"}, 1, `--kube-version "one"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			code := run(tc.args, &out, &errOut)
			e := errOut.String()
			if code != tc.code || out.Len() > 0 || !strings.HasPrefix(e, "renderfloor: ") || strings.Count(e, "\n") != 1 || !strings.Contains(e, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and one line with %q", code, out.String(), e, tc.code, tc.want)
			}
		})
	}
}

// TestExitCode runs the command as a process: what hookbench sees.
func TestExitCode(t *testing.T) {
	dir := shop(t)
	broken := testcharts.HelmCreate(t, "broken")
	testcharts.WriteTree(t, broken, map[string]string{"templates/bad.yaml": "{{ end }}"})
	for _, tc := range []struct {
		args []string
		code int
	}{{[]string{dir}, 0}, {[]string{broken}, 1}, {nil, 2}} {
		cmd := exec.Command(os.Args[0], tc.args...)
		cmd.Env = append(os.Environ(), "RENDERFLOOR_RUN_MAIN=1")
		out, _ := cmd.CombinedOutput()
		if code := cmd.ProcessState.ExitCode(); code != tc.code {
			t.Errorf("renderfloor %v: exit %d, want %d; output %q", tc.args, code, tc.code, out)
		}
	}
}
