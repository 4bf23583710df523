package render

import (
	"strings"
	"sync/atomic"
	"testing"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chart "helm.sh/helm/v4/pkg/chart/v2"
)

// The values are checked against the chart's schema once per distinct
// input: a render with the same values and schema skips Helm's compile, one
// with other values is checked again and still fails where Helm fails.
func TestSchemaCheckedOncePerInput(t *testing.T) {
	validated.Clear()         // a pass remembered by an earlier run (go test -count=2)
	var compiles atomic.Int32 // the schema's urn: reference is resolved on every compile
	old := util.URNResolver
	util.URNResolver = func(string) (any, error) { compiles.Add(1); return map[string]any{"type": "object"}, nil }
	t.Cleanup(func() { util.URNResolver = old })
	schema := `{"type": "object", "properties": {
  "port": {"type": "integer", "maximum": 65535},
  "extra": {"$ref": "urn:hookgen:test:schema-once"}}}`
	ch := func() *chart.Chart {
		return &chart.Chart{
			Metadata:  &chart.Metadata{APIVersion: "v2", Name: "once", Version: "0.1.0"},
			Templates: []*common.File{{Name: "templates/cm.yaml", Data: []byte("kind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-{{ .Values.port }}\n")}},
			Values:    map[string]any{"port": 80},
			Schema:    []byte(schema),
		}
	}
	render := func(set ...string) error {
		vals, err := Values(nil, set)
		if err != nil {
			t.Fatal(err)
		}
		_, err = RenderFiles(ch(), vals, Options{})
		return err
	}
	for range 3 {
		if err := render(); err != nil {
			t.Fatal(err)
		}
	}
	if n := compiles.Load(); n != 1 {
		t.Errorf("the same values and schema were compiled %d times, want once", n)
	}
	if err := render("port=8080"); err != nil {
		t.Fatal(err)
	}
	if n := compiles.Load(); n != 2 {
		t.Errorf("other values: %d compiles, want 2", n)
	}
	for range 2 {
		err := render("port=70000")
		if err == nil || !strings.Contains(err.Error(), "values don't meet the specifications of the schema(s)") || !strings.Contains(err.Error(), "once:") {
			t.Fatalf("values breaking the schema: %v, want Helm's schema error", err)
		}
	}
	// An integer written as a string is another input, checked on its own.
	if err := render("port=80", "port=eighty"); err == nil {
		t.Fatal("a string port passed the schema")
	}
}
