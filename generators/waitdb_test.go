package generators

import (
	"errors"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/testcharts"
)

// A migration or seed that runs post-install waits for the database the
// release deploys, unless told not to; other events, other tasks and charts
// without a database do not, and asking where nothing can be waited for is
// a usage error that names the flag.
func TestWaitForDBDecision(t *testing.T) {
	dbapp := mustInspect(t, testcharts.Testdata(t, "generators/testdata/dbapp"))
	plain := mustInspect(t, testcharts.HelmCreate(t, "shop"))
	yes, no := true, false
	task := func(n string) Task { tk, _ := LookupTask(n); return tk }
	for _, tc := range []struct {
		name    string
		info    *ChartInfo
		req     Request
		wait    bool   // an init container waits
		def     bool   // on by hookgen's default
		wantErr string // a usage error containing this
	}{
		{name: "migration at post-install waits by default", info: dbapp, req: Request{Task: task("migration")}, wait: true, def: true},
		{name: "seed at post-install waits by default", info: dbapp, req: Request{Task: task("seed")}, wait: true, def: true},
		{name: "--wait-for-db=false", info: dbapp, req: Request{Task: task("migration"), WaitForDB: &no}},
		{name: "pre-upgrade only: the database is up", info: dbapp, req: Request{Task: task("migration"), Events: []release.HookEvent{release.HookPreUpgrade}}},
		{name: "asked for at pre-upgrade", info: dbapp, req: Request{Task: task("migration"), Events: []release.HookEvent{release.HookPreUpgrade}, WaitForDB: &yes}, wait: true},
		{name: "custom only when asked", info: dbapp, req: Request{Task: task("custom"), Name: "warm", Image: "busybox:1.37", Events: []release.HookEvent{release.HookPostInstall}}},
		{name: "custom asked", info: dbapp, req: Request{Task: task("custom"), Name: "warm", Image: "busybox:1.37", Events: []release.HookEvent{release.HookPostInstall}, WaitForDB: &yes}, wait: true},
		{name: "no database: no wait", info: plain, req: Request{Task: task("migration")}},
		{name: "no database: asked", info: plain, req: Request{Task: task("migration"), WaitForDB: &yes}, wantErr: "--wait-for-db: the release deploys no PostgreSQL, MySQL or MariaDB dependency"},
		{name: "backup", info: dbapp, req: Request{Task: task("backup"), WaitForDB: &yes}, wantErr: "--wait-for-db only applies to migration, seed and custom hooks"},
		{name: "backup, off", info: dbapp, req: Request{Task: task("backup"), WaitForDB: &no}, wantErr: "--wait-for-db only applies to migration, seed and custom hooks"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.req.Command == nil && tc.req.Task.AppContext {
				tc.req.Command = []string{"./run"}
			}
			if tc.req.Image == "" && tc.info == dbapp && tc.req.Task.AppContext {
				tc.req.Image = "example/app:1" // dbapp has no app workload
			}
			out, err := Generate(tc.info, tc.req)
			if tc.wantErr != "" {
				var ue *UsageError
				if !errors.As(err, &ue) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want a usage error with %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			w := out.Hook.Wait
			job := string(fileContent(out, out.Hook.TemplatePath))
			if !tc.wait {
				if w != nil || strings.Contains(job, WaitContainer) {
					t.Fatalf("the hook waits for the database: %+v", w)
				}
				return
			}
			if w == nil {
				t.Fatal("the hook does not wait for the database")
			}
			want := DBWait{DB: "mariadb", Chart: "mariadb", Host: "{{ .Release.Name }}-mariadb", Port: 3306, Image: "mariadb:11.4", Tool: "mariadb-admin", Default: tc.def}
			if *w != want {
				t.Errorf("wait = %+v, want %+v", *w, want)
			}
			if !strings.Contains(job, "- name: "+WaitContainer) || !strings.Contains(job, "mariadb-admin --host=") {
				t.Errorf("the Job template has no %s init container running mariadb-admin:\n%s", WaitContainer, job)
			}
			values := string(fileContent(out, "values.yaml"))
			for _, s := range []string{`host: "{{ .Release.Name }}-mariadb"`, "port: 3306", `repository: "mariadb"`, `tag: "11.4"`, "runAsUser: 65532"} {
				if !strings.Contains(values, s) {
					t.Errorf("values.yaml has no %q in waitForDatabase", s)
				}
			}
		})
	}
}

func fileContent(out *Output, path string) []byte {
	for _, f := range out.Files {
		if f.Path == path {
			return f.Content
		}
	}
	return nil
}

// The record keeps --wait-for-db as given, so that remove regenerates the
// hook exactly; absent, it is hookgen's default again.
func TestRecordKeepsWaitForDB(t *testing.T) {
	mig, _ := LookupTask("migration")
	for _, w := range []*bool{nil, new(bool), func() *bool { b := true; return &b }()} {
		h := Hook{Task: mig, Name: "migration", Events: []release.HookEvent{release.HookPostInstall}, DeletePolicies: DefaultDeletePolicies}
		line := record(h, Request{Task: mig, WaitForDB: w}, "hooks", false, "")
		r, err := ReadRecord([]byte(line + "\n"))
		if err != nil {
			t.Fatal(err)
		}
		req, err := r.ToRequest()
		if err != nil {
			t.Fatal(err)
		}
		if (req.WaitForDB == nil) != (w == nil) || w != nil && *req.WaitForDB != *w {
			t.Errorf("record %s: WaitForDB %v, want %v", line, req.WaitForDB, w)
		}
	}
}
