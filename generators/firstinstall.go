package generators

import (
	"fmt"
	"slices"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/helmhook"
)

// The first-install rule. On a first install Helm runs the pre-install
// hooks, and waits for each, before it creates any of the release's
// resources (helmhook.BeforeInstall and helmhook.ReleaseResources say so,
// with Helm's code): not the release's Secrets, ConfigMaps, Services and
// claims, not the database the release deploys (a dependency, or the chart
// itself when it is the server). Each task says what it uses that the
// release may create (taskKind.releaseNeeds); this file is the one place
// that decides what a hook at pre-install lacks (missingAtPreInstall) and
// what follows (placeFirstInstall), for every task.

// missingAtPreInstall lists what the hook, as resolved so far, needs at
// pre-install that its release creates only after the pre-install hooks:
// what its task needs (releaseNeeds), the database its init container
// waits for, and the objects of the app's context that have no hook copy.
// Empty when the hook does not run at pre-install.
func missingAtPreInstall(info *ChartInfo, req Request, h *Hook) []gap {
	if !helmhook.BeforeInstall(h.Events) {
		return nil
	}
	var miss []gap
	add := func(g gap) {
		if !slices.ContainsFunc(miss, func(m gap) bool { return m.what == g.what }) {
			miss = append(miss, g)
		}
	}
	for _, g := range h.Task.does().releaseNeeds(info, req, h) {
		add(g)
	}
	if w := h.Wait; w != nil {
		g := gap{what: releaseDatabase(info, w.Chart), db: w.Chart + " dependency", why: ", which its init container waits for (--wait-for-db)", fix: "drop --wait-for-db"}
		if w.Default {
			g.why, g.fix = ", which the init container hookgen adds waits for", "pass --wait-for-db=false"
		}
		add(g)
	}
	for _, g := range h.uncopied(info) {
		add(g)
	}
	return miss
}

// gap is one thing a hook at pre-install would need: what, why (a clause
// that follows it) and fix, what else keeps pre-install possible (with %s,
// the objects that share it). db is set for a database of the release (for
// the note on hookgen's own events).
type gap struct{ what, why, fix, db string }

func (g gap) String() string { return g.what + g.why }

// releaseDatabase names the database server of the release that a hook
// reaches through dep, its database dependency ("" for none), or, without
// one, the chart itself when it is the server (bitnami's postgresql chart);
// "" when the release deploys none: a database outside the release is
// expected to be up.
func releaseDatabase(info *ChartInfo, dep string) string {
	if dep != "" {
		return fmt.Sprintf("the %s dependency's database", dep)
	}
	if k := dbKinds[info.Chart.Name]; k != "" {
		return fmt.Sprintf("the %s server this chart deploys", dbTitle[k])
	}
	return ""
}

// databaseNeed is the gap of a hook that works on its release's database
// (releaseDatabase of dep), "" when there is none.
func databaseNeed(info *ChartInfo, dep, why, fix string) []gap {
	what := releaseDatabase(info, dep)
	if what == "" {
		return nil
	}
	db := dep + " dependency"
	if dep == "" {
		db = "this chart is the server"
	}
	return []gap{{what: what, why: why, fix: fix, db: db}}
}

// appContextNeeds is what a task running the app's own code (migration,
// seed) needs: the release's database, which the code works on.
func appContextNeeds(info *ChartInfo, h *Hook) []gap {
	return databaseNeed(info, info.Database, fmt.Sprintf(", which the %s's own code works on", h.Task.Name), "point the app at a database outside the release")
}

// FirstInstallError is placeFirstInstall's refusal of the events the user
// chose, inside a UsageError: Needs names what the hook would need at
// pre-install (for the interview's note on the event). Error is the line
// for --event; Interview the line for an answer to the interview.
type FirstInstallError struct {
	Needs                 []string
	hook, events, instead string
	reasons, advice       string
}

func (e *FirstInstallError) Error() string {
	return fmt.Sprintf("--event %s: on first install the %s hook would need what Helm creates only after the pre-install hooks succeed, so its Job would fail or wait until Helm's timeout: %s; pass --event %s%s; nothing written", e.events, e.hook, e.reasons, e.instead, e.advice)
}

// Interview is the refusal worded for the interview, which asks again.
func (e *FirstInstallError) Interview() string {
	return fmt.Sprintf("not pre-install: on first install the %s hook would need what Helm creates only after the pre-install hooks succeed: %s; choose %s instead%s", e.hook, e.reasons, e.instead, e.advice)
}

// uncopied lists the release's objects of the app's context that the hook
// would use at pre-install without a copy: those that cannot be copied
// (decideCopies then copies none, but the others could be), else every
// one the hook references.
func (h *Hook) uncopied(info *ChartInfo) []gap {
	refs := h.notCopied(h.releaseRefs(info))
	var out []gap
	if len(h.noCopy) == 0 {
		for _, o := range refs {
			out = append(out, gap{what: o, fix: "give %s fixed values in values.yaml or use existing ones (an existingSecret)"})
		}
		return out
	}
	var more []string
	for o := range h.noCopy {
		if !slices.Contains(refs, o) {
			more = append(more, o)
		}
	}
	slices.Sort(more)
	for _, o := range append(refs, more...) {
		if nc, ok := h.noCopy[o]; ok {
			out = append(out, gap{what: o, why: " (no hook copy: " + nc.why + ")", fix: nc.fix})
		}
	}
	return out
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
		fe := &FirstInstallError{hook: h.Name, events: strings.Join(helmhook.Strings(h.Events), ","), instead: strings.Join(helmhook.Strings(evs), ","), advice: firstInstallAdvice(miss)}
		var why []string
		for _, g := range miss {
			fe.Needs = append(fe.Needs, g.what)
			why = append(why, g.String())
		}
		fe.reasons = strings.Join(why, ", ")
		return &UsageError{fe}
	}
	h.Events = evs
	after := ""
	if slices.Contains(evs, release.HookPreUpgrade) {
		after = ", and pre-upgrade on upgrades"
	}
	if i := slices.IndexFunc(miss, func(g gap) bool { return g.db != "" }); i >= 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("the release deploys its own database (%s), which does not exist at pre-install: the %s runs post-install on first install%s; with helm install --wait, post-install hooks start only once the release is ready, so an application that needs the schema to become ready must be installed without --wait", miss[i].db, h.Task.Name, after))
	} else {
		var objs []string
		for _, g := range miss {
			objs = append(objs, g.what)
		}
		out.Notes = append(out.Notes, fmt.Sprintf("the app's context uses objects this release creates (%s), which do not exist at pre-install: the %s runs post-install on first install%s", strings.Join(objs, ", "), h.Task.Name, after))
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

// firstInstallAdvice is what else keeps pre-install possible: each gap's
// fix once, with the objects that share it.
func firstInstallAdvice(miss []gap) string {
	var fixes []string
	objs := map[string][]string{}
	for _, g := range miss {
		if g.fix == "" {
			continue
		}
		if !slices.Contains(fixes, g.fix) {
			fixes = append(fixes, g.fix)
		}
		objs[g.fix] = append(objs[g.fix], g.what)
	}
	if len(fixes) == 0 {
		return ""
	}
	for i, f := range fixes {
		if strings.Contains(f, "%s") {
			fixes[i] = fmt.Sprintf(f, strings.Join(objs[f], ", "))
		}
	}
	return ", or, to keep pre-install, " + strings.Join(fixes, " and ")
}
