package render

import (
	"strings"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// Templates that generate certificates and keys render with the stand-ins:
// same fields, same argument checks, the same output every time.
func TestCertificateFunctionsRenderRepeatably(t *testing.T) {
	tpl := `{{- $ca := genCA "ca" 365 }}
{{- $cert := genSignedCert "svc" (list "127.0.0.1") (list "svc.ns") 365 $ca }}
{{- $self := genSelfSignedCert "self" nil nil 30 }}
{{- $key := genPrivateKey "rsa" }}
{{- $ca2 := genCAWithKey "ca2" 365 $key }}
{{- $self2 := genSelfSignedCertWithKey "s2" nil nil 30 $key }}
{{- $cert2 := genSignedCertWithKey "svc2" nil nil 30 $ca2 $key }}
apiVersion: v1
kind: Secret
metadata:
  name: tls
data:
  ca.crt: {{ $ca.Cert | b64enc }}
  tls.crt: {{ $cert.Cert | b64enc }}
  tls.key: {{ $cert.Key | b64enc }}
  self.crt: {{ $self.Cert | b64enc }}
  other: {{ list $ca2.Key $self2.Cert $cert2.Key | join "" | b64enc }}
`
	ch := &chart.Chart{
		Metadata:  &chart.Metadata{APIVersion: "v2", Name: "certs", Version: "0.1.0"},
		Templates: []*common.File{{Name: "templates/secret.yaml", Data: []byte(tpl)}},
	}
	first, err := RenderFiles(ch, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := RenderFiles(ch, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out := first["certs/templates/secret.yaml"]
	if !strings.Contains(out, "tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t") {
		t.Errorf("certificate not rendered as PEM:\n%s", out)
	}
	if out != second["certs/templates/secret.yaml"] {
		t.Error("two renders differ")
	}
	// A wrong call fails as it does with sprig's functions.
	ch.Templates[0].Data = []byte(`{{ genCA "only-one-argument" }}`)
	if _, err := RenderFiles(ch, nil, Options{}); err == nil || !strings.Contains(err.Error(), "wrong number of args") {
		t.Errorf("got %v, want a wrong-number-of-args error", err)
	}
}

// bcrypt and htpasswd render with a stand-in of bcrypt's shape, the same
// every time, and keep sprig's answers to bad input.
func TestBcryptStandIn(t *testing.T) {
	if len(placeholderHash) != 60 || !strings.HasPrefix(placeholderHash, "$2a$10$") {
		t.Fatalf("placeholder %q is not shaped like a bcrypt hash", placeholderHash)
	}
	tpl := `a: {{ htpasswd "admin" "secret" }}
b: {{ bcrypt "secret" }}
c: {{ htpasswd "ad:min" "x" }}
d: {{ bcrypt (repeat 73 "x") }}
`
	ch := &chart.Chart{
		Metadata:  &chart.Metadata{APIVersion: "v2", Name: "pw", Version: "0.1.0"},
		Templates: []*common.File{{Name: "templates/cm.yaml", Data: []byte(tpl)}},
	}
	out, err := RenderFiles(ch, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := "a: admin:" + placeholderHash + "\nb: " + placeholderHash + "\nc: invalid username: ad:min\nd: failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes\n"
	if got := out["pw/templates/cm.yaml"]; got != want {
		t.Errorf("rendered\n%s\nwant\n%s", got, want)
	}
}
