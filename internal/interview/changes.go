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
// on (default yes). Files for which scaffold is true (helm create's files
// under init --create) are counted, not listed or diffed. Nothing pending:
// nothing is shown or asked.
func Confirm(p prompter.Prompter, w io.Writer, cs *changeset.Set, scaffold func(path string) bool) (bool, error) {
	if !cs.Pending() {
		return true, nil
	}
	var shown []*changeset.File
	hidden := 0
	for _, f := range cs.Files {
		if scaffold != nil && scaffold(f.Path) {
			hidden++
			continue
		}
		shown = append(shown, f)
	}
	fmt.Fprintln(w, "Files:")
	for _, f := range shown {
		fmt.Fprintf(w, "  %-10s %s\n", f.Status, f.Path)
	}
	if hidden > 0 {
		fmt.Fprintf(w, "  %-10s %d files of helm create's scaffold\n", changeset.Create, hidden)
	}
	for _, f := range shown {
		if f.Status != changeset.Create && f.Status != changeset.Modify && f.Status != changeset.Delete {
			continue
		}
		oldName, newName, newContent := "a/"+f.Path, "b/"+f.Path, string(f.New)
		if !f.Exists {
			oldName = "/dev/null"
		}
		if f.Status == changeset.Delete {
			newName, newContent = "/dev/null", ""
		}
		if _, err := io.WriteString(w, udiff.Unified(oldName, newName, string(f.Old), newContent)); err != nil {
			return false, err
		}
	}
	return p.Confirm("Write these files?", true)
}

// ReplaceValues asks what to do when values.yaml already holds the hook's
// settings with other content (problem says where): overwrite them, as
// --force does, see the diff first, or stop. nil means overwrite; Enter
// shows the diff, then stops, as --yes would.
func ReplaceValues(p prompter.Prompter, w io.Writer, problem string, diff func() (string, error)) error {
	opts := []prompter.Option{
		{Value: Overwrite, Description: "replace the hook's settings with hookgen's defaults and your answers (as --force)"},
		{Value: ShowDiff, Description: "show what overwriting would change, then ask again"},
		{Value: Quit, Description: "stop here; nothing is written"},
	}
	def := ShowDiff
	for {
		ans, err := p.Select(problem+":", "", opts, def)
		if err != nil {
			return err
		}
		switch ans {
		case Overwrite:
			return nil
		case Quit:
			return ErrQuit
		}
		d, err := diff()
		if err != nil {
			return err
		}
		io.WriteString(w, d)
		def = Quit
	}
}
