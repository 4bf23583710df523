package golden

import (
	"strings"
	"testing"

	"github.com/hookgen/hookgen/internal/testcharts"
)

// On real charts whose app context uses Secrets that cannot be hook-copied
// (generated passwords, a subchart's Secret) and that deploy their own
// database, an explicit --event pre-install is refused with one line and
// exit 2, nothing written; hookgen's own choice runs post-install.
func TestWideFirstInstallRefused(t *testing.T) {
	for _, tc := range []struct{ chart, command string }{
		{"bitnami-gitea", "gitea migrate"},
		{"bitnami-discourse", "bundle,exec,rake,db:migrate"},
		{"bitnami-odoo", "odoo,-u,all"},
		{"bitnami-mlflow", "mlflow,db,upgrade"},
		{"helm-mattermost-team-edition", "mattermost,db,migrate"},
		{"helm-hackmd", "npx,sequelize,db:migrate"},
	} {
		t.Run(tc.chart, func(t *testing.T) {
			dir := testcharts.Wide(t, tc.chart)
			before := testcharts.Tree(t, dir)
			args := []string{"add", "migration", "--chart", dir, "--yes", "--kube-version", testcharts.KubeVersion, "--command", tc.command}
			_, stderr, code := run(t, append(args, "--event", "pre-install,pre-upgrade")...)
			if code != 2 || !strings.HasPrefix(stderr, "hookgen: --event pre-install,pre-upgrade: on first install the migration hook would need") ||
				!strings.Contains(stderr, "pass --event post-install,pre-upgrade") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Fatalf("exit %d, want 2 and one line refusing pre-install:\n%s", code, stderr)
			}
			after := testcharts.Tree(t, dir)
			if len(after) != len(before) {
				t.Errorf("files changed: %d before, %d after", len(before), len(after))
			}
			for p, v := range before {
				if after[p] != v {
					t.Errorf("%s changed", p)
				}
			}
			stdout, stderr, code := run(t, append(args, "--dry-run")...)
			if code != 7 || !strings.Contains(stdout, "events post-install,pre-upgrade") || !strings.Contains(stdout, "not exist at pre-install: the migration runs post-install on first install") {
				t.Errorf("hookgen's own events: exit %d, want 7 and post-install,pre-upgrade with a note\n%s%s", code, stdout, stderr)
			}
		})
	}
}

// --wait-for-db on bitnami's MLflow, whose release deploys PostgreSQL:
// refused at pre-install (the database does not exist yet), honoured at
// post-install.
func TestWideWaitForDBAtPreInstall(t *testing.T) {
	dir := testcharts.Wide(t, "bitnami-mlflow")
	args := []string{"add", "custom", "--chart", dir, "--yes", "--kube-version", testcharts.KubeVersion, "--name", "warm", "--image", "busybox:1.37", "--wait-for-db"}
	_, stderr, code := run(t, append(args, "--event", "pre-install,pre-upgrade")...)
	if code != 2 || !strings.Contains(stderr, "the postgresql dependency's database, which its init container waits for (--wait-for-db); pass --event post-install,pre-upgrade, or, to keep pre-install, drop --wait-for-db") {
		t.Errorf("pre-install: exit %d, want 2 and the refusal\n%s", code, stderr)
	}
	stdout, stderr, code := run(t, append(args, "--event", "post-install,pre-upgrade", "--dry-run")...)
	if code != 7 || !strings.Contains(stdout, "the warm hook waits for the postgresql dependency, as asked (--wait-for-db)") {
		t.Errorf("post-install: exit %d, want 7 and the wait\n%s%s", code, stdout, stderr)
	}
}

// bitnami's postgresql chart is the database: there is no dependency to
// wait for, and add says so instead of calling the database external.
func TestCorpusWaitForDBOnTheDatabaseChart(t *testing.T) {
	dir := testcharts.Corpus(t, "bitnami-postgresql")
	for _, ev := range []string{"pre-install", "post-install"} {
		_, stderr, code := run(t, "add", "seed", "--chart", dir, "--yes", "--kube-version", testcharts.KubeVersion, "--command", "./seed", "--event", ev, "--wait-for-db")
		if code != 2 || !strings.Contains(stderr, "--wait-for-db: this chart is itself the postgresql server") {
			t.Errorf("%s: exit %d, want 2 and the chart named as the database\n%s", ev, code, stderr)
		}
	}
}

// The first-install rule asks every task: on real charts, a smoke test of
// the chart's Service, a restore of a backup of the release's database and
// claim, and a migration whose wait the user did not ask for are refused
// at pre-install for what they need, each in one line, exit 2.
func TestWideFirstInstallEveryTask(t *testing.T) {
	metabase := testcharts.Wide(t, "helm-metabase")
	_, stderr, code := run(t, "add", "smoke-test", "--chart", metabase, "--yes", "--kube-version", testcharts.KubeVersion, "--event", "pre-install")
	if code != 2 || !strings.Contains(stderr, "Service/release-name-metabase, which the smoke test GETs; pass --event post-install, or, to keep pre-install, pass --service with a Service outside the release") {
		t.Errorf("smoke-test at pre-install: exit %d, want 2 and the Service named\n%s", code, stderr)
	}

	mlflow := testcharts.Wide(t, "bitnami-mlflow")
	args := []string{"--chart", mlflow, "--yes", "--kube-version", testcharts.KubeVersion}
	_, stderr, code = run(t, append([]string{"add", "migration", "--command", "./m", "--event", "pre-install,post-install"}, args...)...)
	if code != 2 || !strings.Contains(stderr, "the postgresql dependency's database, which the migration's own code works on") || strings.Contains(stderr, "--wait-for-db") {
		t.Errorf("migration at pre-install,post-install: exit %d, want 2, the code's use named and no --wait-for-db\n%s", code, stderr)
	}
	if stdout, stderr, code := run(t, append([]string{"add", "backup"}, args...)...); code != 0 {
		t.Fatalf("add backup: exit %d\n%s%s", code, stdout, stderr)
	}
	before := testcharts.Tree(t, mlflow)
	_, stderr, code = run(t, append([]string{"add", "restore", "--event", "pre-install"}, args...)...)
	if code != 2 || !strings.Contains(stderr, "the postgresql dependency's database, which the restore connects to") || !strings.Contains(stderr, "the claim <fullname>-backup-data, which the restore uses and the release creates") {
		t.Errorf("restore at pre-install: exit %d, want 2 and the database and claim named\n%s", code, stderr)
	}
	if diff := treeDiff(before, testcharts.Tree(t, mlflow)); diff != "" {
		t.Errorf("refused, yet files changed: %s", diff)
	}
}

// bitnami's postgresql chart is the database: a seed at pre-install would
// work on a server that does not exist yet, and hookgen's own events for a
// migration are post-install,pre-upgrade.
func TestCorpusFirstInstallOnTheDatabaseChart(t *testing.T) {
	dir := testcharts.Corpus(t, "bitnami-postgresql")
	args := []string{"--chart", dir, "--yes", "--kube-version", testcharts.KubeVersion}
	_, stderr, code := run(t, append([]string{"add", "seed", "--command", "./seed", "--event", "pre-install", "--set", "auth.postgresPassword=pw"}, args...)...)
	if code != 2 || !strings.Contains(stderr, "the PostgreSQL server this chart deploys, which the seed's own code works on") {
		t.Errorf("seed at pre-install: exit %d, want 2 and the chart named as the database\n%s", code, stderr)
	}
	stdout, stderr, code := run(t, append([]string{"add", "migration", "--command", "./m", "--set", "auth.existingSecret=pg-creds", "--dry-run"}, args...)...)
	if code != 7 || !strings.Contains(stdout, "events post-install,pre-upgrade") || !strings.Contains(stdout, "the release deploys its own database (this chart is the server)") {
		t.Errorf("migration's own events: exit %d, want 7 and post-install,pre-upgrade\n%s%s", code, stdout, stderr)
	}
}
