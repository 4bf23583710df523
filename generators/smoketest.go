package generators

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"
)

// SmokeImage is the image of smoke-test hooks: curl, as a small image
// (about 10 MB) with a fixed version, so that a test pass means the same
// thing on every cluster.
const SmokeImage = "curlimages/curl:8.11.1"

// SmokeTarget is the Service a smoke test calls, as tpl strings for
// values.yaml, with what the analysis render gave for the output.
type SmokeTarget struct {
	Service, Port       string // tpl strings
	Rendered            string // host:port as rendered for release-name
	Path                string
	ServiceFromChart    bool
	PortFromChartValues bool
}

// resolveSmoke finds the Service a smoke test calls: the flags, else the
// chart's own Service (not a subchart's, not headless), preferring one named
// as the chart's fullname and its port named http.
func resolveSmoke(info *ChartInfo, req Request, h *Hook, out *Output) error {
	if h.Image == "" {
		h.Image = SmokeImage
	}
	t := &SmokeTarget{Service: req.Service, Port: req.Port, Path: req.Path}
	if t.Path == "" {
		t.Path = "/"
	}
	if !strings.HasPrefix(t.Path, "/") {
		return usageErr("--path %q must start with /, e.g. --path /healthz", t.Path)
	}
	svc, port, portName := chartService(info)
	if t.Service == "" {
		if svc == "" {
			return usageErr("the chart renders no Service of its own for the smoke test to call: pass --service and --port")
		}
		t.ServiceFromChart = true
		t.Service = releaseTemplate(svc)
		if svc == info.FullnameRendered && info.FullnameExpr != "" {
			t.Service = "{{ " + info.FullnameExpr + " }}"
		}
	}
	if t.Port == "" {
		if port == 0 {
			return usageErr("the chart's Service %s has no port: pass --port", svc)
		}
		t.Port = strconv.Itoa(port)
		if sv, ok := info.Chart.Helm.Values["service"].(map[string]any); ok && fmt.Sprint(sv["port"]) == t.Port {
			t.Port, t.PortFromChartValues = "{{ .Values.service.port }}", true
		}
		if portName != "" {
			portName = " (" + portName + ")"
		}
		out.Notes = append(out.Notes, fmt.Sprintf("smoke test: GET http://%s:%d%s, the chart's Service %s and its port %d%s; helm test runs it (Argo CD never runs test hooks)", svc, port, t.Path, svc, port, portName))
	}
	if port != 0 && req.Port == "" {
		t.Rendered = fmt.Sprintf("%s:%d", svc, port)
	}
	h.Smoke = t
	return nil
}

// chartService returns the name and port of the Service of the chart itself
// that a smoke test should call.
func chartService(info *ChartInfo) (name string, port int, portName string) {
	prefix := info.Chart.Name + "/templates/"
	type svcPort struct {
		Name string `json:"name"`
		Port int    `json:"port"`
	}
	type cand struct {
		name  string
		ports []svcPort
	}
	var cands []cand
	for _, m := range info.Chart.Rendered.Manifests {
		if m.Head == nil || m.Head.Kind != "Service" || !strings.HasPrefix(m.Name, prefix) {
			continue
		}
		var doc struct {
			Metadata struct {
				Name string `json:"name"`
			} `json:"metadata"`
			Spec struct {
				ClusterIP string    `json:"clusterIP"`
				Type      string    `json:"type"`
				Ports     []svcPort `json:"ports"`
			} `json:"spec"`
		}
		if yaml.Unmarshal([]byte(m.Content), &doc) != nil || doc.Spec.ClusterIP == "None" || doc.Spec.Type == "ExternalName" || len(doc.Spec.Ports) == 0 {
			continue
		}
		cands = append(cands, cand{doc.Metadata.Name, doc.Spec.Ports})
	}
	if len(cands) == 0 {
		return "", 0, ""
	}
	best := cands[0]
	if i := slices.IndexFunc(cands, func(c cand) bool { return c.name == info.FullnameRendered }); i >= 0 {
		best = cands[i]
	}
	p := best.ports[0]
	for _, x := range best.ports {
		if x.Name == "http" {
			p = x
			break
		}
	}
	return best.name, p.Port, p.Name
}
