package render

import "bytes"

// Charts are read for what their templates can reach many times per
// command, over every template of every subchart; these scans do what the
// regular expressions they replace did (Go's regexp backtracks on \b),
// at the speed of bytes.Index.

// ContainsWord reports whether w occurs in b as a word: `\bw\b` for a w
// that starts and ends with a word character.
func ContainsWord(b []byte, w string) bool { return contains(b, w, true) }

// ContainsField reports whether field (".Glob") occurs in b not followed
// by a word character: `\.Field\b`.
func ContainsField(b []byte, field string) bool { return contains(b, field, false) }

func contains(b []byte, w string, wordStart bool) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(w))
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if (!wordStart || start == 0 || !isWord(b[start-1])) && (end == len(b) || !isWord(b[end])) {
			return true
		}
		i = start + 1
	}
}

// ReadsWhole reports whether field (".Values", ".Release") is used whole in
// b -- passed on, ranged over, dumped -- rather than read by key: followed
// by neither a word character nor a dot (`\.Field([^.\w]|$)`).
func ReadsWhole(b []byte, field string) bool {
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte(field))
		if j < 0 {
			return false
		}
		i += j + len(field)
		if i == len(b) || b[i] != '.' && !isWord(b[i]) {
			return true
		}
	}
}

func isWord(c byte) bool {
	return c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
