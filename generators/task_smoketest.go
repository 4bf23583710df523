package generators

import release "helm.sh/helm/v4/pkg/release/v1"

var smokeTask = Task{
	Name: "smoke-test", Aliases: []string{"smoke"},
	Summary:    "check with helm test that the app's Service answers HTTP",
	BaseWeight: 0,
	Defaults:   "test; an HTTP GET of / on the chart's Service and port from curlimages/curl, bounded by a timeout",
	Flags:      []string{"--service", "--port", "--path"},
	Asks:       AsksHTTPCheck,
	title:      "Smoke test", kind: smokeKind{},
}

// smokeKind is a helm test that GETs the chart's Service (smoketest.go).
type smokeKind struct{ baseKind }

func (smokeKind) defaultEvents(*ChartInfo, *Hook, *Output) ([]release.HookEvent, error) {
	return []release.HookEvent{release.HookTest}, nil
}

func (smokeKind) resolve(info *ChartInfo, req Request, h *Hook, out *Output) error {
	return resolveSmoke(info, req, h, out)
}

// releaseNeeds: the Service it GETs, when the release renders it.
func (smokeKind) releaseNeeds(info *ChartInfo, req Request, h *Hook) []gap {
	svc := req.Service
	if h.Smoke != nil && h.Smoke.ServiceFromChart {
		svc, _, _ = chartService(info)
	}
	if !info.releaseObjects()[objRef{"Service", svc}] {
		return nil
	}
	return []gap{{what: "Service/" + svc, why: ", which the smoke test GETs", fix: "pass --service with a Service outside the release"}}
}

func (smokeKind) templateParts(d *templateData, h Hook, _ Request, _ *ChartInfo) string {
	d.Smoke = true
	d.SmokeService, d.SmokePort, d.SmokePath = h.Smoke.Service, h.Smoke.Port, h.Smoke.Path
	d.BackoffLimit = 0 // curl retries within the run
	d.ImageNote = "hookgen chose " + SmokeImage + ": curl at a fixed version, about 10 MB"
	return "smoke-script"
}
