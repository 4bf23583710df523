package main

import (
	"encoding/json"
	"reflect"

	"github.com/rogpeppe/go-internal/testscript"
)

// jsonEq is the script command `jsoneq A B KEY`.
func jsonEq(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 3 {
		ts.Fatalf("usage: jsoneq FILE FILE KEY")
	}
	var vals [2]any
	for i, f := range args[:2] {
		var obj map[string]any
		if err := json.Unmarshal([]byte(ts.ReadFile(f)), &obj); err != nil {
			ts.Fatalf("%s: %v", f, err)
		}
		v, ok := obj[args[2]]
		if !ok {
			ts.Fatalf("%s has no key %q", f, args[2])
		}
		vals[i] = v
	}
	if eq := reflect.DeepEqual(vals[0], vals[1]); eq == neg {
		a, _ := json.Marshal(vals[0])
		b, _ := json.Marshal(vals[1])
		ts.Fatalf("%s of %s: %s\n%s of %s: %s", args[2], args[0], a, args[2], args[1], b)
	}
}
