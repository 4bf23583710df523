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
