package action

import (
	"context"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/interview"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/verify"
)

// InitOptions are the inputs of `hookgen init`.
type InitOptions struct {
	Chart   string   // the chart to bootstrap (without Create)
	Create  string   // create the chart NAME first, as helm create does
	With    []string // the hooks to add
	WithSet bool     // With was given (else the default, which is asked about)
	DB      string
	// Framework gives the migration's and seed's commands.
	Framework string
	ValuesKey string
	Render    render.Options
	WriteOptions
}

// Init adds the standard lifecycle hooks to a chart at once.
type Init struct {
	Prompter  prompter.Prompter // asks what the options leave out; nil never asks
	Out, Warn io.Writer         // as for Add
}

// InitResult is what an init did, or would do.
type InitResult struct {
	Bootstrap *generators.Bootstrap
	Plan      *plan.Plan // the bootstrapped chart's plan; nil when no hook was added
	Written   *Written
	// Scaffold holds the changeset paths that are helm create's files as
	// they are, which reports summarise rather than list.
	Scaffold map[string]bool
}

// Run validates, locks, creates the scaffold for --create, asks, plans and
// verifies every hook on one render, and applies the change all or nothing
// (with --create the new chart directory itself is part of the change).
func (a *Init) Run(ctx context.Context, opts InitOptions) (*InitResult, error) {
	tasks, err := opts.check()
	if err != nil {
		return nil, err
	}
	lockDir := opts.Chart
	if opts.Create != "" {
		lockDir = filepath.Dir(opts.Create) // locked before NAME is looked at
	}
	unlock, err := lockChart(a.Warn, lockDir, opts.DryRun)
	if err != nil {
		return nil, err
	}
	defer unlock()
	sc, err := newScaffold(opts.Chart, opts.Create)
	if err != nil {
		return nil, err
	}
	defer sc.remove()
	info, err := generators.InspectWith(sc.dir, opts.ValuesKey, opts.Render)
	if err != nil {
		return nil, classify(err)
	}
	q := newAsker(ctx, a.Prompter)
	defer q.done()
	reqs, err := opts.requests(q, a.Out, info, tasks)
	if err != nil {
		return nil, err
	}
	boot, err := generators.PlanBootstrap(info, reqs)
	if err != nil {
		return nil, classify(err)
	}
	res, err := verifyAll(info, boot)
	if err != nil {
		return nil, err
	}
	cs, scaffold, err := sc.stage(boot.Files)
	if err != nil {
		return nil, err
	}
	cs.Resolve(opts.Force, opts.Skip)
	if q.asks() {
		if err := confirm(q.p, a.Out, cs, opts.DryRun, func(p string) bool { return scaffold[p] }); err != nil {
			return nil, err
		}
	}
	if err := q.done(); err != nil {
		return nil, err
	}
	p, err := bootPlan(info, sc.dir, boot, res)
	if err != nil {
		return nil, err
	}
	w, err := apply(cs, opts.DryRun)
	if err != nil {
		return nil, err
	}
	return &InitResult{Bootstrap: boot, Plan: p, Written: w, Scaffold: scaffold}, nil
}

// check validates the options and returns the tasks to add.
func (opts *InitOptions) check() ([]generators.Task, error) {
	if err := generators.ValidateValuesKey(opts.ValuesKey); err != nil {
		return nil, cmdutil.Usage("%v", err)
	}
	if err := checkRender(opts.Render); err != nil {
		return nil, err
	}
	tasks, err := generators.InitTasks(opts.With)
	if err != nil {
		return nil, classify(err)
	}
	if len(tasks) == 0 {
		return nil, cmdutil.Usage("--with is empty; pass any of %s", strings.Join(generators.InitChoices, ", "))
	}
	if opts.DB != "" && !slices.ContainsFunc(tasks, func(t generators.Task) bool { return t.Database }) {
		return nil, cmdutil.Usage("--db only applies with the backup hook")
	}
	return tasks, nil
}

// requests asks for the hooks and their events, or takes the defaults.
// Migration and seed run the app's image, which without a command would
// start the app: their command comes from --framework (asked on a
// terminal); without one, init writes nothing rather than hooks that fail.
func (opts *InitOptions) requests(q *asker, out io.Writer, info *generators.ChartInfo, tasks []generators.Task) ([]generators.Request, error) {
	needsCmd := slices.ContainsFunc(tasks, func(t generators.Task) bool { return t.AppContext })
	// lacks: a task of the list for which the framework has no command.
	lacks := func(f generators.Framework) bool {
		return slices.ContainsFunc(tasks, func(t generators.Task) bool {
			_, err := f.Command(t)
			return t.AppContext && err != nil
		})
	}
	if opts.Framework != "" {
		fw, ok := generators.LookupFramework(opts.Framework)
		if !ok {
			return nil, cmdutil.Usage("unknown framework %q for --framework; use one of: %s", opts.Framework, strings.Join(generators.FrameworkNames(), ", "))
		}
		opts.Framework = fw.Name
		if lacks(fw) {
			return nil, cmdutil.Usage("--framework %s has no seed command: leave the seed out (--with backup,migration) or add it with hookgen add seed --command ...", fw.Name)
		}
	} else if needsCmd && q.asks() {
		var fopts []prompter.Option
		for _, f := range generators.Frameworks {
			if lacks(f) {
				continue
			}
			fopts = append(fopts, prompter.Option{Value: f.Name, Description: f.Summary})
		}
		fw, err := q.p.Select("Migration framework (gives the migration's and seed's commands):", "hookgen add migration --command ... takes any other command", fopts, "rails")
		if err != nil {
			return nil, classify(err)
		}
		opts.Framework = fw
	} else if needsCmd {
		return nil, cmdutil.Usage("the migration and seed run the app's image and need the command they run: pass --framework (%s), or leave them out with --with backup and add them with hookgen add migration --command ...; nothing written", strings.Join(generators.FrameworkNames(), ", "))
	}
	if q.asks() {
		iv := &interview.Init{P: q.p, Info: info, Framework: opts.Framework, Out: out}
		reqs, err := iv.Ask(tasks, opts.DB, opts.ValuesKey, interview.InitGiven{With: opts.WithSet, DB: opts.DB != ""})
		return reqs, classify(err)
	}
	var reqs []generators.Request
	for _, t := range tasks {
		r := generators.Request{Task: t, ValuesKey: opts.ValuesKey}
		if t.Database {
			r.DB = opts.DB
		} else {
			r.Framework = opts.Framework
		}
		reqs = append(reqs, r)
	}
	return reqs, nil
}

// verifyAll checks every hook against one render of the final chart.
func verifyAll(info *generators.ChartInfo, boot *generators.Bootstrap) (*render.Result, error) {
	if len(boot.Outputs) == 0 {
		return nil, nil
	}
	res, err := verify.HooksRendered(info, boot.Rendered, boot.Files, boot.Outputs...)
	return res, cmdutil.WithCode(cmdutil.ExitVerify, err)
}

// bootPlan is the plan of the bootstrapped chart, rendered as an upgrade too.
func bootPlan(info *generators.ChartInfo, dir string, boot *generators.Bootstrap, res *render.Result) (*plan.Plan, error) {
	if res == nil {
		return nil, nil
	}
	ch, err := info.Chart.With(generators.Contents(boot.Files))
	if err != nil {
		return nil, err
	}
	up, upErr := info.Chart.RenderUpgrade(ch, res)
	return plan.Build(plan.Inputs{Install: res, Upgrade: up, UpgradeErr: upErr}, []plan.Operation{plan.Install, plan.Upgrade, plan.Uninstall})
}

// scaffold is the chart init works on: the user's, or for --create a fresh
// helm create chart in a temporary directory whose files join the change.
type scaffold struct {
	dir    string            // the chart to inspect
	root   string            // the changeset's root
	prefix string            // of the chart's files in the changeset
	files  map[string][]byte // --create: helm create's files
	empty  []string          // --create: its empty directories (charts/)
	tmp    string
}

func newScaffold(chart, create string) (*scaffold, error) {
	if create == "" {
		return &scaffold{dir: chart, root: chart}, nil
	}
	if parent := filepath.Dir(create); parent != "." {
		if fi, err := os.Stat(parent); err != nil || !fi.IsDir() {
			return nil, cmdutil.Usage("%s does not exist: create it first (mkdir -p %s) or pass a NAME in an existing directory to --create", parent, parent)
		}
	}
	if _, err := os.Stat(create); err == nil {
		return nil, cmdutil.Errorf(cmdutil.ExitConflict, "%s already exists; pick another NAME for --create, or bootstrap it with --chart %s", create, create)
	}
	name := filepath.Base(create)
	if err := chartutil.ValidateMetadataName(name); err != nil || strings.ContainsAny(name, " /") {
		return nil, cmdutil.Usage("%q is not a valid chart name for --create; use lower-case letters, digits and '-'", name)
	}
	tmp, err := os.MkdirTemp("", "hookgen-create")
	if err != nil {
		return nil, cmdutil.WithCode(cmdutil.ExitFilesystem, err)
	}
	sc := &scaffold{root: filepath.Dir(create), prefix: name + "/", tmp: tmp}
	if sc.dir, err = chartutil.Create(name, tmp); err != nil {
		sc.remove()
		return nil, cmdutil.Usage("helm create %s: %v", name, err)
	}
	if sc.files, sc.empty, err = readTree(sc.dir); err != nil {
		sc.remove()
		return nil, cmdutil.WithCode(cmdutil.ExitFilesystem, err)
	}
	return sc, nil
}

func (sc *scaffold) remove() {
	if sc.tmp != "" {
		os.RemoveAll(sc.tmp)
	}
}

// stage puts the scaffold's files (as the bootstrap changes them), its
// empty directories and the bootstrap's files in one changeset, and returns
// the paths of the scaffold files the bootstrap leaves as they are.
func (sc *scaffold) stage(files []generators.File) (*changeset.Set, map[string]bool, error) {
	cs := changeset.New(sc.root)
	// helm create's files first (as the bootstrap changes them, all of them
	// hookgen's in a new chart), then the bootstrap's other files.
	unchanged := map[string]bool{}
	var all []generators.File
	for _, p := range slices.Sorted(maps.Keys(sc.files)) {
		f := generators.File{Path: p, Content: sc.files[p], Kind: generators.Generated}
		if i := slices.IndexFunc(files, func(f generators.File) bool { return f.Path == p }); i >= 0 {
			f.Content = files[i].Content
		} else {
			unchanged[sc.prefix+p] = true
		}
		all = append(all, f)
	}
	for _, f := range files {
		if _, ok := sc.files[f.Path]; !ok {
			all = append(all, f)
		}
	}
	if err := stage(cs, sc.prefix, all); err != nil {
		return nil, nil, err
	}
	for _, d := range sc.empty {
		if err := cs.Dir(sc.prefix + filepath.ToSlash(d)); err != nil {
			return nil, nil, cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	return cs, unchanged, nil
}

// readTree reads every file under dir, and lists the directories that hold
// none (helm create's charts/), which the changeset adds as directories.
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
