package generators

import (
	"regexp"
	"strings"

	yamlv3 "gopkg.in/yaml.v3"
)

// CommentStyle is how a chart documents its values.yaml; the hook's values
// block follows it so the chart's documentation tooling keeps working.
type CommentStyle int

const (
	// CommentsPlain: ordinary "# " comments (helm create's style).
	CommentsPlain CommentStyle = iota
	// CommentsHelmDocs: helm-docs, "# -- description" above each key.
	CommentsHelmDocs
	// CommentsBitnami: bitnami's readme-generator-for-helm, "## @param
	// full.path description" lines above each object, "## @section" titles.
	CommentsBitnami
)

var (
	bitnamiParamRe = regexp.MustCompile(`(?m)^[ \t]*## @(param|skip|section) `)
	helmDocsRe     = regexp.MustCompile(`(?m)^[ \t]*# -- `)
)

// detectCommentStyle reads the chart's convention from values.yaml: a few
// readme-generator or helm-docs markers decide it (a stray one does not).
func detectCommentStyle(values []byte) CommentStyle {
	switch {
	case len(bitnamiParamRe.FindAllIndex(values, 3)) >= 3:
		return CommentsBitnami
	case len(helmDocsRe.FindAllIndex(values, 3)) >= 3:
		return CommentsHelmDocs
	}
	return CommentsPlain
}

// restyle rewrites the helm-docs comments of the rendered values block
// (header above the values key, comment above the hook's key, body) in the
// chart's style. path is the hook's key path, e.g. "hooks.migration".
func restyle(style CommentStyle, header, comment, body, path string) (string, string, string) {
	switch style {
	case CommentsPlain:
		return plainComments(header), plainComments(comment), plainComments(body)
	case CommentsBitnami:
		h := "## @section Hook parameters\n## " + strings.TrimPrefix(firstLine(header), "# -- ")
		if rest := restLines(header); rest != "" {
			h += "\n" + doubleHash(rest)
		}
		c := "## " + strings.TrimPrefix(comment, "# -- ")
		if params := bitnamiParams(body, path); params != "" {
			c += "\n" + params
		}
		return h, c, stripComments(body)
	}
	return header, comment, body
}

func plainComments(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		ind := len(l) - len(strings.TrimLeft(l, " "))
		if strings.HasPrefix(l[ind:], "# -- ") {
			lines[i] = l[:ind] + "# " + l[ind+len("# -- "):]
		}
	}
	return strings.Join(lines, "\n")
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func restLines(s string) string {
	_, r, _ := strings.Cut(s, "\n")
	return r
}

func doubleHash(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = "#" + strings.TrimLeft(l, " ")
	}
	return strings.Join(lines, "\n")
}

func stripComments(body string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.HasPrefix(strings.TrimLeft(l, " "), "#") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// bitnamiParams lists "## @param path description" for every leaf of the
// body (scalars, lists, empty maps), in order, each described by its own
// helm-docs comment or, for a leaf without one, its nearest ancestor's.
func bitnamiParams(body, path string) string {
	var doc yamlv3.Node
	if yamlv3.Unmarshal([]byte(body), &doc) != nil || len(doc.Content) == 0 {
		return ""
	}
	var lines []string
	var walk func(n *yamlv3.Node, prefix, inherited string)
	walk = func(n *yamlv3.Node, prefix, inherited string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			desc := helmDocsText(k.HeadComment)
			p := prefix + "." + k.Value
			if v.Kind == yamlv3.MappingNode && len(v.Content) > 0 {
				d := desc
				if d == "" {
					d = inherited
				}
				walk(v, p, d)
				continue
			}
			if desc == "" && inherited != "" {
				desc = inherited + " (" + strings.TrimPrefix(p, path+".") + ")"
			}
			lines = append(lines, strings.TrimRight("## @param "+p+" "+desc, " "))
		}
	}
	walk(doc.Content[0], path, "")
	return strings.Join(lines, "\n")
}

// helmDocsText is a helm-docs comment as one line of text.
func helmDocsText(c string) string {
	var parts []string
	for _, l := range strings.Split(c, "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimPrefix(l, "# --")
		l = strings.TrimPrefix(l, "#")
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return strings.Join(parts, " ")
}
