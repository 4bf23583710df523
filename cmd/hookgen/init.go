package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/plan"
)

// InitOptions are the flags of one `hookgen init`.
type InitOptions struct {
	writeCmd
	action.InitOptions
}

func newInitCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &InitOptions{writeCmd: newWriteCmd(ios)}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Bootstrap a chart's standard hooks (backup, migration, seed) in one step",
		Long: `Add the standard lifecycle hooks to a chart at once, planned together: within each
event backup runs before migration and migration before seed. They share one
values section (with a header saying how to switch each off) and one helpers file,
templates/_hookgen.tpl. Everything is written as one change: all of it or nothing.

With --create NAME, the chart is first created with the Helm SDK's own 'helm create'
scaffold, in the same change. Re-running init changes nothing; on a chart that has
some of the hooks, only the missing ones are added.

--with also takes restore and smoke-test, which init does not add unless asked:
restore at pre-rollback replaces the database with the dump of the revision rolled
back to, discarding what was written since, a choice to make knowingly; smoke-test
(helm test) needs a Service of the chart's own, which not every chart has.

The pre-install and pre-upgrade hooks run under the namespace's default ServiceAccount
without a token and use no Secret or ConfigMap of the release, so no helper resource
has to exist before them.

On a terminal, without --yes, init asks which hooks (unless --with), the backup's
database (unless --db) and each hook's events, defaults preselected, then shows the
files and asks before writing. It never asks with --yes, HOOKGEN_NO_PROMPT=1, CI
set, or without a terminal.`,
		Example: `  hookgen init --create demo --yes --framework rails
  hookgen init --chart ./charts/shop --with migration,seed --yes --framework laravel
  hookgen init --chart ./charts/shop --db mysql --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.WithSet = c.Flags().Changed("with")
			opts.ctx = c.Context()
			return initRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Chart, "chart", "c", ".", "chart directory to bootstrap")
	f.StringVar(&opts.Create, "create", "", "create the chart NAME first (as helm create NAME does), then bootstrap it")
	f.StringSliceVar(&opts.With, "with", generators.DefaultInitTasks, "hooks to add: any of "+strings.Join(generators.InitChoices, ", ")+" (restore only on request: it discards writes made since the upgrade it undoes)")
	f.StringVar(&opts.Framework, "framework", "", "the app's migration tool, which gives the migration's and seed's commands (required for them with --yes): "+strings.Join(generators.FrameworkNames(), ", "))
	f.StringVar(&opts.DB, "db", "", "database kind for the backup: postgresql, mysql or mariadb (default: the chart's database dependency, else postgresql)")
	f.StringVar(&opts.ValuesKey, "values-key", generators.DefaultValuesKey, "top-level values.yaml key for hook settings")
	bindRenderFlags(f, &opts.Render)
	cmd.MarkFlagsMutuallyExclusive("create", "chart")
	opts.writeFlags.addFlags(cmd, &opts.WriteOptions, true, "overwrite files that exist and differ", "never prompt; use defaults for anything not given")
	return cmd
}

func initRun(opts *InitOptions) error {
	a := &action.Init{Prompter: opts.asker(), Out: opts.IO.Out, Warn: opts.IO.ErrOut}
	res, err := a.Run(opts.ctx, opts.InitOptions)
	if err != nil {
		return err
	}
	return reportInit(opts, res)
}

// initJSON is the JSON report of `init` (docs/json.md).
type initJSON struct {
	Hooks   []hookJSON   `json:"hooks"`
	Present []string     `json:"present"`
	Files   []fileResult `json:"files"`
	DryRun  bool         `json:"dryRun"`
	Diff    string       `json:"diff,omitempty"`
	Plan    *plan.Plan   `json:"plan,omitempty"`
}

// reportInit prints what init did, or would do, and returns the exit status.
func reportInit(opts *InitOptions, res *action.InitResult) error {
	ios, boot, wr := opts.IO, res.Bootstrap, res.Written
	r := initJSON{Hooks: []hookJSON{}, Present: nonNil(boot.Present), Files: fileResults(wr.Changes), DryRun: wr.DryRun, Diff: jsonDiff(wr), Plan: res.Plan}
	for _, o := range boot.Outputs {
		r.Hooks = append(r.Hooks, generatedHook(o.Hook))
	}
	return reportWrite(ios, wr, opts.Output, r, func() error { return writeInit(ios, opts.Create, res) })
}

// writeInit prints init's text report: the files (the scaffold in one
// line), the hooks and the bootstrapped chart's plan.
func writeInit(ios *iostreams.IOStreams, create string, res *action.InitResult) error {
	w, boot, wr := ios.Out, res.Bootstrap, res.Written
	// The helm create scaffold is summarised in one line below.
	writeFileLines(w, wr.Changes, wr.DryRun, func(f *changeset.File) bool {
		return f.Status == changeset.Create && res.Scaffold[f.Path]
	})
	if create != "" {
		fmt.Fprintf(w, "created the chart %s with helm create's scaffold\n", create)
	}
	for _, name := range boot.Present {
		fmt.Fprintf(w, "%s: already in the chart, left as it is\n", name)
	}
	writeInitHooks(ios, boot)
	if res.Plan != nil {
		fmt.Fprintln(w)
		return plan.WriteText(w, res.Plan, plan.TextOptions{Color: ios.ColorEnabled()})
	}
	return nil
}

// writeInitHooks prints one line per hook added, with its notes and warnings.
func writeInitHooks(ios *iostreams.IOStreams, boot *generators.Bootstrap) {
	w := ios.Out
	for _, o := range boot.Outputs {
		h := o.Hook
		fmt.Fprintf(w, "hook %s: %s, events %s, weight %d, delete policy %s\n", h.Name, h.Kind, joinStrings(h.Events), h.Weight, joinStrings(h.DeletePolicies))
		for _, n := range o.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
		for _, n := range o.Warnings {
			fmt.Fprintf(ios.ErrOut, "warning: %s: %s\n", h.Name, n)
		}
	}
	if len(boot.Outputs) == 0 {
		fmt.Fprintln(w, "nothing to change: the chart already has these hooks")
	}
}
