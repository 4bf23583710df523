package generators

import "sort"

// BackupDatabases lists the database kinds backup has a client for (--db).
func BackupDatabases() []string {
	out := make([]string, 0, len(backupImages))
	for k := range backupImages {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
