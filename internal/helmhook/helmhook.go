// Package helmhook is hookgen's one home for Helm's hook rules: the events
// and delete policies Helm accepts and how it parses them, the policies it
// applies, the order it runs hooks in, which hooks it waits for, how Argo CD
// maps them, and the manifest head and selectors the rules read.
//
// Helm keeps these rules in pkg/release/v1/util (manifest_sorter.go),
// pkg/action (hooks.go) and pkg/kube (wait.go); hookgen does not link
// pkg/action (it drags in client-go and costs start-up time), so the few
// lines it needs are restated here and checked against pkg/action by the
// tests of this package.
package helmhook

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"
)

// Event is a helm.sh/hook event; DeletePolicy a helm.sh/hook-delete-policy
// value. They are Helm's own types, so release.Hook fields need no conversion.
type (
	Event        = release.HookEvent
	DeletePolicy = release.HookDeletePolicy
)

// The annotations Helm reads from a hook (helm.sh/helm/v4 pkg/release/v1/hook.go).
const (
	Annotation          = release.HookAnnotation
	WeightAnnotation    = release.HookWeightAnnotation
	DeleteAnnotation    = release.HookDeleteAnnotation
	OutputLogAnnotation = release.HookOutputLogAnnotation
)

// Events lists the nine hook events in lifecycle order.
var Events = []Event{
	release.HookPreInstall, release.HookPostInstall,
	release.HookPreUpgrade, release.HookPostUpgrade,
	release.HookPreRollback, release.HookPostRollback,
	release.HookPreDelete, release.HookPostDelete,
	release.HookTest,
}

// EventHelp says in one line when Helm runs each event
// (https://helm.sh/docs/topics/charts_hooks/#the-available-hooks).
var EventHelp = map[Event]string{
	release.HookPreInstall:   "after templates render, before any release resource is created (first install only)",
	release.HookPostInstall:  "after all release resources are created (first install only)",
	release.HookPreUpgrade:   "before any resource is updated, on every upgrade",
	release.HookPostUpgrade:  "after all resources are updated, on every upgrade",
	release.HookPreRollback:  "before resources are rolled back (hooks of the target revision run)",
	release.HookPostRollback: "after resources are rolled back",
	release.HookPreDelete:    "on uninstall, before any release resource is deleted",
	release.HookPostDelete:   "on uninstall, after the release's resources are deleted",
	release.HookTest:         "when `helm test` runs",
}

// eventAliases are the values Helm accepts besides the nine events: the
// Helm 2 name test-success (pkg/release/v1/util/manifest_sorter.go `events`).
var eventAliases = map[string]Event{"test-success": release.HookTest}

// DeletePolicies lists the three delete policies Helm acts on.
var DeletePolicies = []DeletePolicy{release.HookBeforeHookCreation, release.HookSucceeded, release.HookFailed}

// DeletePolicyHelp says what each delete policy does
// (https://helm.sh/docs/topics/charts_hooks/#hook-deletion-policies).
var DeletePolicyHelp = map[DeletePolicy]string{
	release.HookBeforeHookCreation: "delete the previous copy just before the hook is created again (needed for re-runs)",
	release.HookSucceeded:          "delete the hook after every hook of the event succeeded",
	release.HookFailed:             "delete the hook when it fails or times out: its logs are lost and a Job still running at Helm's --timeout is killed",
}

// EventList is the nine events for messages: "pre-install, post-install, ...".
func EventList() string { return join(Events) }

// DeletePolicyList is the three delete policies for messages.
func DeletePolicyList() string { return join(DeletePolicies) }

func join[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = string(x)
	}
	return strings.Join(s, ", ")
}

// Values splits an annotation value the way Helm does: on commas, each part
// trimmed and lower-cased (manifest_sorter.go operateAnnotationValues).
// Empty parts are kept: Helm looks them up too.
func Values(v string) []string {
	var out []string
	for p := range strings.SplitSeq(v, ",") {
		out = append(out, strings.ToLower(strings.TrimSpace(p)))
	}
	return out
}

// LookupEvent returns the event Helm reads from one helm.sh/hook value,
// after Helm's trimming and lower-casing; test-success reads as test.
func LookupEvent(v string) (Event, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	if e, ok := eventAliases[v]; ok {
		return e, true
	}
	e := Event(v)
	return e, slices.Contains(Events, e)
}

// UnknownEvents returns the parts of a helm.sh/hook value Helm does not know,
// trimmed, as written. One is enough for Helm's SortManifests to skip the
// whole resource without an error: it is then neither a hook nor a release
// resource.
func UnknownEvents(v string) []string {
	var out []string
	for p := range strings.SplitSeq(v, ",") {
		if _, ok := LookupEvent(p); !ok {
			out = append(out, strings.TrimSpace(p))
		}
	}
	return out
}

// LookupDeletePolicy returns the policy Helm reads from one
// helm.sh/hook-delete-policy value, after trimming and lower-casing.
func LookupDeletePolicy(v string) (DeletePolicy, bool) {
	p := DeletePolicy(strings.ToLower(strings.TrimSpace(v)))
	return p, slices.Contains(DeletePolicies, p)
}

// UnknownDeletePolicies returns the parts of a helm.sh/hook-delete-policy
// value Helm stores but never acts on, trimmed and lower-cased as Helm
// stores them. Helm keeps them, so the default before-hook-creation is off.
func UnknownDeletePolicies(v string) []string {
	var out []string
	for _, p := range Values(v) {
		if _, ok := LookupDeletePolicy(p); !ok {
			out = append(out, p)
		}
	}
	return out
}

// ParseEvents parses event lists as a user passes them ("pre-install,
// pre-upgrade", repeated or comma-separated), with Helm's trimming,
// lower-casing and alias, without duplicates. Unlike Helm, which silently
// drops a resource with an unknown event, an unknown or empty value is an
// error.
func ParseEvents(values []string) ([]Event, error) {
	return parseList(values, "event", "--event", LookupEvent, EventList())
}

// Strings writes events or delete policies as Helm's annotations spell
// them.
func Strings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// ParseDeletePolicies parses delete policy lists as a user passes them.
// Helm would store a misspelt or empty value and silently lose the default;
// here it is an error.
func ParseDeletePolicies(values []string) ([]DeletePolicy, error) {
	out, err := parseList(values, "delete policy", "--delete-policy", LookupDeletePolicy, DeletePolicyList())
	if err == nil && len(out) == 0 {
		return nil, fmt.Errorf("--delete-policy is empty; use a comma-separated list of: %s", DeletePolicyList())
	}
	return out, err
}

// parseList parses comma-separated or repeated values of flag with lookup,
// without duplicates; valid lists the accepted values for the messages.
func parseList[T comparable](values []string, what, flag string, lookup func(string) (T, bool), valid string) ([]T, error) {
	var out []T
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			if strings.TrimSpace(part) == "" {
				return nil, fmt.Errorf("empty %s in %s %q; use a comma-separated list of: %s", what, flag, v, valid)
			}
			x, ok := lookup(part)
			if !ok {
				return nil, fmt.Errorf("unknown %s %q; use one of: %s", what, part, valid)
			}
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	return out, nil
}

// Weight reads helm.sh/hook-weight as Helm does: strconv.Atoi of the value
// as written, 0 when that fails (manifest_sorter.go calculateHookWeight).
// ok is false when Helm fell back to 0 for a value it could not read.
func Weight(v string) (w int, ok bool) {
	w, err := strconv.Atoi(v)
	if err != nil {
		return 0, false
	}
	return w, true
}

// EffectiveDeletePolicies returns the policies Helm applies: the default
// before-hook-creation only when the annotation was absent altogether. Any
// value, even a misspelt or empty one, turns the default off
// (pkg/action/hooks.go hookSetDeletePolicy).
func EffectiveDeletePolicies(h *release.Hook) []DeletePolicy {
	if len(h.DeletePolicies) == 0 {
		return []DeletePolicy{release.HookBeforeHookCreation}
	}
	return h.DeletePolicies
}

// HasPolicy reports whether Helm will apply policy p to h.
func HasPolicy(h *release.Hook, p DeletePolicy) bool {
	return slices.Contains(EffectiveDeletePolicies(h), p)
}

// Deletable reports whether Helm ever deletes a hook of this kind: never a
// CustomResourceDefinition, whatever its policy (pkg/action/hooks.go
// deleteHookByPolicy).
func Deletable(kind string) bool { return kind != "CustomResourceDefinition" }

// Waited reports whether Helm waits for a hook of this kind to complete:
// only Jobs and Pods; Helm creates any other hook and moves on
// (pkg/kube/wait.go watchUntilReady).
func Waited(kind string) bool { return kind == "Job" || kind == "Pod" }

// Presence says which of the release's own (non-hook) resources exist while
// the hooks of an event run.
type Presence int

const (
	// NoResources: at pre-install Helm has not created the release's
	// resources yet (pkg/action/install.go creates them after the
	// pre-install hooks); at post-delete it has deleted them
	// (pkg/action/uninstall.go).
	NoResources Presence = iota
	// PreviousResources: at pre-upgrade and pre-rollback the resources are
	// those of the revision being replaced (pkg/action/upgrade.go,
	// rollback.go apply the new ones after these hooks).
	PreviousResources
	// CurrentResources: at every other event the release's resources are
	// those of the revision the hooks belong to.
	CurrentResources
)

// ReleaseResources says which of the release's resources exist while the
// hooks of ev run.
func ReleaseResources(ev Event) Presence {
	switch ev {
	case release.HookPreInstall, release.HookPostDelete:
		return NoResources
	case release.HookPreUpgrade, release.HookPreRollback:
		return PreviousResources
	}
	return CurrentResources
}

// BeforeInstall reports whether a hook of evs runs, on a first install,
// while none of the release's resources exist: at pre-install, the install
// event at which ReleaseResources is NoResources (post-delete, the other,
// runs on uninstall). pkg/action/install.go, performInstall, runs
// execHook(rel, release.HookPreInstall, ...) before KubeClient.Create of the
// manifest; https://helm.sh/docs/topics/charts_hooks/: pre-install "Executes
// after templates are rendered, but before any resources are created in
// Kubernetes".
func BeforeInstall(evs []Event) bool {
	return slices.ContainsFunc(evs, func(e Event) bool {
		return e != release.HookPostDelete && ReleaseResources(e) == NoResources
	})
}

// AllAt reports whether the release's resources are as present as p, or
// more, at every one of evs (and evs is not empty).
func AllAt(evs []Event, p Presence) bool {
	for _, e := range evs {
		if ReleaseResources(e) < p {
			return false
		}
	}
	return len(evs) > 0
}
