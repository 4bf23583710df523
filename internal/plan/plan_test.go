package plan_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/render"
)

func init() { slog.SetDefault(slog.New(slog.DiscardHandler)) }

func load(t *testing.T, chart string, opts plan.Options) *plan.Plan {
	t.Helper()
	if opts.Render.KubeVersion == "" {
		opts.Render.KubeVersion = testKube
	}
	p, err := plan.Load(filepath.Join("testdata", chart), opts)
	if err != nil {
		t.Fatalf("plan.Load(%s): %v", chart, err)
	}
	return p
}

func op(t *testing.T, p *plan.Plan, name plan.Operation) plan.OperationPlan {
	t.Helper()
	for _, o := range p.Operations {
		if o.Operation == name {
			return o
		}
	}
	t.Fatalf("no %s in plan", name)
	return plan.OperationPlan{}
}

func TestEventOrdersForAdd(t *testing.T) {
	res, err := render.LoadAndRender("testdata/ties", render.Options{KubeVersion: testKube})
	if err != nil {
		t.Fatal(err)
	}
	orders := plan.EventOrders(res, []release.HookEvent{release.HookPreInstall, release.HookPostInstall, release.HookPreDelete})
	var b bytes.Buffer
	if err := plan.WriteEventOrders(&b, orders); err != nil {
		t.Fatal(err)
	}
	// Weight, then name, then kind (ServiceAccount before Job for a-job; Role
	// before Job for w-same), not the documented weight-kind-name.
	want := `pre-install: ConfigMap/early (weight -3) -> ServiceAccount/a-job (0) -> Job/a-job (0) -> Secret/m-secret (0) -> ConfigMap/z-cm (0)
post-install: Job/w-1 (weight 0) -> Role/w-same (0) -> Job/w-same (0)
pre-delete: (no hooks)
`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestUnknownEventsAreReportedAsDropped(t *testing.T) {
	p := load(t, "events", plan.Options{Operations: []plan.Operation{plan.Install}})
	var got []string
	for _, d := range p.Dropped {
		got = append(got, d.Name+"="+strings.Join(d.Unknown, "|"))
	}
	want := []string{"ev-typo=pre-instal", "ev-bogus-mix=bogus", "ev-empty=", "ev-crd-install=crd-install", "ev-test-failure=test-failure"}
	if !slices.Equal(got, want) {
		t.Errorf("dropped = %q, want %q", got, want)
	}
	var hooks []string
	for _, h := range p.Hooks {
		hooks = append(hooks, h.Name+"="+strings.Join(h.Events, ","))
	}
	// Mixed case and spaces are accepted; test-success is an alias of test.
	wantHooks := []string{"ev-mixed-case=pre-install,post-delete", "ev-alias=test", "ev-twice=pre-install,pre-install", "ev-good=pre-install,pre-delete", "ev-test-twice=test,test"}
	if !slices.Equal(hooks, wantHooks) {
		t.Errorf("hooks = %q, want %q", hooks, wantHooks)
	}
	var b bytes.Buffer
	if err := plan.WriteText(&b, p, plan.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		`ConfigMap/ev-typo (events/templates/hooks.yaml): helm.sh/hook "pre-instal" has a value Helm does not know ("pre-instal"), so Helm skips the whole resource`,
	} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("text lacks %q:\n%s", s, b.String())
		}
	}
}

func TestWeightsAndPoliciesAsHelmReadsThem(t *testing.T) {
	w := load(t, "weights", plan.Options{Operations: []plan.Operation{plan.Install}})
	weights := map[string]int{}
	for _, h := range w.Hooks {
		weights[h.Name] = h.Weight
	}
	for name, want := range map[string]int{"w-abc": 0, "w-one-and-half": 0, "w-empty": 0, "w-space-two": 0, "w-plus-three": 3, "w-unquoted-five": 5, "w-missing": 0, "w-minus-two": -2, "w-exp": 0, "w-huge": 0} {
		if weights[name] != want {
			t.Errorf("%s: weight %d, want %d", name, weights[name], want)
		}
	}
	p := load(t, "policies", plan.Options{Operations: []plan.Operation{plan.Upgrade}})
	// The empty and misspelt policies leave the hook with no delete at all;
	// the CRD hook is never deleted despite its policies.
	for _, s := range op(t, p, plan.Upgrade).Steps {
		if s.Action == plan.ActionDelete && (s.Name == "p-empty" || s.Name == "p-typo" || s.Name == "widgets.example.com") {
			t.Errorf("unexpected delete of %s (%s)", s.Name, s.Reason)
		}
	}
	left := map[string]string{}
	for _, l := range p.Leftovers["upgrade"] {
		left[l.Name] = l.Reason
	}
	if left["widgets.example.com"] != "CustomResourceDefinition hooks are never deleted by Helm" || left["p-empty"] != "no hook-succeeded policy" {
		t.Errorf("upgrade leftovers = %v", left)
	}
	if _, ok := left["p-upper"]; ok {
		t.Errorf("p-upper has HOOK-SUCCEEDED (lower-cased by Helm) yet is listed as left over")
	}
}

func TestLeftoversPerOperation(t *testing.T) {
	p := load(t, "ties", plan.Options{})
	names := func(op string) []string {
		var out []string
		for _, l := range p.Leftovers[op] {
			out = append(out, l.Ref.String())
		}
		return out
	}
	for op, want := range map[string][]string{
		"install":   {"Secret/m-secret", "Job/w-same"},
		"rollback":  {"Secret/m-secret", "Job/w-same"},
		"test":      {"ConfigMap/ties-test-data"},
		"uninstall": {"Secret/m-secret", "ConfigMap/ties-test-data", "Job/w-same"},
	} {
		if got := names(op); !slices.Equal(got, want) {
			t.Errorf("%s leftovers = %q, want %q", op, got, want)
		}
	}
	// Uninstall deletes release resources in Helm's uninstall order and
	// leaves the ones with a resource policy (even one that is not keep).
	un := op(t, p, plan.Uninstall)
	var del *plan.Step
	for i := range un.Steps {
		if un.Steps[i].Action == plan.ActionDeleteRelease {
			del = &un.Steps[i]
		}
	}
	if del == nil {
		t.Fatal("no delete-release step in uninstall")
	}
	var got []string
	for _, r := range del.Resources {
		got = append(got, r.String())
	}
	if want := []string{"Service/ties", "Deployment/ties", "ConfigMap/ties-annotated"}; !slices.Equal(got, want) {
		t.Errorf("uninstall deletes %q, want %q", got, want)
	}
	if len(del.Kept) != 2 || del.Kept[0].Reason != "helm.sh/resource-policy: keep" || !strings.Contains(del.Kept[1].Reason, `"retain" is not keep`) {
		t.Errorf("kept = %+v", del.Kept)
	}
}

func TestUpgradeRenderFailureKeepsTheRest(t *testing.T) {
	p := load(t, "upgradefail", plan.Options{})
	up := op(t, p, plan.Upgrade)
	if !strings.Contains(up.Error, "does not render as an upgrade with these values") || !strings.Contains(up.Error, "PASSWORDS ERROR: you must provide your current password when upgrading --set password=...") {
		t.Errorf("upgrade error = %q", up.Error)
	}
	if len(up.Steps) != 0 {
		t.Errorf("upgrade has steps despite the error: %+v", up.Steps)
	}
	un := op(t, p, plan.Uninstall)
	if len(un.Steps) == 0 || un.Steps[0].Name != "seed" || !slices.ContainsFunc(un.Notes, func(n string) bool { return strings.Contains(n, "install render") }) {
		t.Errorf("uninstall should be planned from the install render: %+v", un)
	}
	// With the value an upgrade needs, everything is planned.
	p = load(t, "upgradefail", plan.Options{Render: render.Options{Set: []string{"password=x"}}})
	if e := op(t, p, plan.Upgrade).Error; e != "" {
		t.Errorf("upgrade error with password set: %s", e)
	}
	if _, err := plan.Load("testdata/broken", plan.Options{Render: render.Options{KubeVersion: testKube}}); err == nil {
		t.Error("broken chart: no error")
	}
	if _, err := plan.Load("testdata/library", plan.Options{Render: render.Options{KubeVersion: testKube}}); err == nil || !strings.Contains(err.Error(), "common is a library chart") {
		t.Errorf("library chart: err = %v", err)
	}
}

func TestTextColourAndNoColour(t *testing.T) {
	p := load(t, "ties", plan.Options{Operations: []plan.Operation{plan.Install}})
	var plain, colour bytes.Buffer
	if err := plan.WriteText(&plain, p, plan.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := plan.WriteText(&colour, p, plan.TextOptions{Color: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain text contains ANSI escapes")
	}
	if !strings.Contains(colour.String(), "\x1b[31mdelete") {
		t.Error("coloured text does not colour deletes red")
	}
	// The install timeline, in Helm's order.
	want := `install
  pre-install
    delete ConfigMap/early       before-hook-creation
    create ConfigMap/early       weight -3
    create ServiceAccount/a-job  weight 0
    delete Job/a-job             before-hook-creation
    create Job/a-job             weight 0
    wait   Job/a-job             until the Job completes
    delete Secret/m-secret       before-hook-creation
    create Secret/m-secret       weight 0
    create ConfigMap/z-cm        weight 0
    delete ConfigMap/z-cm        hook-succeeded
    delete Job/a-job             hook-succeeded
    delete ServiceAccount/a-job  hook-succeeded
    delete ConfigMap/early       hook-succeeded
  apply release resources (5) ConfigMap/ties-kept, ConfigMap/ties-odd-policy, ConfigMap/ties-annotated, Service/ties, Deployment/ties
  post-install
    create Job/w-1               weight 0
    wait   Job/w-1               until the Job completes
    create Role/w-same           weight 0
    delete Job/w-same            before-hook-creation
    create Job/w-same            weight 0
    wait   Job/w-same            until the Job completes
    delete Role/w-same           hook-succeeded
    delete Job/w-1               hook-succeeded
  left in the cluster afterwards (hook objects are not managed resources):
    Secret/m-secret  pre-install: no hook-succeeded policy
    Job/w-same       post-install: no hook-succeeded policy
`
	if got := plain.String()[strings.Index(plain.String(), "\ninstall\n")+1:]; got != want {
		t.Errorf("install timeline:\n%s\nwant:\n%s", got, want)
	}
}

func TestJSONSchema(t *testing.T) {
	p := load(t, "umbrella", plan.Options{Render: render.Options{ReleaseName: "shop", Namespace: "prod"}})
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int    `json:"schemaVersion"`
		Chart         string `json:"chart"`
		Release       string `json:"release"`
		Namespace     string `json:"namespace"`
		Operations    []struct {
			Operation string           `json:"operation"`
			Steps     []map[string]any `json:"steps"`
		} `json:"operations"`
		Leftovers map[string][]map[string]any `json:"leftovers"`
		Dropped   []any                       `json:"dropped"`
		Hooks     []map[string]any            `json:"hooks"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != plan.SchemaVersion || doc.Chart != "umbrella" || doc.Release != "shop" || doc.Namespace != "prod" || doc.Dropped == nil {
		t.Errorf("header = %d %q %q %q dropped=%v", doc.SchemaVersion, doc.Chart, doc.Release, doc.Namespace, doc.Dropped)
	}
	var ops []string
	for _, o := range doc.Operations {
		ops = append(ops, o.Operation)
	}
	if !slices.Equal(ops, []string{"install", "upgrade", "rollback", "uninstall", "test"}) {
		t.Errorf("operations = %q", ops)
	}
	install := doc.Operations[0].Steps
	// Release resources say which chart renders them.
	for _, s := range install {
		if s["action"] != "apply-release" {
			continue
		}
		var got []string
		for _, r := range s["resources"].([]any) {
			m := r.(map[string]any)
			got = append(got, fmt.Sprintf("%s/%s@%s", m["kind"], m["name"], m["chart"]))
		}
		if want := []string{"ConfigMap/shop-app@umbrella", "StatefulSet/shop-db@umbrella/charts/db", "Widget/shop-widget@umbrella"}; !slices.Equal(got, want) {
			t.Errorf("apply-release resources = %q, want %q", got, want)
		}
	}
	if install[0]["action"] != "install-crds" || install[0]["path"] != "umbrella/crds/widget.yaml" {
		t.Errorf("first install step = %v", install[0])
	}
	// Subchart and parent hooks share one order: the subchart's Secret
	// (weight -10) first, then db-init and migrate (weight 5) by name.
	var creates []string
	for _, s := range install {
		if s["action"] == "create" {
			creates = append(creates, s["name"].(string)+"@"+s["event"].(string))
			if _, ok := s["weight"].(float64); !ok {
				t.Errorf("create step without a numeric weight: %v", s)
			}
		}
	}
	if want := []string{"shop-db-creds@pre-install", "shop-db-init@pre-install", "shop-migrate@pre-install"}; !slices.Equal(creates, want) {
		t.Errorf("install creates = %q, want %q", creates, want)
	}
	// The hook that only an upgrade renders is listed, and runs on upgrade.
	if !slices.ContainsFunc(doc.Hooks, func(h map[string]any) bool { return h["name"] == "shop-upgrade-only" }) {
		t.Error("hooks lack the upgrade-only hook")
	}
	for _, k := range []string{"install", "upgrade", "rollback", "uninstall", "test"} {
		if _, ok := doc.Leftovers[k]; !ok {
			t.Errorf("leftovers lack %q", k)
		}
	}
	if l := doc.Leftovers["install"]; len(l) == 0 || l[0]["kind"] != "Secret" || l[0]["name"] != "shop-db-creds" {
		t.Errorf("install leftovers = %v", l)
	}
}

func TestMermaid(t *testing.T) {
	p := load(t, "ties", plan.Options{})
	var b bytes.Buffer
	if err := plan.WriteMermaid(&b, p); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "sequenceDiagram\n") {
		t.Errorf("not a sequence diagram:\n%s", out)
	}
	if r, e := strings.Count(out, "\n    rect "), strings.Count(out, "\n    end\n"); r != 5 || e != 5 {
		t.Errorf("%d rect and %d end blocks, want 5 each", r, e)
	}
	for _, s := range []string{
		"    Note over H,K: INSTALL\n",
		"    H->>K: create Job/a-job (weight 0)\n    K-->>H: a-job Job complete\n",
		"    H-)K: delete ConfigMap/z-cm (hook-succeeded)\n",
		"    Note over K: left behind: Secret/m-secret, Job/w-same\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("mermaid lacks %q:\n%s", s, out)
		}
	}
}

func TestArgoCD(t *testing.T) {
	p := load(t, "umbrella", plan.Options{GitOps: "argocd"})
	if len(p.Operations) != 2 || p.Operations[0].Operation != plan.ArgoSync || p.Operations[1].Operation != plan.ArgoDelete {
		t.Fatalf("operations = %+v", p.Operations)
	}
	var got []string
	for _, s := range p.Operations[0].Steps {
		w := 0
		if s.Wave != nil {
			w = *s.Wave
		}
		got = append(got, s.Event+" "+string(s.Action)+" "+s.Kind+"/"+s.Name+" "+s.Reason+" "+itoa(w))
	}
	// Waves from weights; one wave is applied together, then waited for;
	// pre-upgrade-only hooks run on every sync; HookSucceeded deletions last.
	want := []string{
		"PreSync delete Secret/release-name-db-creds BeforeHookCreation -10",
		"PreSync create Secret/release-name-db-creds  -10",
		"PreSync create Job/release-name-db-backup  -5",
		"PreSync wait Job/release-name-db-backup job-complete -5",
		"PreSync delete Job/release-name-db-init BeforeHookCreation 5",
		"PreSync create Job/release-name-db-init  5",
		"PreSync delete Job/release-name-migrate BeforeHookCreation 5",
		"PreSync create Job/release-name-migrate  5",
		"PreSync wait Job/release-name-db-init job-complete 5",
		"PreSync wait Job/release-name-migrate job-complete 5",
		"Sync apply-release /  0",
		"PreSync delete Job/release-name-db-backup HookSucceeded -5",
		"PreSync delete Job/release-name-migrate HookSucceeded 5",
	}
	if !slices.Equal(got, want) {
		t.Errorf("sync steps:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
	// Hooks with a pre/post-upgrade event run under Argo CD even if they
	// also list rollback or test; an empty Helm policy falls back to
	// BeforeHookCreation there (Helm applies none).
	q := load(t, "policies", plan.Options{GitOps: "argocd"})
	notes := strings.Join(q.Operations[0].Notes, "\n")
	if strings.Contains(notes, "never applied by Argo CD") {
		t.Errorf("notes = %s", notes)
	}
	if !slices.ContainsFunc(q.Operations[0].Steps, func(s plan.Step) bool {
		return s.Name == "p-empty" && s.Action == plan.ActionDelete && s.Reason == "BeforeHookCreation"
	}) {
		t.Error("Argo CD: p-empty should get the default BeforeHookCreation")
	}
	ties := load(t, "ties", plan.Options{GitOps: "argocd"})
	if n := strings.Join(ties.Operations[0].Notes, "\n"); !strings.Contains(n, `Pod/ties-test (helm.sh/hook "test")`) {
		t.Errorf("ties notes lack the never-applied test pod: %s", n)
	}
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func TestParseOperations(t *testing.T) {
	ops, err := plan.ParseOperations(" upgrade , INSTALL,delete")
	if err != nil || !slices.Equal(ops, []plan.Operation{plan.Install, plan.Upgrade, plan.Uninstall}) {
		t.Errorf("got %v, %v", ops, err)
	}
	if _, err := plan.ParseOperations("install,deploy"); err == nil || !strings.Contains(err.Error(), `unknown operation "deploy"`) {
		t.Errorf("err = %v", err)
	}
}

func TestPackagedChartPlansLikeItsDirectory(t *testing.T) {
	ch, err := render.Load("testdata/umbrella")
	if err != nil {
		t.Fatal(err)
	}
	tgz, err := chartutil.Save(ch, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(tgz, "umbrella-0.1.0.tgz") {
		t.Fatalf("packaged as %s", tgz)
	}
	fromDir, err := json.Marshal(load(t, "umbrella", plan.Options{}))
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Load(tgz, plan.Options{Render: render.Options{KubeVersion: testKube}})
	if err != nil {
		t.Fatal(err)
	}
	fromTgz, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(fromDir) != string(fromTgz) {
		t.Errorf("plan of the .tgz differs from the directory's:\n%s\n%s", fromTgz, fromDir)
	}
}

// An umbrella chart's plan says which chart renders each release resource,
// at install and at uninstall (where Helm re-reads its stored manifest).
func TestUmbrellaByChart(t *testing.T) {
	p := load(t, "umbrella", plan.Options{Render: render.Options{ReleaseName: "shop"}})
	var b strings.Builder
	if err := plan.WriteText(&b, p, plan.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"  apply release resources (3) ConfigMap/shop-app, StatefulSet/shop-db, Widget/shop-widget\n    by chart: umbrella 2, umbrella/charts/db 1\n",
		"  delete release resources (3) StatefulSet/shop-db, ConfigMap/shop-app, Widget/shop-widget\n    by chart: umbrella 2, umbrella/charts/db 1\n",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("plan text lacks\n%s\ngot:\n%s", want, b.String())
		}
	}
	for _, o := range p.Operations {
		for _, s := range o.Steps {
			for _, r := range s.Resources {
				if want := map[string]string{"shop-db": "umbrella/charts/db"}[r.Name]; r.Chart != want && !(want == "" && r.Chart == "umbrella") {
					t.Errorf("%s: %s comes from %q", o.Operation, r, r.Chart)
				}
			}
		}
	}
}
