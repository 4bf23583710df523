// Package cmdutil holds what every command shares: typed errors that carry
// an exit code, mapped to the process exit status in one place (main).
package cmdutil

import (
	"errors"
	"fmt"
)

// Exit codes. They are part of hookgen's interface for scripts and are
// documented in the README; never renumber one.
const (
	ExitOK          = 0   // done; or --dry-run with nothing to change
	ExitError       = 1   // unexpected failure (a bug, or lint findings for `lint`)
	ExitUsage       = 2   // bad flags, arguments or answers
	ExitChart       = 3   // the chart is missing, invalid, or does not render
	ExitConflict    = 4   // a file exists and differs; pass --force or --skip
	ExitFilesystem  = 5   // a file could not be read or written
	ExitVerify      = 6   // the generated hook failed verification; nothing written
	ExitPending     = 7   // --dry-run: changes are pending
	ExitInterrupted = 130 // Ctrl-C or end of input at a prompt
)

// Error is an error with an exit code. Its message is one line that says what
// is wrong and what to do.
type Error struct {
	Code int
	Err  error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code.
func Errorf(code int, format string, a ...any) error {
	return &Error{Code: code, Err: fmt.Errorf(format, a...)}
}

// WithCode wraps err with code unless it already carries one.
func WithCode(code int, err error) error {
	if err == nil {
		return nil
	}
	var e *Error
	if errors.As(err, &e) {
		return err
	}
	return &Error{Code: code, Err: err}
}

// Usage returns a usage error (exit 2).
func Usage(format string, a ...any) error { return Errorf(ExitUsage, format, a...) }

// SilentError makes the command exit with code without printing anything more
// (the command already reported, e.g. lint findings or a pending dry run).
type SilentError struct{ Code int }

func (e *SilentError) Error() string { return fmt.Sprintf("exit %d", e.Code) }

// ExitCode returns the process exit code for err.
func ExitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var s *SilentError
	if errors.As(err, &s) {
		return s.Code
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ExitError
}
