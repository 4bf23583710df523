package action

import (
	"context"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"io"
	"k8s.io/apimachinery/pkg/util/validation"
	"os"
	"slices"

	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/oneline"
	"github.com/hookgen/hookgen/internal/plan"
	"github.com/hookgen/hookgen/internal/render"
)

// GitOpsTools are the tools plan and lint can model (--gitops).
var GitOpsTools = []string{"argocd"}

// PlanOptions are the inputs of `hookgen plan`.
type PlanOptions struct {
	Chart      string
	Render     render.Options
	Operations string // comma-separated, or "all"
	GitOps     string // "" or one of GitOpsTools
}

// Plan computes the order in which Helm runs the chart's hooks. Notes about
// the chart's lock go to warn.
func Plan(_ context.Context, opts PlanOptions, warn io.Writer) (*plan.Plan, error) {
	if opts.GitOps != "" && !slices.Contains(GitOpsTools, opts.GitOps) {
		return nil, cmdutil.Usage("unknown --gitops %q: only argocd is supported", opts.GitOps)
	}
	ops, err := plan.ParseOperations(opts.Operations)
	if err != nil {
		return nil, cmdutil.Usage("%s", err)
	}
	if _, err := render.Capabilities(opts.Render.KubeVersion); err != nil {
		return nil, cmdutil.Usage("%s", err)
	}
	// helm install refuses these; a plan for them would show a release that cannot exist.
	if n := opts.Render.ReleaseName; n != "" && chartutil.ValidateReleaseName(n) != nil {
		return nil, cmdutil.Usage("--release %q is not a release name Helm accepts: at most 53 characters, lower-case letters, digits, '-' and '.', starting and ending with a letter or digit", n)
	}
	if ns := opts.Render.Namespace; ns != "" && len(validation.IsDNS1123Label(ns)) > 0 {
		return nil, cmdutil.Usage("--namespace %q is not a namespace name: at most 63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit", ns)
	}
	for _, vf := range opts.Render.ValuesFiles {
		if _, err := os.Stat(vf); err != nil {
			return nil, cmdutil.Usage("values file %s: %s", vf, StatReason(err))
		}
	}
	if err := ChartExists(opts.Chart); err != nil {
		return nil, err
	}
	unlock, err := lockForRead(warn, opts.Chart, false)
	if err != nil {
		return nil, err
	}
	defer unlock()
	p, err := plan.Load(opts.Chart, plan.Options{Render: opts.Render, Operations: ops, GitOps: opts.GitOps})
	if err != nil {
		return nil, cmdutil.Errorf(cmdutil.ExitChart, "cannot render chart %s: %s", opts.Chart, oneline.Err(err))
	}
	return p, nil
}
