package interview

import (
	"errors"
	"io"
	"slices"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/prompter"
)

// Init is the question flow of `hookgen init`: which hooks, the database
// kind for the backup, and the events of each hook.
type Init struct {
	P    prompter.Prompter
	Info *generators.ChartInfo
	// Framework gives the migration's and seed's commands.
	Framework string
	// Out shows why an answer is asked again.
	Out io.Writer
}

// InitGiven says which answers the flags already gave.
type InitGiven struct{ With, DB bool }

// Ask returns the requests to plan. tasks and db are what the flags (or
// their defaults) say; answers equal to the defaults leave the requests as
// --yes makes them. Hooks the chart already has are not asked about.
func (in *Init) Ask(tasks []generators.Task, db, valuesKey string, given InitGiven) ([]generators.Request, error) {
	p := in.P
	if !given.With {
		var opts []prompter.Option
		// In the order they run within an event.
		for _, n := range generators.InitChoices {
			t, _ := generators.LookupTask(n)
			opts = append(opts, prompter.Option{Value: t.Name, Description: t.Summary})
		}
		var defs []string
		for _, t := range tasks {
			defs = append(defs, t.Name)
		}
		chosen, err := p.MultiSelect("Hooks to add:", "planned together: backup before restore before migration before seed in every event; restore (at pre-rollback it replaces the database with the dump of the revision rolled back to) and smoke-test (a helm test of the chart's Service) are offered, not preselected", opts, defs)
		if err != nil {
			return nil, err
		}
		if tasks, err = generators.InitTasks(chosen); err != nil {
			return nil, err
		}
	}
	var reqs []generators.Request
	for _, t := range tasks {
		r := generators.Request{Task: t, ValuesKey: valuesKey}
		if t.Database {
			r.DB = db
		} else {
			r.Framework = in.Framework
		}
		reqs = append(reqs, r)
	}
	// What --yes would plan: the defaults to offer, and which hooks the
	// chart already has.
	boot, err := generators.PlanBootstrap(in.Info, slices.Clone(reqs))
	if err != nil {
		return nil, err
	}
	planned := map[string]*generators.Output{}
	for _, o := range boot.Outputs {
		planned[o.Hook.Task.Name] = o
	}
	for i := range reqs {
		r := &reqs[i]
		out := planned[r.Task.Name]
		if out == nil {
			continue // already in the chart
		}
		if r.Task.Database && !given.DB {
			d, err := askDatabase(p, in.Info, "Database for the backup:", out.Hook.DB)
			if err != nil {
				return nil, err
			}
			if d != out.Hook.DB {
				r.DB = d
			}
		}
		plan := in.planAt(reqs, i)
		opts := eventOptions(preInstallNote(plan, *r))
		defs := helmhook.Strings(out.Hook.Events)
		if err := askAgainOnPreInstall(in.Out, plan, r, func() error {
			return askSet(p, &r.Events, helmhook.ParseEvents, "Events for "+r.Task.Name+":", r.Task.Defaults, opts, defs)
		}); err != nil {
			return nil, err
		}
	}
	return reqs, nil
}

// planAt plans r in place of reqs[i], for preInstallNote and the events
// asked again: alone, or, when alone it cannot be planned (a restore whose
// backup is planned with it), with the others as --yes would plan them.
func (in *Init) planAt(reqs []generators.Request, i int) func(generators.Request) (*generators.Output, error) {
	return func(r generators.Request) (*generators.Output, error) {
		out, err := generators.Generate(in.Info, placeholder(r))
		var fe *generators.FirstInstallError
		if err == nil || errors.As(err, &fe) {
			return out, err
		}
		rs := slices.Clone(reqs)
		rs[i] = r
		for j := range rs {
			rs[j] = placeholder(rs[j])
		}
		_, err = generators.PlanBootstrap(in.Info, rs)
		return nil, err
	}
}

// placeholder gives r a placeholder command where the app's image needs
// one and no answer (command, args or framework) gave it yet, so that a
// plan made mid-interview shows the defaults hookgen would use.
func placeholder(r generators.Request) generators.Request {
	if r.Task.AppContext && r.Command == nil && len(r.Args) == 0 && r.Framework == "" {
		r.Command = []string{"placeholder"}
	}
	return r
}
