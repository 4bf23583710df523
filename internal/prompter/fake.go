package prompter

import (
	"fmt"
	"slices"
)

// Enter is a Fake answer that accepts the question's default, as pressing
// Enter does on a terminal.
const Enter = "\x00enter"

// Question is one question a Fake was asked.
type Question struct {
	Kind     string // select, multiselect, input, confirm
	Message  string
	Help     string
	Options  []Option
	Default  string   // select, input; "true"/"false" for confirm
	Defaults []string // multiselect
}

// Values returns the option values of the question.
func (q Question) Values() []string { return values(q.Options) }

// Fake answers questions from a script, for tests, and records what was
// asked. An answer is Enter, a string (select, input), a []string
// (multiselect), a bool (confirm) or an error to return. When the script
// runs out, the Fake behaves like a closed terminal: ErrInterrupted. An
// invalid answer is refused and the question asked again with the next
// answer, as a terminal would.
type Fake struct {
	Asked   []Question
	answers []any
	// Rejected records the reasons invalid answers were refused.
	Rejected []string
}

// NewFake returns a Fake that gives answers in order.
func NewFake(answers ...any) *Fake { return &Fake{answers: answers} }

// Remaining reports how many scripted answers were not used.
func (f *Fake) Remaining() int { return len(f.answers) }

func (f *Fake) next(q Question) (any, error) {
	f.Asked = append(f.Asked, q)
	if len(f.answers) == 0 {
		return nil, ErrInterrupted
	}
	a := f.answers[0]
	f.answers = f.answers[1:]
	if err, ok := a.(error); ok {
		return nil, err
	}
	return a, nil
}

func (f *Fake) reject(reason string) { f.Rejected = append(f.Rejected, reason) }

// Select implements Prompter.
func (f *Fake) Select(message, help string, options []Option, def string) (string, error) {
	for {
		a, err := f.next(Question{Kind: "select", Message: message, Help: help, Options: options, Default: def})
		if err != nil {
			return "", err
		}
		s, ok := a.(string)
		if s == Enter {
			if slices.Contains(values(options), def) {
				return def, nil
			}
			s = values(options)[0] // survey's cursor starts on the first option
		}
		if ok && slices.Contains(values(options), s) {
			return s, nil
		}
		f.reject(fmt.Sprintf("%v is not an option of %q", a, message))
	}
}

// MultiSelect implements Prompter.
func (f *Fake) MultiSelect(message, help string, options []Option, defs []string) ([]string, error) {
	for {
		a, err := f.next(Question{Kind: "multiselect", Message: message, Help: help, Options: options, Defaults: defs})
		if err != nil {
			return nil, err
		}
		var chosen []string
		if a == Enter {
			chosen = defs
		} else if c, ok := a.([]string); ok {
			chosen = c
		} else {
			f.reject(fmt.Sprintf("%v is not a list for %q", a, message))
			continue
		}
		var out []string
		for _, v := range values(options) {
			if slices.Contains(chosen, v) {
				out = append(out, v)
			}
		}
		if len(out) != len(chosen) {
			f.reject(fmt.Sprintf("%v is not a subset of the options of %q", chosen, message))
			continue
		}
		if len(out) == 0 {
			f.reject(errNoneChosen.Error())
			continue
		}
		return out, nil
	}
}

// Input implements Prompter.
func (f *Fake) Input(message, help, def string, validate func(string) error) (string, error) {
	for {
		a, err := f.next(Question{Kind: "input", Message: message, Help: help, Default: def})
		if err != nil {
			return "", err
		}
		s, ok := a.(string)
		if !ok {
			f.reject(fmt.Sprintf("%v is not text for %q", a, message))
			continue
		}
		if s == Enter || s == "" {
			s = def
		}
		if validate != nil {
			if err := validate(s); err != nil {
				f.reject(err.Error())
				continue
			}
		}
		return s, nil
	}
}

// Confirm implements Prompter.
func (f *Fake) Confirm(message string, def bool) (bool, error) {
	for {
		a, err := f.next(Question{Kind: "confirm", Message: message, Default: fmt.Sprint(def)})
		if err != nil {
			return false, err
		}
		switch v := a.(type) {
		case bool:
			return v, nil
		case string:
			if v == Enter {
				return def, nil
			}
		}
		f.reject(fmt.Sprintf("%v is not yes or no for %q", a, message))
	}
}
