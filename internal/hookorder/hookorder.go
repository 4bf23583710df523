// Package hookorder orders hooks exactly as Helm's action.execHook does.
//
// Helm keeps this sort inside pkg/action, which hookgen does not link (it
// drags in client-go and costs start-up time). The rule is two lines: the
// hooks arrive from releaseutil.SortManifests already sorted by file path and
// kind, and execHook stable-sorts them by weight, then name
// (v4 pkg/action/hooks.go hookByWeight). Kind only breaks ties of equal
// weight and name. A test in this package checks the result against
// pkg/action itself.
package hookorder

import (
	"slices"
	"sort"

	release "helm.sh/helm/v4/pkg/release/v1"
)

// Events lists the nine hook events in lifecycle order.
var Events = []release.HookEvent{
	release.HookPreInstall, release.HookPostInstall,
	release.HookPreUpgrade, release.HookPostUpgrade,
	release.HookPreRollback, release.HookPostRollback,
	release.HookPreDelete, release.HookPostDelete,
	release.HookTest,
}

// IsEvent reports whether s is one of the nine hook events (test-success,
// the Helm 2 alias, is accepted by Helm but not offered here).
func IsEvent(s string) bool {
	return slices.Contains(Events, release.HookEvent(s))
}

// ForEvent returns the hooks that run on ev, in the order Helm runs them.
// hooks must be in the order render.Result.Hooks holds them.
func ForEvent(hooks []*release.Hook, ev release.HookEvent) []*release.Hook {
	var out []*release.Hook
	for _, h := range hooks {
		// Like execHook, a hook listing the event twice runs twice.
		for _, e := range h.Events {
			if e == ev {
				out = append(out, h)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Weight == out[j].Weight {
			return out[i].Name < out[j].Name
		}
		return out[i].Weight < out[j].Weight
	})
	return out
}

// EffectiveDeletePolicies returns the policies Helm applies: the default
// before-hook-creation only when the annotation was absent altogether. Any
// value, even a misspelt or empty one, turns the default off
// (v4 pkg/action/hooks.go hookSetDeletePolicy).
func EffectiveDeletePolicies(h *release.Hook) []release.HookDeletePolicy {
	if len(h.DeletePolicies) == 0 {
		return []release.HookDeletePolicy{release.HookBeforeHookCreation}
	}
	return h.DeletePolicies
}

// HasPolicy reports whether Helm will apply policy p to h.
func HasPolicy(h *release.Hook, p release.HookDeletePolicy) bool {
	return slices.Contains(EffectiveDeletePolicies(h), p)
}
