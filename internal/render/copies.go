package render

import (
	"bytes"
	"hash/maphash"
	"sort"

	"helm.sh/helm/v4/pkg/chart/common"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// Charts vendor the same library chart in every subchart: a bitnami chart
// with six dependencies holds seven byte-identical copies of common's
// partials, and Helm's engine parses each of them on every render (parsing
// is a third of a render). A partial renders nothing; what it adds are its
// named templates, and a named template defined several times is the one
// parsed last (text/template replaces a redefinition). When every
// definition of each name a partial defines is in a byte-identical file,
// any one of those files gives every name the same body: the other copies
// can be left out of the engine's chart without changing any output.

var seed = maphash.MakeSeed()

// keepCopies turns withoutCopies off (tests compare the two renders).
var keepCopies bool

// withoutCopies returns ch (after dependency processing) with the redundant
// copies of partials left out of its tree, or ch itself when there are none.
// The chart returned shares everything with ch but its template lists.
func withoutCopies(ch *chart.Chart) *chart.Chart {
	type partial struct {
		f       *common.File
		content int // index of its content in contents
		names   []string
	}
	// Files are told apart by content: a hash picks the candidates, bytes
	// decide (no file is copied to be compared).
	var contents [][]byte
	byHash := map[uint64][]int{}
	contentOf := func(b []byte) int {
		h := maphash.Bytes(seed, b)
		for _, i := range byHash[h] {
			if bytes.Equal(contents[i], b) {
				return i
			}
		}
		contents = append(contents, b)
		byHash[h] = append(byHash[h], len(contents)-1)
		return len(contents) - 1
	}
	var partials []partial
	definers := map[string]map[int]bool{} // name -> contents of the files that define it
	var walk func(c *chart.Chart)
	walk = func(c *chart.Chart) {
		for _, t := range c.Templates {
			names := DefinedNames(t.Data)
			if len(names) == 0 {
				continue // renders output, or defines nothing: never left out
			}
			ci := contentOf(t.Data)
			for _, n := range names {
				if definers[n] == nil {
					definers[n] = map[int]bool{}
				}
				definers[n][ci] = true
			}
			if IsPartial(t.Name) {
				partials = append(partials, partial{t, ci, names})
			}
		}
		for _, d := range c.Dependencies() {
			walk(d)
		}
	}
	walk(ch)
	seen := map[int]bool{}
	drop := map[*common.File]bool{}
	for _, p := range partials {
		if !seen[p.content] {
			seen[p.content] = true
			continue
		}
		alike := true
		for _, n := range p.names {
			alike = alike && len(definers[n]) == 1
		}
		if alike {
			drop[p.f] = true
		}
	}
	if len(drop) == 0 {
		return ch
	}
	return pruned(ch, drop)
}

// pruned copies the chart structs of ch's tree, each with its templates less
// drop (dependencies processed already: the copies keep their parents).
func pruned(ch *chart.Chart, drop map[*common.File]bool) *chart.Chart {
	c := *ch
	c.Templates = nil
	for _, t := range ch.Templates {
		if !drop[t] {
			c.Templates = append(c.Templates, t)
		}
	}
	deps := make([]*chart.Chart, 0, len(ch.Dependencies()))
	for _, d := range ch.Dependencies() {
		deps = append(deps, pruned(d, drop))
	}
	c.SetDependencies(deps...)
	return &c
}

// DefinedNames lists the named templates b defines ({{ define "x" }},
// {{- define "x" -}}, {{ block "x" . }}), in order, without running a
// regular expression over every template.
func DefinedNames(b []byte) []string {
	var out []string
	for _, d := range defineSpans(b) {
		out = append(out, d.name)
	}
	return out
}

// defineSpan is where a named template is defined: the offset of its
// keyword and the offset just after its quoted name.
type defineSpan struct {
	name      string
	at, after int
}

// defineSpans finds the defines and blocks of b in order.
func defineSpans(b []byte) []defineSpan {
	var out []defineSpan
	for _, keyword := range []string{"define", "block"} {
		for i := 0; ; {
			j := bytes.Index(b[i:], []byte(keyword))
			if j < 0 {
				break
			}
			at := i + j
			i = at + len(keyword)
			if !actionStart(b[:at]) {
				continue
			}
			rest := b[i:]
			k := 0
			for k < len(rest) && isSpace(rest[k]) {
				k++
			}
			if k == 0 || k == len(rest) || rest[k] != '"' {
				continue
			}
			end := bytes.IndexByte(rest[k+1:], '"')
			if end <= 0 {
				continue
			}
			out = append(out, defineSpan{string(rest[k+1 : k+1+end]), at, i + k + 1 + end + 1})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

// actionStart reports whether b ends with "{{", "{{-" or either followed
// by white space: the word after it starts an action.
func actionStart(b []byte) bool {
	b = bytes.TrimRight(b, " \t\r\n")
	b = bytes.TrimSuffix(b, []byte("-"))
	return bytes.HasSuffix(b, []byte("{{"))
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
