package helmhook

import (
	"slices"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"
	"k8s.io/apimachinery/pkg/labels"
)

func TestParseEvents(t *testing.T) {
	got, err := ParseEvents([]string{"Pre-Install, pre-upgrade", "pre-upgrade", "test-success"})
	if err != nil {
		t.Fatal(err)
	}
	want := []release.HookEvent{release.HookPreInstall, release.HookPreUpgrade, release.HookTest}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for _, bad := range []string{"pre-instal", "crd-install", "test-failure", "pre-install,", ""} {
		if _, err := ParseEvents([]string{bad}); err == nil {
			t.Errorf("ParseEvents(%q) accepted it; Helm would drop the hook", bad)
		} else if !strings.Contains(err.Error(), "pre-install, post-install") {
			t.Errorf("ParseEvents(%q) error %q does not list the valid events", bad, err)
		}
	}
}

func TestParseDeletePolicies(t *testing.T) {
	got, err := ParseDeletePolicies([]string{"before-hook-creation", "HOOK-SUCCEEDED"})
	if err != nil || !slices.Equal(got, []release.HookDeletePolicy{release.HookBeforeHookCreation, release.HookSucceeded}) {
		t.Errorf("got %v, %v", got, err)
	}
	for _, bad := range [][]string{{"hook-succeded"}, {""}, {"before-hook-creation,"}, {}} {
		if _, err := ParseDeletePolicies(bad); err == nil {
			t.Errorf("ParseDeletePolicies(%q) accepted it; Helm would silently lose the default", bad)
		}
	}
}

func TestUnknownEvents(t *testing.T) {
	for v, want := range map[string][]string{
		"pre-install, Post-Upgrade": nil,
		"test-success":              nil,
		"pre-instal,post-install":   {"pre-instal"},
		"Crd-Install":               {"Crd-Install"},
		"pre-install,":              {""},
		"":                          {""},
	} {
		if got := UnknownEvents(v); !slices.Equal(got, want) {
			t.Errorf("UnknownEvents(%q) = %q, want %q", v, got, want)
		}
	}
	if got := UnknownDeletePolicies("before-hook-creation, Hook-Succeded,"); !slices.Equal(got, []string{"hook-succeded", ""}) {
		t.Errorf("UnknownDeletePolicies = %q", got)
	}
}

func TestWeight(t *testing.T) {
	for v, want := range map[string]int{"5": 5, "-3": -3, "+2": 2} {
		if w, ok := Weight(v); !ok || w != want {
			t.Errorf("Weight(%q) = %d, %v", v, w, ok)
		}
	}
	// Helm does not trim the weight: " 5" is weight 0.
	for _, v := range []string{" 5", "1.5", "", "five"} {
		if w, ok := Weight(v); ok || w != 0 {
			t.Errorf("Weight(%q) = %d, %v; Helm reads 0", v, w, ok)
		}
	}
}

// ParseHead reads annotations as Helm does (YAML 1.1 through
// sigs.k8s.io/yaml) and lists exactly the values the API server rejects.
// Before helmhook, lint read them with yaml.v3 (missing yes/on) and plan
// counted a null value as non-string.
func TestParseHeadNonString(t *testing.T) {
	doc := `apiVersion: batch/v1
kind: Job
metadata:
  name: j
  annotations:
    helm.sh/hook: pre-install
    helm.sh/hook-weight: 5
    quoted: "5"
    flag: yes
    other: on
    ratio: 1.5
    empty:
`
	h, err := ParseHead(doc)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"flag", "helm.sh/hook-weight", "other", "ratio"}; !slices.Equal(h.NonString, want) {
		t.Errorf("NonString = %q, want %q", h.NonString, want)
	}
	ann := h.Metadata.Annotations
	if ann[WeightAnnotation] != "5" || ann["flag"] != "true" || ann["empty"] != "" || ann["quoted"] != "5" {
		t.Errorf("annotations not read as Helm's SimpleHead reads them: %q", ann)
	}
	if !h.IsHook() {
		t.Error("IsHook false for a helm.sh/hook manifest")
	}
}

// PodSelector reads matchExpressions too: the generators' hand-rolled copy
// read only matchLabels, so add could write a hook that lint then flagged.
func TestPodSelector(t *testing.T) {
	deploy := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  selector:
    matchExpressions:
      - {key: app.kubernetes.io/name, operator: In, values: [shop]}
`
	sel := PodSelector("Deployment", deploy)
	if sel == nil {
		t.Fatal("no selector from matchExpressions alone")
	}
	if !sel.Matches(labelSet{"app.kubernetes.io/name": "shop", "hookgen.io/hook": "migrate"}) {
		t.Error("matchExpressions selector does not match a pod it selects")
	}
	if sel.Matches(labelSet{"app.kubernetes.io/name": "other"}) {
		t.Error("selector matches a pod it does not select")
	}
	svc := "kind: Service\nspec:\n  selector:\n    app: a\n"
	if s := PodSelector("Service", svc); s == nil || !s.Matches(labelSet{"app": "a"}) {
		t.Error("Service selector not read")
	}
	if PodSelector("Service", "kind: Service\nspec: {}\n") != nil {
		t.Error("a Service without selector selects no pods")
	}
	if PodSelector("ConfigMap", svc) != nil {
		t.Error("a ConfigMap selects no pods")
	}
}

type labelSet = labels.Set

// Which resources exist at each event decides whether a hook may use the
// release's ServiceAccount (only where they all exist) or the app's.
func TestReleaseResources(t *testing.T) {
	want := map[Event]Presence{
		release.HookPreInstall: NoResources, release.HookPostDelete: NoResources,
		release.HookPreUpgrade: PreviousResources, release.HookPreRollback: PreviousResources,
		release.HookPostInstall: CurrentResources, release.HookPostUpgrade: CurrentResources,
		release.HookPostRollback: CurrentResources, release.HookPreDelete: CurrentResources, release.HookTest: CurrentResources,
	}
	for _, e := range Events {
		if got := ReleaseResources(e); got != want[e] {
			t.Errorf("ReleaseResources(%s) = %d, want %d", e, got, want[e])
		}
	}
	if AllAt([]Event{release.HookPostInstall, release.HookPreUpgrade}, CurrentResources) {
		t.Error("pre-upgrade counted as having the current revision's resources")
	}
	if !AllAt([]Event{release.HookPostInstall, release.HookPreUpgrade}, PreviousResources) || AllAt(nil, NoResources) {
		t.Error("AllAt")
	}
	for _, e := range Events {
		if got, want := BeforeInstall([]Event{release.HookPostUpgrade, e}), e == release.HookPreInstall; got != want {
			t.Errorf("BeforeInstall(post-upgrade, %s) = %v", e, got)
		}
	}
}
