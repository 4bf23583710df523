package plan

import (
	"fmt"
	"io"
	"strings"
)

// WriteMermaid writes the plan as one Mermaid sequence diagram (paste it
// into a ```mermaid block of a pull request or issue). Each operation is a
// highlighted section; each event a note.
func WriteMermaid(w io.Writer, p *Plan) error {
	var b strings.Builder
	who := "Helm"
	if p.GitOps == "argocd" {
		who = "Argo CD"
	}
	b.WriteString("sequenceDiagram\n")
	fmt.Fprintf(&b, "    participant H as %s\n", who)
	b.WriteString("    participant K as Kubernetes\n")
	for _, op := range p.Operations {
		b.WriteString("    rect rgba(127, 127, 127, 0.1)\n")
		fmt.Fprintf(&b, "    Note over H,K: %s\n", mermaidText(strings.ToUpper(string(op.Operation))))
		if op.Error != "" {
			fmt.Fprintf(&b, "    Note over H,K: not planned: %s\n", mermaidText(op.Error))
		}
		event := ""
		for _, s := range op.Steps {
			if h := stepHeading(s); h != event {
				event = h
				if event != "" {
					fmt.Fprintf(&b, "    Note over H: %s\n", mermaidText(event))
				}
			}
			switch s.Action {
			case ActionInstallCRDs:
				fmt.Fprintf(&b, "    H->>K: install %d CRDs from crds/\n", len(s.Resources))
			case ActionApplyRelease:
				fmt.Fprintf(&b, "    H->>K: apply %d release resources%s\n", len(s.Resources), waveSuffix(s))
			case ActionDeleteRelease:
				fmt.Fprintf(&b, "    H-)K: delete %d release resources\n", len(s.Resources))
			case ActionCreate:
				verb := "create"
				if p.GitOps == "argocd" {
					verb = "apply"
				}
				fmt.Fprintf(&b, "    H->>K: %s %s%s\n", verb, mermaidText(s.Kind+"/"+s.Name), weightSuffix(s))
			case ActionWait:
				what := "Job complete"
				if s.Reason == ReasonPodSucceeded {
					what = "Pod succeeded"
				}
				fmt.Fprintf(&b, "    K-->>H: %s %s\n", mermaidText(s.Name), what)
			case ActionDelete:
				fmt.Fprintf(&b, "    H-)K: delete %s (%s)\n", mermaidText(s.Kind+"/"+s.Name), mermaidText(s.Reason))
			}
		}
		if left := p.Leftovers[string(op.Operation)]; len(left) > 0 {
			names := make([]string, len(left))
			for i, l := range left {
				names[i] = l.Ref.String()
			}
			fmt.Fprintf(&b, "    Note over K: left behind: %s\n", mermaidText(strings.Join(names, ", ")))
		}
		b.WriteString("    end\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func weightSuffix(s Step) string {
	switch {
	case s.Wave != nil:
		return fmt.Sprintf(" (wave %d)", *s.Wave)
	case s.Weight != nil:
		return fmt.Sprintf(" (weight %d)", *s.Weight)
	}
	return ""
}

func waveSuffix(s Step) string {
	if s.Wave != nil {
		return fmt.Sprintf(" (wave %d)", *s.Wave)
	}
	return ""
}

// mermaidText escapes what Mermaid treats specially in message text.
func mermaidText(s string) string {
	r := strings.NewReplacer(";", "#59;", "#", "#35;", ":", "#58;", "\n", " ")
	return r.Replace(s)
}
