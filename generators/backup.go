package generators

import (
	"bytes"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/templates"
)

// DBConn is how a backup or restore hook reaches its database, as written
// into values.yaml (host and secret are tpl strings).
type DBConn struct {
	Host, User, Name, Secret, PasswordKey string
}

// resolveBackup chooses the backup's database client (the server's own
// version), its connection (from the database dependency where the chart
// has one) and its retention.
func resolveBackup(info *ChartInfo, req Request, h *Hook, out *Output) error {
	srv := detectDBServer(info)
	if h.DB == "" {
		h.DB = "postgresql"
		if k, ok := dbKinds[info.Database]; ok {
			h.DB = k
		}
		if srv != nil {
			h.DB = srv.DB
		}
	}
	if !slices.Contains(Databases, h.DB) {
		return usageErr("unknown database %q for --db; use one of: %s", h.DB, strings.Join(Databases, ", "))
	}
	unknown := "no database dependency to read it from"
	if srv != nil && srv.DB != h.DB {
		unknown = fmt.Sprintf("the chart's database dependency is %s, not %s", srv.DB, h.DB)
		srv = nil
	}
	h.Server = srv
	version, source := req.DBVersion, "--db-version"
	if version == "" && srv != nil && srv.Version != "" {
		version, source = srv.Version, srv.VersionSource
	}
	c, err := ClientFor(h.DB, version)
	switch {
	case err != nil && req.Image == "":
		return usageErr("%v", err)
	case err != nil:
		c, _ = clientTools(h.DB)
	}
	h.Client = c
	if version != "" {
		h.VersionFrom = source
	}
	if h.Image == "" {
		h.Image = c.Image
		if version == "" {
			out.Notes = append(out.Notes, fmt.Sprintf("the %s server's version is unknown (%s): the client is %s, whose %s reads servers up to %s %s; pass --db-version with the server's version to match it", dbTitle[h.DB], unknown, c.Image, c.Dump, dbTitle[h.DB], c.Version))
		} else {
			out.Notes = append(out.Notes, fmt.Sprintf("client image %s: %s %s, the server's version (from %s)", c.Image, dbTitle[h.DB], c.Version, source))
		}
	}
	h.Keep = DefaultKeep
	if req.Keep != nil {
		if *req.Keep < 1 {
			return usageErr("--keep %d: a backup keeps at least the dump it just took; pass --keep 1 or more", *req.Keep)
		}
		h.Keep = *req.Keep
	}
	if req.StorageClaim == "" {
		if slices.Contains(h.Events, release.HookPreInstall) {
			return usageErr("a backup at pre-install needs --storage-claim: the claim the chart would create does not exist before pre-install")
		}
		out.Notes = append(out.Notes, "backups go to a PersistentVolumeClaim the chart creates (kept on uninstall). A release installed before this hook does not have it, and its next upgrade runs the backup before creating it, so that upgrade would fail: create the claim by hand first (its name is in the template: <fullname>-"+h.Name+"-data), or pass --storage-claim with an existing one")
	}
	conn := backupConn(req, srv)
	if srv != nil && (req.DBHost == "" || req.DBSecret == "") {
		out.Notes = append(out.Notes, fmt.Sprintf("connection from the %s dependency: host %s, user %s, password from Secret %s key %s (they exist at pre-upgrade, pre-delete and pre-rollback; not at pre-install)", srv.Chart, conn.Host, conn.User, conn.Secret, conn.PasswordKey))
	}
	var missing []string
	for _, f := range []struct{ flag, key, val string }{{"--db-host", "host", conn.Host}, {"--db-user", "user", conn.User}} {
		if f.val == "" {
			missing = append(missing, fmt.Sprintf("%s.%s.database.%s (%s)", info.ValuesKey, h.Name, f.key, f.flag))
		}
	}
	if h.DB != "postgresql" && conn.Name == "" {
		missing = append(missing, fmt.Sprintf("%s.%s.database.name (--db-name)", info.ValuesKey, h.Name))
	}
	if len(missing) > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("set %s, and database.existingSecret for the password (--db-secret); until then the backup Job fails at once, which stops upgrades and uninstalls", strings.Join(missing, ", ")))
	}
	return nil
}

// backupConn is the connection written into the backup's values: the
// flags, else what the database dependency renders.
func backupConn(req Request, srv *DBServer) DBConn {
	c := DBConn{Host: req.DBHost, User: req.DBUser, Name: req.DBName, Secret: req.DBSecret, PasswordKey: "password"}
	if srv == nil {
		return c
	}
	if c.Host == "" {
		c.Host = srv.Host
	}
	if c.Secret == "" && srv.Secret != "" {
		c.Secret, c.PasswordKey = srv.Secret, srv.PasswordKey
		if c.User == "" {
			c.User = srv.User
		}
	}
	if c.Name == "" {
		c.Name = srv.Name
	}
	return c
}

// resolveRestore ties a restore hook to the backup hook whose dumps it
// restores: same client, database and claim, read from the backup's values
// at render time so that one place configures both.
func resolveRestore(info *ChartInfo, req Request, h *Hook, out *Output) error {
	h.Backup = req.Backup
	if h.Backup == "" {
		h.Backup = "backup"
	}
	if err := ValidateName(h.Backup); err != nil {
		return usageErr("--backup: %v", err)
	}
	rel := path.Join("templates", "hooks", h.Backup+".yaml")
	b, ok := info.Planned[rel]
	var err error
	if !ok {
		b, err = os.ReadFile(filepath.Join(info.Dir, filepath.FromSlash(rel)))
	}
	if err != nil {
		return usageErr("restore reads the dumps of the backup hook %q, which the chart does not have (no %s): run hookgen add backup first, or pass --backup with the backup hook's name", h.Backup, path.Join("templates", "hooks", h.Backup+".yaml"))
	}
	rec, err := ReadRecord(b)
	if err != nil || rec.Task != "backup" {
		return usageErr("%s is not a backup hook written by hookgen add backup; pass --backup with the backup hook's name", path.Join("templates", "hooks", h.Backup+".yaml"))
	}
	breq, err := rec.Request()
	if err != nil {
		return usageErr("the backup hook's record: %v", err)
	}
	bh := Hook{Task: breq.Task, Name: breq.Name, DB: breq.DB, Image: breq.Image, Events: breq.Events}
	if err := resolveBackup(info, breq, &bh, &Output{}); err != nil {
		return err
	}
	h.DB, h.Client, h.BackupClaim = bh.DB, bh.Client, breq.StorageClaim
	h.Client.Image = bh.Image
	if slices.Contains(h.Events, release.HookPreRollback) {
		out.Notes = append(out.Notes, "Argo CD has no pre-rollback phase: under Argo CD this hook never runs")
		out.Notes = append(out.Notes, fmt.Sprintf("at pre-rollback, Helm runs the hooks stored with the revision rolled back to, so only rollbacks to revisions that already had this hook restore; the dump restored is the oldest the %s hook took during the upgrade away from that revision; without one the Job fails and so does the rollback (helm rollback --no-hooks rolls back without restoring)", h.Backup))
	} else {
		out.VerifySet = []string{fmt.Sprintf("%s.%s.dump=%s-20260101T000000Z-r1-0.1.0.%s", info.ValuesKey, h.Name, h.Backup, h.Client.Ext), fmt.Sprintf("%s.%s.atRevision=1", info.ValuesKey, h.Name)}
		out.Notes = append(out.Notes, fmt.Sprintf("a restore outside pre-rollback runs only when asked for (the order shown is with it asked for): set %s.%s.dump to a dump file of the %s hook and %s.%s.atRevision to the revision that helm upgrade will create (helm history shows the current one: add 1); later upgrades with --reuse-values do not restore again", info.ValuesKey, h.Name, h.Backup, info.ValuesKey, h.Name))
	}
	return nil
}

// taskParts fills in what the backup, restore and smoke-test templates
// need, and renders the task's script.
func (d *templateData) taskParts(h Hook, req Request, info *ChartInfo) error {
	d.DBTask = d.Backup || d.Restore
	script := ""
	switch {
	case d.DBTask:
		c := h.Client
		d.DBPort, d.DumpExt, d.DumpTool, d.RestoreTool = c.Port, c.Ext, c.Dump, c.Restore
		d.ClientImage = h.Image
		if d.Restore {
			d.ClientImage = c.Image
		}
		d.BackupName, d.DBValuesPath = h.Name, info.ValuesKey+"."+h.Name
		if d.Restore {
			d.BackupName, d.DBValuesPath = h.Backup, info.ValuesKey+"."+h.Backup
			d.ClaimName, d.StorageClaim = h.Backup+"-data", h.BackupClaim
			d.RestoreManual = !slices.Contains(h.Events, release.HookPreRollback)
			d.BackoffLimit = 0 // a failed restore is for a person to look at
			script = "restore-script"
		} else {
			conn := backupConn(req, h.Server)
			d.DBHost, d.DBUser, d.DBName, d.DBSecret, d.PasswordKey = conn.Host, conn.User, conn.Name, conn.Secret, conn.PasswordKey
			d.AdminUser = conn.User == "postgres" || conn.User == "root"
			d.Keep = h.Keep
			script = "backup-script"
			switch {
			case c.Image != "" && h.Image == c.Image && h.VersionFrom != "":
				d.ClientNote = fmt.Sprintf("the server's own series (%s %s), so that the dump reads everything the server holds and restores into it", dbTitle[h.DB], c.Version)
				d.ImageNote = fmt.Sprintf("hookgen chose %s: an official image of the server's own series (%s %s); %s", c.Image, dbTitle[h.DB], c.Version, versionAdvice[h.DB])
			case c.Image != "" && h.Image == c.Image:
				d.ClientNote = fmt.Sprintf("the newest series hookgen knows (%s %s), as the server's version was not known; set the image's tag to the server's series", dbTitle[h.DB], c.Version)
				d.ImageNote = fmt.Sprintf("hookgen chose %s, the newest series it knows: the server's version was not known (hookgen add backup --db-version). Set the tag to the server's series; %s", c.Image, versionAdvice[h.DB])
			default:
				d.ClientNote = "the image given with --image"
			}
		}
	case d.Smoke:
		d.SmokeService, d.SmokePort, d.SmokePath = h.Smoke.Service, h.Smoke.Port, h.Smoke.Path
		d.BackoffLimit = 0 // curl retries within the run
		d.ImageNote = "hookgen chose " + SmokeImage + ": curl at a fixed version, about 10 MB"
		script = "smoke-script"
	}
	if script == "" {
		return nil
	}
	var b bytes.Buffer
	if err := templates.Parse().ExecuteTemplate(&b, script, d); err != nil {
		return fmt.Errorf("rendering the %s script: %w", h.Task.Name, err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = strings.Repeat(" ", 16) + l
		}
	}
	d.Script = strings.Join(lines, "\n")
	return nil
}

// versionAdvice says when to change a client image hookgen chose.
var versionAdvice = map[string]string{
	"postgresql": "pg_dump refuses a server of a newer major, so move this tag with the server's major",
	"mysql":      "move this tag with the server's series",
	"mariadb":    "move this tag with the server's series",
}
