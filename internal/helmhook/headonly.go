package helmhook

import "strings"

// HeadOnly returns the top-level apiVersion, kind and metadata entries of a
// block-style YAML document, dropping the rest (spec, data, a CRD's schema):
// the head is all ParseHead (and Helm's SimpleHead) reads, and decoding a 100 kB CRD body to read
// its name costs more than rendering a whole chart. Any document whose top
// level it cannot read line by line (flow style, quoted or complex keys,
// merge keys, tabs, directives) is returned unchanged.
func HeadOnly(doc string) string {
	var b strings.Builder
	keep, cut := false, false
	for rest := doc; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = ""
		}
		switch c := line[0]; {
		case c == ' ' || c == '\n' || c == '\r' || c == '#':
			// Inside the current entry, blank, or a comment.
		case c == '-' && strings.HasPrefix(line, "---"), c == '.' && strings.HasPrefix(line, "..."):
			return doc
		default:
			key, _, ok := strings.Cut(line, ":")
			if !ok || !topLevelKey(key) {
				return doc
			}
			keep = key == "apiVersion" || key == "kind" || key == "metadata"
			cut = cut || !keep
		}
		if keep {
			b.WriteString(line)
		}
	}
	if !cut {
		return doc
	}
	return b.String()
}

// topLevelKey reports whether k is a plain key (no quoting, anchors, tags,
// merge keys or flow syntax) that HeadOnly can match by name.
func topLevelKey(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '/') {
			return false
		}
	}
	return true
}
