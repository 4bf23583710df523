package generators

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/podrefs"
)

// Workload is a Deployment or StatefulSet of the chart (not of a subchart),
// as rendered with the chart's values: the app a migration or seed serves.
type Workload struct {
	Kind string // Deployment or StatefulSet
	Name string // rendered name, for messages ("release-name-shop")
	// Template is the template file that renders it, relative to the chart's
	// templates directory ("deployment.yaml"), and Index its position among
	// the documents of Kind in that file: the generated hook renders the same
	// file at install time and takes this document, so it follows every later
	// change of the chart's values.
	Template string
	Index    int
	// Container is the name of the main container.
	Container string
	Pod       corev1.PodSpec
	Labels    map[string]string // pod template labels
	// Selected: a Service of the chart selects its pods.
	Selected bool
	score    int
}

// Ref is "Kind/Name", how --workload names a workload.
func (w *Workload) Ref() string { return w.Kind + "/" + w.Name }

// MainContainer is the container the hook takes its context from.
func (w *Workload) MainContainer() *corev1.Container {
	for i := range w.Pod.Containers {
		if w.Pod.Containers[i].Name == w.Container {
			return &w.Pod.Containers[i]
		}
	}
	return nil
}

// workloads finds the chart's own Deployments and StatefulSets, best first:
// selected by a Service of the chart, named like the chart (its fullname), running
// the chart's own image.
func (info *ChartInfo) workloads() []*Workload {
	prefix := info.Chart.Name + "/templates/"
	count := map[string]int{}
	var out []*Workload
	var services []map[string]string
	for _, m := range info.Chart.Rendered.Manifests {
		if m.Head == nil || m.Head.Kind != "Service" || !strings.HasPrefix(m.Name, prefix) {
			continue
		}
		var svc corev1.Service
		if yaml.Unmarshal([]byte(m.Content), &svc) == nil && len(svc.Spec.Selector) > 0 {
			services = append(services, svc.Spec.Selector)
		}
	}
	fullname := info.renderedFullname()
	chartImage := info.chartImageRepo()
	for _, m := range info.Chart.Rendered.Manifests {
		if m.Head == nil || (m.Head.Kind != "Deployment" && m.Head.Kind != "StatefulSet") || !strings.HasPrefix(m.Name, prefix) {
			continue
		}
		key := m.Name + "\x00" + m.Head.Kind
		idx := count[key]
		count[key]++
		var spec corev1.PodTemplateSpec
		var name string
		switch m.Head.Kind {
		case "Deployment":
			var d appsv1.Deployment
			if yaml.Unmarshal([]byte(m.Content), &d) != nil {
				continue
			}
			spec, name = d.Spec.Template, d.Name
		default:
			var s appsv1.StatefulSet
			if yaml.Unmarshal([]byte(m.Content), &s) != nil {
				continue
			}
			spec, name = s.Spec.Template, s.Name
		}
		if len(spec.Spec.Containers) == 0 {
			continue
		}
		w := &Workload{
			Kind: m.Head.Kind, Name: name, Template: strings.TrimPrefix(m.Name, prefix), Index: idx,
			Pod: spec.Spec, Labels: spec.Labels,
		}
		w.Container = mainContainer(spec.Spec.Containers, info.Chart.Name, name)
		for _, sel := range services {
			if selects(sel, spec.Labels) {
				w.Selected = true
			}
		}
		if w.Selected {
			w.score += 4
		}
		if fullname != "" && name == fullname {
			w.score += 2
		}
		if c := w.MainContainer(); c != nil && chartImage != "" && strings.Contains(c.Image, chartImage) {
			w.score += 2
		}
		out = append(out, w)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	return out
}

func selects(sel, labels map[string]string) bool {
	for k, v := range sel {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// mainContainer picks the app's container: the only one, else the one named
// like the chart or the workload, else the first.
func mainContainer(cs []corev1.Container, chartName, workload string) string {
	if len(cs) == 1 {
		return cs[0].Name
	}
	for _, c := range cs {
		if c.Name == chartName || strings.HasSuffix(workload, "-"+c.Name) || c.Name == workload {
			return c.Name
		}
	}
	return cs[0].Name
}

// renderedFullname is the chart's fullname for the default release, or "":
// what Inspect rendered FullnameExpr to (detectHelpers sets both together,
// from the same render of the chart's partials).
func (info *ChartInfo) renderedFullname() string {
	if info.FullnameExpr == "" {
		return ""
	}
	return info.FullnameRendered
}

// chartImageRepo is the repository of the chart's top-level image value, or "".
func (info *ChartInfo) chartImageRepo() string {
	if info.Chart.Helm == nil {
		return ""
	}
	img, _ := info.Chart.Helm.Values["image"].(map[string]any)
	repo, _ := img["repository"].(string)
	return repo
}

// AmbiguousWorkloadError names the workloads that fit equally well, for a
// script to choose one with --workload.
type AmbiguousWorkloadError struct{ Candidates []string }

func (e *AmbiguousWorkloadError) Error() string {
	return fmt.Sprintf("several workloads of the chart could be the app the hook serves: %s; pass --workload with one of them (or --no-app-context)", strings.Join(e.Candidates, ", "))
}

// Workloads lists the chart's candidate app workloads, best first, and says
// whether the first is a clear choice.
func (info *ChartInfo) Workloads() (list []*Workload, clear bool) {
	list = info.workloads()
	if len(list) == 0 {
		return nil, false
	}
	return list, len(list) == 1 || list[0].score > list[1].score
}

// FindWorkload resolves --workload ("Kind/name", the kind optional, the name
// as rendered or without the release name prefix) against the candidates.
func (info *ChartInfo) FindWorkload(ref string) (*Workload, error) {
	list := info.workloads()
	kind, name, ok := strings.Cut(ref, "/")
	if !ok {
		kind, name = "", ref
	}
	var names []string
	for _, w := range list {
		names = append(names, w.Ref())
		if kind != "" && !strings.EqualFold(kind, w.Kind) {
			continue
		}
		if w.Name == name || strings.TrimPrefix(w.Name, "release-name-") == name || strings.TrimSuffix(path.Base(w.Template), path.Ext(w.Template)) == name {
			return w, nil
		}
	}
	if len(names) == 0 {
		return nil, usageErr("--workload %s: the chart renders no Deployment or StatefulSet of its own; drop --workload (the hook then runs with its own settings)", ref)
	}
	return nil, usageErr("--workload %s: no such workload in the chart; use one of: %s", ref, strings.Join(names, ", "))
}

// referencedObjects lists the Secrets, ConfigMaps and ServiceAccount the
// hook's context uses from the workload's pod: env and envFrom of the main
// container, its config volumes, and the pod's ServiceAccount.
func (w *Workload) referencedObjects() []objRef {
	var refs []podrefs.Ref
	if c := w.MainContainer(); c != nil {
		refs = append(podrefs.Env(c), podrefs.EnvFrom(c)...)
	}
	refs = append(refs, podrefs.Volumes(w.configVolumes())...)
	if sa := w.Pod.ServiceAccountName; sa != "" && sa != "default" {
		refs = append(refs, podrefs.Ref{Kind: "ServiceAccount", Name: sa})
	}
	var out []objRef
	for _, r := range podrefs.Objects(refs) {
		out = append(out, objRef{Kind: r.Kind, Name: r.Name})
	}
	return out
}

// configVolumes are the pod's ConfigMap, Secret and projected volumes that
// the main container mounts: what the hook takes over.
func (w *Workload) configVolumes() []corev1.Volume {
	c := w.MainContainer()
	if c == nil {
		return nil
	}
	var out []corev1.Volume
	for _, v := range w.Pod.Volumes {
		if v.ConfigMap == nil && v.Secret == nil && v.Projected == nil {
			continue
		}
		if slices.ContainsFunc(c.VolumeMounts, func(m corev1.VolumeMount) bool { return m.Name == v.Name }) {
			out = append(out, v)
		}
	}
	return out
}

// objRef is a Kubernetes object the hook refers to by name.
type objRef struct{ Kind, Name string }

func (r objRef) String() string { return r.Kind + "/" + r.Name }

// appWorkload finds the workload a migration or seed serves: --workload, else
// the clear best candidate; several equally good ones are a usage error that
// names them (a terminal asks before it comes to that).
func appWorkload(info *ChartInfo, req Request) (*Workload, error) {
	if req.Workload != "" {
		return info.FindWorkload(req.Workload)
	}
	list, clear := info.Workloads()
	if len(list) == 0 {
		return nil, nil
	}
	if !clear {
		var names []string
		for _, w := range list {
			if w.score == list[0].score {
				names = append(names, w.Ref())
			}
		}
		return nil, &UsageError{&AmbiguousWorkloadError{Candidates: names}}
	}
	return list[0], nil
}

// releaseObjects are the objects the release itself creates (subcharts
// included), by Kind/name.
func (info *ChartInfo) releaseObjects() map[objRef]bool {
	out := map[objRef]bool{}
	for _, m := range info.Chart.Rendered.Manifests {
		if m.Head != nil && m.Head.Metadata != nil {
			out[objRef{m.Head.Kind, m.Head.Metadata.Name}] = true
		}
	}
	return out
}

// releaseRefs lists the objects of the hook's app context that the release
// creates: they do not exist before install and are the previous revision's
// at pre-upgrade.
func (h *Hook) releaseRefs(info *ChartInfo) []string { return h.appRefs(info, true) }

// externalRefs lists the objects of the hook's app context that come from
// outside the release (an existingSecret): they exist at every event.
func (h *Hook) externalRefs(info *ChartInfo) []string { return h.appRefs(info, false) }

// appRefs lists the objects of the hook's app context that the release
// creates (inRelease) or that come from outside it (not inRelease). The
// app's ServiceAccount is in neither: it is used only at events where it
// exists.
func (h *Hook) appRefs(info *ChartInfo, inRelease bool) []string {
	if h.App == nil {
		return nil
	}
	rel := info.releaseObjects()
	var out []string
	for _, r := range h.App.referencedObjects() {
		if rel[r] == inRelease && r.Kind != "ServiceAccount" {
			out = append(out, r.String())
		}
	}
	return out
}
