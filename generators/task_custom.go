package generators

import release "helm.sh/helm/v4/pkg/release/v1"

var customTask = Task{
	Name:       "custom",
	Summary:    "any image and command at any event",
	BaseWeight: 0, Custom: true,
	Defaults: "nothing: --name, --event and --image are required",
	title:    "Custom", kind: customKind{},
}

// customKind defaults nothing: name, events and image are the user's.
type customKind struct{ baseKind }

func (customKind) defaultEvents(*ChartInfo, *Hook, *Output) ([]release.HookEvent, error) {
	return nil, usageErr("custom hooks need events: pass --event, e.g. --event post-upgrade")
}

func (customKind) resolve(_ *ChartInfo, _ Request, h *Hook, _ *Output) error {
	if h.Image == "" {
		return usageErr("custom hooks need an image: pass --image, e.g. --image busybox:1.37")
	}
	return nil
}
