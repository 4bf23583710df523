package lint

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"

	yamlv3 "gopkg.in/yaml.v3"
	chart "helm.sh/helm/v4/pkg/chart/v2"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

// Annotation keys read by the rules.
const (
	annHook        = release.HookAnnotation
	annWeight      = release.HookWeightAnnotation
	annDelete      = release.HookDeleteAnnotation
	annLogs        = release.HookOutputLogAnnotation
	annKeep        = "helm.sh/resource-policy"
	annArgoHook    = "argocd.argoproj.io/hook"
	annIgnore      = "hookgen.io/ignore"
	annHookTimeout = "helm.sh/hook-delete-timeout"
)

// helmEvents is Helm's own table of accepted helm.sh/hook values
// (v4 pkg/release/v1/util/manifest_sorter.go `events`), including the Helm 2
// alias test-success.
var helmEvents = map[string]release.HookEvent{
	"pre-install": release.HookPreInstall, "post-install": release.HookPostInstall,
	"pre-delete": release.HookPreDelete, "post-delete": release.HookPostDelete,
	"pre-upgrade": release.HookPreUpgrade, "post-upgrade": release.HookPostUpgrade,
	"pre-rollback": release.HookPreRollback, "post-rollback": release.HookPostRollback,
	"test": release.HookTest, "test-success": release.HookTest,
}

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
	for _, e := range o.events() {
		if e == ev {
			return true
		}
	}
	return false
}

// waited reports whether Helm waits for this hook to complete (only Jobs and
// Pods; reference §5).
func (o *object) waited() bool { return o.Kind == "Job" || o.Kind == "Pod" }

// head is the subset of a manifest read generically.
type head struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name         string            `json:"name"`
		GenerateName string            `json:"generateName"`
		Namespace    string            `json:"namespace"`
		Labels       map[string]string `json:"labels"`
		Annotations  map[string]any    `json:"annotations"`
	} `json:"metadata"`
}

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
		if strings.HasPrefix(pathBase(p), "_") || strings.TrimSpace(content) == "" {
			continue
		}
		entries := releaseutil.SplitManifests(content)
		keys := make([]string, 0, len(entries))
		for k := range entries {
			keys = append(keys, k)
		}
		sort.Sort(releaseutil.BySplitManifestsOrder(keys))
		regions := docRegions(templates[p])
		for i, k := range keys {
			m := entries[k]
			var h head
			if err := yaml.Unmarshal([]byte(m), &h); err != nil {
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
				Annotations: map[string]string{},
				nonString:   nonStringAnnotations(m),
				raw:         m,
			}
			for key, v := range h.Metadata.Annotations {
				if v == nil {
					o.Annotations[key] = ""
					continue
				}
				if s, ok := v.(string); ok {
					o.Annotations[key] = s
				} else {
					o.Annotations[key] = fmt.Sprint(v)
				}
			}
			if len(regions) == len(keys) {
				o.source, o.srcOff = regions[i].text, regions[i].line
			} else if src, ok := templates[p]; ok {
				o.source = src
			}
			if hv, ok := o.Annotations[annHook]; ok {
				o.IsHook = true
				for v := range strings.SplitSeq(hv, ",") {
					v = strings.ToLower(strings.TrimSpace(v))
					if _, known := helmEvents[v]; !known {
						o.Unknown = append(o.Unknown, v)
					}
				}
				o.Dropped = len(o.Unknown) > 0
				o.Hook = byManifest[p+"\x00"+m]
			}
			decodePod(o, m)
			out = append(out, o)
		}
	}
	return out, nil
}

func pathBase(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
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

// nonStringAnnotations returns the metadata.annotations keys whose YAML value
// is not a string scalar.
func nonStringAnnotations(doc string) map[string]bool {
	var root yamlv3.Node
	if yamlv3.Unmarshal([]byte(doc), &root) != nil || len(root.Content) == 0 {
		return nil
	}
	anns := mapGet(mapGet(root.Content[0], "metadata"), "annotations")
	if anns == nil || anns.Kind != yamlv3.MappingNode {
		return nil
	}
	out := map[string]bool{}
	for i := 0; i+1 < len(anns.Content); i += 2 {
		v := anns.Content[i+1]
		if v.Kind == yamlv3.ScalarNode && v.Tag != "!!str" && v.Tag != "!!null" {
			out[anns.Content[i].Value] = true
		}
	}
	return out
}

func mapGet(n *yamlv3.Node, key string) *yamlv3.Node {
	if n == nil || n.Kind != yamlv3.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
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

type labelSet = labels.Set

// selectorOf returns the pod selector of a Service or workload, or nil when
// the object has none (a Service without a selector selects no pods).
func selectorOf(o *object) labels.Selector {
	if o.raw == "" {
		return nil
	}
	switch o.Kind {
	case "Service", "ReplicationController":
		var s struct {
			Spec struct {
				Selector map[string]string `json:"selector"`
			} `json:"spec"`
		}
		if yaml.Unmarshal([]byte(o.raw), &s) != nil || len(s.Spec.Selector) == 0 {
			return nil
		}
		return labels.SelectorFromSet(s.Spec.Selector)
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
		var s struct {
			Spec struct {
				Selector *metav1.LabelSelector `json:"selector"`
			} `json:"spec"`
		}
		if yaml.Unmarshal([]byte(o.raw), &s) != nil || s.Spec.Selector == nil ||
			(len(s.Spec.Selector.MatchLabels) == 0 && len(s.Spec.Selector.MatchExpressions) == 0) {
			return nil
		}
		sel, err := metav1.LabelSelectorAsSelector(s.Spec.Selector)
		if err != nil {
			return nil
		}
		return sel
	}
	return nil
}
