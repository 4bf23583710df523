package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

// version is set at link time (-ldflags "-X main.version=..."); otherwise the
// module version from the build info is used.
var version = ""

func newRootCmd(ios *iostreams.IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "hookgen",
		Short: "Write correct Helm hook Jobs, and show and lint when hooks run",
		Long: `hookgen makes the correct Helm hook the easy one.

Every question has a flag; with --yes, in CI or without a terminal it never prompts.
Exit codes: 0 ok, 1 failure, 2 usage, 3 chart error, 4 conflict, 5 filesystem,
6 verification failed, 7 dry run with changes pending, 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// --version prints what `hookgen version` prints.
		Version: versionString(),
	}
	root.SetVersionTemplate("hookgen {{.Version}}\n")
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	// Flag errors are usage errors: exit 2 with one line.
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return cmdutil.Usage("%s (see '%s --help')", err, c.CommandPath())
	})
	root.AddCommand(
		newVersionCmd(ios),
		newAddCmd(ios, nil),
		newInitCmd(ios),
		newRemoveCmd(ios),
		newPlanCmd(ios),
		newLintCmd(ios),
		newRecoverCmd(ios),
	)
	registerCompletions(root)
	return root
}

func newVersionCmd(ios *iostreams.IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print hookgen's version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintf(ios.Out, "hookgen %s\n", versionString())
			return nil
		},
	}
}

func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// exactArgs is cobra.ExactArgs with a usage exit code and a hint.
func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(c *cobra.Command, args []string) error {
		if len(args) != n {
			return cmdutil.Usage("%s needs %s (see '%s --help')", c.CommandPath(), what, c.CommandPath())
		}
		return nil
	}
}
