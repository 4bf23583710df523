package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats accepted by Write.
var Formats = []string{"text", "json", "sarif"}

// Report is what one lint run found, ready to print.
type Report struct {
	Charts   []string  // the CHART arguments, in order
	Findings []Finding // the findings to print (already filtered by severity)
	Min      Severity  // the --severity threshold, for the summary line
}

// Write prints the report in format (text, json or sarif).
func Write(w io.Writer, format string, r Report, version string) error {
	switch format {
	case "text", "":
		return writeText(w, r)
	case "json":
		return writeJSON(w, r)
	case "sarif":
		return writeSARIF(w, r, version)
	}
	return fmt.Errorf("unknown output format %q (use text, json or sarif)", format)
}

// writeText prints one finding a line, compiler style, then a summary:
//
//	app/templates/job.yaml:7: error HG001 unknown-hook-event: Job/x: ...
func writeText(w io.Writer, r Report) error {
	counts := map[Severity]int{}
	for _, f := range r.Findings {
		loc := f.File
		if f.Line > 0 {
			loc = fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		if _, err := fmt.Fprintf(w, "%s: %s %s %s: %s\n", loc, f.Severity, f.Rule, f.Name, f.Message); err != nil {
			return err
		}
		counts[f.Severity]++
	}
	charts := plural(len(r.Charts), "chart")
	if len(r.Findings) == 0 {
		_, err := fmt.Fprintf(w, "no findings at or above %s in %s\n", r.Min, charts)
		return err
	}
	var parts []string
	for _, s := range []Severity{Error, Warning, Info} {
		if counts[s] > 0 {
			parts = append(parts, plural(counts[s], s.String()))
		}
	}
	_, err := fmt.Fprintf(w, "%s (%s) in %s\n", plural(len(r.Findings), "finding"), strings.Join(parts, ", "), charts)
	return err
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// JSONReport is the document `hookgen lint -o json` prints (schema version 1,
// documented in docs/rules.md).
type JSONReport struct {
	SchemaVersion int       `json:"schemaVersion"`
	Charts        []string  `json:"charts"`
	Severity      Severity  `json:"severity"` // the threshold applied
	Findings      []Finding `json:"findings"`
	Summary       struct {
		Total   int `json:"total"`
		Error   int `json:"error"`
		Warning int `json:"warning"`
		Info    int `json:"info"`
	} `json:"summary"`
}

func writeJSON(w io.Writer, r Report) error {
	out := JSONReport{SchemaVersion: 1, Charts: r.Charts, Severity: r.Min, Findings: r.Findings}
	if out.Findings == nil {
		out.Findings = []Finding{}
	}
	if out.Charts == nil {
		out.Charts = []string{}
	}
	for _, f := range r.Findings {
		out.Summary.Total++
		switch f.Severity {
		case Error:
			out.Summary.Error++
		case Warning:
			out.Summary.Warning++
		default:
			out.Summary.Info++
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// SARIF 2.1.0, the subset GitHub code scanning reads: tool.driver.rules with
// help, results with ruleId/ruleIndex/level/message/locations and
// partialFingerprints so alerts survive line moves.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	HelpURI              string         `json:"helpUri"`
	Help                 sarifText      `json:"help"`
	DefaultConfiguration map[string]any `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation struct {
		URI string `json:"uri"`
	} `json:"artifactLocation"`
	Region *sarifRegion `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "note"
}

func writeSARIF(w io.Writer, r Report, version string) error {
	driver := sarifDriver{Name: "hookgen", Version: version, InformationURI: "https://github.com/hookgen/hookgen"}
	index := map[string]int{}
	for i, rule := range Rules {
		index[rule.ID] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID: rule.ID, Name: rule.Name,
			ShortDescription:     sarifText{rule.Summary},
			FullDescription:      sarifText{rule.Summary + "."},
			HelpURI:              rule.HelpURI(),
			Help:                 sarifText{rule.Summary + ". See " + rule.HelpURI()},
			DefaultConfiguration: map[string]any{"level": sarifLevel(rule.Severity)},
			Properties:           map[string]any{"tags": []string{"helm", "hooks"}},
		})
	}
	results := []sarifResult{}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
			Message: sarifText{f.Message},
			// Stable across line moves: the rule, file and object identify an alert.
			PartialFingerprints: map[string]string{"hookgenObject/v1": f.Rule + ":" + f.File + ":" + f.Kind + "/" + f.Object},
		}
		var loc sarifLocation
		loc.PhysicalLocation.ArtifactLocation.URI = sarifURI(f.File)
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Line}
		}
		res.Locations = []sarifLocation{loc}
		results = append(results, res)
	}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifURI makes a file path a relative URI reference, as code scanning
// expects paths relative to the repository root ("./x" becomes "x").
func sarifURI(p string) string {
	p = strings.TrimPrefix(p, "./")
	var b strings.Builder
	for _, c := range []byte(p) {
		if c == ' ' || c == '%' || c == '#' || c == '?' {
			fmt.Fprintf(&b, "%%%02X", c)
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
