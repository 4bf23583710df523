package generators

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The record is the request serialised: every record the golden charts
// hold (written by add as it was when the golden files were made) reads
// into a request and writes back byte for byte, so remove still finds what
// earlier versions wrote, and re-adding writes the same header.
func TestRecordsOfGoldenHooksRoundTrip(t *testing.T) {
	files, err := filepath.Glob("../golden/testdata/*/files/templates/hooks/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden hooks found: %v", err)
	}
	n := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m := recordRe.FindSubmatch(b)
		if m == nil {
			continue
		}
		n++
		rec, err := ReadRecord(b)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		req, err := rec.ToRequest()
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		back := Record{Task: req.Task.Name, Request: req, ValuesCreated: rec.ValuesCreated, ValuesEmptyAs: rec.ValuesEmptyAs}
		out, _ := json.Marshal(back)
		want := bytes.ReplaceAll(m[1], []byte(`*\/`), []byte("*/"))
		if !bytes.Equal(out, want) {
			t.Errorf("%s: the record does not write back as it was:\n got %s\nwant %s", f, out, want)
		}
		if req.Task.Name == "" || req.Weight == nil || !strings.Contains(string(m[1]), `"valuesKey":"`+req.ValuesKey+`"`) {
			t.Errorf("%s: request from the record lacks task, weight or values key: %+v", f, req)
		}
	}
	if n < 10 {
		t.Fatalf("only %d golden hooks with a record", n)
	}
}
