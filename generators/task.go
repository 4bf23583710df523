// Package generators holds hookgen's domain: the task catalog and its
// defaults, the validated hook request, chart inspection, weight planning and
// the plan of file changes. It is pure: it reads charts but never writes,
// and never prompts.
package generators

import (
	"fmt"
	"sort"
	"strings"
)

// Task is a kind of hook hookgen knows how to write.
type Task struct {
	Name    string
	Aliases []string
	// Summary is one line saying what the task is for (help, prompts, README).
	Summary string
	// BaseWeight orders hookgen's own tasks within one event:
	// backup before migration before seed.
	BaseWeight int
	// Defaults explains the default events and image in one line.
	Defaults string

	// What sets the task apart, so that code asks the task rather than
	// comparing its name.
	//
	// Custom: nothing is defaulted; name, events and image are the user's,
	// and init does not offer it.
	Custom bool
	// Database: the task talks to the database itself; the --db flags and
	// questions apply.
	Database bool
	// AppContext: the task runs the application's own code (its image, in
	// its workload's context), so it needs a command: without one the image
	// would start the application instead.
	AppContext bool
}

// Tasks is the catalog, in the order prompts and help list it.
var Tasks = []Task{
	{
		Name: "migration", Aliases: []string{"migrate"},
		Summary:    "run database schema migrations before the new version starts",
		BaseWeight: 0, AppContext: true,
		Defaults: "pre-install (post-install when the release deploys its own database) and pre-upgrade; the chart's own image",
	},
	{
		Name:       "backup",
		Summary:    "dump the database to storage that outlives the release, before upgrades and uninstall",
		BaseWeight: -10, Database: true,
		Defaults: "pre-upgrade and pre-delete; pg_dump, mysqldump or mariadb-dump of the server's own version into a kept PersistentVolumeClaim, the newest --keep (5) dumps kept",
	},
	{
		Name:       "restore",
		Summary:    "restore the backup's dump of the revision a rollback returns to",
		BaseWeight: -5,
		Defaults:   "pre-rollback (the dump taken when upgrading away from the target revision); the backup's client image, claim and database",
	},
	{
		Name:       "seed",
		Summary:    "load initial data once the release is installed (after migration)",
		BaseWeight: 10, AppContext: true,
		Defaults: "post-install (add post-upgrade only if seeding is idempotent); the chart's own image",
	},
	{
		Name: "smoke-test", Aliases: []string{"smoke"},
		Summary:    "check with helm test that the app's Service answers HTTP",
		BaseWeight: 0,
		Defaults:   "test; an HTTP GET of / on the chart's Service and port from curlimages/curl, bounded by a timeout",
	},
	{
		Name:       "custom",
		Summary:    "any image and command at any event",
		BaseWeight: 0, Custom: true,
		Defaults: "nothing: --name, --event and --image are required",
	},
}

// LookupTask finds a task by name or alias.
func LookupTask(name string) (Task, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	for _, t := range Tasks {
		if t.Name == n {
			return t, true
		}
		for _, a := range t.Aliases {
			if a == n {
				return t, true
			}
		}
	}
	return Task{}, false
}

// TaskNames lists the task names (no aliases), for messages.
func TaskNames() []string {
	var out []string
	for _, t := range Tasks {
		out = append(out, t.Name)
	}
	return out
}

// sortedKeys returns the keys of a string set, sorted.
func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func quoteList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = fmt.Sprintf("%q", x)
	}
	return strings.Join(q, ", ")
}
