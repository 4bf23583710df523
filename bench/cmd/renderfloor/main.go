// Command renderfloor is the least CPU any tool built on Helm's Go SDK pays
// for one look at a chart: process start-up (the SDK's package inits), load
// the chart with Helm's loader, merge the values files and compute the
// render values with Helm's schema validation, render once with Helm's
// engine and split hooks from manifests with Helm's SortManifests. It is
// the path `helm template` takes (helm.sh/helm/v4 pkg/action/install.go
// RunWithContext and pkg/action/action.go renderResources) without the CLI,
// the output and the cluster. hookbench measures it beside `helm template`,
// `helm lint` and every hookgen command: a goal below the floor cannot be
// met by any tool that renders the chart with the SDK as Helm does, and a
// hookgen command's cost over the floor is what hookgen itself adds. (A
// tool can come in under it only by giving the engine less than Helm
// does, as hookgen's renders leave out byte-identical copies of vendored
// library partials: internal/render/copies.go.)
//
// It takes what hookbench gives `helm template`:
//
//	renderfloor CHART [-f VALUES]... [--kube-version VERSION]
//
// renders as release "release-name" in namespace "default" (an install,
// revision 1), writes one line of counts to stdout, and on an error one
// line to stderr and exits 1 (2 for a usage error).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
	"helm.sh/helm/v4/pkg/engine"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
)

const (
	releaseName = "release-name"
	namespace   = "default"
	// defaultKubeVersion is the version hookbench passes; without
	// --kube-version the SDK's default outside a Helm release build (1.20)
	// fails charts with a kubeVersion constraint.
	defaultKubeVersion = "1.33.0"
)

// errUsage marks a command-line mistake (exit 2).
var errUsage = errors.New("usage: renderfloor CHART [-f VALUES]... [--kube-version VERSION]")

func main() {
	// The GC setting hookgen ships (cmd/hookgen/main.go tuneGC), so a
	// hookgen command's ratio to the floor is its work, not GC tuning.
	if _, ok := os.LookupEnv("GOGC"); !ok {
		debug.SetGCPercent(150)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is main without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	c, err := render(args)
	if err != nil {
		// One line: Helm's schema errors span several.
		fmt.Fprintf(stderr, "renderfloor: %s\n", strings.Join(strings.Fields(err.Error()), " "))
		if errors.Is(err, errUsage) {
			return 2
		}
		return 1
	}
	fmt.Fprintf(stdout, "%d files, %d hooks, %d manifests\n", c.files, c.hooks, c.manifests)
	return 0
}

type counts struct{ files, hooks, manifests int }

type options struct {
	chart       string
	valuesFiles []string
	kubeVersion string
}

// parse reads the arguments; flags may come before or after the chart, as
// with helm.
func parse(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("renderfloor", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	values := func(s string) error { o.valuesFiles = append(o.valuesFiles, s); return nil }
	fs.Func("f", "values file (repeatable; later files override earlier ones)", values)
	fs.Func("values", "same as -f", values)
	fs.StringVar(&o.kubeVersion, "kube-version", defaultKubeVersion, "Kubernetes version for .Capabilities")
	var charts []string
	for {
		if err := fs.Parse(args); err != nil {
			return o, fmt.Errorf("%w (%v)", errUsage, err)
		}
		if fs.NArg() == 0 {
			break
		}
		charts = append(charts, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(charts) != 1 {
		return o, fmt.Errorf("%w (want one chart, got %d)", errUsage, len(charts))
	}
	o.chart = charts[0]
	return o, nil
}

// render is the floor: each step is the SDK call `helm template` makes.
func render(args []string) (counts, error) {
	o, err := parse(args)
	if err != nil {
		return counts{}, err
	}
	ch, err := loader.Load(o.chart)
	if err != nil {
		return counts{}, err
	}
	vals, err := mergeValues(o.valuesFiles)
	if err != nil {
		return counts{}, err
	}
	kv, err := common.ParseKubeVersion(o.kubeVersion)
	if err != nil {
		return counts{}, fmt.Errorf("--kube-version %q: %w", o.kubeVersion, err)
	}
	caps := common.DefaultCapabilities.Copy()
	caps.KubeVersion = *kv
	if ch.Metadata.KubeVersion != "" && !chartutil.IsCompatibleRange(ch.Metadata.KubeVersion, caps.KubeVersion.String()) {
		return counts{}, fmt.Errorf("chart requires kubeVersion: %s which is incompatible with Kubernetes %s", ch.Metadata.KubeVersion, caps.KubeVersion.Version)
	}
	// Conditions and tags drop disabled subcharts before anything renders
	// (pkg/action/install.go).
	if err := chartutil.ProcessDependencies(ch, vals); err != nil {
		return counts{}, fmt.Errorf("chart dependencies processing failed: %w", err)
	}
	rel := common.ReleaseOptions{Name: releaseName, Namespace: namespace, Revision: 1, IsInstall: true}
	top, err := util.ToRenderValuesWithSchemaValidation(ch, vals, rel, caps, false)
	if err != nil {
		return counts{}, err
	}
	var e engine.Engine
	files, err := e.RenderWithContext(context.Background(), ch, top)
	if err != nil {
		return counts{}, err
	}
	// NOTES.txt is rendered but is neither hook nor manifest: Helm removes
	// it before sorting (pkg/action/action.go renderResources).
	for k := range files {
		if strings.HasSuffix(k, "NOTES.txt") {
			delete(files, k)
		}
	}
	hooks, manifests, err := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	if err != nil {
		return counts{}, err
	}
	return counts{len(files), len(hooks), len(manifests)}, nil
}

// mergeValues is what pkg/cli/values.Options.MergeValues does for local -f
// files: each read with loader.LoadValues and merged over the last with
// loader.MergeMaps. MergeValues itself also fetches URLs through
// pkg/getter, whose package inits a tool reading local files need not pay.
func mergeValues(files []string) (map[string]any, error) {
	base := map[string]any{}
	for _, f := range files {
		b, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		cur, err := loader.LoadValues(b)
		b.Close()
		if err != nil {
			return nil, fmt.Errorf("failed to parse %s: %w", f, err)
		}
		base = loader.MergeMaps(base, cur)
	}
	return base, nil
}
