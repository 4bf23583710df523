package schemaedit

import (
	"encoding/json"
	"strings"
	"testing"
)

const hook = `{"type":"object","additionalProperties":false,"properties":{"enabled":{"type":"boolean"}}}`

// Insert puts the hook's schema where Helm validates it, formatted like the
// file; Remove gives back every byte, whichever levels Insert created.
func TestInsertRemove(t *testing.T) {
	cases := map[string]string{
		"two spaces":                    "{\n  \"type\": \"object\",\n  \"additionalProperties\": false,\n  \"properties\": {\n    \"image\": {\"type\": \"object\"}\n  }\n}\n",
		"four spaces, no final newline": "{\n    \"type\": \"object\",\n    \"properties\": {\n        \"a\": {\n            \"type\": \"string\"\n        }\n    }\n}",
		"tabs":                          "{\n\t\"properties\": {\n\t\t\"a\": {}\n\t}\n}\n",
		"compact":                       `{"type":"object","properties":{"a":{}}}`,
		"no properties":                 "{\n  \"$schema\": \"http://json-schema.org/schema#\",\n  \"type\": \"object\"\n}\n",
		// (An empty "properties": {} is the one ambiguous case: Insert gives
		// the same bytes as for a file without it, and Remove takes it out.)
		"empty object":            "{}\n",
		"hooks key already there": "{\n  \"properties\": {\n    \"hooks\": {\n      \"type\": \"object\"\n    }\n  }\n}\n",
		"hooks with a hook":       "{\n  \"properties\": {\n    \"hooks\": {\n      \"type\": \"object\",\n      \"properties\": {\n        \"mine\": {}\n      }\n    }\n  }\n}\n",
		"escaped keys":            "{\n  \"properties\": {\n    \"a\\\"b\": {\"description\": \"x}\\\\\"}\n  }\n}\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := Insert([]byte(src), "hooks", "migration", []byte(hook), "hooks")
			if err != nil {
				t.Fatal(err)
			}
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatalf("not JSON after Insert: %v\n%s", err, out)
			}
			got := doc["properties"].(map[string]any)["hooks"].(map[string]any)["properties"].(map[string]any)["migration"]
			if got.(map[string]any)["additionalProperties"] != false {
				t.Errorf("hook schema not where Helm looks: %s", out)
			}
			if i := strings.IndexAny(src, "\n\""); i > 2 && !strings.HasPrefix(string(out), src[:i]) {
				t.Errorf("the start of the file changed:\n%s", out)
			}
			if !Has(out, "hooks", "migration") {
				t.Error("Has = false after Insert")
			}
			again, _ := Insert(out, "hooks", "migration", []byte(hook), "hooks")
			if string(again) != string(out) {
				t.Error("a second Insert changed the file")
			}
			// A second hook, then both out again in either order.
			two, err := Insert(out, "hooks", "seed", []byte(hook), "hooks")
			if err != nil {
				t.Fatal(err)
			}
			back, err := Remove(two, "hooks", "seed", []byte(hook), "hooks")
			if err != nil || string(back) != string(out) {
				t.Errorf("Remove(seed) did not undo Insert(seed) (%v):\n%s", err, back)
			}
			back, _ = Remove(out, "hooks", "migration", []byte(hook), "hooks")
			if string(back) != src {
				t.Errorf("Remove did not restore every byte:\n got %q\nwant %q", back, src)
			}
			if _, err := Remove(two, "hooks", "migration", []byte(hook), "hooks"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// The indented output of Insert keeps the sibling members' indentation.
func TestInsertIndent(t *testing.T) {
	src := "{\n    \"properties\": {\n        \"a\": {}\n    }\n}\n"
	out, _ := Insert([]byte(src), "hooks", "x", []byte(`{"type":"object"}`), "")
	want := "{\n    \"properties\": {\n        \"a\": {},\n        \"hooks\": {\n            \"type\": \"object\",\n            \"properties\": {\n                \"x\": {\n                    \"type\": \"object\"\n                }\n            }\n        }\n    }\n}\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

func TestNotObject(t *testing.T) {
	for _, src := range []string{`[]`, `{"properties": []}`, `{"properties": {"hooks": true}}`} {
		if _, err := Insert([]byte(src), "hooks", "x", []byte(`{}`), ""); err == nil {
			t.Errorf("Insert(%s) accepted it", src)
		}
	}
	if _, err := Insert([]byte(`{"a":`), "hooks", "x", []byte(`{}`), ""); err == nil || !strings.Contains(err.Error(), "not valid JSON") {
		t.Errorf("invalid JSON: %v", err)
	}
}
