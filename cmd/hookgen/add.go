package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/plan"
)

// AddOptions are the flags of one `hookgen add`.
type AddOptions struct {
	writeCmd
	action.AddOptions
}

func newAddCmd(ios *iostreams.IOStreams, runF func(*AddOptions) error) *cobra.Command {
	opts := &AddOptions{writeCmd: newWriteCmd(ios)}
	cmd := &cobra.Command{
		Use:   "add TASK",
		Short: "Write a hook Job (migration, backup, restore, seed, smoke-test, custom) into a chart",
		Long:  addLong(),
		Example: `  hookgen add migration --chart ./charts/shop --yes --framework rails
  hookgen add backup    --chart ./charts/shop --yes --event pre-upgrade,pre-delete
  hookgen add restore   --chart ./charts/shop --yes
  hookgen add seed      --chart ./charts/shop --yes --command bin/seed
  hookgen add smoke-test --chart ./charts/shop --yes --path /healthz
  hookgen add custom    --chart ./charts/shop --yes --name warm-cache --event post-upgrade --image busybox:1.37 --command 'sh,-c,echo warm'`,
		Args:    cobra.MaximumNArgs(1),
		Aliases: []string{"a"},
		RunE: func(c *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Task = args[0]
			}
			f := c.Flags()
			opts.CommandSet, opts.ArgsSet = f.Changed("command"), f.Changed("args")
			opts.PolicySet, opts.WeightSet = f.Changed("delete-policy"), f.Changed("weight")
			opts.KeepSet, opts.WaitForDBSet = f.Changed("keep"), f.Changed("wait-for-db")
			opts.ctx = c.Context()
			if runF != nil {
				return runF(opts)
			}
			return addRun(opts)
		},
	}
	opts.bindFlags(cmd)
	return cmd
}

// bindFlags binds add's flags to opts.
func (opts *AddOptions) bindFlags(cmd *cobra.Command) {
	f := cmd.Flags()
	f.StringVarP(&opts.Chart, "chart", "c", ".", "chart directory to add the hook to")
	f.StringArrayVarP(&opts.Events, "event", "e", nil, "hook events, comma-separated or repeated: "+helmhook.EventList()+" (pre-install is refused where the hook would need the release's own objects or database on first install)")
	f.StringVarP(&opts.Weight, "weight", "w", "", "hook weight, an integer (default: planned against the chart's hooks)")
	f.StringArrayVar(&opts.DeletePolicies, "delete-policy", nil, "delete policies: "+helmhook.DeletePolicyList()+" (default before-hook-creation,hook-succeeded)")
	f.StringVar(&opts.Name, "name", "", "hook name: values key, file name and Job name suffix (default: the task)")
	f.StringVar(&opts.Image, "image", "", "container image (default: the chart's own image for migration and seed, the --db client for backup)")
	f.StringArrayVar(&opts.Command, "command", nil, "container command: comma-separated or repeated; double-quote a part that holds a comma: 'sh,-c,\"echo a,b\"'")
	f.StringArrayVar(&opts.Args, "args", nil, "container arguments: comma-separated or repeated, quoted as for --command")
	f.StringVar(&opts.DB, "db", "", "backup: database kind, postgresql, mysql or mariadb (default: the chart's database dependency, else postgresql)")
	f.StringVar(&opts.DBVersion, "db-version", "", "backup: the database server's version, e.g. 16 or 8.4; picks the client image of that series (default: the database dependency's image tag)")
	f.IntVar(&opts.Keep, "keep", generators.DefaultKeep, "backup: dumps kept on the claim; the backup deletes older ones after each successful dump")
	f.StringVar(&opts.Backup, "backup", "", "restore: the backup hook whose dumps it restores (default backup)")
	f.StringVar(&opts.Service, "service", "", "smoke-test: Service to call; Helm template text allowed, e.g. '{{ .Release.Name }}-web' (default: the chart's own Service)")
	f.StringVar(&opts.Port, "port", "", "smoke-test: Service port (default: the chart's Service port)")
	f.StringVar(&opts.Path, "path", "", "smoke-test: HTTP path to GET (default /)")
	f.StringVar(&opts.DBHost, "db-host", "", "backup: database host; Helm template text allowed, e.g. '{{ .Release.Name }}-postgresql' (default: the database dependency's Service)")
	f.StringVar(&opts.DBUser, "db-user", "", "backup: database user")
	f.StringVar(&opts.DBName, "db-name", "", "backup: database name (mysql: required)")
	f.StringVar(&opts.DBSecret, "db-secret", "", "backup: Secret with the database password; Helm template text allowed (default: the database dependency's Secret)")
	f.StringVar(&opts.StorageClaim, "storage-claim", "", "backup: existing PersistentVolumeClaim for the backups (default: a claim the chart creates and keeps on uninstall)")
	f.StringVar(&opts.Workload, "workload", "", "migration, seed: the app workload whose context the hook runs in, KIND/NAME as rendered (default: the Deployment or StatefulSet the chart's Service selects; asked on a terminal when several fit)")
	f.StringVar(&opts.Framework, "framework", "", "migration, seed: the app's migration tool, which gives the command (and its own image for golang-migrate, atlas, flyway, liquibase, dbmate, sqitch): "+strings.Join(generators.FrameworkNames(), ", "))
	f.BoolVar(&opts.NoAppContext, "no-app-context", false, "migration, seed: do not run in the app workload's context (its image, env, config volumes, security and scheduling)")
	cmd.MarkFlagsMutuallyExclusive("workload", "no-app-context")
	f.BoolVar(&opts.WaitForDB, "wait-for-db", false, "migration, seed, custom: an init container waits until the release's database dependency answers, with that database's client (default: on for a migration or seed at post-install when the release deploys its own database; --wait-for-db=false turns it off; refused at pre-install, before the database exists)")
	f.StringVar(&opts.ValuesKey, "values-key", generators.DefaultValuesKey, "top-level values.yaml key for hook settings")
	bindRenderFlags(f, &opts.Render)
	opts.writeFlags.addFlags(cmd, &opts.WriteOptions, true, "overwrite files that exist and differ", "never prompt; use defaults for anything not given")
}

// addLong is add's help: what it writes and checks, and the tasks.
func addLong() string {
	var tasks []string
	for _, t := range generators.Tasks {
		tasks = append(tasks, fmt.Sprintf("  %-10s %s\n             default: %s", t.Name, t.Summary, t.Defaults))
	}
	return `Write one Helm hook into a chart: templates/hooks/NAME.yaml (the Job, and any
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
migration before seed in each event, without ties.

A migration or seed at post-install whose database the release deploys (a PostgreSQL,
MySQL or MariaDB dependency) waits for it: an init container runs pg_isready,
mysqladmin ping or mariadb-admin ping from the client image of the server's series
until the server answers, within the Job's deadline, as Pod Security "restricted".
--wait-for-db asks for it (migration, seed, custom), --wait-for-db=false leaves it out.

Helm creates the release's objects only after its pre-install hooks succeed. When
hookgen picks the events, a hook that needs them (the release's own database, Secrets
of the app's context that cannot be hook-copied) runs post-install on first install.
An --event with pre-install that cannot work on first install is refused (exit 2,
nothing written) with all it would need and what to pass instead: the release's
database (a dependency, or the chart itself when it is the server) for a migration,
seed or --wait-for-db, and for a backup or restore without --db-host; the database
dependency's Secret without --db-secret and the claim a backup creates without
--storage-claim (a restore uses its backup's); the chart's Service for a smoke-test.`
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
	a := &action.Add{Prompter: opts.asker(), Out: opts.IO.Out, Warn: opts.IO.ErrOut}
	res, err := a.Run(opts.ctx, opts.AddOptions)
	if err != nil {
		return err
	}
	return report(opts, res)
}

// report prints what add did, or would do, and returns the exit status.
func report(opts *AddOptions, res *action.AddResult) error {
	out, wr := res.Output, res.Written
	r := addResult{DryRun: wr.DryRun, Order: map[string][]orderEntry{}, Notes: nonNil(out.Notes), Warnings: nonNil(out.Warnings),
		Files: fileResults(wr.Changes), Diff: jsonDiff(wr), Hook: generatedHook(out.Hook)}
	for _, o := range res.Orders {
		list := []orderEntry{}
		for _, x := range o.Hooks {
			list = append(list, orderEntry{Name: x.Name, Kind: x.Kind, Weight: x.Weight})
		}
		r.Order[o.Event.String()] = list
	}
	return reportWrite(opts.IO, wr, opts.Output, r, func() error { writeAdd(opts.IO, res); return nil })
}

// writeAdd prints add's text report: the files, the hook, each affected
// event's order, notes, and warnings on stderr.
func writeAdd(ios *iostreams.IOStreams, res *action.AddResult) {
	w, out, wr := ios.Out, res.Output, res.Written
	writeFileLines(w, wr.Changes, wr.DryRun, nil)
	h := out.Hook
	planned := ""
	if h.WeightPlanned {
		planned = " (planned)"
	}
	fmt.Fprintf(w, "hook %s: %s, events %s, weight %d%s, delete policy %s\n", h.Name, h.Kind,
		joinStrings(h.Events), h.Weight, planned, joinStrings(h.DeletePolicies))
	plan.WriteEventOrders(w, res.Orders)
	for _, n := range out.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	for _, n := range out.Warnings {
		fmt.Fprintf(ios.ErrOut, "warning: %s\n", n)
	}
	if !wr.Pending && len(wr.Conflicts) == 0 {
		fmt.Fprintln(w, "nothing to change: the chart already has this hook")
	}
}

// nonNil gives JSON an empty list rather than null.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

func joinStrings[T fmt.Stringer](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = x.String()
	}
	return strings.Join(s, ",")
}
