package action

import (
	"context"
	"errors"
	"io"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/render"
)

// RemoveOptions are the inputs of `hookgen remove`.
type RemoveOptions struct {
	Name      string
	Chart     string
	ValuesKey string
	Render    render.Options
	WriteOptions
}

// RemoveResult is what a remove did, or would do.
type RemoveResult struct {
	Removal *generators.Removal
	// Edited is set when parts were changed since add and --force was not
	// given: nothing was written, Written.Diff shows what would go.
	Edited  bool
	Written *Written
}

// Remove takes out exactly what add wrote for a hook. Notes about the
// chart's lock go to warn.
func Remove(_ context.Context, opts RemoveOptions, warn io.Writer) (*RemoveResult, error) {
	if err := checkRender(opts.Render); err != nil {
		return nil, err
	}
	if err := generators.ValidateName(opts.Name); err != nil {
		return nil, cmdutil.Usage("%v", err)
	}
	info, unlock, err := openChart(warn, opts.Chart, opts.ValuesKey, opts.Render, opts.DryRun)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rm, err := generators.PlanRemove(info, opts.Name, opts.Force)
	var nf *generators.NotFoundError
	if errors.As(err, &nf) {
		return nil, cmdutil.WithCode(cmdutil.ExitUsage, err)
	}
	if err != nil {
		return nil, classify(err)
	}
	cs := changeset.New(opts.Chart)
	for _, f := range rm.Deletes {
		if err := cs.Delete(f.Path, f.Content); err != nil {
			return nil, cmdutil.WithCode(cmdutil.ExitFilesystem, err)
		}
	}
	edits := rm.Edits
	if rm.Values != nil {
		edits = append([]generators.File{{Path: "values.yaml", Content: rm.Values, Kind: generators.Edited}}, edits...)
	}
	if err := stage(cs, "", edits); err != nil {
		return nil, err
	}
	// Edited parts without --force: show what would go, write nothing.
	edited := len(rm.Edited) > 0 && !opts.Force
	w, err := apply(cs, opts.DryRun || edited)
	if err != nil {
		return nil, err
	}
	return &RemoveResult{Removal: rm, Edited: edited, Written: w}, nil
}
