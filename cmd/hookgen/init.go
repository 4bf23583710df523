package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/interview"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/verify"
)

func init() { register(newInitCmd) }

// InitOptions are the flags of one `hookgen init`.
type InitOptions struct {
	IO        *iostreams.IOStreams
	Prompter  prompter.Prompter // asks what the flags left out; nil without a terminal
	ctx       context.Context   // the command's; interrupts end the questions
	Chart     string
	Create    string
	With      []string
	DB        string
	ValuesKey string
	renderFlags
	writeFlags

	withSet   bool
	emptyDirs []string // of the --create scaffold, made with the files
}

func newInitCmd(ios *iostreams.IOStreams) *cobra.Command {
	opts := &InitOptions{IO: ios, Prompter: newPrompter(ios)}
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

The pre-install and pre-upgrade hooks run under the namespace's default ServiceAccount
without a token and use no Secret or ConfigMap of the release, so no helper resource
has to exist before them.

On a terminal, without --yes, init asks which hooks (unless --with), the backup's
database (unless --db) and each hook's events, defaults preselected, then shows the
files and asks before writing. It never asks with --yes, HOOKGEN_NO_PROMPT=1, CI
set, or without a terminal.`,
		Example: `  hookgen init --create demo --yes
  hookgen init --chart ./charts/shop --with migration,seed --yes
  hookgen init --chart ./charts/shop --db mysql --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.withSet = c.Flags().Changed("with")
			opts.ctx = c.Context()
			return initRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Chart, "chart", "c", ".", "chart directory to bootstrap")
	f.StringVar(&opts.Create, "create", "", "create the chart NAME first (as helm create NAME does), then bootstrap it")
	f.StringSliceVar(&opts.With, "with", generators.DefaultInitTasks, "hooks to add: any of backup, migration, seed")
	f.StringVar(&opts.DB, "db", "", "database kind for the backup: postgresql or mysql (default: the chart's database dependency, else postgresql)")
	f.StringVar(&opts.ValuesKey, "values-key", generators.DefaultValuesKey, "top-level values.yaml key for hook settings")
	opts.renderFlags.addFlags(f)
	cmd.MarkFlagsMutuallyExclusive("create", "chart")
	opts.writeFlags.addFlags(cmd, true, "overwrite files that exist and differ", "never prompt; use defaults for anything not given")
	return cmd
}

func initRun(opts *InitOptions) error {
	if err := generators.ValidateValuesKey(opts.ValuesKey); err != nil {
		return cmdutil.Usage("%v", err)
	}
	ropts, err := opts.options()
	if err != nil {
		return err
	}
	tasks, err := generators.InitTasks(opts.With)
	if err != nil {
		return mapGenErr(err)
	}
	if len(tasks) == 0 {
		return cmdutil.Usage("--with is empty; pass any of backup, migration, seed")
	}
	if opts.DB != "" && !containsTask(tasks, "backup") {
		return cmdutil.Usage("--db only applies with the backup hook")
	}

	// With --create the change is rooted at NAME's parent, which is locked
	// (and a run interrupted there finished) before NAME is looked at.
	lockDir := opts.Chart
	if opts.Create != "" {
		lockDir = filepath.Dir(opts.Create)
	}
	unlock, err := lockChart(opts.IO, lockDir, opts.DryRun)
	if err != nil {
		return err
	}
	defer unlock()

	// The chart to work on: the user's, or a fresh scaffold in a temporary
	// directory whose files join the change.
	dir := opts.Chart
	var scaffold map[string][]byte
	if opts.Create != "" {
		if parent := filepath.Dir(opts.Create); parent != "." {
			if fi, err := os.Stat(parent); err != nil || !fi.IsDir() {
				return cmdutil.Usage("%s does not exist: create it first (mkdir -p %s) or pass a NAME in an existing directory to --create", parent, parent)
			}
		}
		if _, err := os.Stat(opts.Create); err == nil {
			return cmdutil.Errorf(cmdutil.ExitConflict, "%s already exists; pick another NAME for --create, or bootstrap it with --chart %s", opts.Create, opts.Create)
		}
		name := filepath.Base(opts.Create)
		if err := chartutil.ValidateMetadataName(name); err != nil || strings.ContainsAny(name, " /") {
			return cmdutil.Usage("%q is not a valid chart name for --create; use lower-case letters, digits and '-'", name)
		}
		tmp, err := os.MkdirTemp("", "hookgen-create")
		if err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
		defer os.RemoveAll(tmp)
		if dir, err = chartutil.Create(name, tmp); err != nil {
			return cmdutil.Usage("helm create %s: %v", name, err)
		}
		if scaffold, opts.emptyDirs, err = readTree(dir); err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	info, err := generators.InspectWith(dir, opts.ValuesKey, ropts)
	if err != nil {
		return mapGenErr(err)
	}
	ask := opts.Prompter != nil && opts.IO.CanPrompt() && !opts.Yes
	pr, done := opts.Prompter, func() error { return nil }
	if ask {
		pr, done = interruptible(opts.ctx, opts.Prompter)
		defer done()
	}
	var reqs []generators.Request
	if ask {
		iv := &interview.Init{P: pr, Info: info}
		if reqs, err = iv.Ask(tasks, opts.DB, opts.ValuesKey, interview.InitGiven{With: opts.withSet, DB: opts.DB != ""}); err != nil {
			return interviewErr(err)
		}
	} else {
		for _, t := range tasks {
			r := generators.Request{Task: t, ValuesKey: opts.ValuesKey}
			if t.Name == "backup" {
				r.DB = opts.DB
			}
			reqs = append(reqs, r)
		}
	}
	boot, err := generators.PlanBootstrap(info, reqs)
	if err != nil {
		return mapGenErr(err)
	}
	// Every hook is verified against one render of the final chart.
	var res *render.Result
	if len(boot.Outputs) > 0 {
		if res, err = verify.Hooks(info, boot.Files, boot.Outputs...); err != nil {
			return cmdutil.WithCode(cmdutil.ExitVerify, err)
		}
	}

	// With --create the changeset is rooted at NAME's parent, so the new
	// chart directory itself is part of the all-or-nothing change.
	root, prefix := dir, ""
	if opts.Create != "" {
		root, prefix = filepath.Dir(opts.Create), filepath.Base(opts.Create)+"/"
	}
	cs := changeset.New(root)
	for p, content := range scaffold {
		if err := cs.Generate(prefix+p, withFile(boot.Files, p, content)); err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	for _, f := range boot.Files {
		if _, ok := scaffold[f.Path]; ok {
			continue
		}
		var err error
		if f.Kind == generators.Generated {
			err = cs.Generate(prefix+f.Path, f.Content)
		} else {
			err = cs.Edit(prefix+f.Path, f.Content)
		}
		if err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	for _, d := range opts.emptyDirs {
		if err := cs.Dir(prefix + filepath.ToSlash(d)); err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	cs.Resolve(opts.Force, opts.Skip)
	if ask {
		// The scaffold is summarised, as the report below does.
		isScaffold := func(p string) bool {
			_, ok := scaffold[strings.TrimPrefix(p, prefix)]
			return ok && !strings.Contains(p, "hook") && !strings.HasSuffix(p, "/values.yaml")
		}
		if err := confirmChanges(pr, opts.IO, cs, opts.DryRun, isScaffold); err != nil {
			return err
		}
	}
	if err := done(); err != nil {
		return err
	}
	var p *plan.Plan
	if res != nil {
		// The plan of the bootstrapped chart, rendered as an upgrade too.
		files := map[string][]byte{}
		for _, f := range boot.Files {
			files[f.Path] = f.Content
		}
		ch, err := render.LoadWith(dir, files)
		if err != nil {
			return err
		}
		up, upErr := info.Render(ch, "", true)
		p, err = plan.Build(plan.Inputs{Install: res, Upgrade: up, UpgradeErr: upErr}, []plan.Operation{plan.Install, plan.Upgrade, plan.Uninstall})
		if err != nil {
			return err
		}
	}
	return reportInit(opts, cs, boot, p)
}

func containsTask(ts []generators.Task, name string) bool {
	for _, t := range ts {
		if t.Name == name {
			return true
		}
	}
	return false
}

// withFile returns the planned content of p when the bootstrap changes it.
func withFile(files []generators.File, p string, content []byte) []byte {
	for _, f := range files {
		if f.Path == p {
			return f.Content
		}
	}
	return content
}

// readTree reads every file under dir, and lists the directories that hold
// none (helm create's charts/), which a changeset of files cannot carry.
func readTree(dir string) (map[string][]byte, []string, error) {
	out := map[string][]byte{}
	var empty []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if entries, err := os.ReadDir(p); err == nil && len(entries) == 0 {
				rel, _ := filepath.Rel(dir, p)
				empty = append(empty, rel)
			}
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = b
		return nil
	})
	return out, empty, err
}

func reportInit(opts *InitOptions, cs *changeset.Set, boot *generators.Bootstrap, p *plan.Plan) error {
	ios := opts.IO
	wr, err := writeChanges(cs, opts.DryRun)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		r := struct {
			Hooks   []hookJSON   `json:"hooks"`
			Present []string     `json:"present"`
			Files   []fileResult `json:"files"`
			DryRun  bool         `json:"dryRun"`
			Diff    string       `json:"diff,omitempty"`
			Plan    *plan.Plan   `json:"plan,omitempty"`
		}{Hooks: []hookJSON{}, Present: boot.Present, Files: fileResults(cs), DryRun: opts.DryRun, Diff: wr.jsonDiff(), Plan: p}
		if r.Present == nil {
			r.Present = []string{}
		}
		for _, o := range boot.Outputs {
			r.Hooks = append(r.Hooks, generatedHook(o.Hook))
		}
		if err := writeJSON(ios.Out, r); err != nil {
			return err
		}
		return wr.status(ios, opts.Output)
	}
	w := ios.Out
	if opts.DryRun {
		io.WriteString(w, wr.diff)
	}
	// The helm create scaffold is summarised in one line below.
	writeFileLines(w, cs, opts.DryRun, func(f *changeset.File) bool {
		return f.Status == changeset.Create && opts.Create != "" && !strings.Contains(f.Path, "hook") && !strings.HasSuffix(f.Path, "/values.yaml")
	})
	if opts.Create != "" {
		fmt.Fprintf(w, "created the chart %s with helm create's scaffold\n", opts.Create)
	}
	for _, name := range boot.Present {
		fmt.Fprintf(w, "%s: already in the chart, left as it is\n", name)
	}
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
	if p != nil {
		fmt.Fprintln(w)
		if err := plan.WriteText(w, p, plan.TextOptions{Color: ios.ColorEnabled()}); err != nil {
			return err
		}
	}
	return wr.status(ios, opts.Output)
}
