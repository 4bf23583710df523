package generators

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"helm.sh/helm/v4/pkg/ignore"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/chartview"
	"github.com/hookgen/hookgen/internal/schemaedit"
)

// SchemaPath and HelmignorePath are the chart files add extends besides
// values.yaml (Helm reads both from the chart's root).
const (
	SchemaPath     = chartview.SchemaPath
	HelmignorePath = chartview.HelmignorePath
)

// schemaParentDescription describes the values key in the schema.
const schemaParentDescription = "Helm hook Jobs written by hookgen"

// helmignoreBlock keeps the unit-test suites add writes out of `helm package`;
// helmignoreBlockNL is the same after a last line that had no newline.
const (
	helmignoreBlock   = "# Added by hookgen: its unit-test suites stay out of helm package (hookgen remove takes this out with the last hook)\n/tests/\n"
	helmignoreBlockNL = "\n# Added by hookgen after a last line without newline: its unit-test suites stay out of helm package (hookgen remove takes this out with the last hook)\n/tests/\n"
)

// editChartFiles adds the hook to values.schema.json (when the chart has
// one) and tests/ to .helmignore (when the chart does not ignore it yet).
func (out *Output) editChartFiles(info *ChartInfo) error {
	if info.Chart.Schema != nil {
		ns, err := schemaedit.Insert(info.Chart.Schema, info.Chart.ValuesKey, out.Hook.Name, out.Schema(), schemaParentDescription)
		if err != nil {
			return &ChartError{Err: fmt.Errorf("cannot add the hook's settings to %s: %w", SchemaPath, err)}
		}
		if !bytes.Equal(ns, info.Chart.Schema) {
			out.Files = append(out.Files, File{Path: SchemaPath, Content: ns, Kind: Edited})
		}
	}
	if ni, ok := helmignoreAdd(info.Chart.Helmignore, TestPath(out.Hook.Name)); ok {
		out.Files = append(out.Files, File{Path: HelmignorePath, Content: ni, Kind: Edited})
	}
	return nil
}

// helmignoreAdd returns .helmignore (nil: absent) with tests/ ignored, and
// whether that changed it.
func helmignoreAdd(cur []byte, testPath string) ([]byte, bool) {
	if cur == nil {
		return []byte(helmignoreBlock), true
	}
	if ignored(cur, testPath) {
		return cur, false
	}
	// An empty file takes the second form, so that remove can tell it from
	// a file add created.
	if len(cur) > 0 && cur[len(cur)-1] == '\n' {
		return append(slices.Clip(cur), helmignoreBlock...), true
	}
	return append(slices.Clip(cur), helmignoreBlockNL...), true
}

// helmignoreRemove undoes helmignoreAdd: the new content, or del when add
// created the file.
func helmignoreRemove(cur []byte) (out []byte, del, changed bool) {
	switch {
	case cur == nil:
		return nil, false, false
	case string(cur) == helmignoreBlock:
		return nil, true, true
	case bytes.HasSuffix(cur, []byte(helmignoreBlockNL)):
		return cur[:len(cur)-len(helmignoreBlockNL)], false, true
	}
	if i := bytes.Index(cur, []byte(helmignoreBlock)); i >= 0 && (i == 0 || cur[i-1] == '\n') {
		return append(slices.Clip(cur[:i]), cur[i+len(helmignoreBlock):]...), false, true
	}
	return cur, false, false
}

// ignored reports whether Helm's loader skips testPath with these rules
// (pkg/chart/v2/loader/directory.go: a matching directory skips its files).
func ignored(rules []byte, testPath string) bool {
	r, err := ignore.Parse(bytes.NewReader(rules))
	if err != nil {
		return false
	}
	dir := testPath[:strings.LastIndex(testPath, "/")]
	return r.Ignore(dir, fakeInfo{name: dir, dir: true}) || r.Ignore(testPath, fakeInfo{name: testPath})
}

type fakeInfo struct {
	name string
	dir  bool
}

func (f fakeInfo) Name() string { return f.name[strings.LastIndex(f.name, "/")+1:] }
func (f fakeInfo) Size() int64  { return 0 }
func (f fakeInfo) Mode() os.FileMode {
	if f.dir {
		return os.ModeDir | 0o755
	}
	return 0o644
}
func (f fakeInfo) ModTime() time.Time { return time.Time{} }
func (f fakeInfo) IsDir() bool        { return f.dir }
func (f fakeInfo) Sys() any           { return nil }

// openObjects are Kubernetes objects in the values block: their schema only
// says "object", the API server validates the rest.
var openObjects = map[string]bool{
	"resources": true, "podSecurityContext": true, "securityContext": true,
	"podLabels": true, "podAnnotations": true, "nodeSelector": true, "affinity": true,
}

// looseScalars may be written as numbers (an image tag 1.37, a port, a size).
var looseScalars = map[string]bool{"tag": true, "port": true, "size": true}

// Schema is the JSON schema of the hook's values block, derived from the
// block itself so the two never disagree: each key typed by its default,
// no keys the templates do not read.
func (out *Output) Schema() []byte {
	var body map[string]any
	if err := yaml.Unmarshal([]byte(out.ValuesBlock.Body), &body); err != nil {
		return []byte(`{"type":"object"}`)
	}
	s := schemaOf(body, "")
	s["description"] = fmt.Sprintf("%s hook written by hookgen add %s", out.Hook.Task.title, out.Hook.Task.Name)
	b, _ := json.Marshal(orderSchema(s))
	return b
}

func schemaOf(v any, key string) map[string]any {
	switch x := v.(type) {
	case map[string]any:
		s := map[string]any{"type": "object"}
		if openObjects[key] || len(x) == 0 {
			return s
		}
		props := map[string]any{}
		for k, e := range x {
			props[k] = schemaOf(e, k)
		}
		s["properties"] = props
		s["additionalProperties"] = false
		return s
	case []any:
		if key == "command" || key == "args" {
			return map[string]any{"type": "array", "items": map[string]any{"type": "string"}}
		}
		return map[string]any{"type": "array"}
	case bool:
		return map[string]any{"type": "boolean"}
	case string:
		if looseScalars[key] {
			return map[string]any{"type": []string{"string", "number"}}
		}
		return map[string]any{"type": "string"}
	case float64, int, int64:
		if looseScalars[key] {
			return map[string]any{"type": []string{"integer", "string"}}
		}
		return map[string]any{"type": "integer", "minimum": 0}
	case nil:
		// ttlSecondsAfterFinished: null means unset.
		return map[string]any{"type": []string{"integer", "null"}, "minimum": 0}
	}
	return map[string]any{}
}

// orderSchema writes schema keywords in a readable order (description,
// type, ..., properties last) with properties sorted by name.
type orderedSchema map[string]any

func orderSchema(s map[string]any) orderedSchema {
	if p, ok := s["properties"].(map[string]any); ok {
		for k, v := range p {
			if m, ok := v.(map[string]any); ok {
				p[k] = orderSchema(m)
			}
		}
	}
	return orderedSchema(s)
}

func (s orderedSchema) MarshalJSON() ([]byte, error) {
	order := []string{"description", "type", "minimum", "items", "additionalProperties", "properties"}
	var buf bytes.Buffer
	buf.WriteByte('{')
	first := true
	for _, k := range order {
		v, ok := s[k]
		if !ok {
			continue
		}
		if !first {
			buf.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(vb)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
