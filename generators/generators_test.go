package generators

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
	"github.com/hookgen/hookgen/internal/valuesedit"
)

func TestParseWeight(t *testing.T) {
	for in, want := range map[string]int{"-5": -5, "0": 0, "+3": 3, " 10 ": 10} {
		if got, err := ParseWeight(in); err != nil || got != want {
			t.Errorf("ParseWeight(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"1.5", "abc", "", "1e3", "99999999999999999999"} {
		if _, err := ParseWeight(bad); err == nil || !strings.Contains(err.Error(), "not an integer") {
			t.Errorf("ParseWeight(%q) = %v, want a 'not an integer' error", bad, err)
		}
	}
}

func TestValidateName(t *testing.T) {
	for _, ok := range []string{"migration", "warm-cache", "a", strings.Repeat("a", MaxNameLen)} {
		if err := ValidateName(ok); err != nil {
			t.Errorf("ValidateName(%q): %v", ok, err)
		}
	}
	for _, bad := range []string{"", "Warm", "warm_cache", "-x", "x-", "a.b", strings.Repeat("a", MaxNameLen+1)} {
		if err := ValidateName(bad); err == nil {
			t.Errorf("ValidateName(%q) accepted it", bad)
		}
	}
}

func TestSplitImage(t *testing.T) {
	for in, want := range map[string][2]string{
		"busybox:1.37":                        {"busybox", "1.37"},
		"busybox":                             {"busybox", ""},
		"registry:5000/team/app":              {"registry:5000/team/app", ""},
		"registry:5000/team/app:v2":           {"registry:5000/team/app", "v2"},
		"app@sha256:0123456789abcdef0123":     {"app@sha256:0123456789abcdef0123", ""},
		"ghcr.io/x/y:1.0@sha256:0123456789ab": {"ghcr.io/x/y:1.0@sha256:0123456789ab", ""},
	} {
		r, tag := splitImage(in)
		if r != want[0] || tag != want[1] {
			t.Errorf("splitImage(%q) = %q, %q; want %q, %q", in, r, tag, want[0], want[1])
		}
	}
}

func TestInspectHelmCreate(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	info, err := Inspect(dir, testcharts.KubeVersion, "")
	if err != nil {
		t.Fatal(err)
	}
	if info.FullnameExpr != `include "shop.fullname" .` || info.LabelsExpr != `include "shop.labels" .` || info.SAExpr != `include "shop.serviceAccountName" .` {
		t.Errorf("helpers: %q %q %q", info.FullnameExpr, info.LabelsExpr, info.SAExpr)
	}
	if info.Image != ImageRepositoryTag || !info.HasImagePullSecrets || info.Database != "" {
		t.Errorf("image %v pullSecrets %v database %q", info.Image, info.HasImagePullSecrets, info.Database)
	}
	// The Service selects name+instance: a pod with only instance and component is outside it.
	if !info.Matches(map[string]string{"app.kubernetes.io/name": "shop", "app.kubernetes.io/instance": "release-name", "x": "y"}) {
		t.Error("selector of the chart's Service not found")
	}
	if info.Matches(map[string]string{"app.kubernetes.io/instance": "release-name", "app.kubernetes.io/component": "hook-migration"}) {
		t.Error("hook pod labels wrongly matched")
	}
}

func TestCorpusInspectBitnamiHelpers(t *testing.T) {
	dir := testcharts.Corpus(t, "bitnami-keycloak")
	info, err := Inspect(dir, testcharts.KubeVersion, "")
	if err != nil {
		t.Fatal(err)
	}
	if info.FullnameExpr != `include "common.names.fullname" .` || !strings.Contains(info.LabelsExpr, "common.labels.standard") {
		t.Errorf("bitnami helpers not reused: %q %q", info.FullnameExpr, info.LabelsExpr)
	}
	if info.Image != ImageRegistryRepository || info.Database != "postgresql" {
		t.Errorf("image layout %v, database %q", info.Image, info.Database)
	}
}

func TestCorpusInspectPrefixDiffersFromChartName(t *testing.T) {
	// keycloakx's helpers are named keycloak.*
	info, err := Inspect(testcharts.Corpus(t, "keycloakx"), testcharts.KubeVersion, "")
	if err != nil {
		t.Fatal(err)
	}
	if info.FullnameExpr != `include "keycloak.fullname" .` {
		t.Errorf("fullname helper %q", info.FullnameExpr)
	}
}

func TestPlanWeightOrdersTasksAndAvoidsTies(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	// A foreign pre-upgrade hook at weight -10 and one at 0.
	os.WriteFile(filepath.Join(dir, "templates", "foreign.yaml"), []byte(`apiVersion: v1
kind: ConfigMap
metadata:
  name: foreign-a
  annotations:
    "helm.sh/hook": pre-upgrade
    "helm.sh/hook-weight": "-10"
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: foreign-b
  annotations:
    "helm.sh/hook": pre-upgrade
    "helm.sh/hook-weight": "0"
`), 0o644)
	info, err := Inspect(dir, testcharts.KubeVersion, "")
	if err != nil {
		t.Fatal(err)
	}
	backup, _ := LookupTask("backup")
	migration, _ := LookupTask("migration")
	wb, err := planWeight(info, Hook{Task: backup, Name: "backup", TemplatePath: "templates/hooks/backup.yaml", Events: []release.HookEvent{release.HookPreUpgrade}})
	if err != nil || wb != -11 {
		t.Errorf("backup weight %d, %v; want -11 (next below the tie at -10)", wb, err)
	}
	wm, err := planWeight(info, Hook{Task: migration, Name: "migration", TemplatePath: "templates/hooks/migration.yaml", Events: []release.HookEvent{release.HookPreUpgrade}})
	if err != nil || wm != 1 {
		t.Errorf("migration weight %d, %v; want 1 (next above the tie at 0)", wm, err)
	}
}

func TestPlanWeightKeepsHookgenOrder(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	// An earlier hookgen seed hook that somebody moved to -20.
	os.WriteFile(filepath.Join(dir, "templates", "seed.yaml"), []byte(`apiVersion: v1
kind: ConfigMap
metadata:
  name: seed
  labels:
    hookgen.io/task: seed
  annotations:
    "helm.sh/hook": pre-upgrade
    "helm.sh/hook-weight": "-20"
`), 0o644)
	info, err := Inspect(dir, testcharts.KubeVersion, "")
	if err != nil {
		t.Fatal(err)
	}
	migration, _ := LookupTask("migration")
	w, err := planWeight(info, Hook{Task: migration, Name: "migration", TemplatePath: "templates/hooks/migration.yaml", Events: []release.HookEvent{release.HookPreUpgrade}})
	if err != nil || w != -21 {
		t.Errorf("migration weight %d, %v; want -21 (before the seed at -20)", w, err)
	}
}

// A workload that selects pods by matchExpressions alone must count: the
// hand-rolled selector read only matchLabels, so add gave the hook's pod the
// instance label this worker selects, and lint then flagged the hook.
func TestInspectSelectorMatchExpressions(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	worker := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-worker
spec:
  selector:
    matchExpressions:
      - {key: app.kubernetes.io/instance, operator: In, values: [{{ .Release.Name }}]}
  template:
    metadata:
      labels:
        app.kubernetes.io/instance: {{ .Release.Name }}
    spec:
      containers:
        - name: worker
          image: busybox:1.37
`
	if err := os.WriteFile(filepath.Join(dir, "templates", "worker.yaml"), []byte(worker), 0o644); err != nil {
		t.Fatal(err)
	}
	info, err := Inspect(dir, testcharts.KubeVersion, "")
	if err != nil {
		t.Fatal(err)
	}
	if !info.Matches(map[string]string{"app.kubernetes.io/instance": "release-name", "app.kubernetes.io/component": "hook-migration"}) {
		t.Error("the worker's matchExpressions selector was not read: the hook pod would carry a label it selects")
	}
}

// A values block the user changed since add is replaced where it stands;
// unless the user confirmed that, values.yaml is written as a conflict
// (Replaced: a diff, settled by --force, kept by --skip), not a plain edit.
func TestRegenerateWritePolicy(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	mig, _ := LookupTask("migration")
	info := mustInspect(t, dir)
	out, err := Generate(info, Request{Task: mig, Command: []string{"true"}})
	if err != nil {
		t.Fatal(err)
	}
	testcharts.WriteTree(t, dir, outputFiles(out))
	if info, err = Inspect(dir, render.DefaultKubeVersion, DefaultValuesKey); err != nil {
		t.Fatal(err)
	}
	req := Request{Task: mig, Command: []string{"sh", "-c", "echo other"}}
	if _, err := Generate(info, req); !errors.Is(err, valuesedit.ErrExists) {
		t.Fatalf("Generate with another command: %v, want valuesedit.ErrExists", err)
	}
	for _, c := range []struct {
		confirmed bool
		want      FileKind
	}{{false, Replaced}, {true, Edited}} {
		out, err := Regenerate(info, req, c.confirmed)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(out.Files, func(f File) bool { return f.Path == "values.yaml" })
		if i < 0 {
			t.Fatalf("confirmed %v: no values.yaml among %d files", c.confirmed, len(out.Files))
		}
		if got := out.Files[i].Kind; got != c.want {
			t.Errorf("confirmed %v: values.yaml written as %v, want %v", c.confirmed, got, c.want)
		}
		if !bytes.Contains(out.Files[i].Content, []byte("echo other")) {
			t.Errorf("confirmed %v: values.yaml does not hold the new command:\n%s", c.confirmed, out.Files[i].Content)
		}
	}
}
