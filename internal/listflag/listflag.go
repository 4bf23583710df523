// Package listflag splits the list flags of hookgen (--command, --args) and
// the answers to the same questions: each occurrence is one list, commas
// separate its parts, and a part in double quotes may hold commas.
//
// It is CSV without records: encoding/csv (which pflag's StringSlice also
// uses) ends a record at a line break outside quotes and drops a CR inside
// quotes, so "sh,-c,set -e<newline>./migrate up" lost its second line. Here
// every byte between the separating commas is kept: line feeds, CR, NEL
// (U+0085) and any other character, inside quotes or not.
package listflag

import (
	"fmt"
	"strings"
)

// Split splits one occurrence of a list flag into its parts:
//
//   - commas outside double quotes separate parts; "a,,b" has an empty part;
//   - a part that starts with a double quote is quoted: it ends at the next
//     double quote followed by a comma or the end of the value, and "" inside
//     it is one double quote;
//   - any other double quote is kept as it is (shell commands are full of
//     them), as encoding/csv's LazyQuotes does.
//
// An unterminated quoted part is an error; nothing is ever dropped.
func Split(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	i := 0
	for {
		b.Reset()
		if i < len(s) && s[i] == '"' {
			start := i
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c != '"' {
					b.WriteByte(c)
					i++
					continue
				}
				if i+1 < len(s) && s[i+1] == '"' {
					b.WriteByte('"')
					i += 2
					continue
				}
				if i+1 == len(s) || s[i+1] == ',' {
					i++
					closed = true
					break
				}
				// A quote inside the part, not followed by a comma: kept.
				b.WriteByte('"')
				i++
			}
			if !closed {
				return nil, fmt.Errorf("the double quote at byte %d opens a part that never ends; close it with \" before the next comma", start+1)
			}
		} else {
			for i < len(s) && s[i] != ',' {
				b.WriteByte(s[i])
				i++
			}
		}
		out = append(out, b.String())
		if i >= len(s) {
			return out, nil
		}
		i++ // the comma
	}
}

// SplitAll splits every occurrence of flag and joins the parts in order; an
// empty occurrence adds nothing. The error names the flag and the value.
func SplitAll(flag string, values []string) ([]string, error) {
	out := []string{}
	for _, v := range values {
		if v == "" {
			continue
		}
		parts, err := Split(v)
		if err != nil {
			return nil, fmt.Errorf("%s %q: %v", flag, v, err)
		}
		out = append(out, parts...)
	}
	return out, nil
}

// Join is the inverse of Split: parts that hold a comma or a double quote
// at their start (or are empty in a list of one) are quoted.
func Join(parts []string) string {
	q := make([]string, len(parts))
	for i, p := range parts {
		if strings.Contains(p, ",") || strings.HasPrefix(p, `"`) || len(parts) == 1 && p == "" {
			p = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
		}
		q[i] = p
	}
	return strings.Join(q, ",")
}
