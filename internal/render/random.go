package render

import (
	"fmt"
	"maps"
	"sync/atomic"
	"text/template"
)

// randomMarks stands in for sprig's functions whose result differs on every
// call (random strings and numbers, UUIDs, generated keys and
// certificates), for Options.MarkRandom: each call returns a value no other
// call returns, so an object whose rendered text equals the one of an
// ordinary render uses none of them.
func randomMarks() template.FuncMap {
	var n atomic.Int64
	mark := func() string { return fmt.Sprintf("hookgen-random-%d", n.Add(1)) }
	str := func(int) string { return mark() }
	pair := func() (placeholderCert, error) { m := mark(); return placeholderCert{Cert: m, Key: m}, nil }
	return template.FuncMap{
		"randAlphaNum": str, "randAlpha": str, "randNumeric": str, "randAscii": str,
		"randBytes":     func(int) (string, error) { return mark(), nil },
		"randInt":       func(min, max int) int { return int(n.Add(1)) + max },
		"uuidv4":        mark,
		"genPrivateKey": func(string) string { return mark() },
		"genCA":         func(string, int) (placeholderCert, error) { return pair() },
		"genCAWithKey":  func(string, int, string) (placeholderCert, error) { return pair() },
		"genSelfSignedCert": func(string, []any, []any, int) (placeholderCert, error) {
			return pair()
		},
		"genSelfSignedCertWithKey": func(string, []any, []any, int, string) (placeholderCert, error) {
			return pair()
		},
		"genSignedCert": func(string, []any, []any, int, any) (placeholderCert, error) {
			return pair()
		},
		"genSignedCertWithKey": func(string, []any, []any, int, any, string) (placeholderCert, error) {
			return pair()
		},
	}
}

// funcs are the engine's custom functions for opts.
func funcs(opts Options) template.FuncMap {
	if !opts.MarkRandom {
		return analysisFuncs
	}
	f := maps.Clone(analysisFuncs)
	maps.Copy(f, randomMarks())
	return f
}
