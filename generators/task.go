// Package generators holds hookgen's domain: the task catalog and its
// defaults, the validated hook request, chart inspection, weight planning and
// the plan of file changes. It is pure: it reads charts but never writes,
// and never prompts.
package generators

import (
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"
)

// Task is a kind of hook hookgen knows how to write. Each task lives in its
// own file (task_migration.go, task_backup.go, ...): its catalog entry and
// its taskKind, which resolve and render ask instead of comparing names.
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
	// would start the application instead. --framework applies to it.
	AppContext bool
	// Flags are the add flags that only this task takes.
	Flags []string
	// Asks is what the interview asks about this task once the questions
	// every task shares are answered.
	Asks Questions

	// title heads the hook's template and the values.schema.json entry.
	title string
	// rank keeps hookgen's own tasks in order when weights are planned and
	// init plans several hooks (backup < restore < migration < seed); 0:
	// unranked, after them.
	rank int
	kind taskKind
}

// Questions are the task's own questions in the interview.
type Questions int

const (
	// AsksImage: the image to run (when neither --image nor --framework
	// says), and the command.
	AsksImage Questions = iota
	// AsksDump: the database, its server version, the client image and
	// how many dumps to keep.
	AsksDump
	// AsksBackupHook: which backup hook's dumps to restore.
	AsksBackupHook
	// AsksHTTPCheck: the Service, port and path to GET.
	AsksHTTPCheck
)

// taskKind is what one task does differently while a request is resolved
// and rendered. baseKind gives the common behaviour; each task's file
// overrides what it changes.
type taskKind interface {
	// defaultEvents are the events when the user gave none, with notes
	// saying why.
	defaultEvents(info *ChartInfo, h *Hook, out *Output) ([]release.HookEvent, error)
	// eventNotes says what the user should know about the hook's events.
	eventNotes(h *Hook, out *Output)
	// resolve chooses the image and command (and the task's own settings).
	resolve(info *ChartInfo, req Request, h *Hook, out *Output) error
	// frameworkCommand is the command --framework gives this task.
	frameworkCommand(f Framework) ([]string, error)
	// weighDown: when the task's base weight is taken, try lower weights
	// first.
	weighDown() bool
	// templateParts fills in the task's part of the template data and
	// names its script template ("" for none).
	templateParts(d *templateData, h Hook, req Request, info *ChartInfo) string
	// releaseNeeds lists what the resolved hook uses that its release
	// creates, for the first-install rule (firstinstall.go), which decides
	// at which events that is missing.
	releaseNeeds(info *ChartInfo, req Request, h *Hook) []gap
}

// does is the task's behaviour (a Task built without one has the common
// behaviour).
func (t Task) does() taskKind {
	if t.kind == nil {
		return baseKind{}
	}
	return t.kind
}

// baseKind is the behaviour a task has unless its file says otherwise.
type baseKind struct{}

func (baseKind) defaultEvents(*ChartInfo, *Hook, *Output) ([]release.HookEvent, error) {
	return nil, nil
}
func (baseKind) eventNotes(*Hook, *Output) {}
func (baseKind) resolve(*ChartInfo, Request, *Hook, *Output) error {
	return nil
}
func (baseKind) frameworkCommand(Framework) ([]string, error) {
	return nil, usageErr("--framework only applies to migration and seed hooks")
}
func (baseKind) weighDown() bool { return false }
func (baseKind) templateParts(*templateData, Hook, Request, *ChartInfo) string {
	return ""
}
func (baseKind) releaseNeeds(*ChartInfo, Request, *Hook) []gap { return nil }

// Tasks is the catalog, in the order prompts and help list it.
var Tasks = []Task{migrationTask, backupTask, restoreTask, seedTask, smokeTask, customTask}

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

// FlagTask names the task that takes a task-specific add flag ("" for a
// flag every task takes).
func FlagTask(flag string) string {
	for _, t := range Tasks {
		for _, f := range t.Flags {
			if f == flag {
				return t.Name
			}
		}
	}
	return ""
}

// taskRank is the rank of the task named by a hook's hookgen.io/task
// label; ok is false for tasks hookgen does not order.
func taskRank(name string) (rank int, ok bool) {
	t, found := LookupTask(name)
	if !found || t.rank == 0 || t.Name != name {
		return 0, false
	}
	return t.rank, true
}
