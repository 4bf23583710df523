package action

import (
	"context"
	"io"

	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/lint"
	"github.com/hookgen/hookgen/internal/render"
)

// LintOptions are the inputs of `hookgen lint`.
type LintOptions struct {
	Charts []string
	Lint   lint.Options
	// NameLengthGiven says Lint.ReleaseNameLength was asked for (else it is
	// 0, lint's default).
	NameLengthGiven bool
	Severity        string // report findings at or above it
}

// Lint checks every chart and returns the findings at or above the
// severity, all charts in one report. Notes about the charts' locks go to
// warn.
func Lint(_ context.Context, opts LintOptions, warn io.Writer) (lint.Report, error) {
	min, err := lint.ParseSeverity(opts.Severity)
	if err != nil {
		return lint.Report{}, cmdutil.Usage("%s", err)
	}
	o := opts.Lint
	if o.GitOps != "" && o.GitOps != lint.GitOpsArgoCD {
		return lint.Report{}, cmdutil.Usage("unknown --gitops %q: the only one supported is argocd", o.GitOps)
	}
	if opts.NameLengthGiven && (o.ReleaseNameLength < 1 || o.ReleaseNameLength > render.MaxReleaseNameLen) {
		return lint.Report{}, cmdutil.Usage("--release-name-length %d is out of range: Helm release names are 1 to %d characters", o.ReleaseNameLength, render.MaxReleaseNameLen)
	}
	if o.HelmTimeout <= 0 {
		return lint.Report{}, cmdutil.Usage("--helm-timeout must be positive, e.g. 5m")
	}
	for _, ch := range opts.Charts {
		if err := ChartExists(ch); err != nil {
			return lint.Report{}, err
		}
		unlock, err := lockForRead(warn, ch, false)
		if err != nil {
			return lint.Report{}, err
		}
		defer unlock()
	}
	var all []lint.Finding
	for _, ch := range opts.Charts {
		fs, err := lint.Chart(ch, o)
		if err != nil {
			return lint.Report{}, cmdutil.WithCode(cmdutil.ExitChart, &lint.ChartError{Chart: ch, Err: err})
		}
		all = append(all, fs...)
	}
	return lint.Report{Charts: opts.Charts, Findings: lint.AtLeast(all, min), Min: min}, nil
}
