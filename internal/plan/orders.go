package plan

import (
	"fmt"
	"io"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/render"
)

// EventOrder is the order in which Helm runs the hooks of one event.
type EventOrder struct {
	Event release.HookEvent `json:"event"`
	Hooks []OrderedHook     `json:"hooks"`
}

// OrderedHook is one hook run of an event.
type OrderedHook struct {
	Ref
	Weight int    `json:"weight"`
	Path   string `json:"path"`
}

// EventOrders returns, for each event in events, the hooks Helm runs on it
// in order (weight, then name, then kind, then file order). It is the short
// form of the plan that `hookgen add` prints after writing a hook.
func EventOrders(res *render.Result, events []release.HookEvent) []EventOrder {
	out := make([]EventOrder, 0, len(events))
	for _, ev := range events {
		o := EventOrder{Event: ev, Hooks: []OrderedHook{}}
		for _, h := range helmhook.ForEvent(res.Hooks, ev) {
			o.Hooks = append(o.Hooks, OrderedHook{
				Ref:    Ref{Kind: h.Kind, Name: h.Name, Namespace: manifestNamespace(h.Manifest)},
				Weight: h.Weight, Path: h.Path,
			})
		}
		out = append(out, o)
	}
	return out
}

// String renders the order on one line:
// "pre-upgrade: Job/backup (weight -10) -> Job/migration (0)". The word
// "weight" is written once, on the first hook.
func (o EventOrder) String() string {
	if len(o.Hooks) == 0 {
		return string(o.Event) + ": (no hooks)"
	}
	parts := make([]string, len(o.Hooks))
	for i, h := range o.Hooks {
		if i == 0 {
			parts[i] = fmt.Sprintf("%s (weight %d)", h.Ref, h.Weight)
		} else {
			parts[i] = fmt.Sprintf("%s (%d)", h.Ref, h.Weight)
		}
	}
	return string(o.Event) + ": " + strings.Join(parts, " -> ")
}

// WriteEventOrders writes one line per event (EventOrder.String).
func WriteEventOrders(w io.Writer, orders []EventOrder) error {
	for _, o := range orders {
		if _, err := fmt.Fprintln(w, o.String()); err != nil {
			return err
		}
	}
	return nil
}
