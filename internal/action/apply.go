package action

import (
	"errors"
	"strings"

	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
)

// WriteOptions are what every writing action shares.
type WriteOptions struct {
	DryRun bool // stage and diff, write nothing
	Force  bool // overwrite files that exist and differ
	Skip   bool // keep files that exist and differ
}

// Written is the outcome of applying a changeset, shared by add, init and
// remove.
type Written struct {
	Changes   *changeset.Set
	Diff      string            // unified diff, computed for a dry run or a conflict
	Conflicts []*changeset.File // files that stopped the write
	DryRun    bool
	Pending   bool   // the set had something to write
	Warning   string // the change landed, but not all of its cleanup
}

// apply applies cs unless this is a dry run or a file conflicts; then
// nothing is written and the diff says what would have been.
func apply(cs *changeset.Set, dryRun bool) (*Written, error) {
	w := &Written{Changes: cs, Conflicts: cs.Conflicts(), DryRun: dryRun, Pending: cs.Pending()}
	if dryRun || len(w.Conflicts) > 0 {
		var b strings.Builder
		if err := cs.Diff(&b); err != nil {
			return nil, err
		}
		w.Diff = b.String()
	}
	if !dryRun && len(w.Conflicts) == 0 && w.Pending {
		var cleanup *changeset.CleanupError
		if err := cs.Apply(); errors.As(err, &cleanup) {
			w.Warning = err.Error() // the change landed
		} else if err != nil {
			return nil, cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	return w, nil
}

// Unwritten reports whether the diff stands for what was not written (a dry
// run or a conflict).
func (w *Written) Unwritten() bool { return w.DryRun || len(w.Conflicts) > 0 }
