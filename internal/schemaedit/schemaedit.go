// Package schemaedit adds a hook's settings to a chart's values.schema.json
// and takes them out again, splicing bytes so that the rest of the file keeps
// its formatting: the member goes at the end of the object it belongs to,
// indented like its siblings, and Remove is the exact inverse of Insert.
//
// Helm validates values against values.schema.json at install, upgrade,
// template and lint (pkg/chart/common/util/jsonschema.go); a schema with
// additionalProperties: false refuses a hooks block it does not describe.
package schemaedit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrNotObject: a member on the path to the hook's schema is not an object.
var ErrNotObject = errors.New("not a JSON object")

// Path is where the hook's schema goes: properties.<parent>.properties.<name>.
func path(parent, name string) []string {
	return []string{"properties", parent, "properties", name}
}

// Insert adds schema (compact or indented JSON of the hook's values block)
// as properties.<parent>.properties.<name>, creating the levels that are
// missing, with wrappers describing them as objects. A file that already
// has the member is returned unchanged.
func Insert(src []byte, parent, name string, schema []byte, parentDescription string) ([]byte, error) {
	root, err := parse(src)
	if err != nil {
		return nil, err
	}
	if root.kind != '{' {
		return nil, fmt.Errorf("values.schema.json: the top level is %w", ErrNotObject)
	}
	p := path(parent, name)
	obj := root
	for i, key := range p {
		m := obj.member(key)
		if m == nil {
			// Build the rest of the path, innermost first.
			val := compact(schema)
			for j := len(p) - 1; j > i; j-- {
				if (j-1)%2 == 0 { // a "properties" member
					val = fmt.Sprintf(`{%q:%s}`, p[j], val)
				} else { // the parent key's schema: an object with properties
					desc := ""
					if parentDescription != "" {
						desc = fmt.Sprintf(`"description":%q,`, parentDescription)
					}
					val = fmt.Sprintf(`{%s"type":"object","properties":%s}`, desc, val)
				}
			}
			return insertMember(src, obj, key, []byte(val)), nil
		}
		if i == len(p)-1 {
			return src, nil
		}
		if m.val.kind != '{' {
			return nil, fmt.Errorf("values.schema.json: %s is %w", strings.Join(p[:i+1], "."), ErrNotObject)
		}
		obj = m.val
	}
	return src, nil
}

// Has reports whether src holds properties.<parent>.properties.<name>.
func Has(src []byte, parent, name string) bool {
	root, err := parse(src)
	if err != nil {
		return false
	}
	obj := root
	for _, key := range path(parent, name) {
		if obj == nil || obj.kind != '{' {
			return false
		}
		m := obj.member(key)
		if m == nil {
			return false
		}
		obj = m.val
	}
	return true
}

// Remove takes properties.<parent>.properties.<name> out of src. When the
// result with the wrapper levels Insert would have created also removed
// re-inserts to exactly src, those go too (the last hook takes the hooks
// entry with it); otherwise only the member goes.
func Remove(src []byte, parent, name string, schema []byte, parentDescription string) ([]byte, error) {
	root, err := parse(src)
	if err != nil {
		return nil, err
	}
	p := path(parent, name)
	// chain[i] is the object holding p[i].
	var chain []*node
	obj := root
	for _, key := range p {
		if obj == nil || obj.kind != '{' {
			return src, nil
		}
		chain = append(chain, obj)
		m := obj.member(key)
		if m == nil {
			return src, nil
		}
		obj = m.val
	}
	// Widest removal first: the whole levels Insert creates when missing.
	for i := range p {
		cand := deleteMember(src, chain[i], p[i])
		if again, err := Insert(cand, parent, name, schema, parentDescription); err == nil && bytes.Equal(again, src) {
			return cand, nil
		}
	}
	return deleteMember(src, chain[len(p)-1], name), nil
}

func compact(b []byte) string {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return string(b)
	}
	return buf.String()
}

// insertMember adds "key": val as the last member of obj, formatted like the
// object: on its own line, indented as the other members (one indent unit
// deeper than the object's line when it has none), or compact on one line.
func insertMember(src []byte, obj *node, key string, val []byte) []byte {
	k, _ := json.Marshal(key)
	multiline := bytes.IndexByte(src[obj.start:obj.end], '\n') >= 0 || len(obj.members) == 0 && bytes.IndexByte(src, '\n') >= 0
	var text string
	if !multiline {
		text = string(k) + ":" + compact(val)
		if len(obj.members) == 0 {
			return splice(src, obj.start+1, obj.start+1, text)
		}
		last := obj.members[len(obj.members)-1]
		return splice(src, last.val.end, last.val.end, ","+text)
	}
	unit := indentUnit(src)
	var ind string
	if len(obj.members) > 0 {
		ind = lineIndent(src, obj.members[0].keyStart)
	} else {
		ind = lineIndent(src, obj.start) + unit
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, []byte(compact(val)), ind, unit); err != nil {
		buf.Reset()
		buf.Write(val)
	}
	text = ind + string(k) + ": " + buf.String()
	if len(obj.members) == 0 {
		return splice(src, obj.start+1, obj.start+1, "\n"+text+"\n"+lineIndent(src, obj.start))
	}
	last := obj.members[len(obj.members)-1]
	return splice(src, last.val.end, last.val.end, ",\n"+text)
}

// deleteMember is insertMember's inverse for the member key of obj.
func deleteMember(src []byte, obj *node, key string) []byte {
	i := obj.index(key)
	if i < 0 {
		return src
	}
	m := obj.members[i]
	switch {
	case i > 0:
		// From the end of the previous value: ",\n<indent>" or ",".
		return splice(src, obj.members[i-1].val.end, m.val.end, "")
	case len(obj.members) > 1:
		return splice(src, m.keyStart, obj.members[1].keyStart, "")
	default:
		end := m.val.end
		closing := "\n" + lineIndent(src, obj.start)
		if bytes.HasPrefix(src[end:], []byte(closing)) {
			end += len(closing)
		}
		return splice(src, obj.start+1, end, "")
	}
}

func splice(src []byte, from, to int, text string) []byte {
	out := make([]byte, 0, len(src)-(to-from)+len(text))
	out = append(out, src[:from]...)
	out = append(out, text...)
	return append(out, src[to:]...)
}

// lineIndent is the leading whitespace of the line holding offset.
func lineIndent(src []byte, off int) string {
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// indentUnit is the file's indentation step: a tab, or the smallest
// non-zero run of leading spaces (two when the file has none).
func indentUnit(src []byte) string {
	best := 0
	for _, line := range bytes.Split(src, []byte("\n")) {
		if len(line) > 0 && line[0] == '\t' {
			return "\t"
		}
		n := 0
		for n < len(line) && line[n] == ' ' {
			n++
		}
		if n > 0 && n < len(line) && (best == 0 || n < best) {
			best = n
		}
	}
	if best == 0 {
		best = 2
	}
	return strings.Repeat(" ", best)
}
