package golden

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/v2/lint"
	"helm.sh/helm/v4/pkg/chart/v2/lint/support"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
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
			// About 20 s a chart: under go test's default 10m -timeout (go
			// test ./...), stop in time; make test-corpus gives it 45m.
			if dl, ok := t.Deadline(); ok && time.Until(dl) < 2*time.Minute {
				t.Skipf("skipped: go test's -timeout is near; make test-corpus runs every chart (-timeout 45m)")
			}
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

			// The three hooks together (as a chart would have them), checked
			// once, then removed in reverse order.
			var added []string
			var migrationOut string
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
				stdout, stderr, code := run(t, append(args, extra...)...)
				if task == "migration" {
					migrationOut = stdout
				}
				if code != 0 {
					t.Errorf("add %s %s: exit %d: %s", task, strings.Join(extra, " "), code, stderr)
					line = append(line, "add "+task+" FAIL")
					continue
				}
				added = append(added, task)
				note := ""
				if len(extra) > 2 {
					note = " (" + strings.Join(extra[2:], " ") + ")"
				}
				line = append(line, "add "+task+" ok"+note)
			}
			check := func(what string, ok bool) {
				if ok {
					line = append(line, what+" ok")
				} else {
					line = append(line, what+" FAIL")
				}
			}
			l4 := newOnly(lintMsgs(), lint4Before)
			if len(l4) > 0 {
				t.Errorf("helm lint --strict (Helm 4 SDK) reports new problems:\n%s", strings.Join(l4, "\n"))
			}
			check("lint4", len(l4) == 0)
			out, err := helm3Run(h3, append([]string{"lint", "--strict", dir}, h3Args...)...)
			if err != nil && h3LintBefore == nil {
				t.Errorf("helm3 lint --strict: %v\n%s", err, out)
			}
			check("lint3", err == nil || h3LintBefore != nil)
			out, err = helm3Run(h3, append([]string{"template", "release-name", dir}, h3Args...)...)
			if err != nil {
				t.Errorf("helm3 template: %v\n%s", err, out)
			}
			check("render3", err == nil)
			res, err := render.LoadAndRender(dir, render.Options{KubeVersion: testcharts.KubeVersion, ValuesFiles: absValues(rc)})
			strict := err == nil
			if err != nil {
				t.Errorf("Helm 4 render: %v", err)
			} else {
				n := 0
				for _, h := range res.Hooks {
					if h.Kind != "Job" || !strings.Contains(h.Path, "/templates/hooks/") {
						continue
					}
					n++
					var job batchv1.Job
					if err := yaml.UnmarshalStrict([]byte(h.Manifest), &job); err != nil {
						strict = false
						t.Errorf("%s does not decode strictly into batch/v1: %v", h.Path, err)
					}
					for _, f := range testcharts.InitRestricted(job.Spec.Template.Spec) {
						strict = false
						t.Errorf("%s: %s", h.Path, f)
					}
					if strings.HasSuffix(h.Path, "/templates/hooks/migration.yaml") {
						line = append(line, waitReport(t, migrationOut, job))
					}
				}
				if n != len(added) {
					strict = false
					t.Errorf("%d generated Jobs rendered, want %d", n, len(added))
				}
			}
			check("render4+strict", strict)
			removed := true
			for i := len(added) - 1; i >= 0; i-- {
				rm := append(append([]string{"remove", added[i], "--chart", dir}, kube...), vals...)
				if _, stderr, code := run(t, rm...); code != 0 {
					removed = false
					t.Errorf("remove %s: exit %d: %s", added[i], code, stderr)
				}
			}
			diff := treeDiff(before, testcharts.Tree(t, dir))
			if diff != "" {
				t.Errorf("remove did not restore every byte: %s", diff)
			}
			check("remove=bytes", removed && diff == "")
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

// waitDepRe finds the database dependencies whose server hookgen waits for:
// a migration that runs post-install because the release deploys one of
// them must wait for it.
var waitDepRe = regexp.MustCompile(`the release deploys its own database \((postgresql|postgresql-ha|mysql|mariadb|mariadb-galera) dependency\)`)

// waitReport checks that a migration at post-install whose database is a
// dependency of the release waits for it, and says what it waits with.
func waitReport(t *testing.T, addOut string, job batchv1.Job) string {
	t.Helper()
	var wait *corev1.Container
	for i, c := range job.Spec.Template.Spec.InitContainers {
		if c.Name == testcharts.WaitContainer {
			wait = &job.Spec.Template.Spec.InitContainers[i]
		}
	}
	m := waitDepRe.FindStringSubmatch(addOut)
	switch {
	case m != nil && wait == nil:
		t.Errorf("the migration runs post-install for the release's %s but does not wait for it", m[1])
		return "wait FAIL"
	case wait == nil:
		return "no wait (no database dependency)"
	}
	return "wait " + wait.Image
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
