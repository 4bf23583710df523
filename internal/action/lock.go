package action

import (
	"fmt"
	"io"
	"os"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/render"
)

// Every action that reads or writes a chart holds the chart's lock for the
// whole run (changeset.Acquire): writers exclusively, readers shared.

// lockForWrite takes dir's exclusive lock and then, before anything in the
// chart is read, finishes a run that a kill interrupted there (noted on warn).
func lockForWrite(warn io.Writer, dir string) (release func(), err error) {
	if !isDir(dir) {
		return func() {}, nil // the action says what is wrong with dir
	}
	l, err := changeset.Acquire(dir, true)
	if err != nil {
		return nil, lockErr(err)
	}
	found, err := changeset.Recover(dir)
	if err != nil {
		l.Release()
		return nil, cmdutil.WithCode(cmdutil.ExitFilesystem, err)
	}
	if found {
		fmt.Fprintf(warn, "note: finished an interrupted hookgen run in %s (its .hookgen-journal.json)\n", dir)
	}
	return l.Release, nil
}

// lockForRead takes dir's shared lock for an action that only reads. A
// journal left by an interrupted run is never touched: refuse is set for a
// dry run (its diff would be against a half-written chart), which fails;
// otherwise the action warns and goes on with the chart as it is on disk.
func lockForRead(warn io.Writer, dir string, refuse bool) (release func(), err error) {
	if !isDir(dir) {
		return func() {}, nil
	}
	l, err := changeset.Acquire(dir, false)
	if err != nil {
		return nil, lockErr(err)
	}
	if changeset.Pending(dir) {
		pe := &changeset.PendingError{Root: dir}
		if refuse {
			l.Release()
			return nil, cmdutil.Errorf(cmdutil.ExitFilesystem, "%v; the dry run changed nothing", pe)
		}
		fmt.Fprintf(warn, "warning: %v; this shows the chart as it is on disk, possibly half changed\n", pe)
	}
	return l.Release, nil
}

// lockChart is lockForWrite, or lockForRead refusing a journal for a dry run.
func lockChart(warn io.Writer, dir string, dryRun bool) (release func(), err error) {
	if dryRun {
		return lockForRead(warn, dir, true)
	}
	return lockForWrite(warn, dir)
}

// openChart locks the chart for a writing action (lockChart) and inspects
// it; call unlock when the action is done.
func openChart(warn io.Writer, dir, valuesKey string, ropts render.Options, dryRun bool) (_ *generators.ChartInfo, unlock func(), err error) {
	unlock, err = lockChart(warn, dir, dryRun)
	if err != nil {
		return nil, nil, err
	}
	info, err := generators.InspectWith(dir, valuesKey, ropts)
	if err != nil {
		unlock()
		return nil, nil, classify(err)
	}
	return info, unlock, nil
}

// Recover finishes the run a kill interrupted in dir, under dir's exclusive
// lock, and reports whether there was one.
func Recover(dir string) (found bool, err error) {
	if !isDir(dir) {
		return false, cmdutil.Errorf(cmdutil.ExitChart, "%s is not a directory; pass --chart with the chart directory", dir)
	}
	l, err := changeset.Acquire(dir, true)
	if err != nil {
		return false, lockErr(err)
	}
	defer l.Release()
	found, err = changeset.Recover(dir)
	return found, cmdutil.WithCode(cmdutil.ExitFilesystem, err)
}

// lockErr: a busy chart (*changeset.BusyError, naming the holder's pid) or
// a directory that cannot be opened is exit 5.
func lockErr(err error) error { return cmdutil.WithCode(cmdutil.ExitFilesystem, err) }

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}
