package render

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash"
	"math"
	"slices"
	"sync"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// Helm validates the values against every values.schema.json of the chart
// tree on each render (util.ToRenderValuesWithSchemaValidation), compiling
// each schema anew: a tenth of a render's CPU on charts with schemas, and
// hookgen renders a chart several times with the same values and schemas
// (the inspection, the verification, probes with another release name).
// validateValues runs Helm's own validation (util.ValidateAgainstSchema)
// once per distinct input and remembers the inputs that passed: the result
// depends only on the chart tree's names and schemas and on the values,
// which the key holds exactly (types included), so a remembered pass is
// what Helm would answer again.

var validated sync.Map // [sha256.Size]byte -> struct{}

// validateValues is the schema check of Helm's
// util.ToRenderValuesWithSchemaValidation, with its error text.
func validateValues(ch *chart.Chart, vals map[string]any) error {
	key, ok := schemaKey(ch, vals)
	if ok {
		if _, hit := validated.Load(key); hit {
			return nil
		}
	}
	if err := util.ValidateAgainstSchema(ch, vals); err != nil {
		return fmt.Errorf("values don't meet the specifications of the schema(s) in the following chart(s):\n%w", err)
	}
	if ok {
		validated.Store(key, struct{}{})
	}
	return nil
}

// schemaKey digests what the validation reads: each chart's name and
// schema, the tree's shape, and the values with their Go types. Not ok when
// a value has a type the key does not encode (then nothing is remembered).
func schemaKey(ch *chart.Chart, vals map[string]any) ([sha256.Size]byte, bool) {
	h := sha256.New()
	writeTree(h, ch)
	if !writeValue(h, vals) {
		return [sha256.Size]byte{}, false
	}
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k, true
}

func writeBytes(h hash.Hash, b []byte) {
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	h.Write(n[:])
	h.Write(b)
}

func writeTree(h hash.Hash, ch *chart.Chart) {
	writeBytes(h, []byte(ch.Name()))
	if ch.Schema == nil {
		h.Write([]byte{0})
	} else {
		h.Write([]byte{1})
		writeBytes(h, ch.Schema)
	}
	deps := ch.Dependencies()
	writeBytes(h, binary.LittleEndian.AppendUint64(nil, uint64(len(deps))))
	for _, d := range deps {
		writeTree(h, d)
	}
}

// writeValue encodes v with a tag per type; false for a type it does not
// know (values come from YAML, JSON and --set: these are all there are).
func writeValue(h hash.Hash, v any) bool {
	var buf [8]byte
	switch x := v.(type) {
	case nil:
		h.Write([]byte{'z'})
	case bool:
		if x {
			h.Write([]byte{'t'})
		} else {
			h.Write([]byte{'f'})
		}
	case string:
		h.Write([]byte{'s'})
		writeBytes(h, []byte(x))
	case json.Number:
		h.Write([]byte{'n'})
		writeBytes(h, []byte(x))
	case float64:
		h.Write([]byte{'d'})
		binary.LittleEndian.PutUint64(buf[:], math.Float64bits(x))
		h.Write(buf[:])
	case int64:
		h.Write([]byte{'i'})
		binary.LittleEndian.PutUint64(buf[:], uint64(x))
		h.Write(buf[:])
	case int:
		h.Write([]byte{'I'})
		binary.LittleEndian.PutUint64(buf[:], uint64(x))
		h.Write(buf[:])
	case []any:
		h.Write([]byte{'a'})
		writeBytes(h, binary.LittleEndian.AppendUint64(nil, uint64(len(x))))
		for _, e := range x {
			if !writeValue(h, e) {
				return false
			}
		}
	case common.Values:
		return writeMap(h, 'M', x)
	case map[string]any:
		return writeMap(h, 'm', x)
	default:
		return false
	}
	return true
}

func writeMap(h hash.Hash, tag byte, x map[string]any) bool {
	h.Write([]byte{tag})
	keys := make([]string, 0, len(x))
	for k := range x {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	writeBytes(h, binary.LittleEndian.AppendUint64(nil, uint64(len(keys))))
	for _, k := range keys {
		writeBytes(h, []byte(k))
		if !writeValue(h, x[k]) {
			return false
		}
	}
	return true
}
