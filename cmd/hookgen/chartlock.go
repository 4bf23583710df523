package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

// Every command that reads or writes a chart holds the chart's lock for the
// whole run (changeset.Acquire): writers exclusively, readers shared.

// lockForWrite takes dir's exclusive lock and then, before anything in the
// chart is read, finishes a run that a kill interrupted there.
func lockForWrite(ios *iostreams.IOStreams, dir string) (release func(), err error) {
	if !isDir(dir) {
		return func() {}, nil // the command says what is wrong with dir
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
		fmt.Fprintf(ios.ErrOut, "note: finished an interrupted hookgen run in %s (its .hookgen-journal.json)\n", dir)
	}
	return l.Release, nil
}

// lockForRead takes dir's shared lock for a command that only reads. A
// journal left by an interrupted run is never touched: refuse is set for a
// dry run (its diff would be against a half-written chart), which fails;
// otherwise the command warns and goes on with the chart as it is on disk.
func lockForRead(ios *iostreams.IOStreams, dir string, refuse bool) (release func(), err error) {
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
		fmt.Fprintf(ios.ErrOut, "warning: %v; this shows the chart as it is on disk, possibly half changed\n", pe)
	}
	return l.Release, nil
}

// lockChart is lockForWrite, or lockForRead refusing a journal for a dry run.
func lockChart(ios *iostreams.IOStreams, dir string, dryRun bool) (release func(), err error) {
	if dryRun {
		return lockForRead(ios, dir, true)
	}
	return lockForWrite(ios, dir)
}

// lockErr: a busy chart (*changeset.BusyError, naming the holder's pid) or
// a directory that cannot be opened is exit 5.
func lockErr(err error) error { return cmdutil.WithCode(cmdutil.ExitFilesystem, err) }

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

func init() { register(newRecoverCmd) }

func newRecoverCmd(ios *iostreams.IOStreams) *cobra.Command {
	var chart string
	cmd := &cobra.Command{
		Use:   "recover",
		Short: "Finish a hookgen run that was interrupted (killed, power loss)",
		Long: `Finish the change a killed hookgen add, init or remove left half done in a chart,
as recorded in its .hookgen-journal.json: back to the chart as it was before the
run, or forward to the chart as it would have been after it. add, init and remove
do this by themselves before they read the chart; plan, lint and --dry-run only
say that a journal is there.

A journal is followed only if hookgen wrote it, as the same user, and every path
it names stays inside the chart; any other .hookgen-journal.json is reported and
left alone.`,
		Example: `  hookgen recover --chart ./charts/shop`,
		Args:    cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			if !isDir(chart) {
				return cmdutil.Errorf(cmdutil.ExitChart, "%s is not a directory; pass --chart with the chart directory", chart)
			}
			l, err := changeset.Acquire(chart, true)
			if err != nil {
				return lockErr(err)
			}
			defer l.Release()
			found, err := changeset.Recover(chart)
			if err != nil {
				return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
			}
			if found {
				fmt.Fprintf(ios.Out, "finished the interrupted hookgen run in %s\n", chart)
			} else {
				fmt.Fprintf(ios.Out, "nothing to finish in %s\n", chart)
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&chart, "chart", "c", ".", "chart directory (for init --create NAME: the directory NAME is in)")
	return cmd
}
