package render

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"testing"
)

// The scans agree with the regular expressions they replace.
func TestScansMatchTheirRegexps(t *testing.T) {
	texts := []string{
		"", "hooks", "{{ .Values.hooks.x }}", "myhooks", "hooks_x", "x-hooks-y", "{{ .Values.webhooks }}",
		"{{ .Files.Glob \"x\" }}", ".Globber", ".Glob", "$.Files.Glob", "{{ toYaml .Values }}", ".Values.x",
		".Values", "(.Values)", ".ValuesX", ".Release", "{{ include \"x\" .Release }}", ".Release.Name", "hooks hooks",
	}
	for _, c := range []struct {
		re   *regexp.Regexp
		scan func([]byte) bool
	}{
		{regexp.MustCompile(`\bhooks\b`), func(b []byte) bool { return ContainsWord(b, "hooks") }},
		{regexp.MustCompile(`\.Glob\b`), func(b []byte) bool { return ContainsField(b, ".Glob") }},
		{regexp.MustCompile(`\.Values(?:[^.\w]|$)`), func(b []byte) bool { return ReadsWhole(b, ".Values") }},
		{regexp.MustCompile(`IsInstall|IsUpgrade|Revision|\.Release(?:[^.\w]|$)`), readsRelease},
	} {
		for _, s := range texts {
			if got, want := c.scan([]byte(s)), c.re.MatchString(s); got != want {
				t.Errorf("%s on %q: %v, the regexp says %v", c.re, s, got, want)
			}
		}
	}
}

func TestQuotedStringsMatchesItsRegexp(t *testing.T) {
	re := regexp.MustCompile(`"([^"\s]+)"`)
	for _, s := range []string{
		``, `"a"`, `"a b" "c"`, `"a b"c"`, `{{ include "x.y" . }} "/cm.yaml"`, `""`, `"a""b"`, `"x`, "\"a\tb\" \"c\"", `" "d"`,
	} {
		var want, got []string
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			want = append(want, m[1])
		}
		for _, q := range quotedStrings([]byte(s)) {
			got = append(got, q.s)
		}
		if len(got) != len(want) || len(got) > 0 && fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %q, the regexp finds %q", s, got, want)
		}
	}
}

func TestDefinesMatchesItsRegexp(t *testing.T) {
	re := regexp.MustCompile(`\{\{-?\s*(?:define|block)\s+"([^"]+)"`)
	for _, s := range []string{
		`{{ define "a" }}x{{ end }}`, `{{- define "a.b" -}}{{- end -}}`, "{{-\n define  \"c\" }}", `{{/* define "no" */}}`,
		`{{ include "define" . }}`, `{{ define "a" }}{{ end }}{{ define "b" }}{{ end }}`, `{{ block "blk" . }}{{ end }}`, `{{define"x"}}`, `{{ - define "y" }}`,
	} {
		var want []string
		for _, m := range re.FindAllStringSubmatch(s, -1) {
			want = append(want, m[1])
		}
		got := DefinedNames([]byte(s))
		sort.Strings(got)
		sort.Strings(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%q: %q, the regexp finds %q", s, got, want)
		}
	}
}

// Only a template the scoped chart left out makes a render fall back to the
// whole chart; a chart's own failure, however worded, does not.
func TestMissingTemplate(t *testing.T) {
	for msg, want := range map[string]bool{
		`template: x/templates/a.yaml:3:4: executing "x/templates/a.yaml" at <include "y" .>: error calling include: template: no template "y" associated with template "gotpl"`: true,
		`template: x/templates/a.yaml:1:3: executing "x/templates/a.yaml" at <{{template "z" .}}>: template "z" not defined`:                                                     true,
		`execution error at (x/templates/a.yaml:1:3): the secret is not defined: set auth.existingSecret`:                                                                        false,
		`execution error at (x/templates/a.yaml:1:3): no template given`:                                                                                                         false,
	} {
		if got := missingTemplate(errors.New(msg)); got != want {
			t.Errorf("missingTemplate(%q) = %v, want %v", msg, got, want)
		}
	}
}
