package generators

import (
	"fmt"
	"net"
	"strings"
	"text/template"
	"unicode"

	"github.com/Masterminds/sprig/v3"

	"github.com/distribution/reference"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/hookgen/hookgen/internal/render"
)

// ValidateRequest checks the strings of a request that end up in the Job as
// names Kubernetes validates or an image the kubelet pulls, so that a typo
// is a usage error now rather than a failed install: the image follows the
// distribution reference grammar (what the kubelet and registries parse),
// Secret and PersistentVolumeClaim names are DNS subdomains (apimachinery's
// validation, as the API server checks them), the database host is a host
// name or an IP, and no free text holds a control character.
func ValidateRequest(req Request) error {
	if req.Image != "" {
		if err := validateImage(req.Image); err != nil {
			return usageErr("%v", err)
		}
	}
	for _, n := range []struct{ flag, kind, v string }{
		{"--db-secret", "Secret", req.DBSecret},
		{"--storage-claim", "PersistentVolumeClaim", req.StorageClaim},
	} {
		if n.v == "" {
			continue
		}
		if isTemplate(n.v) {
			if err := checkTemplate(n.flag, n.v); err != nil {
				return err
			}
			continue
		}
		if errs := validation.IsDNS1123Subdomain(n.v); len(errs) > 0 {
			msg, _, _ := strings.Cut(errs[0], " (e.g.")
			return usageErr("%s %q is not a valid %s name: %s", n.flag, n.v, n.kind, msg)
		}
	}
	if h := req.DBHost; isTemplate(h) {
		if err := checkTemplate("--db-host", h); err != nil {
			return err
		}
	} else if h != "" && net.ParseIP(h) == nil && len(validation.IsDNS1123Subdomain(h)) > 0 {
		return usageErr("--db-host %q is not a host name or an IP address; pass e.g. db.example.com or the database Service's name", h)
	}
	for _, f := range []struct{ flag, v string }{{"--db-user", req.DBUser}, {"--db-name", req.DBName}, {"--workload", req.Workload}} {
		if i := strings.IndexFunc(f.v, unicode.IsControl); i >= 0 {
			return usageErr("%s %q holds a control character (%U); pass it without", f.flag, f.v, []rune(f.v[i:])[0])
		}
	}
	return nil
}

// validateImage checks an image reference as a container runtime parses it
// ("busybox:1.37", "ghcr.io/org/app@sha256:...").
func validateImage(s string) error {
	if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return fmt.Errorf("--image %q holds white space or a control character; pass one image reference such as busybox:1.37", s)
	}
	if strings.Contains(s, "{{") {
		return fmt.Errorf("--image %q holds a template ({{); hookgen writes the image as a literal value: pass the image itself, or set hooks' image in values.yaml after adding", s)
	}
	if _, err := reference.ParseNormalizedNamed(s); err != nil {
		return fmt.Errorf("--image %q is not an image reference (%v); pass one such as busybox:1.37 or ghcr.io/org/app@sha256:<digest>", s, err)
	}
	return nil
}

// yaml11Bools are the words Helm's YAML parser (go-yaml v2, YAML 1.1 rules,
// used by sigs.k8s.io/yaml in chartutil.ReadValues) reads as booleans, also
// as map keys: "on:" is the key true there, so .Values.on finds nothing.
var yaml11Bools = map[string]bool{}

func init() {
	for _, w := range []string{"y", "yes", "n", "no", "true", "false", "on", "off"} {
		for _, v := range []string{w, strings.ToUpper(w), strings.ToUpper(w[:1]) + w[1:]} {
			yaml11Bools[v] = true
		}
	}
}

// helmBool reports whether Helm reads the key k as a boolean.
func helmBool(k string) bool { return yaml11Bools[k] }

// checkSwitchedOn refuses render values (-f, --set) that switch the hook off
// (KEY.NAME.enabled=false): hookgen renders the hook to verify it, and a
// switched-off hook renders nothing.
func checkSwitchedOn(info *ChartInfo, name string) error {
	vals, err := render.Values(info.Chart.RenderOptions.ValuesFiles, info.Chart.RenderOptions.Set)
	if err != nil {
		return nil // reported where the values are first read
	}
	h, _ := vals[info.Chart.ValuesKey].(map[string]any)
	hook, _ := h[name].(map[string]any)
	if on, ok := hook["enabled"]; ok && (on == false || on == "false") {
		return usageErr("the values given with -f or --set switch the hook off (%s.%s.enabled=false), so hookgen cannot render and verify it; leave that out here and switch the hook off at install (--set %s.%s.enabled=false)", info.Chart.ValuesKey, name, info.Chart.ValuesKey, name)
	}
	return nil
}

// isTemplate reports whether a name is Helm template text: the backup and
// restore templates pass the database host, Secret and claim through tpl, so
// that they can name release objects ("{{ .Release.Name }}-postgresql").
func isTemplate(s string) bool { return strings.Contains(s, "{{") }

// checkTemplate checks that template text parses as tpl will parse it (the
// name it gives is known only when Helm renders it).
func checkTemplate(flag, s string) error {
	if _, err := template.New(flag).Funcs(sprig.TxtFuncMap()).Funcs(template.FuncMap{"include": func(string, any) string { return "" }, "tpl": func(string, any) string { return "" }, "required": func(string, any) any { return nil }, "lookup": func(...any) map[string]any { return nil }}).Parse(s); err != nil {
		return usageErr("%s %q is not a valid Helm template: %v", flag, s, err)
	}
	return nil
}
