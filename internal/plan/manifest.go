package plan

import (
	"path"
	"sort"
	"strings"
	"sync"

	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/hookorder"
	"github.com/hookgen/hookgen/internal/render"
)

var yamlUnmarshal = yaml.Unmarshal

// head is the part of a manifest the plan reads. Annotations are decoded
// into strings exactly as Helm's SimpleHead does (sigs.k8s.io/yaml turns an
// unquoted 5 into "5").
type head struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name        string            `json:"name"`
		Namespace   string            `json:"namespace"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
}

func parseHead(doc string) (head, bool) {
	if c, ok := heads.Load(doc); ok {
		p := c.(parsedHead)
		return p.h, p.ok
	}
	var h head
	err := yaml.Unmarshal([]byte(doc), &h)
	heads.Store(doc, parsedHead{h, err == nil})
	return h, err == nil
}

// heads caches parseHead: a plan asks for the same manifest's head at every
// step of every operation, and a YAML parse costs far more than the lookup.
var heads sync.Map

type parsedHead struct {
	h  head
	ok bool
}

func annotations(doc string) map[string]string {
	h, _ := parseHead(doc)
	return h.Metadata.Annotations
}

// nonStringAnnotations lists annotation keys whose YAML value is not a
// string (an unquoted number or boolean), sorted.
func nonStringAnnotations(doc string) []string {
	var raw struct {
		Metadata struct {
			Annotations map[string]any `json:"annotations"`
		} `json:"metadata"`
	}
	if err := yaml.Unmarshal([]byte(doc), &raw); err != nil {
		return nil
	}
	var out []string
	for k, v := range raw.Metadata.Annotations {
		if _, ok := v.(string); !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func manifestNamespace(doc string) string {
	h, _ := parseHead(doc)
	return h.Metadata.Namespace
}

// splitDocs splits a YAML stream the way Helm does, in document order.
func splitDocs(s string) []string {
	m := releaseutil.SplitManifests(s)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Sort(releaseutil.BySplitManifestsOrder(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// helmEvent reports whether Helm's sorter accepts v (after trimming and
// lower-casing) as a hook event: the nine events and the Helm 2 alias
// test-success (releaseutil's events map).
func helmEvent(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	return hookorder.IsEvent(v) || v == "test-success"
}

// DroppedResources finds the rendered resources Helm silently discards: a
// helm.sh/hook annotation with any value Helm does not know (a typo,
// crd-install, test-failure, an empty value) makes SortManifests skip the
// whole resource, so it is neither a hook nor a release resource. The walk
// is SortManifests' own: files by path, partials and empty files skipped,
// documents in file order.
func DroppedResources(res *render.Result) []Dropped {
	out := []Dropped{}
	paths := make([]string, 0, len(res.Files))
	for p := range res.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		content := res.Files[p]
		if strings.HasPrefix(path.Base(p), "_") || strings.TrimSpace(content) == "" {
			continue
		}
		for _, doc := range splitDocs(content) {
			h, ok := parseHead(doc)
			if !ok {
				continue
			}
			v, isHook := h.Metadata.Annotations[release.HookAnnotation]
			if !isHook {
				continue
			}
			var unknown []string
			for e := range strings.SplitSeq(v, ",") {
				if !helmEvent(e) {
					unknown = append(unknown, strings.TrimSpace(e))
				}
			}
			if len(unknown) > 0 {
				out = append(out, Dropped{
					Ref:  Ref{Kind: h.Kind, Name: h.Metadata.Name, Namespace: h.Metadata.Namespace},
					Path: p, Hook: v, Unknown: unknown,
				})
			}
		}
	}
	return out
}
