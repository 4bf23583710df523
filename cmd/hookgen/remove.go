package main

import (
	"errors"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
)

func init() { register(newRemoveCmd) }

// RemoveOptions are the flags of one `hookgen remove`.
type RemoveOptions struct {
	IO        *iostreams.IOStreams
	Name      string
	Chart     string
	ValuesKey string
	renderFlags
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
			return removeRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Chart, "chart", "c", ".", "chart directory to remove the hook from")
	f.StringVar(&opts.ValuesKey, "values-key", generators.DefaultValuesKey, "top-level values.yaml key for hook settings (when the hook's record has none)")
	opts.renderFlags.addFlags(f)
	opts.writeFlags.addFlags(cmd, false, "remove the hook's files and values even if they were edited since add", "never prompt (remove asks nothing; accepted for scripts shared with add)")
	return cmd
}

func removeRun(opts *RemoveOptions) error {
	ropts, err := opts.options()
	if err != nil {
		return err
	}
	if err := generators.ValidateName(opts.Name); err != nil {
		return cmdutil.Usage("%v", err)
	}
	unlock, err := lockChart(opts.IO, opts.Chart, opts.DryRun)
	if err != nil {
		return err
	}
	defer unlock()
	info, err := generators.InspectWith(opts.Chart, opts.ValuesKey, ropts)
	if err != nil {
		return mapGenErr(err)
	}
	rm, err := generators.PlanRemove(info, opts.Name, opts.Force)
	var nf *generators.NotFoundError
	if errors.As(err, &nf) {
		return cmdutil.WithCode(cmdutil.ExitUsage, err)
	}
	if err != nil {
		return mapGenErr(err)
	}
	cs := changeset.New(opts.Chart)
	for _, f := range rm.Deletes {
		if err := cs.Delete(f.Path, f.Content); err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	if rm.Values != nil {
		if err := cs.Edit("values.yaml", rm.Values); err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	for _, f := range rm.Edits {
		if err := cs.Edit(f.Path, f.Content); err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	// Edited parts without --force: show what would go, write nothing.
	edited := len(rm.Edited) > 0 && !opts.Force
	wr, err := writeChanges(cs, opts.DryRun || edited)
	if err != nil {
		return err
	}
	ios := opts.IO
	if opts.Output == "json" {
		r := struct {
			Hook   hookJSON     `json:"hook"`
			Files  []fileResult `json:"files"`
			Edited []string     `json:"edited"`
			DryRun bool         `json:"dryRun"`
			Diff   string       `json:"diff,omitempty"`
		}{Hook: recordedHook(rm.Record), Files: fileResults(cs), Edited: rm.Edited, DryRun: opts.DryRun, Diff: wr.jsonDiff()}
		if r.Edited == nil {
			r.Edited = []string{}
		}
		if edited {
			for i := range r.Files {
				r.Files[i].Status = "conflict"
			}
		}
		if err := writeJSON(ios.Out, r); err != nil {
			return err
		}
	} else {
		if opts.DryRun {
			io.WriteString(ios.Out, wr.diff)
		} else if edited {
			io.WriteString(ios.ErrOut, wr.diff)
		}
		writeFileLines(ios.Out, cs, opts.DryRun || edited, nil)
	}
	if edited {
		return cmdutil.Errorf(cmdutil.ExitConflict, "%s changed since hookgen add wrote it (diff above); pass --force to remove it anyway", strings.Join(rm.Edited, ", "))
	}
	return wr.status(ios, opts.Output)
}
