package generators

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/podrefs"
)

// ContextCopy is a hook copy of a Secret or ConfigMap that the app's context
// uses and the release creates: none of the release's objects exist at
// pre-install (helmhook.BeforeInstall), so a hook that runs at pre-install
// in the app's context gets its own copy of each, as a hook of the same
// events at a lower weight. The copy is not written out: the hook's
// template renders the chart's own template of the object at install time
// (hookgen.copy in _hookgen.tpl) and renames it, so a later change of
// values reaches the copy as it reaches the original.
type ContextCopy struct {
	Kind string // Secret or ConfigMap
	// Name is the original's name and CopyName the copy's, both as rendered
	// for the analysis release (for messages; the template derives them).
	Name, CopyName string
	// Template renders the original, relative to templates/, and Index is
	// its position among the documents of Kind in that file.
	Template string
	Index    int
}

// DefaultCopyDeletePolicies are a copy's delete policies: before-hook-creation
// so that a copy left by a failed run does not block the next one, and
// hook-succeeded so that a Secret's copy does not outlive the event. Helm
// deletes hook-succeeded hooks only once every hook of the event has
// succeeded, in reverse order, or, when a later hook of the event fails, the
// ones that succeeded before it (helm.sh/helm/v4 pkg/action/hooks.go,
// execHookWithDelayedShutdown): the copy exists for as long as the Job runs.
var DefaultCopyDeletePolicies = []release.HookDeletePolicy{release.HookBeforeHookCreation, release.HookSucceeded}

// copySuffix is what a copy's name adds to the original's.
func copySuffix(hook string) string { return "-hookgen-" + hook }

// CopyName derives a copy's name from the original's: the original (a DNS
// subdomain of at most 253 characters) shortened to leave room for the
// suffix, without a trailing "-" or ".". hookgen.copy in _hookgen.tpl
// computes the same at install time.
func CopyName(orig, hook string) string {
	s := copySuffix(hook)
	if max := 253 - len(s); len(orig) > max {
		orig = orig[:max]
	}
	return strings.TrimRight(orig, "-.") + s
}

// contextObjects lists the Secrets and ConfigMaps the hook's app context
// names, in the order of podrefs: the main container's env and envFrom, the
// config volumes it mounts (projected sources included) and the pod's pull
// secrets. The ServiceAccount is not among them (see decideCopies).
func (w *Workload) contextObjects() []podrefs.Ref {
	var refs []podrefs.Ref
	if c := w.MainContainer(); c != nil {
		refs = append(podrefs.Env(c), podrefs.EnvFrom(c)...)
	}
	refs = append(refs, podrefs.Volumes(w.configVolumes())...)
	for _, p := range w.Pod.ImagePullSecrets {
		if p.Name != "" {
			refs = append(refs, podrefs.Ref{Kind: "Secret", Name: p.Name, Field: "imagePullSecrets"})
		}
	}
	var out []podrefs.Ref
	for _, r := range podrefs.Objects(refs) {
		if r.Kind == "Secret" || r.Kind == "ConfigMap" {
			out = append(out, r)
		}
	}
	return out
}

// decideCopies runs when the hook runs at pre-install in the app's context:
// each Secret and ConfigMap of the release that the context uses gets a hook
// copy. An object that cannot be copied faithfully (rendered with random
// values, or by a subchart from its own values) would leave a hook that
// could only fail on first install: then no copy is made, the reason is kept
// in h.noCopy, and placeFirstInstall (firstinstall.go) refuses pre-install.
// The app's ServiceAccount is never copied: the hook does not use it at
// pre-install.
func decideCopies(info *ChartInfo, h *Hook, out *Output) error {
	h.Copies, h.noCopy = nil, nil
	if h.App == nil || !helmhook.BeforeInstall(h.Events) {
		return nil
	}
	rel := info.releaseObjects()
	var copies []ContextCopy
	var probe map[string]string
	for _, r := range h.App.contextObjects() {
		if !rel[objRef{r.Kind, r.Name}] {
			continue
		}
		c, nc, err := info.contextCopy(r, h.Name, &probe)
		if err != nil {
			return err
		}
		if nc.why != "" {
			if h.noCopy == nil {
				h.noCopy = map[string]noCopy{}
			}
			h.noCopy[r.Object()] = nc
			continue
		}
		copies = append(copies, c)
	}
	if len(h.noCopy) > 0 {
		return nil
	}
	h.Copies = copies
	if sa := h.App.Pod.ServiceAccountName; len(copies) > 0 && sa != "" && rel[objRef{"ServiceAccount", sa}] {
		out.Notes = append(out.Notes, fmt.Sprintf("pre-install: ServiceAccount/%s is not copied: a copy would carry none of the RoleBindings or cloud IAM bindings that name the original; the hook runs as the namespace's default ServiceAccount there (or as %s.%s.serviceAccountName)", sa, info.Chart.ValuesKey, h.Name))
	}
	return nil
}

// noCopy says why an object of the app's context cannot be hook-copied,
// and what else keeps pre-install possible (a gap's fix, with %s for the
// objects).
type noCopy struct{ why, fix string }

// What keeps pre-install possible for an object without a copy.
const (
	fixRandom   = "give %s fixed values in values.yaml"
	fixSubchart = "use an existingSecret (or disable the subchart) for %s"
	fixOther    = "use existing ones for %s (an existingSecret)"
)

// contextCopy plans the copy of release object r, or says why it cannot be
// copied. probe caches the render that marks random values.
func (info *ChartInfo) contextCopy(r podrefs.Ref, hook string, probe *map[string]string) (ContextCopy, noCopy, error) {
	prefix := info.Chart.Name + "/templates/"
	for _, m := range info.Chart.Rendered.Manifests {
		if m.Head == nil || m.Head.Kind != r.Kind || m.Head.Metadata == nil || m.Head.Metadata.Name != r.Name {
			continue
		}
		if !strings.HasPrefix(m.Name, prefix) {
			return ContextCopy{}, noCopy{strings.TrimPrefix(m.Name, info.Chart.Name+"/") + " renders it from the subchart's own values", fixSubchart}, nil
		}
		tpl := strings.TrimPrefix(m.Name, prefix)
		idx, doc := findDoc(info.Chart.Rendered.Files[m.Name], r.Kind, r.Name)
		if idx < 0 {
			return ContextCopy{}, noCopy{fmt.Sprintf("templates/%s renders it in a way hookgen cannot find again", tpl), fixOther}, nil
		}
		if *probe == nil {
			files, err := info.Chart.RenderMarked()
			if err != nil {
				return ContextCopy{}, noCopy{}, err
			}
			*probe = files
		}
		if _, again := findDoc((*probe)[m.Name], r.Kind, r.Name); again != doc {
			return ContextCopy{}, noCopy{fmt.Sprintf("templates/%s renders it with random values, which a copy would not share", tpl), fixRandom}, nil
		}
		return ContextCopy{Kind: r.Kind, Name: r.Name, CopyName: CopyName(r.Name, hook), Template: tpl, Index: idx}, noCopy{}, nil
	}
	return ContextCopy{}, noCopy{"hookgen does not find the document that renders it", fixOther}, nil
}

// docSplit splits a rendered template into documents as hookgen.copy and
// hookgen.app do at install time.
var docSplit = regexp.MustCompile(`(?m)^---[ \t]*$`)

// findDoc returns the position of kind/name among the documents of kind in
// a rendered template, and the document; -1 when it is not there.
func findDoc(rendered, kind, name string) (int, string) {
	n := 0
	for _, doc := range docSplit.Split(rendered, -1) {
		var head struct {
			Kind     string `json:"kind"`
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
		}
		if yaml.Unmarshal([]byte(doc), &head) != nil || head.Kind != kind {
			continue
		}
		if head.Metadata.Name == name {
			return n, strings.TrimSpace(doc)
		}
		n++
	}
	return -1, ""
}

// planCopyWeight gives the copies one weight below the Job's: the highest
// weight under it that no other hook of the Job's events has, so each copy
// is created just before the Job (Helm runs an event's hooks by weight, then
// name: helmhook.ForEvent) and ties with none of the chart's hooks.
func planCopyWeight(info *ChartInfo, h *Hook, req Request, out *Output) error {
	if len(h.Copies) == 0 {
		return nil
	}
	if req.CopyWeight != nil {
		h.CopyWeight = *req.CopyWeight
	} else {
		taken := map[int]bool{}
		for _, ev := range h.Events {
			for _, o := range helmhook.ForEvent(releaseHooks(info), ev) {
				if !isSelf(o, *h) {
					taken[o.Weight] = true
				}
			}
		}
		w, ok := 0, false
		for d := 1; d <= 1000 && h.Weight != math.MinInt; d++ {
			if w = h.Weight - d; w > h.Weight {
				break // below the smallest int
			}
			if !taken[w] {
				ok = true
				break
			}
		}
		if !ok {
			return usageErr("no free weight below the %s's %d for the copies of the app's Secrets and ConfigMaps; pass a higher --weight", h.Task.Name, h.Weight)
		}
		h.CopyWeight = w
	}
	for _, c := range h.Copies {
		out.Notes = append(out.Notes, fmt.Sprintf("pre-install: %s/%s (templates/%s) does not exist yet: the Job reads a hook copy, %s/%s, rendered from that template at install time (weight %d, deleted when the event's hooks succeed)", c.Kind, c.Name, c.Template, c.Kind, c.CopyName, h.CopyWeight))
	}
	for _, ev := range h.Events {
		if ev == release.HookPreUpgrade || ev == release.HookPreRollback {
			out.Notes = append(out.Notes, fmt.Sprintf("%s: the copies hold this %s's values; the release's own Secrets and ConfigMaps are still the previous revision's then", ev, strings.TrimPrefix(string(ev), "pre-")))
		}
	}
	return nil
}

// copied reports whether the object "Kind/name" is provided as a hook copy.
func (h *Hook) copied(obj string) bool {
	return slices.ContainsFunc(h.Copies, func(c ContextCopy) bool { return c.Kind+"/"+c.Name == obj })
}

// notCopied keeps the objects of objs that have no hook copy.
func (h *Hook) notCopied(objs []string) []string {
	var out []string
	for _, o := range objs {
		if !h.copied(o) {
			out = append(out, o)
		}
	}
	return out
}
