package helmhook

import (
	"sort"

	release "helm.sh/helm/v4/pkg/release/v1"
)

// ForEvent returns the hooks that run on ev, in the order Helm runs them.
// hooks must be in the order releaseutil.SortManifests returns them (sorted
// by file path and kind, as render.Result.Hooks holds them); execHook then
// stable-sorts them by weight, then name (pkg/action/hooks.go hookByWeight),
// so kind only breaks ties of equal weight and name.
func ForEvent(hooks []*release.Hook, ev Event) []*release.Hook {
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
