package generators

import (
	"slices"
)

// BackupDatabases lists the database kinds backup has a client for (--db).
func BackupDatabases() []string {
	out := slices.Clone(Databases)
	slices.Sort(out)
	return out
}
