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
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

func main() {
	tuneGC()
	os.Exit(run())
}

// tuneGC trades some memory for CPU in a short-lived process: GOGC 150
// instead of Go's 100, and no soft memory limit. A limit is what made big
// charts slow: once the live heap nears it the collector runs almost without
// pause (a 32 MiB limit made plan on a chart with 5 MB of CRDs four times
// slower), and no fixed limit suits both a helm create chart and one with
// 1,000 templates. GOGC alone cannot thrash: the heap may grow to 2.5 times
// what is live. Measured by make bench across helm create, the corpus, the
// wide charts and synthetic charts up to 1,000 templates with 5 MB of CRDs:
// GOGC 200 or 400 saved no CPU worth its memory (bench/README.md). GOGC or
// GOMEMLIMIT in the environment win.
func tuneGC() {
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(150)
	}
}

// run executes the command line and returns the exit code; every error is
// printed as one line, and its type decides the code (cmdutil).
func run() int {
	// The Helm SDK logs to the standard loggers: dropped unknown hooks (slog)
	// and values-coalescing notes about the chart's own values (log). hookgen
	// reports what matters in its own words, one line per problem.
	slog.SetDefault(slog.New(slog.DiscardHandler))
	log.SetOutput(io.Discard)
	return execute(iostreams.System(), os.Args[1:])
}

// execute runs the command line args on ios and returns the exit code: the
// one place where an error becomes a printed line and an exit code.
func execute(ios *iostreams.IOStreams, args []string) int {
	root := newRootCmd(ios)
	root.SetArgs(args)
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
	switch {
	case errors.As(err, &ce):
	case exclusiveFlags.MatchString(err.Error()):
		err = cmdutil.Usage("%s cannot be used together; pass one", flagList(exclusiveFlags.FindStringSubmatch(err.Error())[1]))
	case isCobraUsage(err):
		err = cmdutil.Usage("%s (see 'hookgen --help')", err)
	}
	fmt.Fprintf(ios.ErrOut, "hookgen: %s\n", err)
	return cmdutil.ExitCode(err)
}

// exclusiveFlags matches cobra's error for flags marked mutually exclusive
// (cobra flag_groups.go), capturing the flags that were set.
var exclusiveFlags = regexp.MustCompile(`^if any flags in the group \[.*\] are set none of the others can be; \[(.*)\] were all set$`)

// flagList writes "force skip" as "--force and --skip".
func flagList(names string) string {
	fs := strings.Fields(names)
	for i := range fs {
		fs[i] = "--" + fs[i]
	}
	return joinWords(fs, "and")
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
