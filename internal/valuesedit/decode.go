package valuesedit

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"sort"

	"gopkg.in/yaml.v3"
)

// The values an edit must keep are compared in this package's own decoded
// form, built from yaml.v3's node tree in one pass:
//
//   - a map with string keys is a map[string]any; one with any other key is
//     a mixedMap (keys written tag + value), so neither can be mistaken for
//     the other;
//   - a scalar is its resolved tag and its text (null is nil): two values are
//     equal when YAML reads them the same way from the same text, which is
//     all an edit that keeps every other byte can be asked to prove;
//   - a duplicate key is Helm's way: the later one wins, as Helm's values
//     parser (sigs.k8s.io/yaml over go-yaml v2, in chartutil.ReadValues)
//     reads it. yaml.v3's Node.Decode refuses duplicates ("mapping key
//     already defined") and checks them pairwise, quadratic in a map's size.
//
// Aliases are expanded with a budget, so that a file of nested aliases
// cannot make the edit exponential (yaml.v3 has the same guard).

type scalar struct{ tag, value string }

type mixedMap map[string]any

var errAliasing = errors.New("document contains excessive aliasing")

type decoder struct{ budget int }

// decodeNode decodes a document (or any node) of a parsed file.
func decodeNode(n *yaml.Node) (any, error) {
	d := &decoder{budget: 4*countNodes(n) + 100_000}
	return d.node(n)
}

func countNodes(n *yaml.Node) int {
	c := 1
	for _, x := range n.Content {
		c += countNodes(x)
	}
	return c
}

func (d *decoder) node(n *yaml.Node) (any, error) {
	if d.budget--; d.budget < 0 {
		return nil, errAliasing
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return d.node(n.Content[0])
	case yaml.AliasNode:
		return d.node(n.Alias)
	case yaml.ScalarNode:
		tag := n.ShortTag()
		if tag == "!!null" {
			return nil, nil
		}
		return scalar{tag, n.Value}, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := d.node(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.MappingNode:
		return d.mapping(n)
	}
	return nil, nil
}

func (d *decoder) mapping(n *yaml.Node) (any, error) {
	m := make(map[string]any, len(n.Content)/2)
	mixed := false
	// Merged keys (<<) first; the map's own keys override them.
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			if err := d.merge(n.Content[i+1], m, &mixed); err != nil {
				return nil, err
			}
		}
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			continue
		}
		key, isStr, err := d.key(k)
		if err != nil {
			return nil, err
		}
		mixed = mixed || !isStr
		v, err := d.node(n.Content[i+1])
		if err != nil {
			return nil, err
		}
		m[key] = v // a later duplicate wins
	}
	if mixed {
		return mixedMap(m), nil
	}
	return m, nil
}

// merge adds the entries of a merged map (or list of maps: the first one
// that has a key wins) that m does not have yet.
func (d *decoder) merge(v *yaml.Node, m map[string]any, mixed *bool) error {
	for v.Kind == yaml.AliasNode {
		v = v.Alias
	}
	srcs := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		srcs = v.Content
	}
	for _, s := range srcs {
		x, err := d.node(s)
		if err != nil {
			return err
		}
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				if _, ok := m[k]; !ok {
					m[k] = e
				}
			}
		case mixedMap:
			*mixed = true
			for k, e := range x {
				if _, ok := m[k]; !ok {
					m[k] = e
				}
			}
		}
	}
	return nil
}

// key returns the map key for node k: a string key's text, or for any other
// key its tag and text (a collection key: its decoded form).
func (d *decoder) key(k *yaml.Node) (string, bool, error) {
	for k.Kind == yaml.AliasNode {
		k = k.Alias
	}
	if k.Kind == yaml.ScalarNode {
		if t := k.ShortTag(); t != "!!str" {
			return "\x00" + t + "\x00" + k.Value, false, nil
		}
		return k.Value, true, nil
	}
	v, err := d.node(k)
	if err != nil {
		return "", false, err
	}
	var b bytes.Buffer
	b.WriteString("\x00collection\x00")
	writeKey(&b, v)
	return b.String(), false, nil
}

func writeKey(b *bytes.Buffer, v any) {
	switch v := v.(type) {
	case scalar:
		b.WriteString(v.tag + "=" + v.value + ";")
	case []any:
		b.WriteString("[")
		for _, x := range v {
			writeKey(b, x)
		}
		b.WriteString("]")
	case map[string]any:
		writeMapKey(b, v)
	case mixedMap:
		writeMapKey(b, v)
	default:
		b.WriteString("~;")
	}
}

func writeMapKey(b *bytes.Buffer, m map[string]any) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sortStrings(keys)
	b.WriteString("{")
	for _, k := range keys {
		b.WriteString(k + ":")
		writeKey(b, m[k])
	}
	b.WriteString("}")
}

// decodeOne decodes a file that must hold at most one document.
func decodeOne(b []byte) (any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(stripBOM(b)))
	var v any
	for n := 0; ; n++ {
		var x yaml.Node
		err := dec.Decode(&x)
		if err == io.EOF {
			return v, nil
		}
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, errors.New("more than one document")
		}
		if v, err = decodeNode(&x); err != nil {
			return nil, err
		}
	}
}

// decodeText decodes a small YAML text (a Block's body) the same way.
func decodeText(s string) (any, error) { return decodeOne([]byte(s)) }

// equalValues compares two decoded values. It is written for the types the
// decoder makes, without reflection: on a big file the comparison of the
// whole document before and after an edit is a fifth of the edit's time with
// reflect.DeepEqual.
func equalValues(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case scalar:
		b, ok := b.(scalar)
		return ok && a == b
	case map[string]any:
		b, ok := b.(map[string]any)
		return ok && equalMaps(a, b)
	case mixedMap:
		b, ok := b.(mixedMap)
		return ok && equalMaps(a, b)
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equalValues(a[i], b[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b) // not the decoder's (tests compare other forms)
}

func equalMaps(a, b map[string]any) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || !equalValues(x, y) {
			return false
		}
	}
	return true
}

func sortStrings(s []string) { sort.Strings(s) }
