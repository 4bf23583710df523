package generators

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/helmhook"
)

// Record is the request a hook template was generated from, kept in the
// template's header comment. `remove` regenerates the hook from it and takes
// out exactly what add wrote; a difference means the user edited it.
type Record struct {
	Task           string   `json:"task"`
	Name           string   `json:"name"`
	Events         []string `json:"events"`
	Weight         int      `json:"weight"`
	DeletePolicies []string `json:"deletePolicies"`
	Image          string   `json:"image,omitempty"`
	Command        []string `json:"command"`
	Args           []string `json:"args"`
	DB             string   `json:"db,omitempty"`
	DBHost         string   `json:"dbHost,omitempty"`
	DBUser         string   `json:"dbUser,omitempty"`
	DBName         string   `json:"dbName,omitempty"`
	DBSecret       string   `json:"dbSecret,omitempty"`
	StorageClaim   string   `json:"storageClaim,omitempty"`
	DBVersion      string   `json:"dbVersion,omitempty"`
	Keep           *int     `json:"keep,omitempty"`
	Backup         string   `json:"backup,omitempty"`
	Service        string   `json:"service,omitempty"`
	Port           string   `json:"port,omitempty"`
	Path           string   `json:"path,omitempty"`
	ValuesKey      string   `json:"valuesKey"`
	Workload       string   `json:"workload,omitempty"`
	NoAppContext   bool     `json:"noAppContext,omitempty"`
	Framework      string   `json:"framework,omitempty"`
	// WaitForDB is --wait-for-db as given (absent: hookgen's default).
	WaitForDB *bool `json:"waitForDB,omitempty"`
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
	r := Record{
		Task: h.Task.Name, Name: h.Name, Weight: h.Weight, Image: req.Image,
		Command: req.Command, Args: req.Args, DB: req.DB, DBHost: req.DBHost,
		DBUser: req.DBUser, DBName: req.DBName,
		DBSecret: req.DBSecret, StorageClaim: req.StorageClaim, ValuesKey: valuesKey,
		DBVersion: req.DBVersion, Keep: req.Keep, Backup: req.Backup,
		Service: req.Service, Port: req.Port, Path: req.Path,
		ValuesCreated: valuesCreated, ValuesEmptyAs: emptyAs, NoAppContext: req.NoAppContext, Framework: req.Framework,
		WaitForDB: req.WaitForDB,
	}
	if h.App != nil {
		r.Workload = h.App.Ref()
	}
	for _, e := range h.Events {
		r.Events = append(r.Events, e.String())
	}
	for _, p := range h.DeletePolicies {
		r.DeletePolicies = append(r.DeletePolicies, p.String())
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

// Request rebuilds the request the record was made from (the weight is fixed,
// so regenerating does not re-plan it).
func (r *Record) Request() (Request, error) {
	t, ok := LookupTask(r.Task)
	if !ok {
		return Request{}, fmt.Errorf("unknown task %q in the hookgen record", r.Task)
	}
	evs, err := helmhook.ParseEvents(r.Events)
	if err != nil {
		return Request{}, err
	}
	var ps []release.HookDeletePolicy
	if len(r.DeletePolicies) > 0 {
		if ps, err = helmhook.ParseDeletePolicies(r.DeletePolicies); err != nil {
			return Request{}, err
		}
	}
	w := r.Weight
	return Request{
		Task: t, Name: r.Name, Events: evs, Weight: &w, DeletePolicies: ps,
		Image: r.Image, Command: r.Command, Args: r.Args, DB: r.DB, DBHost: r.DBHost,
		DBUser: r.DBUser, DBName: r.DBName,
		DBSecret: r.DBSecret, StorageClaim: r.StorageClaim, ValuesKey: r.ValuesKey,
		Workload: r.Workload, NoAppContext: r.NoAppContext, Framework: r.Framework,
		DBVersion: r.DBVersion, Keep: r.Keep, Backup: r.Backup,
		Service: r.Service, Port: r.Port, Path: r.Path, WaitForDB: r.WaitForDB,
	}, nil
}
