package render

import (
	"fmt"
	"strings"
	"text/template"
)

// Sprig's certificate and key generators (genCA, genSignedCert, ...) make a
// fresh RSA key on every call, and its bcrypt and htpasswd a salted,
// deliberately slow hash: on charts like Kong's and Argo CD's they are most
// of the CPU of a render, and every render differs. hookgen reads rendered charts
// to plan, lint and verify hooks, never to apply them, so it renders with
// stand-ins of the same signatures that return fixed PEM text and a fixed
// bcrypt-shaped hash: the same
// objects, names and annotations, the same errors for wrong arguments, and
// repeatable output.
var analysisFuncs = template.FuncMap{
	// sprig crypto.go bcrypt and htpasswd: bcrypt at the default cost is
	// about 50 ms of CPU per call (Argo CD's chart calls it on every render).
	"bcrypt": placeholderBcrypt,
	"htpasswd": func(username, password string) string {
		if strings.Contains(username, ":") {
			return fmt.Sprintf("invalid username: %s", username)
		}
		return fmt.Sprintf("%s:%s", username, placeholderBcrypt(password))
	},
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

// placeholderBcrypt has the shape of golang.org/x/crypto/bcrypt's output
// at the default cost (60 characters, $2a$10$), and its refusal of
// passwords longer than 72 bytes, as sprig reports it.
func placeholderBcrypt(input string) string {
	if len(input) > 72 {
		return "failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes"
	}
	return placeholderHash
}

const placeholderHash = "$2a$10$aG9va2dlbi5yZW5kZXJzLnRvLmFuYWx5c2Uub3Qub3QudG8uYXBwb"
