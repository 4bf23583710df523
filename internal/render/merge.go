package render

import (
	"fmt"
	"path"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	release "helm.sh/helm/v4/pkg/release/v1"
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
	hookKey := func(h *release.Hook) (string, string) { return h.Path, h.Manifest }
	if err := takeBack(hs, base.Hooks, fresh, hookKey); err != nil {
		return nil, err
	}
	manifestKey := func(m releaseutil.Manifest) (string, string) { return m.Name, m.Content }
	if err := takeBack(ms, base.Manifests, fresh, manifestKey); err != nil {
		return nil, err
	}
	return &Result{Chart: base.Chart, Files: all, Hooks: hs, Manifests: ms}, nil
}

// takeBack replaces each item of sorted that was not rendered anew (its
// file is not in fresh) with the item of base from the same file with the
// same head, in order: sorted holds heads only, base the whole documents.
func takeBack[T any](sorted, base []T, fresh map[string]string, keyOf func(T) (file, doc string)) error {
	type key struct{ file, head string }
	headKey := func(item T) key {
		f, d := keyOf(item)
		return key{f, strings.TrimSpace(helmhook.HeadOnly(d))}
	}
	queue := map[key][]int{}
	for i, b := range base {
		k := headKey(b)
		queue[k] = append(queue[k], i)
	}
	for i, s := range sorted {
		k := headKey(s)
		if _, ok := fresh[k.file]; ok {
			continue
		}
		q := queue[k]
		if len(q) == 0 {
			return fmt.Errorf("merging renders: a document of %s not found", k.file)
		}
		sorted[i], queue[k] = base[q[0]], q[1:]
	}
	return nil
}
