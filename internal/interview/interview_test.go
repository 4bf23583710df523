package interview

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

func inspect(t *testing.T, dir string) *generators.ChartInfo {
	t.Helper()
	info, err := generators.Inspect(dir, render.DefaultKubeVersion, generators.DefaultValuesKey)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

func newAdd(t *testing.T, info *generators.ChartInfo, p prompter.Prompter) (*Add, *bytes.Buffer) {
	var out bytes.Buffer
	return &Add{P: p, Out: &out, Info: info, Plan: func(r generators.Request) (*generators.Output, error) {
		return generators.Generate(info, r)
	}, Render: func(o *generators.Output) (*render.Result, error) {
		return info.Chart.RenderChange(generators.Contents(o.Files))
	}}, &out
}

// messages lists the questions asked, as kind:message.
func messages(f *prompter.Fake) []string {
	var s []string
	for _, q := range f.Asked {
		s = append(s, q.Kind+":"+q.Message)
	}
	return s
}

func files(t *testing.T, info *generators.ChartInfo, req generators.Request) map[string]string {
	t.Helper()
	out, err := generators.Generate(info, req)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, f := range out.Files {
		m[f.Path] = string(f.Content)
	}
	return m
}

// Enter at every question asks the questions in the order, offers
// hookgen's defaults, and plans exactly what --yes plans (for a migration or
// seed, with the framework chosen: its command has no default).
func TestEnterEverywhereIsYes(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "shop"))
	rest := []string{"multiselect:Events:", "input:Weight (lower runs first within an event):", "multiselect:Delete policy:"}
	for _, tc := range []struct {
		task string
		want []string
	}{
		{"migration", append([]string{"select:Task:", "select:Migration framework:"}, rest...)},
		{"backup", []string{"select:Task:", "multiselect:Events:", "input:Weight (lower runs first within an event):", "multiselect:Delete policy:", "select:Database:", "input:Database server version (--db-version):", "input:Image (the database client):", "input:Dumps to keep (--keep):"}},
		{"smoke-test", []string{"select:Task:", "multiselect:Events:", "input:Weight (lower runs first within an event):", "multiselect:Delete policy:", "input:Service to call (--service):", "input:Service port (--port):", "input:HTTP path to GET (--path):"}},
		{"seed", append([]string{"select:Task:", "select:Migration framework:"}, rest...)},
	} {
		t.Run(tc.task, func(t *testing.T) {
			e := prompter.Enter
			answers := []any{tc.task}
			for range tc.want[1:] {
				answers = append(answers, e)
			}
			if tc.task == "migration" {
				answers[0] = e // migration is the preselected task
			}
			if tc.task == "migration" || tc.task == "seed" {
				answers = []any{answers[0], "rails", e, e, e}
			}
			f := prompter.NewFake(answers...)
			a, _ := newAdd(t, info, f)
			req, err := a.Ask(generators.Request{ValuesKey: "hooks"}, Given{})
			if err != nil {
				t.Fatal(err)
			}
			if got := messages(f); !slices.Equal(got, tc.want) {
				t.Fatalf("questions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if f.Remaining() != 0 || len(f.Rejected) != 0 {
				t.Fatalf("remaining %d, rejected %v", f.Remaining(), f.Rejected)
			}
			task, _ := generators.LookupTask(tc.task)
			yes := generators.Request{Task: task, ValuesKey: "hooks"}
			if tc.task == "migration" || tc.task == "seed" {
				yes.Framework = "rails"
			}
			got, want := files(t, info, req), files(t, info, yes)
			for p := range want {
				if got[p] != want[p] {
					t.Errorf("%s differs from the --yes result", p)
				}
			}
			if len(got) != len(want) {
				t.Errorf("files %d, want %d", len(got), len(want))
			}
		})
	}
}

// The defaults offered are hookgen's: migration first and preselected, each
// task with its summary; the task's events; the planned weight; the default
// delete policies with what each does; the chart's own image.
func TestDefaultsOffered(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "shop"))
	e := prompter.Enter
	f := prompter.NewFake(e, e, e, e, e, e, "./migrate")
	a, out := newAdd(t, info, f)
	if _, err := a.Ask(generators.Request{ValuesKey: "hooks"}, Given{}); err != nil {
		t.Fatal(err)
	}
	if fw := f.Asked[1]; fw.Default != "none" || !slices.Contains(fw.Values(), "flyway") {
		t.Errorf("framework options %v default %q", fw.Values(), fw.Default)
	}
	q := slices.Delete(slices.Clone(f.Asked), 1, 2)
	if got := q[0].Values(); !slices.Equal(got, []string{"migration", "backup", "restore", "seed", "smoke-test", "custom"}) || q[0].Default != "migration" {
		t.Errorf("task options %v default %q", got, q[0].Default)
	}
	if q[0].Options[1].Description != generators.Tasks[1].Summary {
		t.Errorf("backup described as %q", q[0].Options[1].Description)
	}
	if len(q[1].Options) != 9 || !slices.Equal(q[1].Defaults, []string{"pre-install", "pre-upgrade"}) {
		t.Errorf("events %v defaults %v", q[1].Values(), q[1].Defaults)
	}
	if q[1].Options[0].Description != helmhook.EventHelp[release.HookPreInstall] {
		t.Errorf("pre-install described as %q", q[1].Options[0].Description)
	}
	if q[2].Default != "0" {
		t.Errorf("weight default %q, want the planned 0", q[2].Default)
	}
	if !strings.Contains(out.String(), "pre-upgrade: Job/release-name-shop-migration (weight 0)") {
		t.Errorf("order not shown before the weight question:\n%s", out)
	}
	if !slices.Equal(q[3].Defaults, []string{"before-hook-creation", "hook-succeeded"}) {
		t.Errorf("policy defaults %v", q[3].Defaults)
	}
	if d := q[3].Options[2].Description; !strings.Contains(d, "logs are lost") || !strings.Contains(d, "killed") {
		t.Errorf("hook-failed described as %q", d)
	}
	if q[4].Default != "nginx:1.16.0" {
		t.Errorf("image default %q, want the app's nginx:1.16.0", q[4].Default)
	}
}

// Flags given are not asked again.
func TestGivenNotAsked(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "shop"))
	mig, _ := generators.LookupTask("migration")

	f := prompter.NewFake() // any question would end the script
	a, _ := newAdd(t, info, f)
	all := Given{Task: true, Name: true, Events: true, Weight: true, DeletePolicies: true, Image: true, Command: true, DB: true}
	if _, err := a.Ask(generators.Request{Task: mig, Events: []release.HookEvent{release.HookPreUpgrade}}, all); err != nil || len(f.Asked) != 0 {
		t.Fatalf("asked %v (err %v) with every flag given", messages(f), err)
	}

	f = prompter.NewFake(prompter.Enter, prompter.Enter, "./migrate")
	a, _ = newAdd(t, info, f)
	_, err := a.Ask(generators.Request{Task: mig}, Given{Task: true, Events: true, Weight: true, DeletePolicies: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"select:Migration framework:", "input:Image:", "input:Command (comma-separated; required: the app's image would otherwise start the app):"}
	if got := messages(f); !slices.Equal(got, want) {
		t.Fatalf("asked %v, want %v", got, want)
	}
}

// Non-default answers land in the request and in the files.
func TestNonDefaultAnswers(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "shop"))
	f := prompter.NewFake("backup", []string{"pre-upgrade", "pre-delete", "post-upgrade"}, "-20",
		[]string{"before-hook-creation", "hook-failed"}, "mysql", "9.4", "registry.example/mysql:9.4.0", "3")
	a, out := newAdd(t, info, f)
	req, err := a.Ask(generators.Request{ValuesKey: "hooks"}, Given{})
	if err != nil {
		t.Fatal(err)
	}
	if req.Task.Name != "backup" || req.Weight == nil || *req.Weight != -20 || req.DB != "mysql" || req.Image != "registry.example/mysql:9.4.0" ||
		req.DBVersion != "9.4" || req.Keep == nil || *req.Keep != 3 {
		t.Fatalf("request %+v", req)
	}
	if !slices.Equal(req.Events, []release.HookEvent{release.HookPreUpgrade, release.HookPostUpgrade, release.HookPreDelete}) {
		t.Errorf("events %v", req.Events)
	}
	if !slices.Equal(req.DeletePolicies, []release.HookDeletePolicy{release.HookBeforeHookCreation, release.HookFailed}) {
		t.Errorf("policies %v", req.DeletePolicies)
	}
	// The database default was postgresql; the version and the image followed the answers.
	if f.Asked[4].Default != "postgresql" || f.Asked[5].Default != "8.4" || f.Asked[6].Default != "mysql:9.4" || f.Asked[7].Default != "5" {
		t.Errorf("database default %q, version default %q, image default %q, keep default %q", f.Asked[4].Default, f.Asked[5].Default, f.Asked[6].Default, f.Asked[7].Default)
	}
	if !strings.Contains(out.String(), "pre-upgrade: Job/release-name-shop-backup (weight -20)") {
		t.Errorf("order with the chosen weight not shown:\n%s", out)
	}
	job := files(t, info, req)["templates/hooks/backup.yaml"]
	for _, want := range []string{`"helm.sh/hook": "pre-upgrade,post-upgrade,pre-delete"`, `"helm.sh/hook-weight": "-20"`, `"helm.sh/hook-delete-policy": "before-hook-creation,hook-failed"`} {
		if !strings.Contains(job, want) {
			t.Errorf("backup.yaml lacks %s", want)
		}
	}
	if v := files(t, info, req)["values.yaml"]; !strings.Contains(v, "registry.example/mysql") || !strings.Contains(v, "keep: 3") {
		t.Errorf("values.yaml lacks the image or the retention")
	}
}

// A custom hook asks its name; invalid answers are refused and asked again;
// the command is split like --command.
func TestCustom(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "shop"))
	e := prompter.Enter
	f := prompter.NewFake("custom", "Warm_Cache", "warm-cache", e, []string{"post-upgrade"}, "3", e, e,
		"busybox:1.37", `sh,-c,"echo a,b"`)
	a, _ := newAdd(t, info, f)
	req, err := a.Ask(generators.Request{ValuesKey: "hooks"}, Given{})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rejected) != 3 { // bad name, no event chosen, no image
		t.Errorf("rejected %v", f.Rejected)
	}
	if req.Name != "warm-cache" || req.Image != "busybox:1.37" || *req.Weight != 3 ||
		!slices.Equal(req.Command, []string{"sh", "-c", "echo a,b"}) || !slices.Equal(req.Events, []release.HookEvent{release.HookPostUpgrade}) {
		t.Fatalf("request %+v", req)
	}
	if len(f.Asked[3].Defaults) != 0 {
		t.Errorf("custom events preselected %v", f.Asked[3].Defaults)
	}
}

// A chart that deploys its database: pre-install is noted as impossible and
// the migration's default moves to post-install; Enter keeps it.
func TestDatabaseNote(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "store"))
	info.Database = "postgresql"
	mig, _ := generators.LookupTask("migration")
	f := prompter.NewFake(prompter.Enter)
	a, _ := newAdd(t, info, f)
	req, err := a.Ask(generators.Request{Task: mig, ValuesKey: "hooks"}, Given{Task: true, Weight: true, DeletePolicies: true, Image: true, Command: true})
	if err != nil {
		t.Fatal(err)
	}
	q := f.Asked[0]
	if !slices.Equal(q.Defaults, []string{"post-install", "pre-upgrade"}) {
		t.Errorf("defaults %v", q.Defaults)
	}
	if d := q.Options[0].Description; !strings.Contains(d, "not for this chart: on first install the migration hook would need what Helm creates only after pre-install hooks (the postgresql dependency's database)") {
		t.Errorf("pre-install described as %q", d)
	}
	if req.Events != nil {
		t.Errorf("Enter set events %v; the default must stay unset, as with --yes", req.Events)
	}
}

// Choosing pre-install where the chart cannot honour it on first install
// shows the refusal and asks again, instead of ending the interview with
// exit 2 or replacing the answer.
func TestPreInstallAskedAgain(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "store"))
	info.Database = "postgresql"
	mig, _ := generators.LookupTask("migration")
	f := prompter.NewFake([]string{"pre-install", "pre-upgrade"}, []string{"post-install", "pre-upgrade", "post-upgrade"})
	a, out := newAdd(t, info, f)
	req, err := a.Ask(generators.Request{Task: mig, ValuesKey: "hooks"}, Given{Task: true, Weight: true, DeletePolicies: true, Image: true, Command: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Asked) != 2 || f.Asked[1].Message != "Events:" {
		t.Fatalf("asked %d questions, want the events twice", len(f.Asked))
	}
	checkAskedAgain(t, out.String())
	if got := helmhook.Strings(req.Events); !slices.Equal(got, []string{"post-install", "pre-upgrade", "post-upgrade"}) {
		t.Errorf("events %v, want the second answer", got)
	}
}

// checkAskedAgain: the refusal shown in the interview names what is
// missing, without the flag and the end of a run it does not have.
func checkAskedAgain(t *testing.T, shown string) {
	t.Helper()
	if !strings.Contains(shown, "not pre-install: on first install the migration hook would need what Helm creates only after the pre-install hooks succeed: the postgresql dependency's database") {
		t.Errorf("the refusal is not shown:\n%s", shown)
	}
	for _, s := range []string{"--event", "nothing written"} {
		if strings.Contains(shown, s) {
			t.Errorf("the refusal shown in the interview says %q:\n%s", s, shown)
		}
	}
}

// init, as add: pre-install chosen where the chart cannot honour it shows
// why and asks for the migration's events again, rather than ending with a
// refusal that names --event, a flag init does not have.
func TestInitPreInstallAskedAgain(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "store"))
	info.Database = "postgresql"
	mig, _ := generators.LookupTask("migration")
	f := prompter.NewFake([]string{"pre-install", "pre-upgrade"}, []string{"post-install", "pre-upgrade", "post-upgrade"})
	var out bytes.Buffer
	in := &Init{P: f, Info: info, Framework: "rails", Out: &out}
	reqs, err := in.Ask([]generators.Task{mig}, "", "hooks", InitGiven{With: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(f); !slices.Equal(got, []string{"multiselect:Events for migration:", "multiselect:Events for migration:"}) {
		t.Fatalf("asked %v, want the migration's events twice", got)
	}
	checkAskedAgain(t, out.String())
	if got := helmhook.Strings(reqs[0].Events); !slices.Equal(got, []string{"post-install", "pre-upgrade", "post-upgrade"}) {
		t.Errorf("events %v, want the second answer", got)
	}
}

// Ctrl-C or end of input at the third question stops the flow.
func TestInterrupted(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "shop"))
	f := prompter.NewFake(prompter.Enter, prompter.Enter, prompter.ErrInterrupted)
	a, _ := newAdd(t, info, f)
	if _, err := a.Ask(generators.Request{ValuesKey: "hooks"}, Given{}); !errors.Is(err, prompter.ErrInterrupted) {
		t.Fatalf("err %v", err)
	}
	if len(f.Asked) != 3 {
		t.Errorf("asked %d questions", len(f.Asked))
	}
}

func conflictSet(t *testing.T) (*changeset.Set, *changeset.File) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cs := changeset.New(dir)
	if err := cs.Generate("a.yaml", []byte("hookgen's\n")); err != nil {
		t.Fatal(err)
	}
	return cs, cs.Files[0]
}

func TestConflicts(t *testing.T) {
	// Enter: first the diff, then keep the file.
	cs, f := conflictSet(t)
	p := prompter.NewFake(prompter.Enter, prompter.Enter)
	var w bytes.Buffer
	if err := ResolveConflicts(p, &w, cs); err != nil {
		t.Fatal(err)
	}
	if f.Status != changeset.Skip || !strings.Contains(w.String(), "-mine\n+hookgen's\n") {
		t.Errorf("status %s, shown %q", f.Status, w.String())
	}
	if !slices.Equal(p.Asked[0].Values(), []string{Overwrite, Skip, ShowDiff, Quit}) {
		t.Errorf("choices %v", p.Asked[0].Values())
	}

	cs, f = conflictSet(t)
	if err := ResolveConflicts(prompter.NewFake(Overwrite), &w, cs); err != nil || f.Status != changeset.Modify {
		t.Errorf("overwrite: status %s err %v", f.Status, err)
	}
	cs, _ = conflictSet(t)
	if err := ResolveConflicts(prompter.NewFake(Quit), &w, cs); !errors.Is(err, ErrQuit) {
		t.Errorf("quit: %v", err)
	}
}

func TestConfirm(t *testing.T) {
	dir := t.TempDir()
	cs := changeset.New(dir)
	if err := cs.Generate("templates/hooks/x.yaml", []byte("kind: Job\n")); err != nil {
		t.Fatal(err)
	}
	var w bytes.Buffer
	p := prompter.NewFake(false)
	ok, err := Confirm(p, &w, cs, nil)
	if err != nil || ok {
		t.Fatalf("ok %v err %v", ok, err)
	}
	if p.Asked[0].Default != "true" {
		t.Errorf("confirm default %s, want yes", p.Asked[0].Default)
	}
	if !strings.Contains(w.String(), "create     templates/hooks/x.yaml") || !strings.Contains(w.String(), "+kind: Job") {
		t.Errorf("summary:\n%s", w.String())
	}
	// Nothing pending: nothing asked.
	cs = changeset.New(dir)
	p = prompter.NewFake()
	if ok, err := Confirm(p, &w, cs, nil); !ok || err != nil || len(p.Asked) != 0 {
		t.Errorf("empty change: ok %v err %v asked %d", ok, err, len(p.Asked))
	}
}

func TestInit(t *testing.T) {
	info := inspect(t, testcharts.HelmCreate(t, "shop"))
	tasks, _ := generators.InitTasks(generators.DefaultInitTasks)
	e := prompter.Enter
	f := prompter.NewFake(e, e, e, e, e)
	in := &Init{P: f, Info: info, Framework: "rails"}
	reqs, err := in.Ask(tasks, "", "hooks", InitGiven{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"multiselect:Hooks to add:", "select:Database for the backup:", "multiselect:Events for backup:", "multiselect:Events for migration:", "multiselect:Events for seed:"}
	if got := messages(f); !slices.Equal(got, want) {
		t.Fatalf("asked %v", got)
	}
	if !slices.Equal(f.Asked[0].Defaults, []string{"backup", "migration", "seed"}) || !slices.Equal(f.Asked[4].Defaults, []string{"post-install"}) {
		t.Errorf("defaults %v, %v", f.Asked[0].Defaults, f.Asked[4].Defaults)
	}
	for _, r := range reqs {
		if r.Events != nil || r.DB != "" || r.Weight != nil {
			t.Errorf("Enter changed %s: %+v", r.Task.Name, r)
		}
	}

	// Only seed, with post-upgrade too; --db given is not asked.
	f = prompter.NewFake([]string{"seed"}, []string{"post-install", "post-upgrade"})
	in = &Init{P: f, Info: info, Framework: "laravel"}
	reqs, err = in.Ask(tasks, "mysql", "hooks", InitGiven{DB: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(reqs) != 1 || reqs[0].Task.Name != "seed" || !slices.Equal(reqs[0].Events, []release.HookEvent{release.HookPostInstall, release.HookPostUpgrade}) {
		t.Fatalf("requests %+v", reqs)
	}
}

// init --create: the scaffold is counted, not listed or diffed.
func TestConfirmScaffold(t *testing.T) {
	cs := changeset.New(t.TempDir())
	for _, p := range []string{"demo/templates/deployment.yaml", "demo/templates/hooks/seed.yaml"} {
		if err := cs.Generate(p, []byte("kind: X\n")); err != nil {
			t.Fatal(err)
		}
	}
	var w bytes.Buffer
	if _, err := Confirm(prompter.NewFake(true), &w, cs, func(p string) bool { return !strings.Contains(p, "hooks") }); err != nil {
		t.Fatal(err)
	}
	s := w.String()
	if strings.Contains(s, "deployment.yaml") || !strings.Contains(s, "1 files of helm create's scaffold") || !strings.Contains(s, "+++ b/demo/templates/hooks/seed.yaml") {
		t.Errorf("summary:\n%s", s)
	}
}

func TestReplaceValues(t *testing.T) {
	diff := func() (string, error) { return "-old\n+new\n", nil }
	var w bytes.Buffer
	// Enter: the diff, then stop, as --yes does.
	p := prompter.NewFake(prompter.Enter, prompter.Enter)
	if err := ReplaceValues(p, &w, "values.yaml:3: key \"hooks.seed\" already exists with different content", diff); !errors.Is(err, ErrQuit) {
		t.Errorf("Enter, Enter: %v", err)
	}
	if !strings.Contains(w.String(), "+new") || p.Asked[1].Default != Quit {
		t.Errorf("shown %q, then default %q", w.String(), p.Asked[1].Default)
	}
	if err := ReplaceValues(prompter.NewFake(Overwrite), &w, "x", diff); err != nil {
		t.Errorf("overwrite: %v", err)
	}
}

func TestWrapOrder(t *testing.T) {
	line := "  pre-upgrade: Job/release-name-shop-backup (weight -10) -> Job/release-name-shop-migration (0) -> Job/x (5)"
	want := "  pre-upgrade: Job/release-name-shop-backup (weight -10)\n" +
		"               -> Job/release-name-shop-migration (0) -> Job/x (5)"
	if got := wrapOrder(line, 80); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := wrapOrder("  test: (no hooks)", 80); got != "  test: (no hooks)" {
		t.Errorf("got %q", got)
	}
}

// A restore is planned with the backup init plans before it: pre-install,
// where the backup's database is the release's, is refused and asked again.
func TestInitRestorePreInstallAskedAgain(t *testing.T) {
	info := inspect(t, testcharts.Testdata(t, "generators/testdata/dbapp"))
	backup, _ := generators.LookupTask("backup")
	restore, _ := generators.LookupTask("restore")
	e := prompter.Enter
	f := prompter.NewFake(e, e, []string{"pre-install"}, []string{"pre-rollback", "pre-upgrade"})
	var out bytes.Buffer
	in := &Init{P: f, Info: info, Out: &out}
	reqs, err := in.Ask([]generators.Task{backup, restore}, "", "hooks", InitGiven{With: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := messages(f); !slices.Equal(got, []string{"select:Database for the backup:", "multiselect:Events for backup:", "multiselect:Events for restore:", "multiselect:Events for restore:"}) {
		t.Fatalf("asked %v, want the restore's events twice", got)
	}
	if !strings.Contains(out.String(), "not pre-install: on first install the restore hook would need what Helm creates only after the pre-install hooks succeed: the mariadb dependency's database, which the restore connects to") {
		t.Errorf("the refusal is not shown:\n%s", out.String())
	}
	if got := helmhook.Strings(reqs[1].Events); !slices.Equal(got, []string{"pre-upgrade", "pre-rollback"}) && !slices.Equal(got, []string{"pre-rollback", "pre-upgrade"}) {
		t.Errorf("restore's events %v, want the second answer", got)
	}
}
