package helmhook

import (
	"sigs.k8s.io/yaml"

	"reflect"
	"strings"
	"testing"
)

// ParseHead reads only a document's head; it must read exactly what a
// decode of the whole document reads, and keep any document it cannot cut
// safely whole.
func TestHeadOnlyReadsWhatTheWholeDocumentSays(t *testing.T) {
	body := "spec:\n  group: example.com\n  versions:\n" + strings.Repeat("    - name: v1\n      served: true\n", 50)
	for name, doc := range map[string]string{
		"metadata first": "metadata:\n  name: widgets.example.com\n  annotations:\n    helm.sh/hook: pre-install\n    helm.sh/hook-weight: 5\napiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n" + body,
		"metadata last":  "apiVersion: v1\nkind: ConfigMap\n" + body + "# a comment\nmetadata:\n  name: last\n\n  namespace: ns\n",
		"comments":       "# Source: x/templates/a.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n# inside\n  name: s\ndata:\n  a: b\n",
		"flow":           "{apiVersion: v1, kind: ConfigMap, metadata: {name: flow}, data: {a: b}}\n",
		"quoted keys":    "\"apiVersion\": v1\n\"kind\": ConfigMap\n\"metadata\":\n  \"name\": q\ndata: {}\n",
		"merge key":      "base: &b\n  name: merged\nkind: ConfigMap\nmetadata:\n  <<: *b\n",
		"alias to body":  "spec: &s\n  name: aliased\nkind: ConfigMap\nmetadata: *s\n",
	} {
		var whole Head
		if err := yamlUnmarshalWhole(doc, &whole); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := ParseHead(doc)
		if err != nil {
			t.Fatalf("%s: ParseHead: %v", name, err)
		}
		got.NonString, whole.NonString = nil, nil
		if !reflect.DeepEqual(got, whole) {
			t.Errorf("%s: ParseHead read %+v, the whole document says %+v", name, got, whole)
		}
		if whole.Metadata.Name == "" {
			t.Errorf("%s: test document has no name", name)
		}
	}
	if got := HeadOnly("apiVersion: v1\nkind: X\nmetadata:\n  name: a\nspec:\n  big: true\n"); strings.Contains(got, "spec") {
		t.Errorf("headOnly kept the body: %q", got)
	}
	h, err := ParseHead("metadata:\n  name: a\n  annotations:\n    helm.sh/hook-weight: 5\nspec:\n  x: 1\n")
	if err != nil || !reflect.DeepEqual(h.NonString, []string{"helm.sh/hook-weight"}) {
		t.Errorf("non-string annotations of a cut document: %v %v", h.NonString, err)
	}
}

func yamlUnmarshalWhole(doc string, h *Head) error { return yaml.Unmarshal([]byte(doc), h) }
