package golden

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/v2/lint"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	batchv1 "k8s.io/api/batch/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// workloads names the app workload of the real charts that deploy several
// (hookgen asks for --workload there rather than guess): the component a
// migration or seed of the application would run as.
var workloads = map[string]string{
	"wide/bitnami-airflow":       "Deployment/release-name-airflow-web",
	"wide/bitnami-argo-cd":       "Deployment/release-name-argo-cd-server",
	"wide/bitnami-dremio":        "StatefulSet/release-name-dremio-master-coordinator",
	"wide/bitnami-grafana-loki":  "Deployment/release-name-grafana-loki-compactor",
	"wide/bitnami-harbor":        "Deployment/release-name-harbor-core",
	"wide/bitnami-milvus":        "Deployment/release-name-milvus-proxy",
	"wide/bitnami-postgresql-ha": "Deployment/release-name-postgresql-ha-pgpool",
	"wide/bitnami-vault":         "StatefulSet/release-name-vault-server",
	"corpus/temporal":            "Deployment/release-name-temporal-frontend",
}

var (
	helm3Once sync.Once
	helm3Bin  string
	helm3Err  error
)

// helm3 is the Helm v3 CLI (HOOKGEN_HELM3, else built once by
// hack/tools/helm3.sh).
func helm3(t *testing.T) string {
	helm3Once.Do(func() {
		if helm3Bin = os.Getenv("HOOKGEN_HELM3"); helm3Bin != "" {
			return
		}
		cmd := exec.Command("hack/tools/helm3.sh")
		cmd.Dir = testcharts.Root()
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			helm3Err = fmt.Errorf("building helm v3: %v", err)
			return
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		helm3Bin = lines[len(lines)-1]
	})
	if helm3Err != nil {
		t.Fatal(helm3Err)
	}
	return helm3Bin
}

// TestCorpusWideAddRemove is issue 13's bar on every real chart of
// ../shared/corpus and ../shared/wide: plan and lint exit 0 or 1 on the
// untouched chart; `hookgen add migration|backup|seed --yes` succeeds; the
// result passes helm lint --strict (Helm 4 SDK and Helm 3 CLI) with no
// message the chart did not already have, renders with both, and every
// generated Job decodes strictly into batch/v1; `hookgen remove` gives back
// every byte. It prints one line per chart (go test -v).
func TestCorpusWideAddRemove(t *testing.T) {
	charts := testcharts.RealCharts(t)
	h3 := helm3(t)
	kv, err := common.ParseKubeVersion(testcharts.KubeVersion)
	if err != nil {
		t.Fatal(err)
	}
	report := map[string]string{}
	for _, rc := range charts {
		t.Run(rc.Name, func(t *testing.T) {
			var vals []string
			for _, v := range rc.Values {
				vals = append(vals, "-f", filepath.Join(rc.Dir, v))
			}
			dir := filepath.Join(t.TempDir(), filepath.Base(rc.Dir))
			if err := testcharts.CopyDir(rc.Dir, dir); err != nil {
				t.Fatal(err)
			}
			before := testcharts.Tree(t, dir)
			kube := []string{"--kube-version", testcharts.KubeVersion}
			var line []string
			defer func() { report[rc.Name] = strings.Join(line, ", ") }()

			for _, cmd := range []string{"plan", "lint"} {
				_, stderr, code := run(t, append(append([]string{cmd, dir}, kube...), vals...)...)
				line = append(line, fmt.Sprintf("%s %d", cmd, code))
				if code != 0 && code != 1 {
					t.Errorf("hookgen %s on the untouched chart: exit %d, want 0 or 1: %s", cmd, code, stderr)
				}
			}

			valuesMap, err := render.Values(absValues(rc), nil)
			if err != nil {
				t.Fatal(err)
			}
			lintMsgs := func() []string {
				l := lint.RunAll(dir, valuesMap, "default", lint.WithKubeVersion(kv))
				var out []string
				for _, m := range l.Messages {
					if m.Severity >= support.WarningSev {
						out = append(out, m.Error())
					}
				}
				return out
			}
			lint4Before := lintMsgs()
			h3Args := append(append([]string{}, kube...), vals...)
			_, h3LintBefore := helm3Run(h3, append([]string{"lint", "--strict", dir}, h3Args...)...)

			for _, task := range []string{"migration", "backup", "seed"} {
				args := []string{"add", task, "--yes", "--chart", dir}
				args = append(append(args, kube...), vals...)
				var extra []string
				if task != "backup" {
					extra = append(extra, "--command", "./run-"+task)
					if w, ok := workloads[rc.Name]; ok {
						extra = append(extra, "--workload", w)
					}
				}
				_, stderr, code := run(t, append(args, extra...)...)
				if code != 0 {
					t.Errorf("add %s %s: exit %d: %s", task, strings.Join(extra, " "), code, stderr)
					line = append(line, task+" FAIL(add)")
					continue
				}
				ok := true
				if l := newOnly(lintMsgs(), lint4Before); len(l) > 0 {
					ok = false
					t.Errorf("add %s: helm lint --strict (Helm 4) reports new problems:\n%s", task, strings.Join(l, "\n"))
				}
				if out, err := helm3Run(h3, append([]string{"lint", "--strict", dir}, h3Args...)...); err != nil && h3LintBefore == nil {
					ok = false
					t.Errorf("add %s: helm3 lint --strict: %v\n%s", task, err, out)
				}
				if out, err := helm3Run(h3, append([]string{"template", "release-name", dir}, h3Args...)...); err != nil {
					ok = false
					t.Errorf("add %s: helm3 template: %v\n%s", task, err, out)
				}
				res, err := render.LoadAndRender(dir, render.Options{KubeVersion: testcharts.KubeVersion, ValuesFiles: absValues(rc)})
				if err != nil {
					ok = false
					t.Errorf("add %s: Helm 4 render: %v", task, err)
				} else {
					n := 0
					for _, h := range res.Hooks {
						if h.Kind != "Job" || !strings.Contains(h.Path, "/templates/hooks/") {
							continue
						}
						n++
						if err := yaml.UnmarshalStrict([]byte(h.Manifest), &batchv1.Job{}); err != nil {
							ok = false
							t.Errorf("add %s: %s does not decode strictly into batch/v1: %v", task, h.Path, err)
						}
					}
					if n != 1 {
						ok = false
						t.Errorf("add %s: %d generated Jobs rendered, want 1", task, n)
					}
				}
				rm := append(append([]string{"remove", task, "--chart", dir}, kube...), vals...)
				if _, stderr, code := run(t, rm...); code != 0 {
					ok = false
					t.Errorf("remove %s: exit %d: %s", task, code, stderr)
				}
				if diff := treeDiff(before, testcharts.Tree(t, dir)); diff != "" {
					ok = false
					t.Errorf("remove %s did not restore every byte: %s", task, diff)
				}
				status := "ok"
				if !ok {
					status = "FAIL"
				}
				if len(extra) > 2 {
					status += " (" + strings.Join(extra[2:], " ") + ")"
				}
				line = append(line, task+" "+status)
			}
		})
	}
	names := make([]string, 0, len(report))
	for n := range report {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		t.Logf("%-36s %s", n, report[n])
	}
}

func absValues(rc testcharts.RealChart) []string {
	var out []string
	for _, v := range rc.Values {
		out = append(out, filepath.Join(rc.Dir, v))
	}
	return out
}

// helm3Run runs the Helm v3 CLI; err is non-nil on a non-zero exit.
func helm3Run(bin string, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HELM_CACHE_HOME="+os.TempDir()+"/hookgen-helm3-cache")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
