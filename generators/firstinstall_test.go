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
	"github.com/hookgen/hookgen/internal/testcharts"
)

// One rule for every task: a hook at pre-install that needs what the
// release creates only after its pre-install hooks (its own database, the
// app's Secrets that cannot be copied) runs post-install when hookgen chose
// the events, and is refused with a usage error when the user did; a
// request read from a record is regenerated as written.
func TestFirstInstallRule(t *testing.T) {
	dbapp := mustInspect(t, testcharts.Testdata(t, "generators/testdata/dbapp"))
	// The app's Secret takes a random password: it cannot be hook-copied.
	dir := testcharts.Testdata(t, "golden/testdata/charts/appconfig")
	b, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "values.yaml"), []byte(strings.Replace(string(b), "password: changeme", `password: ""`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	random := mustInspect(t, dir)
	// The app's Secret is a subchart's: no copy can be rendered.
	dir = testcharts.Testdata(t, "golden/testdata/charts/appconfig")
	testcharts.WriteTree(t, dir, map[string]string{
		"charts/sub/Chart.yaml":            "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
		"charts/sub/templates/secret.yaml": "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-sub\nstringData:\n  password: {{ .Values.password | default \"pw\" }}\n",
	})
	if err := os.WriteFile(filepath.Join(dir, "values.yaml"), []byte(strings.Replace(string(b), `existingSecret: ""`, "existingSecret: release-name-sub", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	subchart := mustInspect(t, dir)
	// The chart renders a claim of its own.
	dir = testcharts.Testdata(t, "generators/testdata/dbapp")
	testcharts.WriteTree(t, dir, map[string]string{"templates/pvc.yaml": "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {{ .Release.Name }}-data\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n"})
	claimapp := mustInspect(t, dir)
	// The chart is the database server itself (as bitnami's postgresql).
	server := mustInspect(t, testcharts.HelmCreate(t, "postgresql"))
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
		not    []string // and none of these
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
			errs: []string{"which the backup connects to (no --db-host)", "pass --db-host and --db-secret with a database and a Secret outside the release"}},
		{name: "backup at pre-install of a database outside the release", info: dbapp, req: Request{Task: task("backup"), Events: evs("pre-install"), DBSettings: DBSettings{StorageClaim: "dumps", DBHost: "db.example", DBUser: "app", DBSecret: "db", DBName: "app"}}, events: "pre-install"},
		{name: "migration, hookgen's events, random Secret", info: random, req: Request{Task: task("migration")}, events: "post-install,pre-upgrade"},
		{name: "migration, --event pre-install, random Secret", info: random, req: Request{Task: task("migration"), Events: evs("pre-install,pre-upgrade")},
			errs: []string{"Secret/release-name-blog-db (no hook copy: templates/secret.yaml renders it with random values", "pass --event post-install,pre-upgrade, or, to keep pre-install, give Secret/release-name-blog-db fixed values in values.yaml; nothing written"}},
		{name: "migration, --event pre-install, a subchart's Secret", info: subchart, req: Request{Task: task("migration"), Events: evs("pre-install")},
			errs: []string{"Secret/release-name-sub (no hook copy: charts/sub/templates/secret.yaml renders it from the subchart's own values)", "to keep pre-install, use an existingSecret (or disable the subchart) for Secret/release-name-sub; nothing written"},
			not:  []string{"fixed values"}},
		{name: "migration, --event pre-install,post-install, own database: the code, not a wait the user did not ask for", info: dbapp, req: Request{Task: task("migration"), Events: evs("pre-install,post-install")},
			errs: []string{"the mariadb dependency's database, which the migration's own code works on"}, not: []string{"--wait-for-db"}},
		{name: "smoke-test at pre-install of the release's Service", info: dbapp, req: Request{Task: task("smoke-test"), Events: evs("pre-install")},
			errs: []string{"Service/release-name-dbapp, which the smoke test GETs", "pass --event post-install, or, to keep pre-install, pass --service with a Service outside the release"}},
		{name: "smoke-test at pre-install of a Service outside the release", info: dbapp, req: Request{Task: task("smoke-test"), Events: evs("pre-install"), Service: "status.example", Port: "80"}, events: "pre-install"},
		{name: "backup at pre-install: one refusal names the database and the claim", info: dbapp, req: Request{Task: task("backup"), Events: evs("pre-install")},
			errs: []string{"the mariadb dependency's database, which the backup connects to (no --db-host), the mariadb dependency's Secret with the password, which the backup reads (no --db-secret), the claim <fullname>-backup-data, which the backup uses and the release creates (no --storage-claim)", "pass --event post-install, or, to keep pre-install, pass --db-host, --db-secret and --storage-claim with a database, a Secret and a claim outside the release; nothing written"}},
		{name: "backup at pre-install into a claim of the release", info: claimapp, req: Request{Task: task("backup"), Events: evs("pre-install"), DBSettings: DBSettings{StorageClaim: "release-name-data", DBHost: "db.example", DBUser: "app", DBSecret: "db", DBName: "app"}},
			errs: []string{"fail or wait until Helm's timeout: PersistentVolumeClaim/release-name-data, which the backup uses and the release creates; pass --event post-install, or, to keep pre-install, pass --storage-claim with a claim outside the release"}},
		{name: "migration, hookgen's events, the chart is the database", info: server, req: Request{Task: task("migration")}, events: "post-install,pre-upgrade"},
		{name: "seed, --event pre-install, the chart is the database", info: server, req: Request{Task: task("seed"), Events: evs("pre-install")},
			errs: []string{"the PostgreSQL server this chart deploys, which the seed's own code works on", "pass --event post-install, or, to keep pre-install, point the app at a database outside the release"}},
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
				for _, s := range tc.not {
					if strings.Contains(err.Error(), s) {
						t.Errorf("error %q says %q", err, s)
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

// A restore at pre-install uses its backup's database and claim: refused
// while they are the release's, accepted once the backup names a database
// and a claim outside it.
func TestFirstInstallRestore(t *testing.T) {
	dir := testcharts.Testdata(t, "generators/testdata/dbapp")
	info := mustInspect(t, dir)
	backup, _ := LookupTask("backup")
	restore, _ := LookupTask("restore")
	pre := []release.HookEvent{release.HookPreInstall}
	for _, tc := range []struct {
		name   string
		backup DBSettings
		errs   []string
	}{
		{name: "the release's database, Secret and claim", errs: []string{
			"the mariadb dependency's database, which the restore connects to (no --db-host on the backup hook), the mariadb dependency's Secret with the password, which the restore reads (no --db-secret on the backup hook), the claim <fullname>-backup-data, which the restore uses and the release creates (no --storage-claim on the backup hook)",
			"pass --event post-install, or, to keep pre-install, give the backup hook --db-host, --db-secret and --storage-claim with a database, a Secret and a claim outside the release; nothing written"}},
		{name: "the release's claim", backup: DBSettings{DBHost: "db.example", DBUser: "app", DBSecret: "db", DBName: "app"}, errs: []string{"so its Job would fail or wait until Helm's timeout: the claim <fullname>-backup-data, which the restore uses and the release creates (no --storage-claim on the backup hook); pass --event post-install, or, to keep pre-install, give the backup hook --storage-claim with a claim outside the release"}},
		{name: "a database and a claim outside the release", backup: DBSettings{DBHost: "db.example", DBUser: "app", DBSecret: "db", DBName: "app", StorageClaim: "dumps"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Generate(info, Request{Task: backup, DBSettings: tc.backup})
			if err != nil {
				t.Fatal(err)
			}
			testcharts.WriteTree(t, dir, outputFiles(out))
			withBackup := mustInspect(t, dir)
			out, err = Generate(withBackup, Request{Task: restore, Events: pre})
			if len(tc.errs) == 0 {
				if err != nil || !slices.Equal(out.Hook.Events, pre) {
					t.Fatalf("restore at pre-install: %v", err)
				}
				return
			}
			var ue *UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("err = %v, want a usage error", err)
			}
			for _, s := range tc.errs {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not say %q", err, s)
				}
			}
		})
	}
}
