package generators

import (
	"slices"

	release "helm.sh/helm/v4/pkg/release/v1"
)

var seedTask = Task{
	Name:       "seed",
	Summary:    "load initial data once the release is installed (after migration)",
	BaseWeight: 10, AppContext: true,
	Defaults: "post-install (add post-upgrade only if seeding is idempotent); the chart's own image",
	title:    "Data seed", rank: 4, kind: seedKind{},
}

// seedKind loads the app's initial data once it is installed.
type seedKind struct{ baseKind }

func (seedKind) defaultEvents(*ChartInfo, *Hook, *Output) ([]release.HookEvent, error) {
	return []release.HookEvent{release.HookPostInstall}, nil
}

func (seedKind) eventNotes(h *Hook, out *Output) {
	if slices.Contains(h.Events, release.HookPostUpgrade) {
		out.Notes = append(out.Notes, "seed runs on every upgrade too: the seed command must be idempotent")
	}
}

func (seedKind) resolve(info *ChartInfo, req Request, h *Hook, out *Output) error {
	return resolveAppCommand(info, req, h, out)
}

// releaseNeeds: the release's database, which the app's code works on.
func (seedKind) releaseNeeds(info *ChartInfo, _ Request, h *Hook) []gap {
	return appContextNeeds(info, h)
}

func (seedKind) frameworkCommand(f Framework) ([]string, error) {
	if f.Seed == nil {
		return nil, usageErr("--framework %s has no seed command; pass --command with the one your app seeds with", f.Name)
	}
	return f.Seed, nil
}
