package lint

import (
	"fmt"
	"strings"

	"github.com/hookgen/hookgen/docs"
)

// Explain returns the page of a rule (its section of docs/rules.md), given
// its ID or name in any case.
func Explain(rule string) (string, error) {
	r := ruleByID[strings.ToUpper(strings.TrimSpace(rule))]
	if r == nil {
		for _, x := range Rules {
			if strings.EqualFold(x.Name, strings.TrimSpace(rule)) {
				r = x
			}
		}
	}
	if r == nil {
		return "", fmt.Errorf("unknown rule %q: use an ID from HG001 to %s, or a rule name", rule, Rules[len(Rules)-1].ID)
	}
	anchor := fmt.Sprintf("<a id=\"%s\"></a>\n", strings.ToLower(r.ID))
	start := strings.Index(docs.Rules, anchor)
	if start < 0 {
		return "", fmt.Errorf("docs/rules.md has no section for %s", r.ID)
	}
	page := docs.Rules[start+len(anchor):]
	if end := strings.Index(page, "<a id=\"hg"); end >= 0 {
		page = page[:end]
	}
	return strings.TrimSpace(page) + "\n\nOnline: " + r.HelpURI() + "\n", nil
}
