package render

import "text/template"

// Sprig's certificate and key generators (genCA, genSignedCert, ...) make a
// fresh RSA key on every call: on a chart like Kong's they are most of the
// CPU of a render, and every render differs. hookgen reads rendered charts
// to plan, lint and verify hooks, never to apply them, so it renders with
// stand-ins of the same signatures that return fixed PEM text: the same
// objects, names and annotations, the same errors for wrong arguments, and
// repeatable output.
var analysisFuncs = template.FuncMap{
	"genPrivateKey": func(typ string) string { return placeholderKey },
	"genCA": func(cn string, daysValid int) (placeholderCert, error) {
		return placeholderPair, nil
	},
	"genCAWithKey": func(cn string, daysValid int, privPEM string) (placeholderCert, error) {
		return placeholderPair, nil
	},
	"genSelfSignedCert": func(cn string, ips, alternateNames []any, daysValid int) (placeholderCert, error) {
		return placeholderPair, nil
	},
	"genSelfSignedCertWithKey": func(cn string, ips, alternateNames []any, daysValid int, privPEM string) (placeholderCert, error) {
		return placeholderPair, nil
	},
	"genSignedCert": func(cn string, ips, alternateNames []any, daysValid int, ca any) (placeholderCert, error) {
		return placeholderPair, nil
	},
	"genSignedCertWithKey": func(cn string, ips, alternateNames []any, daysValid int, ca any, privPEM string) (placeholderCert, error) {
		return placeholderPair, nil
	},
}

// placeholderCert has the fields templates use of sprig's certificate.
type placeholderCert struct {
	Cert string
	Key  string
}

const (
	placeholderKey = "-----BEGIN RSA PRIVATE KEY-----\naG9va2dlbiByZW5kZXJzIHRvIGFuYWx5c2UsIG5vdCB0byBhcHBseQ==\n-----END RSA PRIVATE KEY-----\n"
	placeholderCrt = "-----BEGIN CERTIFICATE-----\naG9va2dlbiByZW5kZXJzIHRvIGFuYWx5c2UsIG5vdCB0byBhcHBseQ==\n-----END CERTIFICATE-----\n"
)

var placeholderPair = placeholderCert{Cert: placeholderCrt, Key: placeholderKey}
