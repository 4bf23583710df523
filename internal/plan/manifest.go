package plan

import (
	"sort"
	"strings"
	"sync"
	"unicode"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/render"
)

func parseHead(doc string) (helmhook.Head, bool) {
	if c, ok := heads.Load(doc); ok {
		p := c.(parsedHead)
		return p.h, p.ok
	}
	h, err := helmhook.ParseHead(doc)
	heads.Store(doc, parsedHead{h, err == nil})
	return h, err == nil
}

// heads caches parseHead: a plan asks for the same manifest's head at every
// step of every operation, and a YAML parse costs far more than the lookup.
var heads sync.Map

type parsedHead struct {
	h  helmhook.Head
	ok bool
}

func manifestNamespace(doc string) string {
	h, _ := parseHead(doc)
	return h.Metadata.Namespace
}

// splitDocs splits a YAML stream the way Helm does, in document order.
func splitDocs(s string) []string {
	// Helm splits on lines starting with ---; a file without one (most CRD
	// files) is one document, found without running the regexp over it.
	if t := strings.TrimLeftFunc(s, unicode.IsSpace); !strings.HasPrefix(t, "---") && !strings.Contains(t, "\n---") {
		if strings.TrimSpace(t) == "" {
			return nil
		}
		return []string{t}
	}
	return render.SplitManifests(s)
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
		if render.IsPartial(p) || strings.TrimSpace(content) == "" {
			continue
		}
		for _, doc := range splitDocs(content) {
			h, ok := parseHead(doc)
			if !ok {
				continue
			}
			v, isHook := h.Metadata.Annotations[helmhook.Annotation]
			if !isHook {
				continue
			}
			if unknown := helmhook.UnknownEvents(v); len(unknown) > 0 {
				out = append(out, Dropped{
					Ref:  Ref{Kind: h.Kind, Name: h.Metadata.Name, Namespace: h.Metadata.Namespace},
					Path: p, Hook: v, Unknown: unknown,
				})
			}
		}
	}
	return out
}
