package interview

import (
	"errors"
	"fmt"
	"io"

	"github.com/aymanbagabas/go-udiff"

	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/prompter"
)

// ErrQuit is returned when the user chose to quit at a conflict: nothing is
// written and the conflict stays.
var ErrQuit = errors.New("quit at a conflict")

// Conflict choices.
const (
	Overwrite = "overwrite"
	Skip      = "skip"
	ShowDiff  = "show diff"
	Quit      = "quit"
)

// ResolveConflicts asks, for each file that exists and differs from what
// hookgen would write, whether to overwrite it, keep it, see the diff first,
// or stop. Enter shows the diff first, then keeps the file.
func ResolveConflicts(p prompter.Prompter, w io.Writer, cs *changeset.Set) error {
	opts := []prompter.Option{
		{Value: Overwrite, Description: "replace it with what hookgen writes (as --force)"},
		{Value: Skip, Description: "keep it as it is (as --skip)"},
		{Value: ShowDiff, Description: "show what overwriting would change, then ask again"},
		{Value: Quit, Description: "stop here; nothing is written"},
	}
	for _, f := range cs.Conflicts() {
		def := ShowDiff
		for {
			ans, err := p.Select(fmt.Sprintf("%s exists and differs from what hookgen would write:", f.Path), "", opts, def)
			if err != nil {
				return err
			}
			switch ans {
			case Overwrite:
				// Generated and edited files are overwritten, as --force does.
				f.Status = changeset.Modify
			case Skip:
				f.Status = changeset.Skip
			case ShowDiff:
				io.WriteString(w, udiff.Unified("a/"+f.Path, "b/"+f.Path, string(f.Old), string(f.New)))
				def = Skip
				continue
			case Quit:
				return ErrQuit
			}
			break
		}
	}
	return nil
}

// Confirm shows the files the change writes and its diff, then asks to go
// on (default yes). Nothing pending: nothing is shown or asked.
func Confirm(p prompter.Prompter, w io.Writer, cs *changeset.Set) (bool, error) {
	if !cs.Pending() {
		return true, nil
	}
	fmt.Fprintln(w, "Files:")
	for _, f := range cs.Files {
		fmt.Fprintf(w, "  %-10s %s\n", f.Status, f.Path)
	}
	if err := cs.Diff(w); err != nil {
		return false, err
	}
	return p.Confirm("Write these files?", true)
}
