package generators

import (
	"fmt"
	"slices"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/helmhook"
)

// On a first install, nothing of the release exists at pre-install: Helm
// runs the pre-install hooks, and waits for each, before it creates any of
// the release's resources (helm.sh/helm/v4 pkg/action/install.go,
// performInstall: execHook(rel, release.HookPreInstall, ...) comes before
// KubeClient.Create of the manifest; https://helm.sh/docs/topics/charts_hooks/:
// pre-install "Executes after templates are rendered, but before any
// resources are created in Kubernetes"). Not the release's Secrets and
// ConfigMaps, not the database a dependency of the release deploys. This
// file is the one place that decides what a hook at pre-install lacks
// (missingAtPreInstall) and what follows (placeFirstInstall), for every task.

// missingAtPreInstall lists what the hook, as resolved so far, needs at
// pre-install that its release creates only after the pre-install hooks:
// the release's own database (the app's code works on it, a backup dumps
// it, an init container waits for it), and the objects of the app's
// context that have no hook copy. Empty when the hook does not run at
// pre-install.
func missingAtPreInstall(info *ChartInfo, req Request, h *Hook) []gap {
	if !slices.Contains(h.Events, release.HookPreInstall) {
		return nil
	}
	var miss []gap
	if dep, why := releaseDatabaseUse(info, req, h); dep != "" {
		miss = append(miss, gap{fmt.Sprintf("the %s dependency's database", dep), ", which " + why})
	}
	for _, obj := range h.uncopied(info) {
		g := gap{what: obj}
		if why := h.noCopy[obj]; why != "" {
			g.why = " (no hook copy: " + why + ")"
		}
		miss = append(miss, g)
	}
	return miss
}

// gap is one thing a hook at pre-install would need, and why (a clause
// that follows it).
type gap struct{ what, why string }

func (g gap) String() string { return g.what + g.why }

// FirstInstallError is placeFirstInstall's refusal of the events the user
// chose, inside a UsageError: Needs names what the hook would need at
// pre-install (for the interview's note on the event).
type FirstInstallError struct {
	Needs []string
	msg   string
}

func (e *FirstInstallError) Error() string { return e.msg }

// uncopied lists the release's objects of the app's context that the hook
// would use at pre-install without a copy: those that cannot be copied
// (decideCopies then copies none, but the others could be), else every
// one the hook references.
func (h *Hook) uncopied(info *ChartInfo) []string {
	refs := h.notCopied(h.releaseRefs(info))
	if len(h.noCopy) == 0 {
		return refs
	}
	var objs, more []string
	for _, o := range refs {
		if h.noCopy[o] != "" {
			objs = append(objs, o)
		}
	}
	for o := range h.noCopy {
		if !slices.Contains(objs, o) {
			more = append(more, o)
		}
	}
	slices.Sort(more)
	return append(objs, more...)
}

// releaseDatabaseUse names the release's own database dependency when the
// hook reaches it, and how; "" when it does not. A database outside the
// release (no dependency, or a backup's --db-host) is expected to be up.
func releaseDatabaseUse(info *ChartInfo, req Request, h *Hook) (dep, why string) {
	switch {
	case h.Wait != nil:
		return h.Wait.Chart, "its init container waits for (--wait-for-db)"
	case info.Database == "":
		return "", ""
	case h.Task.AppContext:
		return info.Database, fmt.Sprintf("the %s's own code works on", h.Task.Name)
	case h.Server != nil && req.DBHost == "":
		return h.Server.Chart, fmt.Sprintf("the %s connects to (no --db-host)", h.Task.Name)
	}
	return "", ""
}

// placeFirstInstall applies missingAtPreInstall. Events hookgen chose run
// post-install instead on first install, with a note. Events the user chose
// (--event, or an answer to the interview) are refused with a usage error:
// the hook could only fail, or wait until Helm's timeout, on first install,
// and an explicit choice is honoured or refused, never replaced. A request
// read from a hook's record (remove) is regenerated as it was written.
func (out *Output) placeFirstInstall(info *ChartInfo, req Request, h *Hook) error {
	miss := missingAtPreInstall(info, req, h)
	if len(miss) == 0 || req.Recorded {
		return nil
	}
	evs := postInstallInstead(h.Events)
	if len(req.Events) > 0 {
		fe := &FirstInstallError{}
		var why []string
		for _, g := range miss {
			fe.Needs = append(fe.Needs, g.what)
			why = append(why, g.String())
		}
		fe.msg = fmt.Sprintf("--event %s: on first install the %s hook would need what Helm creates only after the pre-install hooks succeed, so its Job would fail or wait until Helm's timeout: %s; pass --event %s%s; nothing written",
			strings.Join(helmhook.Strings(h.Events), ","), h.Name, strings.Join(why, ", "), strings.Join(helmhook.Strings(evs), ","), firstInstallAdvice(info, req, h))
		return &UsageError{fe}
	}
	h.Events = evs
	after := ""
	if slices.Contains(evs, release.HookPreUpgrade) {
		after = ", and pre-upgrade on upgrades"
	}
	if dep, _ := releaseDatabaseUse(info, req, h); dep != "" {
		out.Notes = append(out.Notes, fmt.Sprintf("the release deploys its own database (%s dependency), which does not exist at pre-install: the %s runs post-install on first install%s; with helm install --wait, post-install hooks start only once the release is ready, so an application that needs the schema to become ready must be installed without --wait", dep, h.Task.Name, after))
	} else {
		out.Notes = append(out.Notes, fmt.Sprintf("the app's context uses objects this release creates (%s), which do not exist at pre-install: the %s runs post-install on first install%s", strings.Join(h.releaseRefs(info), ", "), h.Task.Name, after))
	}
	return nil
}

// postInstallInstead is evs with post-install in place of pre-install.
func postInstallInstead(evs []release.HookEvent) []release.HookEvent {
	out := []release.HookEvent{release.HookPostInstall}
	for _, e := range evs {
		if e != release.HookPreInstall && e != release.HookPostInstall {
			out = append(out, e)
		}
	}
	return out
}

// firstInstallAdvice is what else keeps pre-install possible, by what is
// missing.
func firstInstallAdvice(info *ChartInfo, req Request, h *Hook) string {
	var alt []string
	switch dep, _ := releaseDatabaseUse(info, req, h); {
	case h.Wait != nil && !h.Task.AppContext:
		alt = append(alt, "drop --wait-for-db")
	case dep != "" && h.Task.Database:
		alt = append(alt, "pass --db-host with a database outside the release")
	case dep != "":
		alt = append(alt, "point the app at a database outside the release")
	}
	if len(h.uncopied(info)) > 0 {
		alt = append(alt, "give those objects fixed values in values.yaml or use existing ones (an existingSecret)")
	}
	if len(alt) == 0 {
		return ""
	}
	return ", or, to keep pre-install, " + strings.Join(alt, " and ")
}
