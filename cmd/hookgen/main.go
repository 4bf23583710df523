// Command hookgen writes correct Helm hook Jobs into charts, shows when every
// hook of a chart runs, and lints hooks. Commands here parse flags and call
// the packages; the work is in generators/ and internal/.
package main

import (
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"strings"

	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

func main() { os.Exit(run()) }

// run executes the command line and returns the exit code; every error is
// printed as one line, and its type decides the code (cmdutil).
func run() int {
	// The Helm SDK logs to the standard loggers: dropped unknown hooks (slog)
	// and values-coalescing notes about the chart's own values (log). hookgen
	// reports what matters in its own words, one line per problem.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	log.SetOutput(io.Discard)
	ios := iostreams.System()
	root := newRootCmd(ios)
	err := root.Execute()
	if err == nil {
		return cmdutil.ExitOK
	}
	var silent *cmdutil.SilentError
	if errors.As(err, &silent) {
		return silent.Code
	}
	// cobra's own argument errors ("unknown command", "accepts at most")
	// are usage errors.
	var ce *cmdutil.Error
	if !errors.As(err, &ce) && isCobraUsage(err) {
		err = cmdutil.Usage("%s (see 'hookgen --help')", err)
	}
	fmt.Fprintf(ios.ErrOut, "hookgen: %s\n", err)
	return cmdutil.ExitCode(err)
}

func isCobraUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "invalid argument", "unknown flag", "unknown shorthand"} {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}
