package main

import (
	"github.com/spf13/pflag"

	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/render"
)

// renderFlags are the inputs of a chart render that add, init and remove
// share: values files and --set (only to render the chart, never written)
// and the Kubernetes version.
type renderFlags struct {
	ValuesFiles []string
	Set         []string
	KubeVersion string
}

func (r *renderFlags) addFlags(f *pflag.FlagSet) {
	f.StringArrayVarP(&r.ValuesFiles, "values", "f", nil, "values file to render the chart with (repeatable; for charts that need values to render; not changed)")
	f.StringArrayVar(&r.Set, "set", nil, "set a value to render the chart with, key=value (repeatable; not written)")
	f.StringVar(&r.KubeVersion, "kube-version", render.DefaultKubeVersion, "Kubernetes version to render the chart for")
}

// writeFlags are the flags of the commands that write into a chart: add,
// init and remove.
type writeFlags struct {
	Output                   string
	DryRun, Force, Skip, Yes bool
}

// addFlags binds them; skip is false for remove, which has nothing to skip,
// and force says what --force overrides.
func (w *writeFlags) addFlags(f *pflag.FlagSet, skip bool, force, yes string) {
	f.StringVarP(&w.Output, "output", "o", "text", "output format: text or json")
	f.BoolVar(&w.DryRun, "dry-run", false, "print the diff and write nothing; exit 7 when changes are pending, 0 when none")
	f.BoolVar(&w.Force, "force", false, force)
	if skip {
		f.BoolVar(&w.Skip, "skip", false, "leave files that exist and differ as they are")
	}
	f.BoolVarP(&w.Yes, "yes", "y", false, yes)
}

// validate checks the output format and that --force and --skip are not both given.
func (w *writeFlags) validate() error {
	if w.Force && w.Skip {
		return cmdutil.Usage("--force and --skip contradict each other; pass one")
	}
	if w.Output != "text" && w.Output != "json" {
		return cmdutil.Usage("unknown output format %q; use -o text or -o json", w.Output)
	}
	return nil
}

// options validates the flags into render options.
func (r *renderFlags) options() (render.Options, error) {
	if _, err := render.Capabilities(r.KubeVersion); err != nil {
		return render.Options{}, cmdutil.Usage("%v", err)
	}
	if _, err := render.Values(r.ValuesFiles, r.Set); err != nil {
		return render.Options{}, cmdutil.Usage("%v", err)
	}
	return render.Options{ValuesFiles: r.ValuesFiles, Set: r.Set, KubeVersion: r.KubeVersion}, nil
}
