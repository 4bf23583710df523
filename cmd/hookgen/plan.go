package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/termsafe"
)

// planOptions are plan's flags: the action's options, bound straight into
// them, and the output format.
type planOptions struct {
	action.PlanOptions
	output string
}

func newPlanCmd(ios *iostreams.IOStreams) *cobra.Command {
	o := &planOptions{}
	c := &cobra.Command{
		Use:   "plan [CHART]",
		Short: "Show the exact order in which Helm runs a chart's hooks, per operation",
		Long: `Render the chart with the Helm v4 engine and show, for install, upgrade,
rollback, uninstall and test, every call Helm makes for hooks, in order: the
before-hook-creation delete, the create, the wait (Jobs and Pods only), the
hook-succeeded deletes after the event, where the release's own resources are
applied or deleted, and which hook objects are left in the cluster.

CHART is a chart directory or a packaged .tgz (default ".").`,
		Example: `  hookgen plan ./charts/app -f prod-values.yaml
  hookgen plan app-1.2.0.tgz --operation upgrade,rollback
  hookgen plan -o json | jq '.operations[0].steps'
  hookgen plan -o mermaid > plan.mmd
  hookgen plan --gitops argocd`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 1 {
				return cmdutil.Usage("%s takes at most one CHART (see '%s --help')", c.CommandPath(), c.CommandPath())
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			o.Chart = "."
			if len(args) == 1 {
				o.Chart = args[0]
			}
			return runPlan(c.Context(), ios, o)
		},
	}
	f := c.Flags()
	bindValuesFlags(f, &o.Render.ValuesFiles, &o.Render.Set, &o.Render.KubeVersion)
	f.StringVar(&o.Render.ReleaseName, "release", render.DefaultReleaseName, "release name to render with")
	f.StringVarP(&o.Render.Namespace, "namespace", "n", "default", "namespace to render with")
	f.StringVar(&o.Operations, "operation", "all", "operations to show: install,upgrade,rollback,uninstall,test or all")
	outputFlag(f, &o.output, "text", "json", "mermaid")
	f.StringVar(&o.GitOps, "gitops", "", "show the chart as a GitOps tool runs it: argocd")
	c.MarkFlagsMutuallyExclusive("operation", "gitops")
	return c
}

func runPlan(ctx context.Context, ios *iostreams.IOStreams, o *planOptions) error {
	p, err := action.Plan(ctx, o.PlanOptions, ios.ErrOut)
	if err != nil {
		return err
	}
	switch o.output {
	case "json":
		return writeJSON(ios.Out, p)
	case "mermaid":
		return plan.WriteMermaid(ios.Out, p)
	}
	// Object names come from the chart: no control characters reach the terminal.
	return plan.WriteText(termsafe.Writer(ios.Out, ios.ColorEnabled()), p, plan.TextOptions{Color: ios.ColorEnabled()})
}
