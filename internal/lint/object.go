package lint

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	release "helm.sh/helm/v4/pkg/release/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/render"
)

// Annotation keys read by the rules.
const (
	annHook        = helmhook.Annotation
	annWeight      = helmhook.WeightAnnotation
	annDelete      = helmhook.DeleteAnnotation
	annLogs        = helmhook.OutputLogAnnotation
	annKeep        = "helm.sh/resource-policy"
	annArgoHook    = "argocd.argoproj.io/hook"
	annIgnore      = "hookgen.io/ignore"
	annHookTimeout = "helm.sh/hook-delete-timeout"
)

// object is one rendered Kubernetes document, with what the rules need.
type object struct {
	File string // Helm's path of the rendered template, e.g. app/templates/job.yaml
	Doc  int    // index of the document in that file, as SplitManifests numbers it

	Kind, APIVersion, Name, GenerateName, Namespace string
	Annotations                                     map[string]string
	Labels                                          map[string]string
	// nonString lists annotation keys whose YAML value is not a string (an
	// unquoted number or boolean); the API server rejects those.
	nonString map[string]bool

	IsHook  bool
	Dropped bool     // helm.sh/hook has an unknown value: Helm skips the object
	Unknown []string // the unknown helm.sh/hook values
	Hook    *release.Hook

	PodMeta *metav1.ObjectMeta // pod template (Job, workloads) or the Pod itself
	PodSpec *corev1.PodSpec
	Job     *batchv1.Job

	raw    string // the rendered document
	source string // template source of this document (best effort), for line lookup
	srcOff int    // line offset of source within the template file
}

func (o *object) ref() string { return o.Kind + "/" + o.Name }

// events returns the hook's events as Helm parsed them.
func (o *object) events() []release.HookEvent {
	if o.Hook == nil {
		return nil
	}
	return o.Hook.Events
}

func (o *object) hasEvent(ev release.HookEvent) bool {
	return slices.Contains(o.events(), ev)
}

// waited reports whether Helm waits for this hook to complete.
func (o *object) waited() bool { return helmhook.Waited(o.Kind) }

// podTemplateHolder decodes the pod template of the workload kinds.
type podTemplateHolder struct {
	Spec struct {
		Template corev1.PodTemplateSpec `json:"template"`
		// CronJob
		JobTemplate struct {
			Spec struct {
				Template corev1.PodTemplateSpec `json:"template"`
			} `json:"spec"`
		} `json:"jobTemplate"`
	} `json:"spec"`
}

// parseObjects splits every rendered manifest file the way Helm's
// SortManifests does (sorted paths, partials and empty files skipped) and
// decodes each document. Unlike SortManifests it keeps hooks with unknown
// events, which Helm drops silently.
func parseObjects(files map[string]string, hooks []*release.Hook, templates map[string]string) ([]*object, error) {
	byManifest := map[string]*release.Hook{}
	for _, h := range hooks {
		byManifest[h.Path+"\x00"+h.Manifest] = h
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var out []*object
	for _, p := range paths {
		content := files[p]
		if render.IsPartial(p) || strings.TrimSpace(content) == "" {
			continue
		}
		docs := render.SplitManifests(content)
		regions := docRegions(templates[p])
		for i, m := range docs {
			h, err := helmhook.ParseHead(m)
			if err != nil {
				return nil, fmt.Errorf("YAML parse error on %s: %w", p, err)
			}
			if h.Kind == "" && h.Metadata.Name == "" {
				continue // a document of comments only
			}
			o := &object{
				File: p, Doc: i,
				Kind: h.Kind, APIVersion: h.APIVersion,
				Name: h.Metadata.Name, GenerateName: h.Metadata.GenerateName, Namespace: h.Metadata.Namespace,
				Labels:      h.Metadata.Labels,
				Annotations: h.Metadata.Annotations,
				nonString:   map[string]bool{},
				raw:         m,
			}
			if o.Annotations == nil {
				o.Annotations = map[string]string{}
			}
			for _, k := range h.NonString {
				o.nonString[k] = true
			}
			if len(regions) == len(docs) {
				o.source, o.srcOff = regions[i].text, regions[i].line
			} else if src, ok := templates[p]; ok {
				o.source = src
			}
			if hv, ok := o.Annotations[annHook]; ok {
				o.IsHook = true
				o.Unknown = helmhook.UnknownEvents(hv)
				o.Dropped = len(o.Unknown) > 0
				o.Hook = byManifest[p+"\x00"+m]
			}
			decodePod(o, m)
			out = append(out, o)
		}
	}
	return out, nil
}

// decodePod fills the pod template of kinds that run pods. A document that
// does not decode (a templating mistake) is left without a pod spec; the API
// server would reject it anyway.
func decodePod(o *object, m string) {
	switch o.Kind {
	case "Pod":
		var p corev1.Pod
		if yaml.Unmarshal([]byte(m), &p) == nil {
			o.PodMeta, o.PodSpec = &p.ObjectMeta, &p.Spec
		}
	case "Job":
		var j batchv1.Job
		if yaml.Unmarshal([]byte(m), &j) == nil {
			o.Job = &j
			o.PodMeta, o.PodSpec = &j.Spec.Template.ObjectMeta, &j.Spec.Template.Spec
		}
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController":
		var t podTemplateHolder
		if yaml.Unmarshal([]byte(m), &t) == nil {
			o.PodMeta, o.PodSpec = &t.Spec.Template.ObjectMeta, &t.Spec.Template.Spec
		}
	case "CronJob":
		var t podTemplateHolder
		if yaml.Unmarshal([]byte(m), &t) == nil {
			tpl := t.Spec.JobTemplate.Spec.Template
			o.PodMeta, o.PodSpec = &tpl.ObjectMeta, &tpl.Spec
		}
	}
}

// templateSources maps Helm's rendered path (chart/charts/sub/templates/x) to
// the template source, for the chart and all its dependencies.
func templateSources(ch *chart.Chart) map[string]string {
	out := map[string]string{}
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		for _, t := range c.Templates {
			out[c.ChartFullPath()+"/"+t.Name] = string(t.Data)
		}
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(ch)
	return out
}

type region struct {
	text string
	line int // 0-based line of the region's first line in the file
}

var docSep = regexp.MustCompile(`^---\s*(#.*)?$`)

// docRegions splits a template source on document separators, dropping
// regions that hold no YAML (only template actions and comments), so the
// regions line up with the rendered documents when the template has no
// loops or conditionals that add or remove documents.
func docRegions(src string) []region {
	if src == "" {
		return nil
	}
	lines := strings.Split(src, "\n")
	var out []region
	start := 0
	flush := func(end int) {
		text := strings.Join(lines[start:end], "\n")
		if hasYAML(text) {
			out = append(out, region{text: text, line: start})
		}
	}
	for i, l := range lines {
		if docSep.MatchString(l) {
			flush(i)
			start = i + 1
		}
	}
	flush(len(lines))
	return out
}

var yamlKeyLine = regexp.MustCompile(`^\s*[A-Za-z"'][^:{}]*:`)

func hasYAML(text string) bool {
	for l := range strings.SplitSeq(text, "\n") {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "{{") {
			continue
		}
		if yamlKeyLine.MatchString(l) {
			return true
		}
	}
	return false
}

// line returns the 1-based line in the template file of the first of keys
// found in the object's source, or 0 when none is found there.
func (o *object) line(keys ...string) int {
	if o.source == "" {
		return 0
	}
	lines := bytes.Split([]byte(o.source), []byte("\n"))
	for _, k := range keys {
		for i, l := range lines {
			if bytes.Contains(l, []byte(k)) {
				return o.srcOff + i + 1
			}
		}
	}
	return 0
}

// objectLine is the fallback anchor for findings about the whole object.
func (o *object) objectLine() int {
	return o.line("kind: "+o.Kind, "kind:")
}

// selectorOf returns the pod selector of a Service, workload or
// PodDisruptionBudget, or nil.
func selectorOf(o *object) labels.Selector {
	if o.raw == "" {
		return nil
	}
	return helmhook.PodSelector(o.Kind, o.raw)
}
