// Package verify proves a generated hook before anything is written: the
// changed chart is rendered in memory with Helm's engine, and the new hook
// must be there with the intended events, weight and policies, decode
// strictly into batch/v1, fit in 63 characters for any release name, keep
// out of the chart's Service selectors and pass Pod Security "restricted".
package verify

import (
	"fmt"
	"path"
	"slices"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/oneline"
	"github.com/hookgen/hookgen/internal/podsecurity"
	"github.com/hookgen/hookgen/internal/render"
)

// Error is a failed verification: hookgen would have written a broken hook.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "the generated hook failed verification, nothing was written: " + strings.Join(e.Problems, "; ")
}

// Hook renders the chart with out's files and checks the new hook. It
// returns the rendered chart so the caller can report the resulting order.
func Hook(info *generators.ChartInfo, out *generators.Output) (*render.Result, error) {
	return HooksRendered(info, nil, out.Files, out)
}

// HooksRendered renders the chart with files once (unless rendered,
// info.Chart.RenderChange(files), was made already: init's plan renders it)
// and checks each of the hooks planned into them (init plans several into
// one set of files).
func HooksRendered(info *generators.ChartInfo, rendered *render.Result, files []generators.File, outs ...*generators.Output) (*render.Result, error) {
	// A hook that renders only when asked for (a manual restore) is
	// checked as it renders when asked for.
	var sets []string
	for _, out := range outs {
		sets = append(sets, out.VerifySet...)
	}
	if len(sets) > 0 {
		vi := *info
		vi.Chart = info.Chart.WithSet(sets)
		info = &vi
		rendered = nil // rendered without them
	}
	changed := generators.Contents(files)
	res := rendered
	if res == nil {
		var err error
		if res, err = info.Chart.RenderChange(changed); err != nil {
			return nil, &Error{[]string{"the chart does not render with the new hook: " + oneline.Err(err)}}
		}
	}
	// The Job names with the longest release name, of every hook in one
	// render; when that fails, each hook is rendered alone to say which.
	var long map[string]string
	if len(outs) > 1 {
		var tpls []string
		for _, out := range outs {
			tpls = append(tpls, out.Hook.TemplatePath)
		}
		if out, err := info.Chart.RenderTemplates(changed, tpls, render.LongReleaseName); err == nil {
			long = out
		}
	}
	var problems []string
	for _, out := range outs {
		ps := checkHook(info, res, changed, out, long)
		if len(outs) > 1 {
			for i := range ps {
				ps[i] = out.Hook.Name + ": " + ps[i]
			}
		}
		problems = append(problems, ps...)
	}
	if len(problems) > 0 {
		return nil, &Error{problems}
	}
	return res, nil
}

// checkHook checks one planned hook in the rendered chart.
// long holds the hooks' templates rendered with the longest release name,
// when one render made them all.
func checkHook(info *generators.ChartInfo, res *render.Result, files map[string][]byte, out *generators.Output, long map[string]string) []string {
	want := path.Join(info.Chart.Name, out.Hook.TemplatePath)
	var mine, copies []*release.Hook
	for _, h := range res.Hooks {
		switch {
		case h.Path != want:
		case len(out.Hook.Copies) > 0 && h.Kind != "Job":
			copies = append(copies, h)
		default:
			mine = append(mine, h)
		}
	}
	if len(mine) != 1 {
		return []string{fmt.Sprintf("%s rendered %d hooks, want exactly one Job", want, len(mine))}
	}
	var problems []string
	h := mine[0]
	problems = append(problems, checkCopies(copies, h, out)...)
	if h.Kind != "Job" {
		problems = append(problems, fmt.Sprintf("%s is a %s, want a Job", want, h.Kind))
	}
	if !slices.Equal(h.Events, out.Hook.Events) {
		problems = append(problems, fmt.Sprintf("events %v, want %v", h.Events, out.Hook.Events))
	}
	if h.Weight != out.Hook.Weight {
		problems = append(problems, fmt.Sprintf("weight %d, want %d", h.Weight, out.Hook.Weight))
	}
	if !slices.Equal(h.DeletePolicies, out.Hook.DeletePolicies) {
		problems = append(problems, fmt.Sprintf("delete policies %v, want %v", h.DeletePolicies, out.Hook.DeletePolicies))
	}
	if !slices.Contains(h.OutputLogPolicies, release.HookOutputOnFailed) {
		problems = append(problems, "no hook-failed output log policy")
	}
	problems = append(problems, checkJob(h.Manifest, info, out)...)
	// Other documents of the hook's file (helper resources) must decode too.
	for _, m := range res.Manifests {
		if m.Name == want {
			problems = append(problems, strictKnown(m)...)
		}
	}
	// The name must fit for the longest release name Helm accepts.
	var name string
	var err error
	if rendered, ok := long[out.Hook.TemplatePath]; ok {
		name, err = jobName(rendered)
	} else {
		name, err = renderOne(info, files, out, render.LongReleaseName)
	}
	if err != nil {
		problems = append(problems, fmt.Sprintf("rendering with a %d-character release name: %s", render.MaxReleaseNameLen, oneline.Err(err)))
	} else if len(name) > 63 {
		problems = append(problems, fmt.Sprintf("Job name %q is %d characters with a %d-character release name; the limit is 63", name, len(name), render.MaxReleaseNameLen))
	}
	return problems
}

func checkJob(manifest string, info *generators.ChartInfo, out *generators.Output) []string {
	var job batchv1.Job
	if err := yaml.UnmarshalStrict([]byte(manifest), &job); err != nil {
		return []string{"the Job does not decode strictly into batch/v1: " + oneline.Err(err)}
	}
	var p []string
	if len(job.Name) > 63 {
		p = append(p, fmt.Sprintf("Job name %q is longer than 63 characters", job.Name))
	}
	spec := job.Spec.Template.Spec
	if spec.RestartPolicy != corev1.RestartPolicyNever {
		p = append(p, "restartPolicy is not Never")
	}
	if job.Spec.BackoffLimit == nil || job.Spec.ActiveDeadlineSeconds == nil {
		p = append(p, "backoffLimit and activeDeadlineSeconds must be set")
	}
	psa := podsecurity.Restricted(&job.Spec.Template.ObjectMeta, &spec)
	if a := out.Hook.App; a != nil && len(psa) > 0 && out.Hook.Image == "" {
		// On the app's own image the hook runs as the app does: if the
		// app's pods are not "restricted", neither can the hook be.
		if appPSA := podsecurity.Restricted(&metav1.ObjectMeta{Labels: a.Labels}, &a.Pod); len(appPSA) > 0 {
			for i, f := range appPSA {
				appPSA[i], _, _ = strings.Cut(f, " (")
			}
			out.Notes = append(out.Notes, fmt.Sprintf("the app's own pods (%s) do not meet Pod Security \"restricted\" (%s); the hook runs as the app does, so neither does it: a namespace enforcing \"restricted\" rejects both", a.Ref(), strings.Join(appPSA, "; ")))
			psa = nil
		}
	}
	for _, f := range psa {
		p = append(p, "Pod Security restricted: "+f)
	}
	for _, c := range spec.InitContainers {
		if c.Name != generators.WaitContainer {
			continue
		}
		for _, f := range podsecurity.RestrictedContainer(c) {
			p = append(p, "init container "+c.Name+": Pod Security restricted: "+f)
		}
	}
	if info.Matches(job.Spec.Template.Labels) {
		p = append(p, fmt.Sprintf("pod labels %v are matched by a Service or workload selector of the chart", job.Spec.Template.Labels))
	}
	return p
}

// strictKnown decodes the kinds hookgen emits besides Jobs strictly.
func strictKnown(m releaseutil.Manifest) []string {
	if m.Head == nil {
		return nil
	}
	var err error
	switch m.Head.Kind {
	case "PersistentVolumeClaim":
		err = yaml.UnmarshalStrict([]byte(m.Content), &corev1.PersistentVolumeClaim{})
	case "Secret":
		err = yaml.UnmarshalStrict([]byte(m.Content), &corev1.Secret{})
	case "ServiceAccount":
		err = yaml.UnmarshalStrict([]byte(m.Content), &corev1.ServiceAccount{})
	}
	if err != nil {
		return []string{fmt.Sprintf("%s %s does not decode strictly: %s", m.Head.Kind, m.Head.Metadata.Name, oneline.Err(err))}
	}
	return nil
}

// renderOne renders only the hook's template (with the chart's named
// templates) for releaseName and returns the Job's name.
func renderOne(info *generators.ChartInfo, files map[string][]byte, out *generators.Output, releaseName string) (string, error) {
	rendered, err := info.Chart.RenderTemplate(files, out.Hook.TemplatePath, releaseName)
	if err != nil {
		return "", err
	}
	return jobName(rendered)
}

// jobName is the name of the Job a rendered hook template holds.
func jobName(rendered string) (string, error) {
	for _, doc := range releaseutil.SplitManifests(rendered) {
		var head releaseutil.SimpleHead
		if yaml.Unmarshal([]byte(doc), &head) == nil && head.Kind == "Job" && head.Metadata != nil {
			return head.Metadata.Name, nil
		}
	}
	return "", fmt.Errorf("no Job rendered")
}

// checkCopies checks the hook copies of the app's Secrets and ConfigMaps
// (generators.ContextCopy): one per planned copy, at the Job's events, at
// the planned weight below the Job's, decoding strictly.
func checkCopies(copies []*release.Hook, job *release.Hook, out *generators.Output) []string {
	var p []string
	if len(copies) != len(out.Hook.Copies) {
		p = append(p, fmt.Sprintf("%d hook copies rendered, want %d (%s)", len(copies), len(out.Hook.Copies), copyNames(out.Hook.Copies)))
	}
	for _, c := range copies {
		if !slices.Equal(c.Events, job.Events) || c.Weight != out.Hook.CopyWeight || c.Weight >= job.Weight {
			p = append(p, fmt.Sprintf("hook copy %s %s: events %v weight %d, want %v weight %d", c.Kind, c.Name, c.Events, c.Weight, job.Events, out.Hook.CopyWeight))
		}
		var err error
		switch c.Kind {
		case "Secret":
			err = yaml.UnmarshalStrict([]byte(c.Manifest), &corev1.Secret{})
		case "ConfigMap":
			err = yaml.UnmarshalStrict([]byte(c.Manifest), &corev1.ConfigMap{})
		default:
			err = fmt.Errorf("a %s, want a Secret or ConfigMap", c.Kind)
		}
		if err != nil {
			p = append(p, fmt.Sprintf("hook copy %s %s does not decode strictly: %s", c.Kind, c.Name, oneline.Err(err)))
		}
	}
	return p
}

func copyNames(cs []generators.ContextCopy) string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Kind+"/"+c.CopyName)
	}
	return strings.Join(s, ", ")
}
