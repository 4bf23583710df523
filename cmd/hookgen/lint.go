package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/lint"
	"github.com/hookgen/hookgen/internal/termsafe"
)

// lintOptions are lint's flags: the action's options, bound straight into
// them, and what only the command reads.
type lintOptions struct {
	action.LintOptions
	// releaseNameLength reaches the action only when given: then HG012
	// warns for every name it breaks.
	releaseNameLength int
	output            string
	explain           string
}

func newLintCmd(ios *iostreams.IOStreams) *cobra.Command {
	o := &lintOptions{}
	c := &cobra.Command{
		Use:   "lint [CHART]...",
		Short: "Find the hook mistakes Helm lets through, with rule IDs, JSON and SARIF",
		Long: `Render each chart with the Helm v4 engine (values-driven annotations count,
.helmignore is honoured) and check every hook: unknown events Helm drops
silently, weights and delete policies that quietly mean something else, hooks
that need resources which do not exist yet, Jobs Helm cannot wait on properly,
and more. Rules and their fixes: docs/rules.md.

Severity is consequence: error (Helm or Kubernetes will fail or hang, or data
is lost), warning (breaks under a realistic value, release name or second
release), info (hygiene; shown with --severity info). Read a rule's page, with
its evidence and fix, with --explain HG004.

Silence a rule on one object with the annotation
  hookgen.io/ignore: "HG003,HG010"   (rule IDs or names, or "all")

CHART is a chart directory or a packaged .tgz (default ".").

Exit codes: 0 no finding at or above --severity, 1 findings, 2 usage error,
3 a chart that is missing or does not load or render.`,
		Example: `  hookgen lint
  hookgen lint ./charts/app -f ci/values.yaml --severity error
  hookgen lint charts/* --gitops argocd -o sarif > hookgen.sarif
  hookgen lint -o json | jq '.findings[] | select(.rule == "HG010")'
  hookgen lint --explain HG004`,
		RunE: func(c *cobra.Command, args []string) error {
			if o.explain != "" {
				if len(args) > 0 {
					return cmdutil.Usage("--explain takes no CHART: hookgen lint --explain %s", o.explain)
				}
				page, err := lint.Explain(o.explain)
				if err != nil {
					return cmdutil.Usage("%s", err)
				}
				_, err = ios.Out.Write([]byte(page))
				return err
			}
			o.Charts = args
			if len(o.Charts) == 0 {
				o.Charts = []string{"."}
			}
			if c.Flags().Changed("release-name-length") {
				o.Lint.ReleaseNameLength, o.NameLengthGiven = o.releaseNameLength, true
			}
			return runLint(c.Context(), ios, o)
		},
	}
	f := c.Flags()
	bindValuesFlags(f, &o.Lint.ValuesFiles, &o.Lint.Set, &o.Lint.KubeVersion)
	f.StringVar(&o.Lint.GitOps, "gitops", "", "also check how a GitOps tool runs the hooks: argocd")
	f.StringVar(&o.Severity, "severity", "warning", "report findings at or above: info, warning or error")
	f.IntVar(&o.releaseNameLength, "release-name-length", lint.DefaultReleaseNameLength, "longest release name the chart must support (Job names are checked with it)")
	f.DurationVar(&o.Lint.HelmTimeout, "helm-timeout", lint.DefaultHelmTimeout, "the helm --timeout you deploy with (Job deadlines must be below it)")
	outputFlag(f, &o.output, lint.Formats...)
	f.StringVar(&o.explain, "explain", "", "print the page of a rule (ID or name, e.g. HG004) and exit")
	return c
}

func runLint(ctx context.Context, ios *iostreams.IOStreams, o *lintOptions) error {
	r, err := action.Lint(ctx, o.LintOptions, ios.ErrOut)
	if err != nil {
		return err
	}
	out := ios.Out
	if o.output == "text" {
		// Names and messages come from the chart: no control characters reach the terminal.
		out = termsafe.Writer(out, ios.ColorEnabled())
	}
	if err := lint.Write(out, o.output, r, versionString()); err != nil {
		return err
	}
	if len(r.Findings) > 0 {
		return &cmdutil.SilentError{Code: cmdutil.ExitError}
	}
	return nil
}
