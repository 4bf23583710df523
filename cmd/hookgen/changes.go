package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

// written is the outcome of writeChanges, shared by add, init and remove.
type written struct {
	diff      string            // unified diff, computed for a dry run or a conflict
	conflicts []*changeset.File // files that stopped the write
	dryRun    bool
	pending   bool   // the set had something to write
	warning   string // the change landed, but not all of its cleanup
}

// writeChanges applies cs unless this is a dry run or a file conflicts;
// then nothing is written and the diff says what would have been.
func writeChanges(cs *changeset.Set, dryRun bool) (*written, error) {
	w := &written{conflicts: cs.Conflicts(), dryRun: dryRun, pending: cs.Pending()}
	if dryRun || len(w.conflicts) > 0 {
		var b strings.Builder
		if err := cs.Diff(&b); err != nil {
			return nil, err
		}
		w.diff = b.String()
	}
	if !dryRun && len(w.conflicts) == 0 && w.pending {
		var cleanup *changeset.CleanupError
		if err := cs.Apply(); errors.As(err, &cleanup) {
			w.warning = err.Error() // the change landed
		} else if err != nil {
			return nil, cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	return w, nil
}

// jsonDiff is the diff for a JSON report: shown when nothing was written.
func (w *written) jsonDiff() string {
	if w.dryRun || len(w.conflicts) > 0 {
		return w.diff
	}
	return ""
}

// statusWords are the statuses as reported (past tense for what happened).
var statusWords = map[changeset.Status]string{
	changeset.Create: "created", changeset.Modify: "modified", changeset.Identical: "identical",
	changeset.Conflict: "conflict", changeset.Skip: "skipped", changeset.Delete: "deleted",
}

type fileResult struct {
	Path   string `json:"path"`
	Status string `json:"status"`
}

func fileResults(cs *changeset.Set) []fileResult {
	out := []fileResult{}
	for _, f := range cs.Files {
		out = append(out, fileResult{Path: f.Path, Status: statusWords[f.Status]})
	}
	return out
}

// writeFileLines prints one line per file ("created   templates/x.yaml"),
// "would be ..." in a dry run; hide leaves some files out of the list.
func writeFileLines(out io.Writer, cs *changeset.Set, dryRun bool, hide func(*changeset.File) bool) {
	for _, f := range cs.Files {
		if hide != nil && hide(f) {
			continue
		}
		word := statusWords[f.Status]
		if dryRun && f.Status != changeset.Identical && f.Status != changeset.Conflict {
			word = "would be " + word
		}
		fmt.Fprintf(out, "%-12s %s\n", word, f.Path)
	}
}

func writeJSON(out io.Writer, v any) error {
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// status returns how the command ends after a write: a conflict (its diff on
// stderr for text output, exit 4), a dry run with changes pending (exit 7),
// or success.
func (w *written) status(ios *iostreams.IOStreams, output string) error {
	if w.warning != "" {
		fmt.Fprintf(ios.ErrOut, "warning: %s\n", w.warning)
	}
	if len(w.conflicts) > 0 {
		if output != "json" {
			io.WriteString(ios.ErrOut, w.diff)
		}
		var paths []string
		for _, f := range w.conflicts {
			paths = append(paths, f.Path)
		}
		verb := "exists and differs"
		if len(paths) > 1 {
			verb = "exist and differ"
		}
		return cmdutil.Errorf(cmdutil.ExitConflict, "%s %s from what hookgen would write (diff above); pass --force to overwrite or --skip to keep it", strings.Join(paths, ", "), verb)
	}
	if w.dryRun && w.pending {
		return &cmdutil.SilentError{Code: cmdutil.ExitPending}
	}
	return nil
}
