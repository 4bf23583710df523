package prompter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/AlecAivazis/survey/v2"
	"github.com/AlecAivazis/survey/v2/core"
	"github.com/AlecAivazis/survey/v2/terminal"
	"golang.org/x/term"
)

// Survey asks questions on a terminal with github.com/AlecAivazis/survey/v2.
// Every question is given the command's own streams (survey.WithStdio), never
// the process's, so a command's IOStreams decide where questions go.
type Survey struct {
	ctx   context.Context // nil: questions wait for keys only
	in    terminal.FileReader
	out   terminal.FileWriter
	err   io.Writer
	color bool
}

// NewSurvey returns a survey prompter on in and out, or nil when they are not
// files (a terminal always is; buffers in tests are not, and get a Fake).
func NewSurvey(in io.Reader, out, errOut io.Writer, color bool) *Survey {
	fin, ok1 := in.(terminal.FileReader)
	fout, ok2 := out.(terminal.FileWriter)
	if !ok1 || !ok2 {
		return nil
	}
	return &Survey{in: eotAsInterrupt{fin}, out: fout, err: errOut, color: color}
}

// eotAsInterrupt makes Ctrl-D (end of input on a terminal) stop the
// questions as Ctrl-C does; survey on its own takes it for Enter, which
// would accept a default the user never chose.
type eotAsInterrupt struct{ terminal.FileReader }

func (r eotAsInterrupt) Read(p []byte) (int, error) {
	n, err := r.FileReader.Read(p)
	for i, b := range p[:n] {
		if b == terminal.KeyEndTransmission {
			p[i] = terminal.KeyInterrupt
		}
	}
	return n, err
}

// withContext returns a copy whose questions end with ErrInterrupted as soon
// as ctx is done, even while one waits for a key (an interrupt signal from
// outside the terminal, which survey's raw mode does not see as Ctrl-C).
func (s *Survey) withContext(ctx context.Context) Prompter {
	c := *s
	c.ctx = ctx
	return &c
}

// cancelableReader reads the terminal in a goroutine, so a read returns
// terminal.InterruptErr when ctx is done instead of waiting for a key. The
// goroutine of an abandoned read ends with the process, which then exits.
type cancelableReader struct {
	terminal.FileReader
	ctx context.Context
}

func (r cancelableReader) Read(p []byte) (int, error) {
	if r.ctx.Err() != nil {
		return 0, terminal.InterruptErr
	}
	type result struct {
		n   int
		err error
	}
	buf := make([]byte, len(p))
	done := make(chan result, 1)
	go func() {
		n, err := r.FileReader.Read(buf)
		done <- result{n, err}
	}()
	select {
	case res := <-done:
		return copy(p, buf[:res.n]), res.err
	case <-r.ctx.Done():
		return 0, terminal.InterruptErr
	}
}

func (s *Survey) ask(q survey.Prompt, response any, opts ...survey.AskOpt) error {
	// survey also honours NO_COLOR by itself; this covers TERM=dumb and the like.
	core.DisableColor = !s.color
	in := s.in
	if s.ctx != nil {
		in = cancelableReader{in, s.ctx}
	}
	opts = append(opts, survey.WithStdio(in, s.out, s.err))
	err := survey.AskOne(q, response, opts...)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, terminal.InterruptErr), errors.Is(err, io.EOF):
		return ErrInterrupted
	}
	return fmt.Errorf("could not prompt: %w", err)
}

func values(options []Option) []string {
	v := make([]string, len(options))
	for i, o := range options {
		v[i] = o.Value
	}
	return v
}

// describe returns the options' descriptions word-wrapped to the terminal,
// continuation lines indented under the first, so a narrow terminal (80
// columns) reads as a list rather than lines broken mid-word. prefix is the
// width survey draws before an option's value.
func (s *Survey) describe(options []Option, prefix int) func(string, int) string {
	width := 0
	if w, _, err := term.GetSize(int(s.out.Fd())); err == nil {
		width = w
	}
	return func(v string, i int) string {
		return wrap(options[i].Description, width, prefix+len(v)+len(" - "))
	}
}

// wrap breaks text into lines that fit width when indented by indent.
func wrap(text string, width, indent int) string {
	avail := width - indent - 1
	if width <= 0 || avail < 20 || len(text) <= avail {
		return text
	}
	var b strings.Builder
	n := 0
	for i, word := range strings.Fields(text) {
		switch {
		case i == 0:
		case n+1+len(word) > avail:
			b.WriteString("\n" + strings.Repeat(" ", indent))
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

// Select implements Prompter.
func (s *Survey) Select(message, help string, options []Option, def string) (string, error) {
	q := &survey.Select{
		Message: message, Help: help, Options: values(options),
		Description: s.describe(options, len("> ")), PageSize: len(options),
	}
	// survey panics on a default that is not an option.
	if slices.Contains(q.Options, def) {
		q.Default = def
	}
	var i int
	if err := s.ask(q, &i); err != nil {
		return "", err
	}
	return options[i].Value, nil
}

// MultiSelect implements Prompter.
func (s *Survey) MultiSelect(message, help string, options []Option, defs []string) ([]string, error) {
	q := &survey.MultiSelect{
		Message: message, Help: help, Options: values(options),
		Description: s.describe(options, len("> [x]  ")), PageSize: len(options),
	}
	var d []string
	for _, v := range defs {
		if slices.Contains(q.Options, v) {
			d = append(d, v)
		}
	}
	if len(d) > 0 {
		q.Default = d
	}
	var idx []int
	nonEmpty := func(ans any) error {
		if a, ok := ans.([]core.OptionAnswer); ok && len(a) == 0 {
			return errNoneChosen
		}
		return nil
	}
	if err := s.ask(q, &idx, survey.WithValidator(nonEmpty)); err != nil {
		return nil, err
	}
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, x := range idx {
		out[i] = options[x].Value
	}
	return out, nil
}

// Input implements Prompter.
func (s *Survey) Input(message, help, def string, validate func(string) error) (string, error) {
	q := &survey.Input{Message: message, Help: help, Default: def}
	var opts []survey.AskOpt
	if validate != nil {
		opts = append(opts, survey.WithValidator(func(ans any) error {
			str, _ := ans.(string)
			return validate(str)
		}))
	}
	var ans string
	if err := s.ask(q, &ans, opts...); err != nil {
		return "", err
	}
	return ans, nil
}

// Confirm implements Prompter.
func (s *Survey) Confirm(message string, def bool) (bool, error) {
	q := &survey.Confirm{Message: message, Default: def}
	var ans bool
	if err := s.ask(q, &ans); err != nil {
		return false, err
	}
	return ans, nil
}
