// Package termsafe keeps text from a chart (rendered names, annotations)
// from driving the terminal: a chart could otherwise print CR, ESC or BEL
// sequences that move the cursor and erase its own lint finding.
package termsafe

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// Writer returns w with every control character written escaped as \r,
// \x1b, \u0085..., except line feed and tab. With sgr, colour sequences
// (ESC [ digits and ';' m), which hookgen's own coloured output uses, pass;
// every other escape sequence is escaped.
func Writer(w io.Writer, sgr bool) io.Writer { return &writer{w: w, sgr: sgr} }

type writer struct {
	w   io.Writer
	sgr bool
}

func (t *writer) Write(p []byte) (int, error) {
	out := make([]byte, 0, len(p))
	for i := 0; i < len(p); {
		c := p[i]
		if c == 0x1b && t.sgr {
			if n := sgrLen(p[i:]); n > 0 {
				out = append(out, p[i:i+n]...)
				i += n
				continue
			}
		}
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case r == '\n' || r == '\t':
			out = append(out, c)
		case r == '\r':
			out = append(out, `\r`...)
		case r < 0x20 || r == 0x7f:
			out = append(out, fmt.Sprintf(`\x%02x`, r)...)
		case r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029:
			out = append(out, fmt.Sprintf(`\u%04x`, r)...)
		default:
			out = append(out, p[i:i+size]...)
		}
		i += size
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// sgrLen is the length of a colour sequence at the start of p, or 0.
func sgrLen(p []byte) int {
	if len(p) < 3 || p[1] != '[' {
		return 0
	}
	for i := 2; i < len(p); i++ {
		switch c := p[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9' || c == ';':
		default:
			return 0
		}
	}
	return 0
}
