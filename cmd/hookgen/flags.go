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
