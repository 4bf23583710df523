package main

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/lint"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/termsafe"
)

type lintOptions struct {
	charts            []string
	valuesFiles       []string
	set               []string
	kubeVersion       string
	gitops            string
	severity          string
	releaseNameLength int
	nameLengthGiven   bool // --release-name-length was given: HG012 warns for every name it breaks
	helmTimeout       time.Duration
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
			o.charts = args
			o.nameLengthGiven = c.Flags().Changed("release-name-length")
			if len(o.charts) == 0 {
				o.charts = []string{"."}
			}
			return runLint(c.Context(), ios, o)
		},
	}
	f := c.Flags()
	f.StringArrayVarP(&o.valuesFiles, "values", "f", nil, "values file (repeatable; merged left to right, as Helm does)")
	f.StringArrayVar(&o.set, "set", nil, "set a value, key=value (repeatable; applied after the files)")
	f.StringVar(&o.kubeVersion, "kube-version", render.DefaultKubeVersion, "Kubernetes version to render for")
	f.StringVar(&o.gitops, "gitops", "", "also check how a GitOps tool runs the hooks: argocd")
	f.StringVar(&o.severity, "severity", "warning", "report findings at or above: info, warning or error")
	f.IntVar(&o.releaseNameLength, "release-name-length", lint.DefaultReleaseNameLength, "longest release name the chart must support (Job names are checked with it)")
	f.DurationVar(&o.helmTimeout, "helm-timeout", lint.DefaultHelmTimeout, "the helm --timeout you deploy with (Job deadlines must be below it)")
	outputFlag(f, &o.output, lint.Formats...)
	f.StringVar(&o.explain, "explain", "", "print the page of a rule (ID or name, e.g. HG004) and exit")
	return c
}

func runLint(ctx context.Context, ios *iostreams.IOStreams, o *lintOptions) error {
	opts := action.LintOptions{
		Charts:   o.charts,
		Severity: o.severity,
		Lint: lint.Options{
			ValuesFiles: o.valuesFiles, Set: o.set, KubeVersion: o.kubeVersion, GitOps: o.gitops,
			HelmTimeout: o.helmTimeout,
		},
	}
	if o.nameLengthGiven {
		opts.Lint.ReleaseNameLength, opts.NameLengthGiven = o.releaseNameLength, true
	}
	r, err := action.Lint(ctx, opts, ios.ErrOut)
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
