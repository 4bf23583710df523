// Package iostreams gives commands their input and output streams and what is
// known about them (terminal or not, colour or not), so tests can inject
// buffers and pretend to be a terminal, the way gh's iostreams does.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"github.com/mattn/go-isatty"
)

// IOStreams are the streams of one command run.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdinTTY  bool
	stdoutTTY bool
	noPrompt  bool
	color     bool
}

// System returns the process's own streams.
func System() *IOStreams {
	in := isatty.IsTerminal(os.Stdin.Fd()) || isatty.IsCygwinTerminal(os.Stdin.Fd())
	out := isatty.IsTerminal(os.Stdout.Fd()) || isatty.IsCygwinTerminal(os.Stdout.Fd())
	_, noColor := os.LookupEnv("NO_COLOR")
	_, ci := os.LookupEnv("CI")
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY: in, stdoutTTY: out,
		noPrompt: os.Getenv("HOOKGEN_NO_PROMPT") == "1" || ci,
		color:    out && !noColor && os.Getenv("TERM") != "dumb",
	}
}

// Test returns streams backed by buffers: stdin, stdout, stderr.
func Test() (*IOStreams, *bytes.Buffer, *bytes.Buffer, *bytes.Buffer) {
	in, out, errOut := &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

// SetTTY marks stdin and stdout as terminals (tests).
func (s *IOStreams) SetTTY(tty bool) { s.stdinTTY, s.stdoutTTY = tty, tty }

// SetNoPrompt disables prompting, as HOOKGEN_NO_PROMPT=1 or CI do.
func (s *IOStreams) SetNoPrompt(v bool) { s.noPrompt = v }

// SetColor turns colour on or off.
func (s *IOStreams) SetColor(v bool) { s.color = v }

// IsStdoutTTY reports whether stdout is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// CanPrompt reports whether questions may be asked: stdin and stdout are
// terminals and neither HOOKGEN_NO_PROMPT=1 nor CI is set.
func (s *IOStreams) CanPrompt() bool { return s.stdinTTY && s.stdoutTTY && !s.noPrompt }

// ColorEnabled reports whether output may be coloured (a terminal, and
// NO_COLOR is not set).
func (s *IOStreams) ColorEnabled() bool { return s.color }
