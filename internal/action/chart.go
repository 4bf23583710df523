package action

import (
	"errors"
	"io/fs"
	"os"

	"github.com/hookgen/hookgen/internal/cmdutil"
)

// ChartExists checks a CHART argument before any work: the same code and
// words from every command that takes one.
func ChartExists(path string) error {
	if _, err := os.Stat(path); err != nil {
		return cmdutil.Errorf(cmdutil.ExitChart, "no chart at %s: %s; pass a chart directory or .tgz", path, StatReason(err))
	}
	return nil
}

// StatReason says why os.Stat failed, without repeating the path.
func StatReason(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "it does not exist"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
