package action

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/aymanbagabas/go-udiff"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/interview"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/valuesedit"
	"github.com/hookgen/hookgen/internal/verify"
)

// AddOptions are the inputs of `hookgen add`, as the flags give them.
type AddOptions struct {
	Task           string
	Chart          string
	Events         []string
	Weight         string
	DeletePolicies []string
	Name           string
	Image          string
	Command        []string
	Args           []string
	generators.DBSettings
	Keep         int    // backup: dumps kept (with KeepSet)
	Backup       string // restore: the backup hook it restores from
	Service      string // smoke-test: the Service to call
	Port         string // smoke-test: its port
	Path         string // smoke-test: the HTTP path
	ValuesKey    string
	Workload     string // KIND/NAME of the app workload whose context the hook runs in
	NoAppContext bool
	Framework    string // a migration tool of generators.Frameworks
	WaitForDB    bool   // an init container waits for the database (with WaitForDBSet)
	Render       render.Options
	WriteOptions

	// Set says which of the flags whose empty value means something were
	// given at all.
	CommandSet, ArgsSet, PolicySet, WeightSet, KeepSet bool
	WaitForDBSet                                       bool
}

// Add writes one hook into a chart.
type Add struct {
	// Prompter asks for what the options leave out; nil never asks.
	Prompter prompter.Prompter
	// Out shows what the questions are about (diffs, the files to write);
	// Warn gets notes about the chart's lock.
	Out, Warn io.Writer
}

// AddResult is what an add did, or would do.
type AddResult struct {
	Output  *generators.Output
	Orders  []plan.EventOrder // each affected event's hooks, in Helm's order
	Written *Written
}

// Run validates the options, inspects the chart, asks what is missing,
// generates and verifies the hook, and applies the change all or nothing.
func (a *Add) Run(ctx context.Context, opts AddOptions) (*AddResult, error) {
	req, err := opts.request(a.Prompter != nil)
	if err != nil {
		return nil, err
	}
	info, unlock, err := openChart(a.Warn, opts.Chart, opts.ValuesKey, opts.Render, opts.DryRun)
	if err != nil {
		return nil, err
	}
	defer unlock()
	q := newAsker(ctx, a.Prompter)
	defer q.done()
	g := &hookPlanner{info: info, q: q, out: a.Out, replace: opts.Force}
	if q.asks() {
		iv := &interview.Add{P: q.p, Out: a.Out, Info: info, Plan: g.plan, Render: func(o *generators.Output) (*render.Result, error) {
			return verify.Hook(info, o)
		}}
		if req, err = iv.Ask(req, opts.given()); err != nil {
			return nil, classify(err)
		}
		if err := opts.checkTaskFlags(req.Task); err != nil {
			return nil, err
		}
	}
	out, err := g.plan(req)
	if err != nil {
		return nil, classify(err)
	}
	res, err := verify.Hook(info, out)
	if err != nil {
		return nil, cmdutil.WithCode(cmdutil.ExitVerify, err)
	}
	cs := changeset.New(opts.Chart)
	if err := stage(cs, "", out.Files); err != nil {
		return nil, err
	}
	cs.Resolve(opts.Force, opts.Skip)
	if q.asks() {
		if err := confirm(q.p, a.Out, cs, opts.DryRun, nil); err != nil {
			return nil, err
		}
	}
	if err := q.done(); err != nil {
		return nil, err
	}
	w, err := apply(cs, opts.DryRun)
	if err != nil {
		return nil, err
	}
	return &AddResult{Output: out, Orders: plan.EventOrders(res, out.Hook.Events), Written: w}, nil
}

// hookPlanner generates the hook for a request. A values block the user
// edited since add is replaced when --force says so or the user agrees;
// otherwise the replacement is a conflict like any file (Replaced), shown as
// a diff and kept with --skip.
type hookPlanner struct {
	info    *generators.ChartInfo
	q       *asker
	out     io.Writer
	replace bool // replace an edited values block without a conflict
}

func (g *hookPlanner) plan(req generators.Request) (*generators.Output, error) {
	out, err := generators.Generate(g.info, req)
	if err == nil || !errors.Is(err, valuesedit.ErrExists) {
		return out, err
	}
	if g.q.asks() && !g.replace {
		if err := interview.ReplaceValues(g.q.p, g.out, err.Error(), g.valuesDiff(req)); err != nil {
			return nil, err
		}
		g.replace = true
	}
	return generators.Regenerate(g.info, req, g.replace)
}

// valuesDiff shows what replacing the values block would change.
func (g *hookPlanner) valuesDiff(req generators.Request) func() (string, error) {
	return func() (string, error) {
		o, err := generators.Regenerate(g.info, req, true)
		if err != nil {
			return "", err
		}
		for _, f := range o.Files {
			if f.Path == "values.yaml" {
				return udiff.Unified("a/values.yaml", "b/values.yaml", string(g.info.Chart.Values), string(f.Content)), nil
			}
		}
		return "", nil
	}
}

// given says which questions the options answered.
func (opts *AddOptions) given() interview.Given {
	return interview.Given{
		Task: opts.Task != "", Name: opts.Name != "", Events: len(opts.Events) > 0,
		Weight: opts.WeightSet, DeletePolicies: opts.PolicySet,
		Image: strings.TrimSpace(opts.Image) != "", Command: opts.CommandSet, DB: opts.DB != "",
		DBVersion: opts.DBVersion != "", Keep: opts.KeepSet, Backup: opts.Backup != "",
		Service: opts.Service != "", Port: opts.Port != "", Path: opts.Path != "",
		Framework: opts.Framework != "", Workload: opts.Workload != "" || opts.NoAppContext,
	}
}
