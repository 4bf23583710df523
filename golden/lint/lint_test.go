// Package lint_test holds the expected `hookgen lint` findings for every real
// chart in ../shared/corpus, rendered with the values files its README names.
// Each .txt file was reviewed by hand against the corpus README's named
// defects; TestCorpusNamedDefects pins those defects so -update cannot lose
// them silently.
package lint_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookgen/hookgen/internal/lint"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/sharedcharts"
	"github.com/hookgen/hookgen/internal/testcharts"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// corpusDir finds the shared corpus (see internal/sharedcharts); the test
// is skipped when it is absent.
func corpusDir(t *testing.T) string {
	t.Helper()
	abs, err := filepath.Abs(testcharts.Shared(t, sharedcharts.Corpus))
	if err != nil {
		t.Fatal(err)
	}
	return abs
}

type corpusCase struct {
	name   string // golden file name
	chart  string
	values []string // relative to the corpus
	gitops string
}

// The charts and values files of shared/corpus/README.md.
var cases = []corpusCase{
	{name: "ingress-nginx", chart: "ingress-nginx"},
	{name: "ingress-nginx-renamed-sa", chart: "ingress-nginx", values: []string{"_values/ingress-nginx-renamed-sa.yaml"}},
	{name: "kong", chart: "kong", values: []string{"_values/kong-hooks.yaml"}},
	{name: "temporal", chart: "temporal", values: []string{"temporal/ci/postgres-values.yaml", "_values/temporal-hooks.yaml"}},
	{name: "argo-workflows", chart: "argo-workflows"},
	{name: "bitnami-postgresql", chart: "bitnami-postgresql", values: []string{"_values/bitnami-postgresql-hooks.yaml"}},
	{name: "bitnami-keycloak", chart: "bitnami-keycloak", values: []string{"_values/bitnami-keycloak-hooks.yaml"}},
	{name: "keycloakx", chart: "keycloakx", values: []string{"_values/keycloakx-hooks.yaml"}},
	{name: "keycloakx-argocd", chart: "keycloakx", values: []string{"_values/keycloakx-hooks.yaml"}, gitops: "argocd"},
	{name: "temporal-argocd", chart: "temporal", values: []string{"temporal/ci/postgres-values.yaml", "_values/temporal-hooks.yaml"}, gitops: "argocd"},
	{name: "kong-argocd", chart: "kong", values: []string{"_values/kong-hooks.yaml"}, gitops: "argocd"},
}

func lintCase(t *testing.T, corpus string, c corpusCase) []lint.Finding {
	t.Helper()
	var vals []string
	for _, v := range c.values {
		vals = append(vals, filepath.Join(corpus, v))
	}
	fs, err := lint.Chart(filepath.Join(corpus, c.chart), lint.Options{ValuesFiles: vals, KubeVersion: "1.33.0", GitOps: c.gitops})
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	// Paths relative to the corpus, so the golden files do not depend on
	// where the repository is checked out.
	for i := range fs {
		fs[i].File = strings.TrimPrefix(fs[i].File, corpus+"/")
		fs[i].Chart = c.chart
	}
	return fs
}

// TestCorpusGolden compares every finding (all severities, text format) with
// golden/lint/<case>.txt. Run `go test ./golden/lint -update` (or
// `make golden`) to rewrite, then review the diff.
func TestCorpusGolden(t *testing.T) {
	corpus := corpusDir(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fs := lintCase(t, corpus, c)
			var buf bytes.Buffer
			if err := lint.Write(&buf, "text", lint.Report{Charts: []string{c.chart}, Findings: fs, Min: lint.Info}, "golden"); err != nil {
				t.Fatal(err)
			}
			file := c.name + ".txt"
			if *update {
				if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./golden/lint -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("findings for %s differ from %s (rerun with -update and review the diff):\n--- got\n%s--- want\n%s", c.name, file, buf.String(), want)
			}
		})
	}
}

// has reports whether a finding of rule on object (a substring of its
// name) exists whose message contains msg, at the default threshold
// (warning or error): a named defect must be seen without --severity info.
func has(fs []lint.Finding, rule, object, msg string) bool {
	for _, f := range fs {
		if f.Severity >= lint.Warning && f.Rule == rule && strings.Contains(f.Object, object) && strings.Contains(f.Message, msg) {
			return true
		}
	}
	return false
}

// TestCorpusNamedDefects pins each defect shared/corpus/README.md names, and
// the charts it calls clean or textbook.
func TestCorpusNamedDefects(t *testing.T) {
	corpus := corpusDir(t)
	get := func(name string) []lint.Finding {
		for _, c := range cases {
			if c.name == name {
				return lintCase(t, corpus, c)
			}
		}
		t.Fatalf("no case %s", name)
		return nil
	}

	// ingress-nginx: SA/RBAC hooks and Jobs with no weights; the order holds
	// only because of names, and the SA's name is a value.
	fs := get("ingress-nginx")
	for _, job := range []string{"admission-create", "admission-patch"} {
		if !has(fs, "HG004", job, "with --set controller.admissionWebhooks.patch.serviceAccount.name=") {
			t.Errorf("ingress-nginx: no weight tie (HG004) reported for the %s Job, with the value that breaks it", job)
		}
		if has(fs, "HG010", job, "") {
			t.Errorf("ingress-nginx defaults: the SA sorts before the Job, yet HG010 reported")
		}
	}
	// ... and renaming the SA breaks it: the Job is created before its SA.
	fs = get("ingress-nginx-renamed-sa")
	for _, job := range []string{"admission-create", "admission-patch"} {
		if !has(fs, "HG010", job, "ServiceAccount/zz-webhook-sa, a hook that Helm creates after this Job") {
			t.Errorf("ingress-nginx renamed SA: Job %s created before ServiceAccount/zz-webhook-sa not reported", job)
		}
	}

	// bitnami-postgresql: the pre-upgrade Job is created before the Secret
	// it mounts (equal weight, name order), and its policy is hook-succeeded only.
	fs = get("bitnami-postgresql")
	if !has(fs, "HG010", "password-update", "previous-secret, a hook that Helm creates after this Job at pre-upgrade") {
		t.Error("bitnami-postgresql: Job before its Secret not reported")
	}
	if !has(fs, "HG006", "password-update", `"hook-succeeded" lacks before-hook-creation`) {
		t.Error("bitnami-postgresql: hook-succeeded-only delete policy not reported")
	}

	// temporal: helpers are hooks with lower weights, the textbook fix.
	fs = get("temporal")
	for _, f := range fs {
		if f.Rule == "HG008" || f.Rule == "HG010" || f.Rule == "HG004" {
			t.Errorf("temporal's weighted helper hooks reported: %s %s", f.Rule, f.Message)
		}
	}
	// argo-workflows: a clean example; no errors.
	for _, f := range get("argo-workflows") {
		if f.Severity == lint.Error {
			t.Errorf("argo-workflows: unexpected error %s %s", f.Rule, f.Message)
		}
	}
	// kong: test hooks are excluded by .helmignore, so nothing is reported
	// from templates/tests.
	for _, f := range get("kong") {
		if strings.Contains(f.File, "templates/tests/") {
			t.Errorf("kong: finding in a .helmignore'd test template: %s", f.File)
		}
	}
	// keycloakx under Argo CD: test hooks never run (info: nothing depends
	// on them there).
	found := false
	for _, f := range get("keycloakx-argocd") {
		if f.Rule == "HG025" && strings.Contains(f.Object, "keycloakx-test") {
			found = true
		}
	}
	if !found {
		t.Error("keycloakx --gitops argocd: test hooks that never run not reported")
	}
	// kong under Argo CD: its pre-upgrade migration carries its own
	// argocd.argoproj.io/hook: Sync, which overrides the Helm hook, so it is
	// not a PreSync hook on the first sync.
	for _, f := range get("kong-argocd") {
		if f.Rule == "HG030" {
			t.Errorf("kong --gitops argocd: HG030 despite argocd.argoproj.io/hook: %s", f.Message)
		}
	}
}

// TestFixtureGolden: the findings (all severities) on hookgen's own lint
// fixtures, which need no ../shared: every rule's bad chart and the charts
// lint and plan must handle without aborting (helpers in templates/_helpers/, a
// template included by path, the chart's own fail on long release names).
// Golden files: golden/lint/fixtures/<name>.txt.
func TestFixtureGolden(t *testing.T) {
	root := filepath.Join("..", "..", "internal", "lint", "testdata")
	var dirs []string
	rules, _ := filepath.Glob(filepath.Join(root, "rules", "HG*", "bad"))
	charts, _ := filepath.Glob(filepath.Join(root, "charts", "*"))
	dirs = append(append(dirs, rules...), charts...)
	if len(dirs) < 30 {
		t.Fatalf("only %d fixture charts under %s", len(dirs), root)
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		if name == "bad" {
			name = filepath.Base(filepath.Dir(dir))
		}
		t.Run(name, func(t *testing.T) {
			opts := lint.Options{}
			if b, err := os.ReadFile(filepath.Join(filepath.Dir(dir), "gitops")); err == nil && filepath.Base(dir) == "bad" {
				opts.GitOps = strings.TrimSpace(string(b))
			}
			fs, err := lint.Chart(dir, opts)
			if err != nil {
				t.Fatalf("lint aborted on %s: %v", dir, err)
			}
			if _, err := plan.Load(dir, plan.Options{}); err != nil {
				t.Errorf("plan aborted on %s: %v", dir, err)
			}
			for i := range fs {
				fs[i].File = strings.TrimPrefix(filepath.ToSlash(fs[i].File), filepath.ToSlash(root)+"/")
				fs[i].Chart = name
			}
			var buf bytes.Buffer
			if err := lint.Write(&buf, "text", lint.Report{Charts: []string{name}, Findings: fs, Min: lint.Info}, "golden"); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("fixtures", name+".txt")
			if *update {
				if err := os.MkdirAll("fixtures", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test ./golden/lint -update)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				t.Errorf("findings for %s differ from %s (rerun with -update and review the diff):\n--- got\n%s--- want\n%s", name, file, buf.String(), want)
			}
		})
	}
}

// TestCorpusWideReviewed lints every corpus case and every wide chart at the
// default severity and compares the findings with reviewed.txt, where each
// one has a verdict against its rule's documentation. Nothing may be judged
// a false positive, and every defect the corpus README names is among them
// (TestCorpusNamedDefects checks those by message).
func TestCorpusWideReviewed(t *testing.T) {
	corpus := corpusDir(t)
	wide, err := filepath.Abs(testcharts.Shared(t, sharedcharts.Wide))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("reviewed.txt")
	if err != nil {
		t.Fatal(err)
	}
	reviewed := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		key, verdict, ok := strings.Cut(l, " | ")
		if !ok {
			t.Fatalf("reviewed.txt: no verdict in %q", l)
		}
		if !strings.HasPrefix(verdict, "true: ") {
			t.Errorf("reviewed.txt: %s is judged %q: fix the rule", key, verdict)
		}
		reviewed[key] = verdict
	}
	got := map[string]bool{}
	report := func(name string, fs []lint.Finding) {
		for _, f := range lint.AtLeast(fs, lint.Warning) {
			got[fmt.Sprintf("%s %s %s %s/%s", name, f.Severity, f.Rule, f.Kind, f.Object)] = true
		}
	}
	for _, c := range cases {
		if c.gitops != "" {
			continue
		}
		report(c.name, lintCase(t, corpus, c))
	}
	charts, _ := os.ReadDir(wide)
	n := 0
	for _, e := range charts {
		if !e.IsDir() {
			continue
		}
		n++
		fs, err := lint.Chart(filepath.Join(wide, e.Name()), lint.Options{KubeVersion: "1.33.0"})
		if err != nil {
			t.Errorf("lint aborted on wide/%s: %v", e.Name(), err)
			continue
		}
		report("wide/"+e.Name(), fs)
	}
	if n < 20 {
		t.Fatalf("only %d wide charts in %s", n, wide)
	}
	for k := range got {
		if _, ok := reviewed[k]; !ok {
			t.Errorf("not reviewed: %s (judge it against docs/rules.md and add it to reviewed.txt)", k)
		}
	}
	for k := range reviewed {
		if !got[k] {
			t.Errorf("reviewed but no longer reported: %s", k)
		}
	}
}
