package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hookgen/hookgen/internal/action"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/render"
)

// bindRenderFlags binds the render inputs add, init and remove share into
// r: values files and --set (only to render the chart, never written) and
// the Kubernetes version.
func bindRenderFlags(f *pflag.FlagSet, r *render.Options) {
	f.StringArrayVarP(&r.ValuesFiles, "values", "f", nil, "values file to render the chart with (repeatable; for charts that need values to render; not changed)")
	f.StringArrayVar(&r.Set, "set", nil, "set a value to render the chart with, key=value (repeatable; not written)")
	f.StringVar(&r.KubeVersion, "kube-version", render.DefaultKubeVersion, "Kubernetes version to render the chart for")
}

// bindValuesFlags binds the render inputs plan and lint share: values files
// and --set, merged as Helm merges them, and the Kubernetes version.
func bindValuesFlags(f *pflag.FlagSet, valuesFiles, set *[]string, kubeVersion *string) {
	f.StringArrayVarP(valuesFiles, "values", "f", nil, "values file (repeatable; merged left to right, as Helm does)")
	f.StringArrayVar(set, "set", nil, "set a value, key=value (repeatable; applied after the files)")
	f.StringVar(kubeVersion, "kube-version", render.DefaultKubeVersion, "Kubernetes version to render for")
}

// writeFlags are the flags of the commands that write into a chart (add,
// init and remove) that only the command reads.
type writeFlags struct {
	Output string
	Yes    bool
}

// addFlags binds -o and --yes to wf, and --dry-run, --force and --skip
// into the action's options w; skip is false for remove, which has nothing
// to skip, and force says what --force overrides.
func (wf *writeFlags) addFlags(c *cobra.Command, w *action.WriteOptions, skip bool, force, yes string) {
	f := c.Flags()
	outputFlag(f, &wf.Output, "text", "json")
	f.BoolVar(&w.DryRun, "dry-run", false, "print the diff and write nothing; exit 7 when changes are pending, 0 when none")
	f.BoolVar(&w.Force, "force", false, force)
	if skip {
		f.BoolVar(&w.Skip, "skip", false, "leave files that exist and differ as they are")
		c.MarkFlagsMutuallyExclusive("force", "skip")
	}
	f.BoolVarP(&wf.Yes, "yes", "y", false, yes)
}

// outputFlag binds -o/--output to p: one of formats, the first the default.
// A value outside them is a flag error, a usage error before any work.
func outputFlag(f *pflag.FlagSet, p *string, formats ...string) {
	*p = formats[0]
	f.VarP(&formatValue{p, formats}, "output", "o", "output format: "+orList(formats))
}

type formatValue struct {
	p       *string
	formats []string
}

func (v *formatValue) String() string { return *v.p }
func (v *formatValue) Type() string   { return "format" }
func (v *formatValue) Set(s string) error {
	if !slices.Contains(v.formats, s) {
		return fmt.Errorf("unknown output format %q; use %s", s, orList(v.formats))
	}
	*v.p = s
	return nil
}

// orList writes "a, b or c".
func orList(xs []string) string { return joinWords(xs, "or") }

// joinWords writes "a, b <conj> c".
func joinWords(xs []string, conj string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " " + conj + " " + xs[len(xs)-1]
}

// writeCmd is what add and init share: the streams, the terminal's
// prompter, the command's context, and the write flags.
type writeCmd struct {
	IO *iostreams.IOStreams
	// Prompter asks for what the flags left out, on a terminal; nil when
	// the streams are not a terminal's files.
	Prompter prompter.Prompter
	ctx      context.Context
	writeFlags
}

func newWriteCmd(ios *iostreams.IOStreams) writeCmd {
	w := writeCmd{IO: ios}
	if s := prompter.NewSurvey(ios.In, ios.Out, ios.ErrOut, ios.ColorEnabled()); s != nil {
		w.Prompter = s
	}
	return w
}

// asker is the prompter when this run may ask: on a terminal, without
// --yes (and without HOOKGEN_NO_PROMPT or CI, see iostreams.CanPrompt).
func (w *writeCmd) asker() prompter.Prompter {
	if w.IO.CanPrompt() && !w.Yes {
		return w.Prompter
	}
	return nil
}
