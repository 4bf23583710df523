package main

import (
	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/helmhook"
)

// hookJSON is a hook in every JSON report that names one: add's "hook",
// init's "hooks", remove's "hook" (docs/json.md). One shape per concept, so
// a script reads a hook the same way whichever command printed it.
type hookJSON struct {
	Name           string   `json:"name"`
	Task           string   `json:"task"`
	Kind           string   `json:"kind"`
	Events         []string `json:"events"`
	Weight         int      `json:"weight"`
	DeletePolicies []string `json:"deletePolicies"`
}

// generatedHook is the hook add or init wrote.
func generatedHook(h generators.Hook) hookJSON {
	j := hookJSON{Name: h.Name, Task: h.Task.Name, Kind: h.Kind, Weight: h.Weight, Events: []string{}, DeletePolicies: []string{}}
	j.Events = append(j.Events, helmhook.Strings(h.Events)...)
	j.DeletePolicies = append(j.DeletePolicies, helmhook.Strings(h.DeletePolicies)...)
	return j
}

// recordedHook is the hook remove takes out, as add recorded it in the
// template. Every hook hookgen writes is a Job.
func recordedHook(r *generators.Record) hookJSON {
	j := hookJSON{Name: r.Name, Task: r.Task, Kind: "Job", Events: []string{}, DeletePolicies: []string{}}
	if r.Weight != nil {
		j.Weight = *r.Weight
	}
	j.Events = append(j.Events, helmhook.Strings(r.Events)...)
	j.DeletePolicies = append(j.DeletePolicies, helmhook.Strings(r.DeletePolicies)...)
	return j
}
