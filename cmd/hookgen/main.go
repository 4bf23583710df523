// Command hookgen writes correct Helm hook Jobs into charts, shows when every
// hook of a chart runs, and lints hooks. Commands here parse flags and call
// the packages; the work is in generators/ and internal/.
package main

import (
	"fmt"
	"os"

	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

func main() {
	ios := iostreams.System()
	root := newRootCmd(ios)
	err := root.Execute()
	if err != nil {
		var silent *cmdutil.SilentError
		if !asSilent(err, &silent) {
			fmt.Fprintf(ios.ErrOut, "hookgen: %s\n", err)
		}
	}
	os.Exit(cmdutil.ExitCode(err))
}
