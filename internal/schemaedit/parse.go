package schemaedit

import (
	"encoding/json"
	"fmt"
)

// node is a JSON value with its byte span; objects keep their members.
type node struct {
	kind       byte // '{', '[', '"', or 'v' for numbers and literals
	start, end int  // src[start:end] is the value
	members    []member
}

type member struct {
	key      string
	keyStart int
	val      *node
}

func (n *node) index(key string) int {
	// The last duplicate wins, as in encoding/json and Helm's loader.
	for i := len(n.members) - 1; i >= 0; i-- {
		if n.members[i].key == key {
			return i
		}
	}
	return -1
}

func (n *node) member(key string) *member {
	if i := n.index(key); i >= 0 {
		return &n.members[i]
	}
	return nil
}

type parser struct {
	src []byte
	pos int
}

// parse reads one JSON document with the offsets of every value; the
// document must be valid JSON (checked with encoding/json first).
func parse(src []byte) (*node, error) {
	if !json.Valid(src) {
		var v any
		err := json.Unmarshal(src, &v)
		return nil, fmt.Errorf("values.schema.json is not valid JSON: %v; fix it first (helm lint reports it too)", err)
	}
	p := &parser{src: src}
	p.ws()
	return p.value(), nil
}

func (p *parser) ws() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value() *node {
	n := &node{start: p.pos}
	switch c := p.src[p.pos]; c {
	case '{':
		n.kind = '{'
		p.pos++
		p.ws()
		for p.src[p.pos] != '}' {
			ks := p.pos
			p.str()
			var key string
			_ = json.Unmarshal(p.src[ks:p.pos], &key)
			p.ws()
			p.pos++ // ':'
			p.ws()
			v := p.value()
			n.members = append(n.members, member{key: key, keyStart: ks, val: v})
			p.next()
		}
		p.pos++
	case '[':
		n.kind = '['
		p.pos++
		p.ws()
		for p.src[p.pos] != ']' {
			p.value()
			p.next()
		}
		p.pos++
	case '"':
		n.kind = '"'
		p.str()
	default:
		n.kind = 'v'
		for p.pos < len(p.src) {
			switch p.src[p.pos] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				n.end = p.pos
				return n
			}
			p.pos++
		}
	}
	n.end = p.pos
	return n
}

// next skips what follows an object member or array element up to the next
// one, or to the closing bracket: white space and a comma.
func (p *parser) next() {
	p.ws()
	if p.src[p.pos] == ',' {
		p.pos++
		p.ws()
	}
}

// str skips a string token starting at p.pos.
func (p *parser) str() {
	p.pos++ // opening quote
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case '\\':
			p.pos += 2
			continue
		case '"':
			p.pos++
			return
		}
		p.pos++
	}
}
