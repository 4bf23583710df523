package generators

import (
	"strings"
	"testing"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// The client image is the server's own series, from a full image tag or a
// series; servers outside the known series are refused with the flag to pass.
func TestClientFor(t *testing.T) {
	for _, tc := range []struct{ db, version, image, dump string }{
		{"postgresql", "17.6.0-debian-12-r4", "postgres:17-alpine", "pg_dump"},
		{"postgresql", "16", "postgres:16-alpine", "pg_dump"},
		{"postgresql", "9.6", "postgres:9.6-alpine", "pg_dump"},
		{"postgresql", "", "postgres:18-alpine", "pg_dump"},
		{"mysql", "9.4.0-debian-12-r1", "mysql:9.4", "mysqldump"},
		{"mysql", "5.7.30", "mysql:5.7", "mysqldump"},
		{"mariadb", "12.0.2-debian-12-r0", "mariadb:12.0", "mariadb-dump"},
		{"mariadb", "10.11", "mariadb:10.11", "mariadb-dump"},
	} {
		c, err := ClientFor(tc.db, tc.version)
		if err != nil || c.Image != tc.image || c.Dump != tc.dump {
			t.Errorf("ClientFor(%s, %q) = %s %s, %v; want %s %s", tc.db, tc.version, c.Image, c.Dump, err, tc.image, tc.dump)
		}
	}
	for _, tc := range []struct{ db, version, want string }{
		{"postgresql", "25", "no known client image for PostgreSQL 25"},
		{"mysql", "8", "needs a minor version"},
		{"mariadb", "10.4.3", "no known client image for MariaDB 10.4"},
		{"mysql", "latest", "does not start with a version number"},
		{"oracle", "19", "unknown database"},
	} {
		if _, err := ClientFor(tc.db, tc.version); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ClientFor(%s, %q) = %v, want an error with %q", tc.db, tc.version, err, tc.want)
		}
	}
}

// The database a dependency deploys is read from the rendered chart: the
// version from the server's image with the parent's override, the client
// Service (not the headless one), the superuser's Secret key, the
// application's database; names as tpl strings.
func TestDetectDBServer(t *testing.T) {
	info := mustInspect(t, testcharts.Testdata(t, "generators/testdata/dbapp"))
	s := detectDBServer(info)
	if s == nil {
		t.Fatal("no database server found")
	}
	want := DBServer{DB: "mariadb", Chart: "mariadb", Image: "docker.io/bitnami/mariadb:11.4.5-debian-12-r0", Version: "11.4.5-debian-12-r0",
		Host: "{{ .Release.Name }}-mariadb", User: "root", Name: "app_db", Secret: "{{ .Release.Name }}-mariadb", PasswordKey: "mariadb-root-password"}
	s.VersionSource = ""
	if *s != want {
		t.Errorf("got  %+v\nwant %+v", *s, want)
	}
}

// Two database subcharts, both enabled (bitnami redmine): the server is the
// one the chart's own objects name, whatever order Helm's loader lists its
// subcharts in (it is not stable); with neither named, the first in
// Chart.yaml.
func TestDetectDBServerOfTwo(t *testing.T) {
	dir := testcharts.Testdata(t, "generators/testdata/twodb")
	for _, tc := range []struct{ dbType, want string }{{"mariadb", "mariadb"}, {"postgresql", "postgresql"}, {"none", "postgresql"}} {
		for i := 0; i < 10; i++ {
			info := mustInspect(t, dir)
			if tc.dbType != "mariadb" {
				vals, err := render.Values(nil, []string{"databaseType=" + tc.dbType})
				if err != nil {
					t.Fatal(err)
				}
				if info.Chart.Rendered, err = render.Render(info.Chart.Helm, vals, render.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			if tc.dbType == "mariadb" && info.Database != "mariadb" {
				t.Fatalf("try %d: the release's database is %q, want mariadb (the one the app uses)", i, info.Database)
			}
			s := detectDBServer(info)
			if s == nil || s.DB != tc.want {
				t.Fatalf("databaseType %s, try %d: server %+v, want %s", tc.dbType, i, s, tc.want)
			}
		}
	}
}

// backup on that chart: mariadb-dump of 11.4 and the dependency's
// connection; --db-version and the connection flags win; --keep is written.
func TestBackupFollowsTheServer(t *testing.T) {
	dir := testcharts.Testdata(t, "generators/testdata/dbapp")
	info := mustInspect(t, dir)
	backup, _ := LookupTask("backup")
	out, err := Generate(info, Request{Task: backup})
	if err != nil {
		t.Fatal(err)
	}
	values := fileOf(out, "values.yaml")
	job := fileOf(out, "templates/hooks/backup.yaml")
	for _, want := range []string{`repository: "mariadb"`, `tag: "11.4"`, `host: "{{ .Release.Name }}-mariadb"`, `user: "root"`, `name: "app_db"`, `passwordKey: "mariadb-root-password"`, "keep: 5"} {
		if !strings.Contains(values, want) {
			t.Errorf("values.yaml lacks %s", want)
		}
	}
	for _, want := range []string{"mariadb-dump --defaults-extra-file=/tmp/client.cnf", "--single-transaction", `grep -E '^backup-[0-9]{8}T[0-9]{6}Z-r[0-9]+-[A-Za-z0-9._-]*\.sql$'`} {
		if !strings.Contains(job, want) {
			t.Errorf("backup.yaml lacks %s", want)
		}
	}
	keep := 3
	out, err = Generate(info, Request{Task: backup, DBSettings: DBSettings{DBVersion: "10.11", DBHost: "db.example", DBSecret: "ext", DBUser: "u"}, Keep: &keep})
	if err != nil {
		t.Fatal(err)
	}
	values = fileOf(out, "values.yaml")
	for _, want := range []string{`tag: "10.11"`, `host: "db.example"`, `existingSecret: "ext"`, `user: "u"`, `passwordKey: "password"`, "keep: 3"} {
		if !strings.Contains(values, want) {
			t.Errorf("with flags, values.yaml lacks %s", want)
		}
	}
	if _, err := Generate(info, Request{Task: backup, DBSettings: DBSettings{DBVersion: "9.9"}}); err == nil || !strings.Contains(err.Error(), "pass --image") {
		t.Errorf("unknown version: %v", err)
	}
}

// restore needs the backup hook it restores from, and follows its database.
func TestRestoreNeedsItsBackup(t *testing.T) {
	dir := testcharts.Testdata(t, "generators/testdata/dbapp")
	info := mustInspect(t, dir)
	restore, _ := LookupTask("restore")
	if _, err := Generate(info, Request{Task: restore}); err == nil || !strings.Contains(err.Error(), "run hookgen add backup first") {
		t.Fatalf("restore without a backup: %v", err)
	}
	backup, _ := LookupTask("backup")
	out, err := Generate(info, Request{Task: backup})
	if err != nil {
		t.Fatal(err)
	}
	testcharts.WriteTree(t, dir, outputFiles(out))
	if info, err = Inspect(dir, render.DefaultKubeVersion, DefaultValuesKey); err != nil {
		t.Fatal(err)
	}
	out, err = Generate(info, Request{Task: restore})
	if err != nil {
		t.Fatal(err)
	}
	job := fileOf(out, "templates/hooks/restore.yaml")
	for _, want := range []string{`"helm.sh/hook": "pre-rollback"`, `value: {{ add .Release.Revision 1 | quote }}`, `mariadb --defaults-extra-file=/tmp/client.cnf`, "hookgen: refusing to restore: no dump of revision", `get (.Values.hooks | default dict) "backup"`} {
		if !strings.Contains(job, want) {
			t.Errorf("restore.yaml lacks %s", want)
		}
	}
}

// smoke-test calls the chart's own Service on its http port, through the
// values that set it.
func TestSmokeTestFindsTheService(t *testing.T) {
	info := mustInspect(t, testcharts.Testdata(t, "generators/testdata/dbapp"))
	smoke, _ := LookupTask("smoke-test")
	out, err := Generate(info, Request{Task: smoke, Path: "/healthz"})
	if err != nil {
		t.Fatal(err)
	}
	values := fileOf(out, "values.yaml")
	for _, want := range []string{`service: "{{ .Release.Name }}-dbapp"`, `port: "{{ .Values.service.port }}"`, `path: "/healthz"`, `repository: "curlimages/curl"`} {
		if !strings.Contains(values, want) {
			t.Errorf("values.yaml lacks %s", want)
		}
	}
	if _, err := Generate(info, Request{Task: smoke, Path: "healthz"}); err == nil || !strings.Contains(err.Error(), "must start with /") {
		t.Errorf("relative path: %v", err)
	}
}

func fileOf(out *Output, p string) string {
	for _, f := range out.Files {
		if f.Path == p {
			return string(f.Content)
		}
	}
	return ""
}

// Host, Secret and claim may be Helm template text (tpl renders them), as
// long as it parses.
func TestValidateTemplateNames(t *testing.T) {
	if err := ValidateRequest(Request{DBSettings: DBSettings{DBHost: "{{ .Release.Name }}-postgresql", DBSecret: "{{ .Release.Name }}-postgresql", StorageClaim: `{{ include "x.fullname" . }}-dumps`}}); err != nil {
		t.Errorf("template names refused: %v", err)
	}
	if err := ValidateRequest(Request{DBSettings: DBSettings{DBHost: "{{ .Release.Name -pg"}}); err == nil || !strings.Contains(err.Error(), "not a valid Helm template") {
		t.Errorf("broken template: %v", err)
	}
}
