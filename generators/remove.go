package generators

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hookgen/hookgen/internal/chartview"
	"github.com/hookgen/hookgen/internal/schemaedit"
	"github.com/hookgen/hookgen/internal/valuesedit"
)

// Removal is what `remove` would do: the exact inverse of the add that wrote
// the hook, recomputed from the record in the hook's template.
type Removal struct {
	Name string
	// Record is the request the hook was made from (with --force on a
	// template whose record is unreadable, only its name and values key).
	Record *Record
	// Deletes are files to delete, with the bytes add wrote (what they must
	// still hold unless --force).
	Deletes []File
	// Values is values.yaml without the hook's block (nil: nothing to edit).
	Values []byte
	// DeleteValues: add created values.yaml and nothing else is left in it.
	DeleteValues bool
	// Edits are the other chart files add extended (values.schema.json,
	// .helmignore), with the hook's part taken out.
	Edits []File
	// Edited names the parts the user changed since add; removing them needs --force.
	Edited []string
}

// NotFoundError: there is no hookgen hook of that name in the chart.
type NotFoundError struct{ Err error }

func (e *NotFoundError) Error() string { return e.Err.Error() }

// PlanRemove works out how to take hook name out of the chart. With force,
// edited parts are removed too (as they are on disk now).
func PlanRemove(info *ChartInfo, name string, force bool) (*Removal, error) {
	if err := ValidateName(name); err != nil {
		return nil, usageErr("%v", err)
	}
	rel := path.Join("templates", "hooks", name+".yaml")
	onDisk, err := chartview.ReadRegular(filepath.Join(info.Chart.Dir, filepath.FromSlash(rel)))
	if errors.Is(err, os.ErrNotExist) {
		hooks := HookgenHooks(info.Chart.Dir)
		return nil, &NotFoundError{fmt.Errorf("no hook %q in the chart: %s does not exist (hookgen hooks here: %s)", name, rel, listOrNone(hooks))}
	}
	if err != nil {
		return nil, err
	}
	rec, err := ReadRecord(onDisk)
	if err != nil {
		if !force {
			return nil, &NotFoundError{fmt.Errorf("%s: %v; delete it by hand, or pass --force to remove it and its values anyway", rel, err)}
		}
		rec = &Record{Request: Request{Name: name, ValuesKey: info.Chart.ValuesKey}}
	}
	rm := &Removal{Name: name, Record: rec}
	var block valuesedit.Block
	var helpers, test, schema []byte
	if req, err := rec.ToRequest(); err == nil {
		if req.ValuesKey != "" {
			info.Chart.ValuesKey = req.ValuesKey
		}
		out, err := resolve(info, req)
		if err != nil {
			return nil, err
		}
		block = out.ValuesBlock
		schema = out.Schema()
		for _, f := range out.Files {
			switch f.Path {
			case rel:
				if !bytes.Equal(f.Content, onDisk) {
					rm.Edited = append(rm.Edited, rel)
				}
			case HelpersPath:
				helpers = f.Content
			case TestPath(name):
				test = f.Content
			}
		}
	} else {
		rm.Edited = append(rm.Edited, rel)
		block = valuesedit.Block{Parent: info.Chart.ValuesKey, Name: name}
	}
	block.EmptyAs = rec.ValuesEmptyAs
	rm.Deletes = append(rm.Deletes, File{Path: rel, Content: onDisk, Kind: Generated})
	tp := TestPath(name)
	cur, err := chartview.ReadRegular(filepath.Join(info.Chart.Dir, filepath.FromSlash(tp)))
	switch {
	case err == nil:
		if !bytes.Equal(cur, test) {
			rm.Edited = append(rm.Edited, tp)
		}
		rm.Deletes = append(rm.Deletes, File{Path: tp, Content: cur, Kind: Generated})
	case !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("cannot read %s: %w", tp, err)
	}

	// The values block: exactly what add inserted, or (force) whatever is there now.
	if info.Chart.Values != nil {
		has, err := valuesedit.Has(info.Chart.Values, block.Parent, name)
		if err != nil {
			return nil, err
		}
		if has {
			nv, err := valuesedit.Remove(info.Chart.Values, block)
			if errors.Is(err, valuesedit.ErrModified) || (err != nil && block.Body == "") {
				rm.Edited = append(rm.Edited, fmt.Sprintf("values.yaml (%s.%s)", block.Parent, name))
				nv, err = valuesedit.ForceRemove(info.Chart.Values, block)
			}
			if err != nil {
				return nil, err
			}
			rm.Values = nv
			if rec.ValuesCreated && len(bytes.TrimSpace(nv)) == 0 {
				rm.Values, rm.DeleteValues = nil, true
				rm.Deletes = append(rm.Deletes, File{Path: "values.yaml", Content: info.Chart.Values, Kind: Edited})
			}
		}
	}

	// values.schema.json: the hook's entry (and the hooks entry with the last).
	if info.Chart.Schema != nil && schemaedit.Has(info.Chart.Schema, block.Parent, name) {
		if schema == nil {
			schema = []byte(`{}`)
		}
		ns, err := schemaedit.Remove(info.Chart.Schema, block.Parent, name, schema, schemaParentDescription)
		if err != nil {
			return nil, &ChartError{Err: fmt.Errorf("cannot take the hook out of %s: %w", SchemaPath, err)}
		}
		rm.Edits = append(rm.Edits, File{Path: SchemaPath, Content: ns, Kind: Edited})
	}

	// The shared helpers and the .helmignore entry go with the last hook.
	others := HookgenHooks(info.Chart.Dir)
	others = removeString(others, name)
	if len(others) == 0 {
		if ni, del, changed := helmignoreRemove(info.Chart.Helmignore); del {
			rm.Deletes = append(rm.Deletes, File{Path: HelmignorePath, Content: info.Chart.Helmignore, Kind: Edited})
		} else if changed {
			rm.Edits = append(rm.Edits, File{Path: HelmignorePath, Content: ni, Kind: Edited})
		}
	}
	hp := filepath.Join(info.Chart.Dir, filepath.FromSlash(HelpersPath))
	if cur, err := chartview.ReadRegular(hp); err == nil && len(others) == 0 {
		if helpers != nil && !bytes.Equal(cur, helpers) {
			rm.Edited = append(rm.Edited, HelpersPath)
		}
		rm.Deletes = append(rm.Deletes, File{Path: HelpersPath, Content: cur, Kind: Generated})
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) && len(others) == 0 {
		return nil, fmt.Errorf("cannot read %s: %w", HelpersPath, err)
	}
	return rm, nil
}

// HookgenHooks lists the hooks written by hookgen add (templates/hooks/*.yaml
// with a record), by name.
func HookgenHooks(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, "templates", "hooks", "*.yaml"))
	var out []string
	for _, m := range matches {
		b, err := os.ReadFile(m)
		if err != nil {
			continue
		}
		if _, err := ReadRecord(b); err == nil {
			out = append(out, strings.TrimSuffix(filepath.Base(m), ".yaml"))
		}
	}
	sort.Strings(out)
	return out
}

func removeString(xs []string, s string) []string {
	var out []string
	for _, x := range xs {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func listOrNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}
