package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/iostreams"
)

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
			found, err := action.Recover(chart)
			if err != nil {
				return err
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
