package generators

import (
	"fmt"
	"slices"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/helmhook"
)

var backupTask = Task{
	Name:       "backup",
	Summary:    "dump the database to storage that outlives the release, before upgrades and uninstall",
	BaseWeight: -10, Database: true,
	Defaults: "pre-upgrade and pre-delete; pg_dump, mysqldump or mariadb-dump of the server's own version into a kept PersistentVolumeClaim, the newest --keep (5) dumps kept",
	Flags:    []string{"--db", "--db-host", "--db-user", "--db-name", "--db-secret", "--storage-claim", "--db-version", "--keep"},
	Asks:     AsksDump,
	title:    "Database backup", rank: 1, kind: backupKind{},
}

// backupKind dumps the database before upgrades and uninstall.
type backupKind struct{ baseKind }

func (backupKind) defaultEvents(*ChartInfo, *Hook, *Output) ([]release.HookEvent, error) {
	return []release.HookEvent{release.HookPreUpgrade, release.HookPreDelete}, nil
}

func (backupKind) resolve(info *ChartInfo, req Request, h *Hook, out *Output) error {
	return resolveBackup(info, req, h, out)
}

// releaseNeeds: what dumpNeeds says of the backup's own settings.
func (backupKind) releaseNeeds(info *ChartInfo, req Request, h *Hook) []gap {
	return dumpNeeds(info, req.DBSettings, h.Server, h.Name, "")
}

// dumpNeeds is what a backup hook, or a restore of its dumps (user names
// the restore), uses that the release may create: the database, unless
// --db-host names another; the password's Secret that the database
// dependency renders, unless --db-secret names another; the claim the
// backup's template creates, unless --storage-claim names one outside the
// release. db are the backup's settings and srv the database dependency
// it found.
func dumpNeeds(info *ChartInfo, db DBSettings, srv *DBServer, backup, user string) []gap {
	on := ""
	if user == "" {
		user = "the " + backup
	} else {
		on = " on the " + backup + " hook"
	}
	var miss []gap
	var flags, names []string
	need := func(g gap, flag, name string) {
		miss = append(miss, g)
		flags, names = append(flags, flag), append(names, name)
	}
	if db.DBHost == "" {
		dep := ""
		if srv != nil {
			dep = srv.Chart
		}
		for _, g := range databaseNeed(info, dep, fmt.Sprintf(", which %s connects to (no --db-host%s)", user, on), "") {
			need(g, "--db-host", "a database")
		}
	}
	if db.DBSecret == "" && srv != nil && srv.Secret != "" {
		need(gap{what: fmt.Sprintf("the %s dependency's Secret with the password", srv.Chart), why: fmt.Sprintf(", which %s reads (no --db-secret%s)", user, on)}, "--db-secret", "a Secret")
	}
	switch {
	case db.StorageClaim == "":
		need(gap{what: fmt.Sprintf("the claim <fullname>-%s-data", backup), why: fmt.Sprintf(", which %s uses and the release creates (no --storage-claim%s)", user, on)}, "--storage-claim", "a claim")
	case info.releaseObjects()[objRef{"PersistentVolumeClaim", db.StorageClaim}]:
		need(gap{what: "PersistentVolumeClaim/" + db.StorageClaim, why: fmt.Sprintf(", which %s uses and the release creates", user)}, "--storage-claim", "a claim")
	}
	fix := fmt.Sprintf("pass %s with %s outside the release", andList(flags), andList(names))
	if on != "" {
		fix = fmt.Sprintf("give the %s hook %s with %s outside the release", backup, andList(flags), andList(names))
	}
	for i := range miss {
		miss[i].fix = fix
	}
	return miss
}

// andList is "a", "a and b", "a, b and c".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// A backup steps away from a taken weight downwards: it runs first.
func (backupKind) weighDown() bool { return true }

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
	if req.StorageClaim == "" && !helmhook.BeforeInstall(h.Events) {
		out.Notes = append(out.Notes, "backups go to a PersistentVolumeClaim the chart creates (kept on uninstall). A release installed before this hook does not have it, and its next upgrade runs the backup before creating it, so that upgrade would fail: create the claim by hand first (its name is in the template: <fullname>-"+h.Name+"-data), or pass --storage-claim with an existing one")
	}
	conn := backupConn(req, srv)
	if srv != nil && (req.DBHost == "" || req.DBSecret == "") {
		out.Notes = append(out.Notes, fmt.Sprintf("connection from the %s dependency: host %s, user %s, password from Secret %s key %s (they exist at pre-upgrade, pre-delete and pre-rollback; not at pre-install)", srv.Chart, conn.Host, conn.User, conn.Secret, conn.PasswordKey))
	}
	var missing []string
	for _, f := range []struct{ flag, key, val string }{{"--db-host", "host", conn.Host}, {"--db-user", "user", conn.User}} {
		if f.val == "" {
			missing = append(missing, fmt.Sprintf("%s.%s.database.%s (%s)", info.Chart.ValuesKey, h.Name, f.key, f.flag))
		}
	}
	if h.DB != "postgresql" && conn.Name == "" {
		missing = append(missing, fmt.Sprintf("%s.%s.database.name (--db-name)", info.Chart.ValuesKey, h.Name))
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

func (backupKind) templateParts(d *templateData, h Hook, req Request, info *ChartInfo) string {
	d.Backup = true
	c := h.Client
	d.dbParts(h, info)
	conn := backupConn(req, h.Server)
	d.DBHost, d.DBUser, d.DBName, d.DBSecret, d.PasswordKey = conn.Host, conn.User, conn.Name, conn.Secret, conn.PasswordKey
	d.AdminUser = conn.User == "postgres" || conn.User == "root"
	d.Keep = h.Keep
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
	return "backup-script"
}

// dbParts fills in what the backup and restore templates share: the
// database client's tools and the hook whose values hold the connection.
func (d *templateData) dbParts(h Hook, info *ChartInfo) {
	d.DBTask = true
	c := h.Client
	d.DBPort, d.DumpExt, d.DumpTool, d.RestoreTool = c.Port, c.Ext, c.Dump, c.Restore
	d.ClientImage = h.Image
	d.BackupName, d.DBValuesPath = h.Name, info.Chart.ValuesKey+"."+h.Name
}

// versionAdvice says when to change a client image hookgen chose.
var versionAdvice = map[string]string{
	"postgresql": "pg_dump refuses a server of a newer major, so move this tag with the server's major",
	"mysql":      "move this tag with the server's series",
	"mariadb":    "move this tag with the server's series",
}
