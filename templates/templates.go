// Package templates holds the text/template sources of every file hookgen
// writes. They use [[ ]] delimiters so Helm's {{ }} pass through untouched.
package templates

import (
	"embed"
	"encoding/json"
	"strings"
	"sync"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

//go:embed *.tmpl
var files embed.FS

// Parse returns the named template set, with sprig's functions and these:
//
//	q     a YAML double-quoted scalar (valid JSON string), so any user string survives
//	list  a YAML flow sequence of quoted strings
//
// The set is parsed once per process: a template set is safe to execute
// from several goroutines, and callers only execute it (init generates
// several hooks, each executing it more than once).
func Parse() *template.Template { return parsed() }

var parsed = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("hookgen").Delims("[[", "]]").Funcs(sprig.TxtFuncMap()).Funcs(template.FuncMap{
		"q":     quote,
		"qlist": quoteList,
	}).ParseFS(files, "*.tmpl"))
})

func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	// JSON leaves NEL (U+0085) raw; a YAML parser reads it as a line break
	// (folded to a space), so it is escaped like JSON escapes LS and PS.
	return strings.ReplaceAll(strings.TrimSuffix(b.String(), "\n"), "\u0085", `\u0085`)
}

func quoteList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = quote(x)
	}
	return "[" + strings.Join(q, ", ") + "]"
}
