package generators

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// One rule for every task: a hook at pre-install that needs what the
// release creates only after its pre-install hooks (its own database, the
// app's Secrets that cannot be copied) runs post-install when hookgen chose
// the events, and is refused with a usage error when the user did; a
// request read from a record is regenerated as written.
func TestFirstInstallRule(t *testing.T) {
	dbapp, err := Inspect(testcharts.Testdata(t, "generators/testdata/dbapp"), render.DefaultKubeVersion, DefaultValuesKey)
	if err != nil {
		t.Fatal(err)
	}
	// The app's Secret takes a random password: it cannot be hook-copied.
	dir := testcharts.Testdata(t, "golden/testdata/charts/appconfig")
	b, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "values.yaml"), []byte(strings.Replace(string(b), "password: changeme", `password: ""`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	random, err := Inspect(dir, render.DefaultKubeVersion, DefaultValuesKey)
	if err != nil {
		t.Fatal(err)
	}
	yes := true
	task := func(n string) Task { tk, _ := LookupTask(n); return tk }
	evs := func(s string) []release.HookEvent {
		e, err := helmhook.ParseEvents(strings.Split(s, ","))
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, tc := range []struct {
		name   string
		info   *ChartInfo
		req    Request
		events string   // the hook's events when it is planned
		errs   []string // a usage error containing each
	}{
		{name: "migration, hookgen's events, own database", info: dbapp, req: Request{Task: task("migration")}, events: "post-install,pre-upgrade"},
		{name: "migration, --event pre-install, own database", info: dbapp, req: Request{Task: task("migration"), Events: evs("pre-install,pre-upgrade")},
			errs: []string{"--event pre-install,pre-upgrade: on first install the migration hook would need", "the mariadb dependency's database, which the migration's own code works on", "pass --event post-install,pre-upgrade", "nothing written"}},
		{name: "seed, --event pre-install, own database", info: dbapp, req: Request{Task: task("seed"), Events: evs("pre-install")},
			errs: []string{"the mariadb dependency's database, which the seed's own code works on", "pass --event post-install, or, to keep pre-install, point the app at a database outside the release"}},
		{name: "custom, --event pre-install --wait-for-db", info: dbapp, req: Request{Task: task("custom"), Name: "warm", Image: "busybox:1.37", Events: evs("pre-install,pre-upgrade"), WaitForDB: &yes},
			errs: []string{"the mariadb dependency's database, which its init container waits for (--wait-for-db)", "pass --event post-install,pre-upgrade, or, to keep pre-install, drop --wait-for-db"}},
		{name: "custom, --event pre-install without a wait", info: dbapp, req: Request{Task: task("custom"), Name: "warm", Image: "busybox:1.37", Events: evs("pre-install")}, events: "pre-install"},
		{name: "custom, --event post-install --wait-for-db", info: dbapp, req: Request{Task: task("custom"), Name: "warm", Image: "busybox:1.37", Events: evs("post-install"), WaitForDB: &yes}, events: "post-install"},
		{name: "backup at pre-install of the release's database", info: dbapp, req: Request{Task: task("backup"), Events: evs("pre-install"), DBSettings: DBSettings{StorageClaim: "dumps"}},
			errs: []string{"which the backup connects to (no --db-host)", "pass --db-host with a database outside the release"}},
		{name: "backup at pre-install of a database outside the release", info: dbapp, req: Request{Task: task("backup"), Events: evs("pre-install"), DBSettings: DBSettings{StorageClaim: "dumps", DBHost: "db.example", DBUser: "app", DBSecret: "db", DBName: "app"}}, events: "pre-install"},
		{name: "migration, hookgen's events, random Secret", info: random, req: Request{Task: task("migration")}, events: "post-install,pre-upgrade"},
		{name: "migration, --event pre-install, random Secret", info: random, req: Request{Task: task("migration"), Events: evs("pre-install,pre-upgrade")},
			errs: []string{"Secret/release-name-blog-db (no hook copy: templates/secret.yaml renders it with random values", "pass --event post-install,pre-upgrade, or, to keep pre-install, give those objects fixed values in values.yaml or use existing ones"}},
		{name: "a record is regenerated as written", info: random, req: Request{Task: task("migration"), Events: evs("pre-install,pre-upgrade"), Recorded: true}, events: "pre-install,pre-upgrade"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.req.Command == nil && tc.req.Task.AppContext {
				tc.req.Command = []string{"./run"}
			}
			if tc.req.Image == "" && tc.info == dbapp && tc.req.Task.AppContext {
				tc.req.Image = "example/app:1" // dbapp has no app workload
			}
			out, err := Generate(tc.info, tc.req)
			if len(tc.errs) > 0 {
				var ue *UsageError
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want a usage error (events planned: %v)", err, out)
				}
				for _, s := range tc.errs {
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not say %q", err, s)
					}
				}
				if strings.Contains(err.Error(), "\n") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(helmhook.Strings(out.Hook.Events), ","); got != tc.events {
				t.Errorf("events %s, want %s", got, tc.events)
			}
			if len(tc.req.Events) > 0 && !tc.req.Recorded && !slices.Equal(out.Hook.Events, tc.req.Events) {
				t.Errorf("the events asked for were replaced: %v", out.Hook.Events)
			}
			if len(tc.req.Events) == 0 && !slices.ContainsFunc(out.Notes, func(n string) bool {
				return strings.Contains(n, "not exist at pre-install: the migration runs post-install on first install, and pre-upgrade on upgrades")
			}) {
				t.Errorf("no note says why post-install: %q", out.Notes)
			}
		})
	}
}
