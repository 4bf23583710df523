package generators

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	"github.com/hookgen/hookgen/internal/helmhook"
)

// Record is the request a hook template was generated from, resolved (its
// name, events, weight, delete policies and workload as generated), kept as
// JSON in the template's header comment. `remove` regenerates the hook from
// it and takes out exactly what add wrote; a difference means the user
// edited it. Records of earlier versions have the same fields.
type Record struct {
	// Task is the task's name (Request.Task is not serialised), so that a
	// record of an unknown task still reads.
	Task string `json:"task"`
	Request
	// ValuesCreated: add created values.yaml, so remove deletes it again
	// when nothing but the hook's block was in it.
	ValuesCreated bool `json:"valuesCreated,omitempty"`
	// ValuesEmptyAs: the values key was empty and written so (valuesedit.
	// EmptyForm: "bare" for "hooks:", or "~", "null"); remove writes it back so.
	ValuesEmptyAs string `json:"valuesEmptyAs,omitempty"`
}

const recordPrefix = "hookgen-record: "

var recordRe = regexp.MustCompile(`(?m)^` + recordPrefix + `(\{.*\})$`)

// record returns the header line for h.
func record(h Hook, req Request, valuesKey string, valuesCreated bool, emptyAs string) string {
	w := h.Weight
	r := Record{Task: h.Task.Name, Request: req, ValuesCreated: valuesCreated, ValuesEmptyAs: emptyAs}
	r.Name, r.Events, r.Weight, r.DeletePolicies, r.ValuesKey = h.Name, h.Events, &w, h.DeletePolicies, valuesKey
	r.Workload = ""
	if h.App != nil {
		r.Workload = h.App.Ref()
	}
	r.CopyWeight = nil
	if len(h.Copies) > 0 {
		cw := h.CopyWeight
		r.CopyWeight = &cw
	}
	b, _ := json.Marshal(r)
	// The line sits in a template comment, which "*/" would end.
	return recordPrefix + strings.ReplaceAll(string(b), "*/", `*\/`)
}

// ReadRecord finds the record in a generated hook template.
func ReadRecord(template []byte) (*Record, error) {
	m := recordRe.FindSubmatch(template)
	if m == nil {
		return nil, fmt.Errorf("no hookgen record in the file: it was not written by hookgen add")
	}
	var r Record
	if err := json.Unmarshal(m[1], &r); err != nil {
		return nil, fmt.Errorf("the hookgen record in the file does not parse: %v", err)
	}
	return &r, nil
}

// ToRequest rebuilds the request the record was made from (the weight is
// fixed, so regenerating does not re-plan it).
func (r *Record) ToRequest() (Request, error) {
	t, ok := LookupTask(r.Task)
	if !ok {
		return Request{}, fmt.Errorf("unknown task %q in the hookgen record", r.Task)
	}
	req := r.Request
	req.Task = t
	evs, err := helmhook.ParseEvents(helmhook.Strings(r.Events))
	if err != nil {
		return Request{}, err
	}
	req.Events = evs
	req.DeletePolicies = nil
	if len(r.DeletePolicies) > 0 {
		if req.DeletePolicies, err = helmhook.ParseDeletePolicies(helmhook.Strings(r.DeletePolicies)); err != nil {
			return Request{}, err
		}
	}
	w := 0
	if r.Weight != nil {
		w = *r.Weight
	}
	req.Weight = &w
	req.Recorded = true
	return req, nil
}
