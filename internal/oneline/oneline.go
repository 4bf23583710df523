// Package oneline folds multi-line messages (Helm's template and lint errors,
// YAML parser errors) into the one line hookgen prints per problem.
package oneline

import "strings"

// Of returns s on one line: runs of spaces collapsed, an indented line (a
// continuation, as Helm's template errors indent their explanations) joined
// with a space, any other line break written as "; ".
func Of(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		words := strings.Fields(line)
		if len(words) == 0 {
			continue
		}
		if b.Len() > 0 {
			if line[0] == ' ' || line[0] == '\t' {
				b.WriteString(" ")
			} else {
				b.WriteString("; ")
			}
		}
		b.WriteString(strings.Join(words, " "))
	}
	return b.String()
}

// Err is Of(err.Error()).
func Err(err error) string { return Of(err.Error()) }
