package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

// jsonDiff is the diff for a JSON report: shown when nothing was written.
func jsonDiff(w *action.Written) string {
	if w.Unwritten() {
		return w.Diff
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
// stdout for text output, as output; one line on stderr; exit 4), a dry run with changes pending (exit 7),
// or success.
func status(ios *iostreams.IOStreams, w *action.Written, output string) error {
	if w.Warning != "" {
		fmt.Fprintf(ios.ErrOut, "warning: %s\n", w.Warning)
	}
	if len(w.Conflicts) > 0 {
		if output != "json" {
			io.WriteString(ios.Out, w.Diff)
		}
		var paths []string
		for _, f := range w.Conflicts {
			paths = append(paths, f.Path)
		}
		verb := "exists and differs"
		if len(paths) > 1 {
			verb = "exist and differ"
		}
		return cmdutil.Errorf(cmdutil.ExitConflict, "%s %s from what hookgen would write (diff on stdout); pass --force to overwrite or --skip to keep it", strings.Join(paths, ", "), verb)
	}
	if w.DryRun && w.Pending {
		return &cmdutil.SilentError{Code: cmdutil.ExitPending}
	}
	return nil
}

// reportWrite prints the result of a writing command, v as JSON or the dry
// run's diff and then text, and returns how the command ends (status).
func reportWrite(ios *iostreams.IOStreams, wr *action.Written, output string, v any, text func() error) error {
	if output == "json" {
		if err := writeJSON(ios.Out, v); err != nil {
			return err
		}
		return status(ios, wr, output)
	}
	if wr.DryRun {
		io.WriteString(ios.Out, wr.Diff)
	}
	if err := text(); err != nil {
		return err
	}
	return status(ios, wr, output)
}
