package action

import (
	"errors"
	"os"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/interview"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/valuesedit"
)

// classify gives the errors of the packages below their exit codes: the one
// place that decides what kind of failure an error is. An error that already
// carries a code keeps it.
func classify(err error) error {
	var (
		coded *cmdutil.Error
		ue    *generators.UsageError
		ce    *generators.ChartError
		ve    *valuesedit.Error
		fe    *changeset.FSError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &coded):
		return err
	case errors.Is(err, prompter.ErrInterrupted):
		return cmdutil.Errorf(cmdutil.ExitInterrupted, "interrupted; nothing written")
	case errors.Is(err, interview.ErrQuit):
		return cmdutil.Errorf(cmdutil.ExitConflict, "stopped at a conflict; nothing written (pass --force to overwrite or --skip to keep the file)")
	case errors.As(err, &ue):
		return cmdutil.WithCode(cmdutil.ExitUsage, err)
	case errors.As(err, &ce):
		return cmdutil.WithCode(cmdutil.ExitChart, err)
	case errors.Is(err, valuesedit.ErrExists):
		return cmdutil.Errorf(cmdutil.ExitConflict, "%v; pass --force to replace it", err)
	case errors.As(err, &ve):
		return cmdutil.WithCode(cmdutil.ExitChart, err)
	case errors.As(err, &fe), errors.Is(err, os.ErrPermission):
		return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
	}
	return err
}
