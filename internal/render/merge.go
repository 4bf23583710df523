package render

import (
	"fmt"
	"path"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"

	"github.com/hookgen/hookgen/internal/helmhook"
)

// A render of part of a chart -- the templates a change can reach, or that
// can tell an upgrade from an install -- is merged with a render of the whole
// chart: these are the pieces both sides share.

// IsPartial reports whether a template is a partial (its base name starts
// with "_"): Helm parses it for its named templates and renders no output.
func IsPartial(name string) bool { return strings.HasPrefix(path.Base(name), "_") }

// WithIncluded adds to list the templates of all (a chart's own) that
// list's templates include by path ({{ include "chart/templates/x.yaml" . }}),
// until every included path is there. Paths may be spelt whole, from the
// chart or from templates/ (joined to .Template.BasePath at render time):
// any quoted string that names a template in one of these ways brings it in.
func WithIncluded(chartName string, all, list []*common.File) []*common.File {
	byPath := map[string]*common.File{}
	for _, t := range all {
		byPath[chartName+"/"+t.Name] = t
		byPath[t.Name] = t
		byPath[strings.TrimPrefix(t.Name, "templates/")] = t
		byPath["/"+strings.TrimPrefix(t.Name, "templates/")] = t
	}
	in := map[string]bool{}
	for _, t := range list {
		in[t.Name] = true
	}
	for i := 0; i < len(list); i++ {
		for _, q := range quotedStrings(list[i].Data) {
			if t, ok := byPath[q.s]; ok && !in[t.Name] {
				in[t.Name] = true
				list = append(list, t)
			}
		}
	}
	return list
}

// Merge is base with the files of fresh rendered anew, sorted by
// Helm's SortManifests as one render of the whole chart would be: the other
// files are passed to it by their documents' heads (all it reads), and
// their hooks and manifests are then taken back from base whole.
func Merge(base *Result, fresh map[string]string) (*Result, error) {
	type key struct{ path, head string }
	hooks := map[key][]int{}
	for i, h := range base.Hooks {
		k := key{h.Path, strings.TrimSpace(helmhook.HeadOnly(h.Manifest))}
		hooks[k] = append(hooks[k], i)
	}
	manifests := map[key][]int{}
	for i, m := range base.Manifests {
		k := key{m.Name, strings.TrimSpace(helmhook.HeadOnly(m.Content))}
		manifests[k] = append(manifests[k], i)
	}
	files := map[string]string{}
	for p, content := range base.Files {
		if _, ok := fresh[p]; ok {
			continue
		}
		var b strings.Builder
		for _, d := range SplitManifests(content) {
			fmt.Fprintf(&b, "---\n%s\n", helmhook.HeadOnly(d))
		}
		files[p] = b.String()
	}
	all := map[string]string{}
	for p, content := range base.Files {
		all[p] = content
	}
	for p, content := range fresh {
		files[p] = content
		all[p] = content
	}
	hs, ms, err := releaseutil.SortManifests(files, nil, releaseutil.InstallOrder)
	if err != nil {
		return nil, err
	}
	for i, h := range hs {
		if _, ok := fresh[h.Path]; ok {
			continue
		}
		k := key{h.Path, strings.TrimSpace(h.Manifest)}
		q := hooks[k]
		if len(q) == 0 {
			return nil, fmt.Errorf("merging renders: hook %s/%s of %s not found", h.Kind, h.Name, h.Path)
		}
		hs[i], hooks[k] = base.Hooks[q[0]], q[1:]
	}
	for i, m := range ms {
		if _, ok := fresh[m.Name]; ok {
			continue
		}
		k := key{m.Name, strings.TrimSpace(m.Content)}
		q := manifests[k]
		if len(q) == 0 {
			return nil, fmt.Errorf("merging renders: a manifest of %s not found", m.Name)
		}
		ms[i], manifests[k] = base.Manifests[q[0]], q[1:]
	}
	return &Result{Chart: base.Chart, Files: all, Hooks: hs, Manifests: ms}, nil
}
