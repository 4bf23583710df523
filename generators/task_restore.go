package generators

import (
	"fmt"
	"path"
	"slices"

	release "helm.sh/helm/v4/pkg/release/v1"
)

var restoreTask = Task{
	Name:       "restore",
	Summary:    "restore the backup's dump of the revision a rollback returns to",
	BaseWeight: -5,
	Defaults:   "pre-rollback (the dump taken when upgrading away from the target revision); the backup's client image, claim and database",
	Flags:      []string{"--backup"},
	Asks:       AsksBackupHook,
	title:      "Database restore", rank: 2, kind: restoreKind{},
}

// restoreKind loads a backup hook's dump, at pre-rollback or when asked.
type restoreKind struct{ baseKind }

func (restoreKind) defaultEvents(*ChartInfo, *Hook, *Output) ([]release.HookEvent, error) {
	return []release.HookEvent{release.HookPreRollback}, nil
}

func (restoreKind) resolve(info *ChartInfo, req Request, h *Hook, out *Output) error {
	return resolveRestore(info, req, h, out)
}

func (restoreKind) templateParts(d *templateData, h Hook, _ Request, info *ChartInfo) string {
	d.Restore = true
	d.dbParts(h, info)
	d.ClientImage = h.Client.Image
	d.BackupName, d.DBValuesPath = h.Backup, info.Chart.ValuesKey+"."+h.Backup
	d.ClaimName, d.StorageClaim = h.Backup+"-data", h.BackupClaim
	d.RestoreManual = !slices.Contains(h.Events, release.HookPreRollback)
	d.BackoffLimit = 0 // a failed restore is for a person to look at
	return "restore-script"
}

// releaseNeeds: the backup's database, Secret and claim (dumpNeeds of the
// backup's settings), which the restore uses as the backup does.
func (restoreKind) releaseNeeds(info *ChartInfo, _ Request, h *Hook) []gap {
	return dumpNeeds(info, h.backupDB, h.Server, h.Backup, "the restore")
}

// resolveRestore ties a restore hook to the backup hook whose dumps it
// restores: same client, database and claim, read from the backup's values
// at render time so that one place configures both.
func resolveRestore(info *ChartInfo, req Request, h *Hook, out *Output) error {
	h.Backup = req.Backup
	if h.Backup == "" {
		h.Backup = backupTask.Name
	}
	if err := ValidateName(h.Backup); err != nil {
		return usageErr("--backup: %v", err)
	}
	rel := path.Join("templates", "hooks", h.Backup+".yaml")
	b, err := info.Chart.ReadFile(rel)
	if err != nil {
		return usageErr("restore reads the dumps of the backup hook %q, which the chart does not have (no %s): run hookgen add backup first, or pass --backup with the backup hook's name", h.Backup, path.Join("templates", "hooks", h.Backup+".yaml"))
	}
	rec, err := ReadRecord(b)
	if err != nil || rec.Task != backupTask.Name {
		return usageErr("%s is not a backup hook written by hookgen add backup; pass --backup with the backup hook's name", path.Join("templates", "hooks", h.Backup+".yaml"))
	}
	breq, err := rec.ToRequest()
	if err != nil {
		return usageErr("the backup hook's record: %v", err)
	}
	bh := Hook{Task: breq.Task, Name: breq.Name, DB: breq.DB, Image: breq.Image, Events: breq.Events}
	if err := resolveBackup(info, breq, &bh, &Output{}); err != nil {
		return err
	}
	h.DB, h.Client, h.BackupClaim, h.backupDB, h.Server = bh.DB, bh.Client, breq.StorageClaim, breq.DBSettings, bh.Server
	h.Client.Image = bh.Image
	if slices.Contains(h.Events, release.HookPreRollback) {
		out.Notes = append(out.Notes, "Argo CD has no pre-rollback phase: under Argo CD this hook never runs")
		out.Notes = append(out.Notes, fmt.Sprintf("at pre-rollback, Helm runs the hooks stored with the revision rolled back to, so only rollbacks to revisions that already had this hook restore; the dump restored is the oldest the %s hook took during the upgrade away from that revision; without one the Job fails and so does the rollback (helm rollback --no-hooks rolls back without restoring)", h.Backup))
	} else {
		out.VerifySet = []string{fmt.Sprintf("%s.%s.dump=%s-20260101T000000Z-r1-0.1.0.%s", info.Chart.ValuesKey, h.Name, h.Backup, h.Client.Ext), fmt.Sprintf("%s.%s.atRevision=1", info.Chart.ValuesKey, h.Name)}
		out.Notes = append(out.Notes, fmt.Sprintf("a restore outside pre-rollback runs only when asked for (the order shown is with it asked for): set %s.%s.dump to a dump file of the %s hook and %s.%s.atRevision to the revision that helm upgrade will create (helm history shows the current one: add 1); later upgrades with --reuse-values do not restore again", info.Chart.ValuesKey, h.Name, h.Backup, info.Chart.ValuesKey, h.Name))
	}
	return nil
}
