package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/hookgen/hookgen/internal/testcharts"
)

func lintFixtures(t *testing.T, charts ...string) []Finding {
	t.Helper()
	var all []Finding
	for _, c := range charts {
		fs, err := Chart(c, Options{})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, fs...)
	}
	return all
}

// TestSARIFSchema validates `-o sarif` output against the SARIF 2.1.0 JSON
// schema (testdata/sarif-schema-2.1.0.json, the OASIS 2.1.0 schema as
// published on SchemaStore, draft-04), with format assertions on.
func TestSARIFSchema(t *testing.T) {
	schemaFile, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer schemaFile.Close()
	doc, err := jsonschema.UnmarshalJSON(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("sarif-schema-2.1.0.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	fs := lintFixtures(t, "testdata/rules/HG010/bad", "testdata/rules/HG003/bad", "testdata/rules/HG014/bad")
	for _, tc := range []struct {
		name string
		fs   []Finding
	}{{"findings", fs}, {"empty", nil}} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, "sarif", Report{Charts: []string{"x"}, Findings: tc.fs}, "v1.2.3"); err != nil {
				t.Fatal(err)
			}
			inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Validate(inst); err != nil {
				t.Fatalf("SARIF output is not valid SARIF 2.1.0: %v\n%s", err, buf.String())
			}
			// The validator does reject a wrong log.
			tampered, _ := jsonschema.UnmarshalJSON(strings.NewReader(strings.Replace(buf.String(), `"level": "`, `"level": "fatal`, 1)))
			if len(tc.fs) > 0 && sch.Validate(tampered) == nil {
				t.Fatal("schema accepted an invalid result level")
			}
			// What GitHub code scanning needs beyond the schema: every result
			// names a rule defined in the driver, a relative file URI and a
			// level; regions start at line 1 or later.
			var log struct {
				Runs []struct {
					Tool struct {
						Driver struct {
							Rules []struct{ ID string }
						}
					}
					Results []struct {
						RuleID    string
						RuleIndex int
						Level     string
						Locations []struct {
							PhysicalLocation struct {
								ArtifactLocation struct{ URI string }
								Region           *struct{ StartLine int }
							}
						}
					}
				}
			}
			if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
				t.Fatal(err)
			}
			run := log.Runs[0]
			if len(run.Tool.Driver.Rules) != len(Rules) {
				t.Errorf("driver has %d rules, want %d", len(run.Tool.Driver.Rules), len(Rules))
			}
			if len(run.Results) != len(tc.fs) {
				t.Fatalf("%d results, want %d", len(run.Results), len(tc.fs))
			}
			for i, r := range run.Results {
				if run.Tool.Driver.Rules[r.RuleIndex].ID != r.RuleID {
					t.Errorf("result %d: ruleIndex %d is %s, not %s", i, r.RuleIndex, run.Tool.Driver.Rules[r.RuleIndex].ID, r.RuleID)
				}
				loc := r.Locations[0].PhysicalLocation
				if strings.HasPrefix(loc.ArtifactLocation.URI, "/") || !strings.HasPrefix(loc.ArtifactLocation.URI, "testdata/rules/") {
					t.Errorf("result %d: uri %q is not relative to the working directory", i, loc.ArtifactLocation.URI)
				}
				if loc.Region == nil || loc.Region.StartLine < 1 {
					t.Errorf("result %d: no start line", i)
				}
				want := map[Severity]string{Error: "error", Warning: "warning", Info: "note"}[tc.fs[i].Severity]
				if r.Level != want {
					t.Errorf("result %d: level %q, want %q", i, r.Level, want)
				}
			}
		})
	}
}

func TestJSONOutput(t *testing.T) {
	fs := lintFixtures(t, "testdata/rules/HG010/bad")
	var buf bytes.Buffer
	if err := Write(&buf, "json", Report{Charts: []string{"testdata/rules/HG010/bad"}, Findings: fs, Min: Info}, "dev"); err != nil {
		t.Fatal(err)
	}
	var got JSONReport
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if got.SchemaVersion != 1 || got.Summary.Total != len(fs) || got.Summary.Error != 2 || got.Severity != Info {
		t.Errorf("report header: %+v", got)
	}
	f := got.Findings[0]
	if f.Rule != "HG010" || f.Name != "helper-hook-not-ready" || f.Severity != Error ||
		f.File != "testdata/rules/HG010/bad/templates/job.yaml" || f.Template != "demo/templates/job.yaml" ||
		f.Line != 30 || f.Kind != "Job" || f.Object != "release-name-migrate" ||
		strings.Join(f.Events, ",") != "pre-install,pre-upgrade" {
		t.Errorf("first finding: %+v", f)
	}
	// Empty reports still have arrays, not null, so jq '.findings[]' works.
	buf.Reset()
	Write(&buf, "json", Report{}, "dev")
	if !strings.Contains(buf.String(), `"findings": []`) || !strings.Contains(buf.String(), `"charts": []`) {
		t.Errorf("empty report: %s", buf.String())
	}
}

func TestTextOutput(t *testing.T) {
	fs := lintFixtures(t, "testdata/rules/HG006/bad")
	var buf bytes.Buffer
	Write(&buf, "text", Report{Charts: []string{"a", "b"}, Findings: fs, Min: Warning}, "dev")
	want := "testdata/rules/HG006/bad/templates/job.yaml:8: warning HG006 missing-before-hook-creation: Job/release-name-migrate: helm.sh/hook-delete-policy \"hook-succeeded\" lacks before-hook-creation"
	if !strings.HasPrefix(buf.String(), want) {
		t.Errorf("text output:\n%s\nwant prefix:\n%s", buf.String(), want)
	}
	if !strings.HasSuffix(buf.String(), "\n1 finding (1 warning) in 2 charts\n") {
		t.Errorf("summary line: %q", buf.String())
	}
	buf.Reset()
	Write(&buf, "text", Report{Charts: []string{"a"}, Min: Error}, "dev")
	if buf.String() != "no findings at or above error in 1 chart\n" {
		t.Errorf("clean output: %q", buf.String())
	}
	if err := Write(&buf, "yaml", Report{}, "dev"); err == nil {
		t.Error("unknown format accepted")
	}
}

func writeChart(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["Chart.yaml"] = "apiVersion: v2\nname: demo\nversion: 0.1.0\n"
	testcharts.WriteTree(t, dir, files)
	return dir
}

func rulesOf(fs []Finding) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Rule+" "+f.Object]++
	}
	return m
}

// TestIgnoreAnnotation: hookgen.io/ignore silences the listed rules (by ID or
// name, any case) on that object only; "all" silences every rule.
func TestIgnoreAnnotation(t *testing.T) {
	job := func(name, ignore string) string {
		ann := ""
		if ignore != "" {
			ann = "\n    hookgen.io/ignore: " + ignore
		}
		return `apiVersion: batch/v1
kind: Job
metadata:
  name: ` + name + `
  annotations:
    "helm.sh/hook": post-install
    "helm.sh/hook-weight": "0"
    "helm.sh/hook-delete-policy": hook-succeeded` + ann + `
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]
`
	}
	dir := writeChart(t, map[string]string{
		"templates/a.yaml": job("a", ""),
		"templates/b.yaml": job("b", `"hg006, Missing-Active-Deadline"`),
		"templates/c.yaml": job("c", "all"),
	})
	fs, err := Chart(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := rulesOf(fs)
	for _, want := range []string{"HG006 a", "HG014 a", "HG015 a", "HG023 a", "HG014 b", "HG023 b"} {
		if got[want] != 1 {
			t.Errorf("missing %s; got %v", want, got)
		}
	}
	for _, unwanted := range []string{"HG006 b", "HG015 b"} {
		if got[unwanted] != 0 {
			t.Errorf("%s not suppressed", unwanted)
		}
	}
	for k := range got {
		if strings.HasSuffix(k, " c") {
			t.Errorf("%s reported despite hookgen.io/ignore: all", k)
		}
	}
}

// TestValuesDrivenAnnotations: annotations from values count, .helmignore is
// honoured, and an unknown event from values drops the hook (HG001).
func TestValuesDrivenAnnotations(t *testing.T) {
	dir := writeChart(t, map[string]string{
		".helmignore":            "templates/ignored.yaml\n",
		"values.yaml":            "hook: pre-install\n",
		"templates/ignored.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    helm.sh/hook: bogus\n",
		"templates/cm.yaml":      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n  annotations:\n    \"helm.sh/hook\": {{ .Values.hook | quote }}\n    \"helm.sh/hook-weight\": \"0\"\n",
	})
	fs, err := Chart(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 0 {
		t.Fatalf("clean chart: %v", fs)
	}
	fs, err = Chart(dir, Options{Set: []string{"hook=pre-install\\,crd-install"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Rule != "HG001" || fs[0].Line != 6 || !strings.Contains(fs[0].Message, "crds/") {
		t.Fatalf("want one HG001 at line 6 naming crds/: %+v", fs)
	}
}

func TestChartErrors(t *testing.T) {
	if _, err := Chart(filepath.Join(t.TempDir(), "missing"), Options{}); err == nil {
		t.Error("missing chart: no error")
	}
	dir := writeChart(t, map[string]string{"templates/bad.yaml": "{{ .Values.x.y }}"})
	if _, err := Chart(dir, Options{}); err == nil {
		t.Error("template error: no error")
	}
	if _, err := Chart("testdata/rules/HG001/good", Options{GitOps: "flux"}); err == nil {
		t.Error("unknown gitops accepted")
	}
	if _, err := Chart("testdata/rules/HG001/good", Options{ReleaseNameLength: 54}); err == nil {
		t.Error("release name length 54 accepted")
	}
}

// TestReleaseNameLength: the Job name check follows --release-name-length.
func TestReleaseNameLength(t *testing.T) {
	bad := "testdata/rules/HG012/bad"
	fs, _ := Chart(bad, Options{ReleaseNameLength: 20})
	if rulesOf(fs)["HG012 release-name-database-schema-migration"] != 0 {
		t.Errorf("20-character release name: name fits in 63, yet flagged")
	}
	fs, _ = Chart(bad, Options{ReleaseNameLength: 40})
	if rulesOf(fs)["HG012 release-name-database-schema-migration"] != 1 {
		t.Errorf("40-character release name: 67-character Job name not flagged")
	}
}

// TestHelmTimeout: the deadline rule follows --helm-timeout.
func TestHelmTimeout(t *testing.T) {
	bad := "testdata/rules/HG016/bad" // activeDeadlineSeconds: 600
	fs, _ := Chart(bad, Options{HelmTimeout: 15 * time.Minute})
	if rulesOf(fs)["HG016 release-name-migrate"] != 0 {
		t.Errorf("600s deadline under a 15m timeout flagged")
	}
	fs, _ = Chart("testdata/rules/HG016/good", Options{HelmTimeout: 2 * time.Minute}) // 240s deadline
	if rulesOf(fs)["HG016 release-name-migrate"] != 1 {
		t.Errorf("240s deadline over a 2m timeout not flagged")
	}
}

// TestRun: the threshold decides what is printed and counted (the command's
// exit code), and a chart error prints nothing and names the chart.
func TestRun(t *testing.T) {
	charts := []string{"testdata/rules/HG003/bad", "testdata/rules/HG006/bad"} // one info, one warning
	for _, tc := range []struct {
		min  Severity
		want int
	}{{Info, 2}, {Warning, 1}, {Error, 0}} {
		var buf bytes.Buffer
		n, err := Run(&buf, charts, Options{}, tc.min, "text", "dev")
		if err != nil {
			t.Fatal(err)
		}
		if n != tc.want || strings.Count(buf.String(), "\n") != tc.want+1 {
			t.Errorf("--severity %s: %d findings, want %d:\n%s", tc.min, n, tc.want, buf.String())
		}
		if !strings.Contains(buf.String(), "in 2 charts\n") {
			t.Errorf("summary does not count both charts: %q", buf.String())
		}
	}

	broken := writeChart(t, map[string]string{"templates/bad.yaml": "{{ .Values.x.y }}\n"})
	var buf bytes.Buffer
	_, err := Run(&buf, []string{"testdata/rules/HG006/bad", broken}, Options{}, Warning, "json", "dev")
	var ce *ChartError
	if !errors.As(err, &ce) || ce.Chart != broken || strings.Contains(err.Error(), "\n") {
		t.Errorf("want a one-line *ChartError for %s, got %v", broken, err)
	}
	if buf.Len() != 0 {
		t.Errorf("output written despite a chart error: %s", buf.String())
	}
	if _, err := Run(&buf, charts, Options{}, Warning, "xml", "dev"); err == nil {
		t.Error("unknown format accepted")
	}
}
