package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"

	"github.com/aymanbagabas/go-udiff"
	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/interview"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/valuesedit"
	"github.com/hookgen/hookgen/internal/verify"
)

func init() { register(func(ios *iostreams.IOStreams) *cobra.Command { return newAddCmd(ios, nil) }) }

// AddOptions are the flags and answers of one `hookgen add`.
type AddOptions struct {
	IO *iostreams.IOStreams
	// Prompter asks for what the flags left out, on a terminal; nil when
	// the streams cannot prompt.
	Prompter prompter.Prompter
	ctx      context.Context // the command's; interrupts end the questions

	Task           string
	Chart          string
	Events         []string
	Weight         string
	DeletePolicies []string
	Name           string
	Image          string
	Command        []string
	Args           []string
	DB             string
	DBHost         string
	DBUser         string
	DBName         string
	DBSecret       string
	StorageClaim   string
	ValuesKey      string
	Workload       string
	NoAppContext   bool
	renderFlags
	writeFlags

	commandSet, argsSet, policySet, weightSet bool
}

func newAddCmd(ios *iostreams.IOStreams, runF func(*AddOptions) error) *cobra.Command {
	opts := &AddOptions{IO: ios, Prompter: newPrompter(ios)}
	var tasks []string
	for _, t := range generators.Tasks {
		tasks = append(tasks, fmt.Sprintf("  %-10s %s\n             default: %s", t.Name, t.Summary, t.Defaults))
	}
	cmd := &cobra.Command{
		Use:   "add TASK",
		Short: "Write a hook Job (migration, backup, seed, custom) into a chart",
		Long: `Write one Helm hook into a chart: templates/hooks/NAME.yaml (the Job, and any
resource it needs), the helpers hooks share (templates/_hookgen.tpl), a helm-unittest
suite (tests/hookgen-NAME_test.yaml) and its settings under .Values.hooks.NAME in
values.yaml; then print the resulting order of every hook in each affected event.

Before anything is written, the changed chart is rendered with Helm's engine and the
hook is checked: events, weight and delete policy as planned, a Job that decodes
strictly into batch/v1, a name within 63 characters for any release name, pod labels
outside the chart's Service selectors, and Pod Security "restricted". Running the
same command again changes nothing.

On a terminal, without --yes, hookgen asks for whatever the flags leave out (task,
events, weight, delete policy, image and command), with its defaults preselected:
pressing Enter throughout writes what --yes writes. It shows the files and the diff
and asks before writing; a file that exists and differs is asked about (overwrite,
skip, show diff, quit). It never asks with --yes, HOOKGEN_NO_PROMPT=1, CI set, or
when stdin or stdout is not a terminal. Ctrl-C or Ctrl-D at a question: exit 130,
nothing written.

Tasks and their defaults:
` + strings.Join(tasks, "\n") + `

Every hook gets: quoted annotations, delete policy before-hook-creation,hook-succeeded
(a failed Job stays for its logs), the hook-failed log policy, restartPolicy Never,
backoffLimit and activeDeadlineSeconds below Helm's 5m timeout, no TTL, and a weight
planned against the chart's existing hooks (subcharts included): backup before
migration before seed in each event, without ties.`,
		Example: `  hookgen add migration --chart ./charts/shop --yes
  hookgen add backup    --chart ./charts/shop --yes --event pre-upgrade,pre-delete
  hookgen add seed      --chart ./charts/shop --yes
  hookgen add custom    --chart ./charts/shop --yes --name warm-cache --event post-upgrade --image busybox:1.37 --command 'sh,-c,echo warm'`,
		Args:    cobra.MaximumNArgs(1),
		Aliases: []string{"a"},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Task = args[0]
			}
			f := c.Flags()
			opts.commandSet, opts.argsSet = f.Changed("command"), f.Changed("args")
			opts.policySet, opts.weightSet = f.Changed("delete-policy"), f.Changed("weight")
			opts.ctx = c.Context()
			if runF != nil {
				return runF(opts)
			}
			return addRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&opts.Chart, "chart", "c", ".", "chart directory to add the hook to")
	f.StringArrayVarP(&opts.Events, "event", "e", nil, "hook events, comma-separated or repeated: "+helmhook.EventList())
	f.StringVarP(&opts.Weight, "weight", "w", "", "hook weight, an integer (default: planned against the chart's hooks)")
	f.StringArrayVar(&opts.DeletePolicies, "delete-policy", nil, "delete policies: "+helmhook.DeletePolicyList()+" (default before-hook-creation,hook-succeeded)")
	f.StringVar(&opts.Name, "name", "", "hook name: values key, file name and Job name suffix (default: the task)")
	f.StringVar(&opts.Image, "image", "", "container image (default: the chart's own image for migration and seed, the --db client for backup)")
	f.StringArrayVar(&opts.Command, "command", nil, "container command: comma-separated or repeated; double-quote a part that holds a comma: 'sh,-c,\"echo a,b\"'")
	f.StringArrayVar(&opts.Args, "args", nil, "container arguments: comma-separated or repeated, quoted as for --command")
	f.StringVar(&opts.DB, "db", "", "backup: database kind, postgresql or mysql (default: the chart's database dependency, else postgresql)")
	f.StringVar(&opts.DBHost, "db-host", "", "backup: database host")
	f.StringVar(&opts.DBUser, "db-user", "", "backup: database user")
	f.StringVar(&opts.DBName, "db-name", "", "backup: database name (mysql: required)")
	f.StringVar(&opts.DBSecret, "db-secret", "", "backup: existing Secret (not created by this release) with the database password")
	f.StringVar(&opts.StorageClaim, "storage-claim", "", "backup: existing PersistentVolumeClaim for the backups (default: a claim the chart creates and keeps on uninstall)")
	f.StringVar(&opts.Workload, "workload", "", "migration, seed: the app workload whose context the hook runs in, KIND/NAME as rendered (default: the Deployment or StatefulSet the chart's Service selects; asked on a terminal when several fit)")
	f.BoolVar(&opts.NoAppContext, "no-app-context", false, "migration, seed: do not run in the app workload's context (its image, env, config volumes, security and scheduling)")
	f.StringVar(&opts.ValuesKey, "values-key", generators.DefaultValuesKey, "top-level values.yaml key for hook settings")
	opts.renderFlags.addFlags(f)
	opts.writeFlags.addFlags(cmd, true, "overwrite files that exist and differ", "never prompt; use defaults for anything not given")
	return cmd
}

// addResult is the JSON report of `add` (documented in the README).
type addResult struct {
	Hook     hookJSON                `json:"hook"`
	Files    []fileResult            `json:"files"`
	Order    map[string][]orderEntry `json:"order"`
	DryRun   bool                    `json:"dryRun"`
	Diff     string                  `json:"diff,omitempty"`
	Notes    []string                `json:"notes"`
	Warnings []string                `json:"warnings"`
}

type orderEntry struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Weight int    `json:"weight"`
}

func addRun(opts *AddOptions) error {
	ask := opts.Prompter != nil && opts.IO.CanPrompt() && !opts.Yes
	req, err := opts.request(ask)
	if err != nil {
		return err
	}
	ropts, _ := opts.options() // validated by request
	unlock, err := lockChart(opts.IO, opts.Chart, opts.DryRun)
	if err != nil {
		return err
	}
	defer unlock()
	info, err := generators.InspectWith(opts.Chart, opts.ValuesKey, ropts)
	if err != nil {
		return mapGenErr(err)
	}
	// --force, or the answer to the question below, replaces the hook's
	// values block with a fresh one. Without either, an edited block is a
	// conflict like any file: shown as a diff, kept with --skip.
	replaceValues, askedValues, valuesConflict := opts.Force, false, false
	p, done := opts.Prompter, func() error { return nil }
	if ask {
		p, done = interruptible(opts.ctx, opts.Prompter)
		defer done()
	}
	planHook := func(req generators.Request) (*generators.Output, error) {
		out, err := generators.Generate(info, req)
		if err != nil && errors.Is(err, valuesedit.ErrExists) && ask && !replaceValues && !askedValues {
			askedValues = true
			diff := func() (string, error) {
				o, err := generators.Regenerate(info, req)
				if err != nil {
					return "", err
				}
				for _, f := range o.Files {
					if f.Path == "values.yaml" {
						return udiff.Unified("a/values.yaml", "b/values.yaml", string(info.Values), string(f.Content)), nil
					}
				}
				return "", nil
			}
			if qerr := interview.ReplaceValues(p, opts.IO.Out, err.Error(), diff); qerr != nil {
				return nil, qerr
			}
			replaceValues = true
		}
		if err != nil && errors.Is(err, valuesedit.ErrExists) && !ask {
			valuesConflict = !replaceValues
			replaceValues = true
		}
		if err != nil && replaceValues && errors.Is(err, valuesedit.ErrExists) {
			out, err = generators.Regenerate(info, req)
		}
		return out, err
	}
	if ask {
		iv := &interview.Add{P: p, Out: opts.IO.Out, Info: info, Plan: planHook}
		if req, err = iv.Ask(req, opts.given()); err != nil {
			return interviewErr(err)
		}
		if err := opts.checkTaskFlags(req.Task); err != nil {
			return err
		}
	}
	out, err := planHook(req)
	if err != nil {
		return interviewErr(err)
	}
	res, err := verify.Hook(info, out)
	if err != nil {
		return cmdutil.WithCode(cmdutil.ExitVerify, err)
	}
	cs := changeset.New(opts.Chart)
	for _, f := range out.Files {
		var err error
		switch {
		case f.Kind == generators.Generated:
			err = cs.Generate(f.Path, f.Content)
		case valuesConflict && f.Path == "values.yaml":
			err = cs.EditConflicting(f.Path, f.Content)
		default:
			err = cs.Edit(f.Path, f.Content)
		}
		if err != nil {
			return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	cs.Resolve(opts.Force, opts.Skip)
	if ask {
		if err := confirmChanges(p, opts.IO, cs, opts.DryRun, nil); err != nil {
			return err
		}
	}
	if err := done(); err != nil {
		return err
	}
	return report(opts, cs, out, plan.EventOrders(res, out.Hook.Events))
}

// interruptible makes an interrupt signal during the questions (Ctrl-C
// while hookgen renders between them, or kill -INT while one waits) end the
// run as Ctrl-C at a question does: the question returns ErrInterrupted and
// the command returns exit 130 through its normal path, so deferred
// clean-ups run (init --create's temporary chart) and nothing is written.
// Call done before writing: it stops the handling, so an interrupt while
// writing gets Go's default handling and the changeset's journal, and it
// reports an interrupt that came after the last question.
func interruptible(ctx context.Context, p prompter.Prompter) (_ prompter.Prompter, done func() error) {
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
	return prompter.WithContext(p, ctx), func() error {
		interrupted := ctx.Err() != nil
		stop()
		if interrupted {
			return interviewErr(prompter.ErrInterrupted)
		}
		return nil
	}
}

// newPrompter returns the terminal prompter for the streams, or nil when
// they are not a terminal's files.
func newPrompter(ios *iostreams.IOStreams) prompter.Prompter {
	if s := prompter.NewSurvey(ios.In, ios.Out, ios.ErrOut, ios.ColorEnabled()); s != nil {
		return s
	}
	return nil
}

// given says which questions the flags answered.
func (opts *AddOptions) given() interview.Given {
	return interview.Given{
		Task: opts.Task != "", Name: opts.Name != "", Events: len(opts.Events) > 0,
		Weight: opts.weightSet, DeletePolicies: opts.policySet,
		Image: strings.TrimSpace(opts.Image) != "", Command: opts.commandSet, DB: opts.DB != "",
	}
}

// confirmChanges asks about each conflict the flags did not settle, then
// shows the files and the diff and asks to write them (not for a dry run,
// which writes nothing anyway).
func confirmChanges(p prompter.Prompter, ios *iostreams.IOStreams, cs *changeset.Set, dryRun bool, scaffold func(string) bool) error {
	if err := interview.ResolveConflicts(p, ios.Out, cs); err != nil {
		return interviewErr(err)
	}
	if dryRun {
		return nil
	}
	ok, err := interview.Confirm(p, ios.Out, cs, scaffold)
	if err != nil {
		return interviewErr(err)
	}
	if !ok {
		return cmdutil.Errorf(cmdutil.ExitInterrupted, "not confirmed; nothing written")
	}
	return nil
}

// interviewErr maps an error from the questions to its exit code.
func interviewErr(err error) error {
	switch {
	case errors.Is(err, prompter.ErrInterrupted):
		return cmdutil.Errorf(cmdutil.ExitInterrupted, "interrupted; nothing written")
	case errors.Is(err, interview.ErrQuit):
		return cmdutil.Errorf(cmdutil.ExitConflict, "stopped at a conflict; nothing written (pass --force to overwrite or --skip to keep the file)")
	}
	return mapGenErr(err)
}

// report prints the outcome, applies the changeset (unless a dry run or a
// conflict stops it) and returns the exit status.
func report(opts *AddOptions, cs *changeset.Set, out *generators.Output, orders []plan.EventOrder) error {
	ios := opts.IO
	wr, err := writeChanges(cs, opts.DryRun)
	if err != nil {
		return err
	}
	if opts.Output == "json" {
		r := addResult{DryRun: opts.DryRun, Order: map[string][]orderEntry{}, Notes: out.Notes, Warnings: out.Warnings, Files: fileResults(cs), Diff: wr.jsonDiff()}
		if r.Notes == nil {
			r.Notes = []string{}
		}
		if r.Warnings == nil {
			r.Warnings = []string{}
		}
		r.Hook = generatedHook(out.Hook)
		for _, o := range orders {
			list := []orderEntry{}
			for _, x := range o.Hooks {
				list = append(list, orderEntry{Name: x.Name, Kind: x.Kind, Weight: x.Weight})
			}
			r.Order[o.Event.String()] = list
		}
		if err := writeJSON(ios.Out, r); err != nil {
			return err
		}
	} else {
		w := ios.Out
		if opts.DryRun {
			io.WriteString(w, wr.diff)
		}
		writeFileLines(w, cs, opts.DryRun, nil)
		h := out.Hook
		planned := ""
		if h.WeightPlanned {
			planned = " (planned)"
		}
		fmt.Fprintf(w, "hook %s: %s, events %s, weight %d%s, delete policy %s\n", h.Name, h.Kind,
			joinStrings(h.Events), h.Weight, planned, joinStrings(h.DeletePolicies))
		plan.WriteEventOrders(w, orders)
		for _, n := range out.Notes {
			fmt.Fprintf(w, "note: %s\n", n)
		}
		for _, n := range out.Warnings {
			fmt.Fprintf(ios.ErrOut, "warning: %s\n", n)
		}
		if !wr.pending && len(wr.conflicts) == 0 {
			fmt.Fprintln(w, "nothing to change: the chart already has this hook")
		}
	}
	return wr.status(ios, opts.Output)
}

func joinStrings[T fmt.Stringer](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = x.String()
	}
	return strings.Join(s, ",")
}

// request validates the flags into a generators.Request. When the user can
// be asked, the task may be missing; the checks that depend on it then wait
// for the answer (checkTaskFlags).
func (opts *AddOptions) request(ask bool) (generators.Request, error) {
	var req generators.Request
	var err error
	if opts.Task == "" && !ask {
		return req, cmdutil.Usage("no task given; pass one of: %s (e.g. hookgen add migration --yes)", strings.Join(generators.TaskNames(), ", "))
	}
	if opts.Task != "" {
		t, ok := generators.LookupTask(opts.Task)
		if !ok {
			return req, cmdutil.Usage("unknown task %q; use one of: %s", opts.Task, strings.Join(generators.TaskNames(), ", "))
		}
		req.Task = t
	}
	req.Name = opts.Name
	if req.Name != "" {
		if err := generators.ValidateName(req.Name); err != nil {
			return req, cmdutil.Usage("%v", err)
		}
	}
	if err := generators.ValidateValuesKey(opts.ValuesKey); err != nil {
		return req, cmdutil.Usage("%v", err)
	}
	req.ValuesKey = opts.ValuesKey
	// A flag given only as '' is empty (the list flags take each value whole).
	opts.Events, opts.DeletePolicies = dropEmpty(opts.Events), dropEmpty(opts.DeletePolicies)
	if opts.Events != nil && len(opts.Events) == 0 {
		return req, cmdutil.Usage("--event is empty; pass events such as --event pre-install,pre-upgrade")
	}
	if len(opts.Events) > 0 {
		evs, err := helmhook.ParseEvents(opts.Events)
		if err != nil {
			return req, cmdutil.Usage("%v", err)
		}
		req.Events = evs
	}
	if opts.weightSet {
		w, err := generators.ParseWeight(opts.Weight)
		if err != nil {
			return req, cmdutil.Usage("%v", err)
		}
		req.Weight = &w
	}
	if opts.policySet {
		ps, err := helmhook.ParseDeletePolicies(opts.DeletePolicies)
		if err != nil {
			return req, cmdutil.Usage("%v", err)
		}
		req.DeletePolicies = ps
	}
	if _, err := opts.options(); err != nil {
		return req, err
	}
	if opts.DB != "" && !slices.Contains(generators.Databases, opts.DB) {
		return req, cmdutil.Usage("unknown database %q for --db; use one of: %s", opts.DB, strings.Join(generators.Databases, ", "))
	}
	if opts.Task != "" {
		if err := opts.checkTaskFlags(req.Task); err != nil {
			return req, err
		}
	}
	req.Image = strings.TrimSpace(opts.Image)
	if opts.commandSet {
		if req.Command, err = interview.SplitList("--command", opts.Command); err != nil {
			return req, cmdutil.Usage("%v", err)
		}
	}
	if opts.argsSet {
		if req.Args, err = interview.SplitList("--args", opts.Args); err != nil {
			return req, cmdutil.Usage("%v", err)
		}
	}
	req.DB, req.DBHost, req.DBSecret, req.StorageClaim = opts.DB, opts.DBHost, opts.DBSecret, opts.StorageClaim
	req.DBUser, req.DBName = opts.DBUser, opts.DBName
	req.Workload, req.NoAppContext = strings.TrimSpace(opts.Workload), opts.NoAppContext
	if req.Workload != "" && req.NoAppContext {
		return req, cmdutil.Usage("--workload and --no-app-context contradict each other; pass one")
	}
	return req, nil
}

// dropEmpty drops empty values; a non-nil list stays non-nil.
func dropEmpty(xs []string) []string {
	if xs == nil {
		return nil
	}
	out := []string{}
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// checkTaskFlags refuses the backup-only flags for other tasks.
func (opts *AddOptions) checkTaskFlags(t generators.Task) error {
	for _, flag := range []struct {
		set  bool
		name string
	}{{opts.DB != "", "--db"}, {opts.DBHost != "", "--db-host"}, {opts.DBUser != "", "--db-user"}, {opts.DBName != "", "--db-name"}, {opts.DBSecret != "", "--db-secret"}, {opts.StorageClaim != "", "--storage-claim"}} {
		if flag.set && t.Name != "backup" {
			return cmdutil.Usage("%s only applies to backup hooks", flag.name)
		}
	}
	return nil
}

// mapGenErr gives generator errors their exit codes.
func mapGenErr(err error) error {
	var ue *generators.UsageError
	var ce *generators.ChartError
	var ve *valuesedit.Error
	var fe *changeset.FSError
	switch {
	case errors.As(err, &ue):
		return cmdutil.WithCode(cmdutil.ExitUsage, err)
	case errors.As(err, &ce):
		return cmdutil.WithCode(cmdutil.ExitChart, err)
	case errors.Is(err, valuesedit.ErrExists):
		return cmdutil.Errorf(cmdutil.ExitConflict, "%v; pass --force to replace it", err)
	case errors.As(err, &ve):
		return cmdutil.WithCode(cmdutil.ExitChart, err)
	case errors.As(err, &fe), errors.Is(err, os.ErrPermission):
		return cmdutil.WithCode(cmdutil.ExitFilesystem, err)
	}
	return err
}
