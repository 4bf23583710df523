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

type planOptions struct {
	chart       string
	valuesFiles []string
	set         []string
	release     string
	namespace   string
	kubeVersion string
	operations  string
	output      string
	gitops      string
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
			o.chart = "."
			if len(args) == 1 {
				o.chart = args[0]
			}
			return runPlan(c.Context(), ios, o)
		},
	}
	f := c.Flags()
	f.StringArrayVarP(&o.valuesFiles, "values", "f", nil, "values file (repeatable; merged left to right, as Helm does)")
	f.StringArrayVar(&o.set, "set", nil, "set a value, key=value (repeatable; applied after the files)")
	f.StringVar(&o.release, "release", render.DefaultReleaseName, "release name to render with")
	f.StringVarP(&o.namespace, "namespace", "n", "default", "namespace to render with")
	f.StringVar(&o.kubeVersion, "kube-version", render.DefaultKubeVersion, "Kubernetes version to render for")
	f.StringVar(&o.operations, "operation", "all", "operations to show: install,upgrade,rollback,uninstall,test or all")
	outputFlag(f, &o.output, "text", "json", "mermaid")
	f.StringVar(&o.gitops, "gitops", "", "show the chart as a GitOps tool runs it: argocd")
	c.MarkFlagsMutuallyExclusive("operation", "gitops")
	return c
}

func runPlan(ctx context.Context, ios *iostreams.IOStreams, o *planOptions) error {
	p, err := action.Plan(ctx, action.PlanOptions{
		Chart: o.chart,
		Render: render.Options{
			ValuesFiles: o.valuesFiles, Set: o.set,
			ReleaseName: o.release, Namespace: o.namespace, KubeVersion: o.kubeVersion,
		},
		Operations: o.operations,
		GitOps:     o.gitops,
	}, ios.ErrOut)
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
