// Package prompter is hookgen's own small interface for asking questions, so
// commands never depend on a prompt library directly (as gh's
// internal/prompter does). The survey implementation lives beside it; tests
// use a fake.
package prompter

import (
	"context"
	"errors"
)

// ErrInterrupted is returned when the user pressed Ctrl-C or input ended at a
// question; commands exit 130 and write nothing.
var ErrInterrupted = errors.New("interrupted")

// Option is one choice of a Select or MultiSelect, with one line saying what it is.
type Option struct {
	Value       string
	Description string
}

// Prompter asks one question at a time. Defaults are preselected: pressing
// Enter accepts them.
type Prompter interface {
	// Select returns the chosen Value.
	Select(message, help string, options []Option, def string) (string, error)
	// MultiSelect returns the chosen Values, in option order. At least one
	// must be chosen: every list hookgen asks for needs one.
	MultiSelect(message, help string, options []Option, defs []string) ([]string, error)
	// Input returns the text typed, or def when the answer is empty. A
	// non-nil validate rejects an answer with a one-line reason and asks again.
	Input(message, help, def string, validate func(string) error) (string, error)
	// Confirm returns the yes/no answer, def on Enter.
	Confirm(message string, def bool) (bool, error)
}

// errNoneChosen is the reason a MultiSelect answer with nothing chosen is refused.
var errNoneChosen = errors.New("choose at least one (space toggles, enter accepts)")

// WithContext returns p with its questions ended by ctx: once ctx is done, a
// question waiting for a key and every later one return ErrInterrupted.
// Prompters that never wait (the fake) are returned as they are.
func WithContext(p Prompter, ctx context.Context) Prompter {
	if c, ok := p.(interface {
		withContext(context.Context) Prompter
	}); ok {
		return c.withContext(ctx)
	}
	return p
}
