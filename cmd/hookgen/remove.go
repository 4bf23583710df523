package main

import (
	"context"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

// RemoveOptions are the flags of one `hookgen remove`.
type RemoveOptions struct {
	IO *iostreams.IOStreams
	action.RemoveOptions
	writeFlags
}

func newRemoveCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &RemoveOptions{IO: ios}
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Take out a hook that hookgen add wrote, exactly",
		Long: `Remove exactly what 'hookgen add' wrote for hook NAME: templates/hooks/NAME.yaml,
its block under .Values.hooks.NAME, and templates/_hookgen.tpl with the last hook.
When nothing else changed in between, the chart is byte-identical to before the add.

The hook's template records the request it was made from; remove regenerates the
hook from it, and if you edited the template or the values block since, it shows
what it would remove and needs --force.`,
		Example: `  hookgen remove migration --chart ./charts/shop
  hookgen remove warm-cache --dry-run`,
		Aliases: []string{"rm"},
		Args:    exactArgs(1, "the NAME of the hook to remove"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Name = args[0]
			return removeRun(c.Context(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Chart, "chart", "c", ".", "chart directory to remove the hook from")
	f.StringVar(&opts.ValuesKey, "values-key", generators.DefaultValuesKey, "top-level values.yaml key for hook settings (when the hook's record has none)")
	bindRenderFlags(f, &opts.Render)
	opts.writeFlags.addFlags(cmd, &opts.WriteOptions, false, "remove the hook's files and values even if they were edited since add", "never prompt (remove asks nothing; accepted for scripts shared with add)")
	return cmd
}

// removeJSON is the JSON report of `remove` (docs/json.md).
type removeJSON struct {
	Hook   hookJSON     `json:"hook"`
	Files  []fileResult `json:"files"`
	Edited []string     `json:"edited"`
	DryRun bool         `json:"dryRun"`
	Diff   string       `json:"diff,omitempty"`
}

func removeRun(ctx context.Context, opts *RemoveOptions) error {
	res, err := action.Remove(ctx, opts.RemoveOptions, opts.IO.ErrOut)
	if err != nil {
		return err
	}
	ios, rm, wr := opts.IO, res.Removal, res.Written
	if opts.Output == "json" {
		r := removeJSON{Hook: recordedHook(rm.Record), Files: fileResults(wr.Changes), Edited: nonNil(rm.Edited), DryRun: opts.DryRun, Diff: jsonDiff(wr)}
		if res.Edited {
			for i := range r.Files {
				r.Files[i].Status = "conflict"
			}
		}
		if err := writeJSON(ios.Out, r); err != nil {
			return err
		}
	} else {
		if opts.DryRun {
			io.WriteString(ios.Out, wr.Diff)
		} else if res.Edited {
			io.WriteString(ios.Out, wr.Diff)
		}
		writeFileLines(ios.Out, wr.Changes, wr.DryRun, nil)
	}
	if res.Edited {
		return cmdutil.Errorf(cmdutil.ExitConflict, "%s changed since hookgen add wrote it (diff on stdout); pass --force to remove it anyway", strings.Join(rm.Edited, ", "))
	}
	return status(ios, wr, opts.Output)
}
