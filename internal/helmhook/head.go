package helmhook

import (
	"sort"

	"sigs.k8s.io/yaml"
)

// Head is the part of a rendered manifest the hook rules read.
type Head struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name         string            `json:"name"`
		GenerateName string            `json:"generateName"`
		Namespace    string            `json:"namespace"`
		Labels       map[string]string `json:"labels"`
		// Annotations are read into strings exactly as Helm's SimpleHead
		// reads them (sigs.k8s.io/yaml turns an unquoted 5 into "5").
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
	// NonString lists, sorted, the annotation keys whose YAML value is not
	// a string: an unquoted number or boolean (YAML 1.1, as Helm and kubectl
	// read it: yes and on are booleans too). Helm reads them, but the
	// Kubernetes API rejects the object. A null value is not listed: it
	// reads as "".
	NonString []string `json:"-"`
}

// ParseHead decodes a manifest's head with sigs.k8s.io/yaml, the library
// Helm's SortManifests and its kube client use, so every value reads as Helm
// reads it.
func ParseHead(doc string) (Head, error) {
	var h Head
	if short := HeadOnly(doc); len(short) < len(doc) && yaml.Unmarshal([]byte(short), &h) == nil {
		// The head of a long document (a CRD) decoded alone: the
		// annotations check below reads it too.
		doc = short
	} else {
		h = Head{}
		if err := yaml.Unmarshal([]byte(doc), &h); err != nil {
			return h, err
		}
	}
	if len(h.Metadata.Annotations) > 0 {
		var raw struct {
			Metadata struct {
				Annotations map[string]any `json:"annotations"`
			} `json:"metadata"`
		}
		if yaml.Unmarshal([]byte(doc), &raw) == nil {
			for k, v := range raw.Metadata.Annotations {
				if _, ok := v.(string); !ok && v != nil {
					h.NonString = append(h.NonString, k)
				}
			}
			sort.Strings(h.NonString)
		}
	}
	return h, nil
}

// IsHook reports whether the manifest carries helm.sh/hook at all (with any
// value, even one Helm does not know).
func (h Head) IsHook() bool {
	_, ok := h.Metadata.Annotations[Annotation]
	return ok
}
