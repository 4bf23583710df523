package generators

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/templates"
)

// DBWait is the init container that holds a hook back until the database
// the release deploys answers: the client tool of the server's own image
// series, tried in a loop until the server answers or a timeout (at most
// the Job's activeDeadlineSeconds) runs out.
type DBWait struct {
	DB    string // postgresql, mysql or mariadb
	Chart string // the database dependency (name or alias)
	Host  string // a tpl string, e.g. {{ .Release.Name }}-postgresql
	Port  int
	Image string // the client image, e.g. postgres:17-alpine
	// Tool answers whether the server is up without credentials:
	// pg_isready, mysqladmin or mariadb-admin.
	Tool string
	// Default: hookgen turned it on (the request did not ask).
	Default bool
}

// WaitContainer names the init container that waits (templates/waitdb.yaml.tmpl).
const WaitContainer = "wait-for-database"

// DefaultWaitTimeout is how long the wait tries by default: half the Job's
// default deadline, leaving the other half to the hook's own work.
const DefaultWaitTimeout = DefaultActiveDeadline / 2

// waitTools is the tool of each client that says whether the server is up
// without logging in.
//
//   - pg_isready: exit 0 once the server accepts connections, 1 while it
//     rejects them (starting up), 2 without an answer; "It is not necessary
//     to supply correct user name, password, or database name values to
//     obtain the server status" (https://www.postgresql.org/docs/current/app-pg-isready.html).
//   - mysqladmin ping: exit 0 when the server answers, "even in case of an
//     error such as Access denied, because this means that the server is
//     running but refused the connection"; 1 on a client-side error such as
//     no route or a refused TCP connection
//     (https://dev.mysql.com/doc/refman/8.4/en/mysqladmin.html; client/mysqladmin.cc
//     returns 0 for ping unless the error is a client error, CR_MIN_ERROR to CR_MAX_ERROR).
//     Every official mysql image series has it: its docker-entrypoint.sh
//     stops the temporary server with it.
//   - mariadb-admin ping: MariaDB's mysqladmin under its own name (from
//     10.5, the oldest series hookgen picks; the mysql* names are gone from
//     the images since 11.0), same exit codes.
var waitTools = map[string]string{"postgresql": "pg_isready", "mysql": "mysqladmin", "mariadb": "mariadb-admin"}

// WaitSupported: the tasks that may wait for the database. Backup and
// restore do not: by default they run at pre-upgrade, pre-delete and
// pre-rollback, when the release's database has long been running (at
// pre-install the first-install rule refuses them the release's database), and a dump or restore
// that cannot reach it should fail at once rather than hold the upgrade,
// uninstall or rollback for minutes. A smoke test runs after the release
// is ready.
func WaitSupported(t Task) bool { return t.AppContext || t.Custom }

// resolveWait decides whether the hook waits for its database: as asked
// (--wait-for-db, --wait-for-db=false), else on for a migration or seed at
// post-install when the release deploys its own database, which starts at
// the same time as the hook.
func (out *Output) resolveWait(info *ChartInfo, req Request, h *Hook) error {
	if req.WaitForDB != nil && !WaitSupported(req.Task) {
		return usageErr("--wait-for-db only applies to migration, seed and custom hooks: %s runs when the database is already up", req.Task.Name)
	}
	if req.WaitForDB != nil && !*req.WaitForDB {
		return nil
	}
	asked := req.WaitForDB != nil
	postInstall := slices.Contains(h.Events, release.HookPostInstall)
	if !asked && !(req.Task.AppContext && postInstall) {
		return nil
	}
	srv := detectDBServer(info)
	if srv == nil || srv.Host == "" {
		switch {
		case asked && srv == nil && info.Database != "":
			return usageErr("--wait-for-db: the %s dependency renders no database server with these values (not downloaded? run helm dependency build), so there is no host to wait for; nothing written", info.Database)
		case asked && srv == nil && dbKinds[info.Chart.Name] != "":
			// This chart's server is one of the release's resources, none
			// of which exist at pre-install (helmhook.BeforeInstall); with
			// helm install --wait, Helm runs post-install hooks once they
			// are ready (helm.sh/helm/v4 pkg/action/install.go,
			// performInstall).
			return usageErr("--wait-for-db: this chart is itself the %s server, not a dependency of the release, and hookgen waits only for a dependency: at pre-install the server does not exist yet, and helm install --wait starts post-install hooks once its pods are ready; drop --wait-for-db (and install with --wait)", info.Chart.Name)
		case asked && srv == nil:
			return usageErr("--wait-for-db: the release deploys no PostgreSQL, MySQL or MariaDB dependency, so there is no database host to wait for (a database outside the release is expected to be up); drop --wait-for-db")
		case asked:
			return usageErr("--wait-for-db: the %s dependency renders no Service on its database port, so there is no host to wait for; drop --wait-for-db", srv.Chart)
		case info.Database != "":
			out.Notes = append(out.Notes, fmt.Sprintf("the %s dependency renders no database server with these values, so the %s does not wait for it (run helm dependency build, then hookgen add %s --force)", info.Database, req.Task.Name, req.Task.Name))
		}
		return nil
	}
	c, err := ClientFor(srv.DB, srv.Version)
	if err != nil {
		// Any series' tool answers whether a server is up.
		c, _ = ClientFor(srv.DB, "")
	}
	w := &DBWait{DB: srv.DB, Chart: srv.Chart, Host: srv.Host, Port: c.Port, Image: c.Image, Tool: waitTools[srv.DB], Default: !asked}
	h.Wait = w
	why := "as asked (--wait-for-db)"
	if w.Default {
		why = "which starts at the same time on first install"
	}
	out.Notes = append(out.Notes, fmt.Sprintf("the %s hook waits for the %s dependency, %s: an init container runs %s from %s against %s:%d until the server answers, for up to %ds (%s.%s.waitForDatabase; --wait-for-db=false leaves it out)",
		h.Name, srv.Chart, why, w.Tool, w.Image, w.Host, w.Port, DefaultWaitTimeout, info.Chart.ValuesKey, h.Name))
	return nil
}

// waitParts fills in what the wait-for-database templates need, and
// renders the init container's script.
func (d *templateData) waitParts(h Hook) error {
	w := h.Wait
	if w == nil {
		return nil
	}
	d.WaitDB, d.WaitKind, d.WaitTitle, d.WaitTool, d.WaitContainer = true, w.DB, dbTitle[w.DB], w.Tool, WaitContainer
	d.WaitChart, d.WaitHost, d.WaitPort, d.WaitTimeout = w.Chart, w.Host, w.Port, DefaultWaitTimeout
	d.WaitImageRepository, d.WaitImageTag = splitImage(w.Image)
	var b bytes.Buffer
	if err := templates.Parse().ExecuteTemplate(&b, "wait-db-script", d); err != nil {
		return fmt.Errorf("rendering the wait-for-database script: %w", err)
	}
	d.WaitScript = indentLines(b.String(), 14)
	return nil
}

// indentLines indents every non-empty line of s by n spaces, for a block
// scalar in a template.
func indentLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = strings.Repeat(" ", n) + l
		}
	}
	return strings.Join(lines, "\n")
}
