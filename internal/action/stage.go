package action

import (
	"io"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/interview"
	"github.com/hookgen/hookgen/internal/prompter"
)

// stage adds files to cs, each by its own write policy (its Kind, as
// kubebuilder's machinery gives each file an IfExistsAction); prefix roots
// the paths in cs.
func stage(cs *changeset.Set, prefix string, files []generators.File) error {
	for _, f := range files {
		var err error
		switch f.Kind {
		case generators.Generated:
			err = cs.Generate(prefix+f.Path, f.Content)
		case generators.Replaced:
			err = cs.EditConflicting(prefix+f.Path, f.Content)
		default:
			err = cs.Edit(prefix+f.Path, f.Content)
		}
		if err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	return nil
}

// confirm asks about each conflict the flags did not settle, then shows the
// files and the diff and asks to write them (not for a dry run, which writes
// nothing anyway). scaffold says which files are summarised, not listed.
func confirm(p prompter.Prompter, out io.Writer, cs *changeset.Set, dryRun bool, scaffold func(string) bool) error {
	if err := interview.ResolveConflicts(p, out, cs); err != nil {
		return classify(err)
	}
	if dryRun {
		return nil
	}
	ok, err := interview.Confirm(p, out, cs, scaffold)
	if err != nil {
		return classify(err)
	}
	if !ok {
		return cmdutil.Errorf(cmdutil.ExitInterrupted, "not confirmed; nothing written")
	}
	return nil
}
