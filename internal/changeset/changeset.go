// Package changeset is the one way hookgen writes to a chart: every file is
// rendered in memory first, classified (create, modify, identical, conflict,
// skip, delete), shown as a diff, and then applied atomically.
//
// The policy for an existing file belongs to the file, not to the command:
// Generate is for files hookgen owns wholly (an existing different file is a
// conflict), Edit for files whose new content the caller derived from the
// current one (values.yaml), Delete for removals.
//
// Apply is atomic across files and safe against a kill. It works through a
// journal in the chart root (.hookgen-journal.json):
//
//  1. the journal is written in state "prepare" listing every target, its
//     temporary file and its backup (a hard link to the current file);
//  2. missing directories, temporary files (fsynced) and backups are made;
//  3. the journal is switched to "commit" (write, fsync, rename, fsync dir);
//  4. each temporary file is renamed over its target, deletions are done;
//  5. backups and the journal are removed.
//
// A failure in the process rolls back at once (the journal is switched to
// "rollback" first). A journal left by a killed process is finished by
// Recover, which every writing command calls first, under the chart's lock
// (Acquire), before it reads anything: "prepare" and "rollback" are rolled
// back, because before the commit point some new content may be missing;
// "commit" is rolled forward, because all new content is already on disk
// and durable and finishing is plain renames, which can be repeated. Either
// way the chart ends exactly old or exactly new. A Set never recovers by
// itself: reading or applying under a pending journal is an error
// (*PendingError), so a dry run never writes.
//
// Recovery follows a journal only when hookgen wrote it (trust.go) and
// resolves each path it names through the file system: a path that leaves
// the chart, through ".." or a symlink, stops recovery before any change.
package changeset

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/aymanbagabas/go-udiff"

	"github.com/hookgen/hookgen/internal/oneline"
)

// Status is what Apply does with a file.
type Status string

const (
	Create    Status = "create"    // the file is new
	Modify    Status = "modify"    // the file exists and gets new content
	Identical Status = "identical" // nothing to do: same content (or, for Delete, already absent)
	Conflict  Status = "conflict"  // exists and differs from what hookgen expects: Resolve decides
	Skip      Status = "skip"      // a conflict the user chose to leave alone
	Delete    Status = "delete"    // the file is removed
)

// File is one path in a changeset.
type File struct {
	Path   string      // slash path relative to the root
	Status Status      // what Apply does
	Old    []byte      // current content; nil when the file does not exist
	New    []byte      // content after Apply; nil when the file is deleted
	Mode   fs.FileMode // permission bits written: the existing file's, or 0644
	Exists bool        // the file exists now

	real  string // resolved absolute path (symlinks inside the root followed)
	force Status // what a conflict becomes with --force (Modify or Delete)
}

// Set is a changeset rooted at a chart directory.
type Set struct {
	Root  string
	Files []*File

	realRoot string
	checked  bool
	dirs     []string // empty directories the change creates (Dir)
	cache    map[string]*cached
}

type cached struct {
	data   []byte
	exists bool
	real   string
	mode   fs.FileMode
}

// Errors, for errors.Is.
var (
	// ErrOutsideRoot: the path leaves the root through ".." or a symlink.
	ErrOutsideRoot = errors.New("path leaves the chart")
	// ErrChanged: a file changed on disk between Read and Apply.
	ErrChanged = errors.New("file changed while hookgen was running")
	// ErrReadOnly: the file or directory has no write permission; it also
	// matches fs.ErrPermission.
	ErrReadOnly = readOnlyError{}
)

type readOnlyError struct{}

func (readOnlyError) Error() string        { return "read-only" }
func (readOnlyError) Is(target error) bool { return target == fs.ErrPermission }

// FSError is a file system failure on one path. Its message is one line:
// what failed, on which chart path, and what to do. errors.Is works with
// fs.ErrPermission, ErrOutsideRoot, ErrChanged and the underlying error.
type FSError struct {
	Op   string // "read", "write", "create directory", "delete", "apply"
	Path string // slash path relative to the root
	Err  error
}

func (e *FSError) Error() string {
	var hint string
	var errno syscall.Errno
	switch {
	case errors.Is(e.Err, ErrOutsideRoot):
		return fmt.Sprintf("cannot %s %s: %v; hookgen only writes inside the chart", e.Op, e.Path, e.Err)
	case errors.Is(e.Err, ErrChanged):
		return fmt.Sprintf("cannot %s %s: it changed while hookgen was running; run hookgen again", e.Op, e.Path)
	case errors.Is(e.Err, ErrReadOnly):
		hint = "it is read-only; make it writable (chmod u+w " + e.Path + ") and run hookgen again"
		if e.Op == "write in" {
			hint = "the directory is read-only; make it writable (chmod u+w " + e.Path + ") and run hookgen again"
		}
	case errors.As(e.Err, &errno) && errno == syscall.EROFS:
		hint = "read-only file system"
	case errors.Is(e.Err, fs.ErrPermission):
		hint = "permission denied; check that you can write there"
	case errors.As(e.Err, &errno) && errno == syscall.ENOSPC:
		hint = "no space left on device"
	default:
		hint = e.Err.Error()
		var pe *fs.PathError
		if errors.As(e.Err, &pe) {
			hint = pe.Err.Error()
		}
	}
	return fmt.Sprintf("cannot %s %s: %s", e.Op, e.Path, hint)
}

func (e *FSError) Unwrap() error { return e.Err }

// New returns an empty changeset rooted at root. A journal left there by an
// interrupted Apply must be finished (Recover) before a Read or an Apply.
func New(root string) *Set { return &Set{Root: root, cache: map[string]*cached{}} }

// PendingError: a journal of an interrupted run is in the chart. Read-only
// commands report it; writing commands finish it with Recover first.
type PendingError struct {
	Root string // the chart (or --create parent) directory as given
}

func (e *PendingError) Error() string {
	return fmt.Sprintf("an interrupted hookgen run left %s in %s: run 'hookgen recover --chart %s' to finish it", journalName, e.Root, e.Root)
}

// CleanupError: the change landed, but removing its backups or journal
// failed. Commands report it as a warning: the chart is the new one.
type CleanupError struct{ Err error }

func (e *CleanupError) Error() string {
	return fmt.Sprintf("the change is written, but cleaning up after it failed (%v); the next hookgen run on this chart finishes it", e.Err)
}

func (e *CleanupError) Unwrap() error { return e.Err }

// UntrustedError: a journal hookgen did not write (or cannot follow). It is
// never acted on.
type UntrustedError struct {
	Path   string // of the journal, relative to the root
	Reason string
}

func (e *UntrustedError) Error() string {
	return fmt.Sprintf("%s is not a journal hookgen can follow: %s; hookgen changed nothing: inspect it (and the .hookgen-* files it names), then delete it", e.Path, e.Reason)
}

// SetStepHook installs fn to run before each file system step of Apply and
// of recovery (an error it returns is taken as that step failing). For tests
// of kills and failures at every step; nil removes it.
func SetStepHook(fn func(step string) error) { hook = fn }

// Pending reports whether a journal of an interrupted run is in root. It
// reads nothing else and changes nothing.
func Pending(root string) bool {
	_, err := os.Lstat(filepath.Join(root, journalName))
	return err == nil
}

// hook, when set (tests only), runs before each file system step of Apply
// and of recovery; an error it returns is taken as that step failing.
var hook func(step string) error

func step(name string) error {
	if hook != nil {
		return hook(name)
	}
	return nil
}

func (s *Set) init() error {
	if s.realRoot == "" {
		r, err := filepath.EvalSymlinks(s.Root)
		if err != nil {
			return &FSError{Op: "read", Path: s.Root, Err: err}
		}
		if r, err = filepath.Abs(r); err != nil {
			return &FSError{Op: "read", Path: s.Root, Err: err}
		}
		s.realRoot = r
	}
	if !s.checked {
		if Pending(s.realRoot) {
			return &PendingError{Root: s.Root}
		}
		s.checked = true
	}
	return nil
}

// Recover finishes an Apply that was interrupted under root (see the package
// documentation); call it holding root's exclusive lock. It reports whether
// there was anything to finish.
func Recover(root string) (bool, error) {
	r, err := filepath.EvalSymlinks(root)
	if err != nil {
		return false, &FSError{Op: "read", Path: root, Err: err}
	}
	if r, err = filepath.Abs(r); err != nil {
		return false, &FSError{Op: "read", Path: root, Err: err}
	}
	// A journal update that never took effect.
	if err := removeIfExists(filepath.Join(r, journalName+".tmp")); err != nil {
		return false, &FSError{Op: "delete", Path: journalName + ".tmp", Err: err}
	}
	if !Pending(r) {
		return false, nil
	}
	return true, recoverJournal(r)
}

// resolve maps rel to an absolute path under the real root, following
// symlinks that stay inside it.
func (s *Set) resolve(rel string) (string, error) {
	if !fs.ValidPath(rel) || rel == "." || strings.Contains(rel, `\`) {
		return "", &FSError{Op: "write", Path: rel, Err: fmt.Errorf("%w (%q is not a plain relative path)", ErrOutsideRoot, rel)}
	}
	cur := s.realRoot
	parts := strings.Split(rel, "/")
	for i, p := range parts {
		next := filepath.Join(cur, p)
		fi, err := os.Lstat(next)
		if errors.Is(err, fs.ErrNotExist) {
			return filepath.Join(append([]string{cur}, parts[i:]...)...), nil
		}
		if errors.Is(err, syscall.ENOTDIR) {
			return "", &FSError{Op: "write", Path: rel, Err: fmt.Errorf("%s is not a directory", strings.Join(parts[:i], "/"))}
		}
		if err != nil {
			return "", &FSError{Op: "read", Path: rel, Err: err}
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(next)
			if err != nil {
				return "", &FSError{Op: "read", Path: rel, Err: fmt.Errorf("dangling symlink: %w", err)}
			}
			if !within(s.realRoot, target) {
				where := strings.Join(parts[:i+1], "/")
				return "", &FSError{Op: "write", Path: rel, Err: fmt.Errorf("%w (%s is a symlink to %s)", ErrOutsideRoot, where, target)}
			}
			next = target
		}
		cur = next
	}
	return cur, nil
}

func within(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator)) && !filepath.IsAbs(r)
}

// Read returns the current content of rel (cached after the first read).
func (s *Set) Read(rel string) (data []byte, exists bool, err error) {
	c, err := s.read(rel)
	if err != nil {
		return nil, false, err
	}
	return c.data, c.exists, nil
}

func (s *Set) read(rel string) (*cached, error) {
	if err := s.init(); err != nil {
		return nil, err
	}
	if c, ok := s.cache[rel]; ok {
		return c, nil
	}
	real, err := s.resolve(rel)
	if err != nil {
		return nil, err
	}
	c := &cached{real: real, mode: 0o644}
	fi, err := os.Stat(real)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, &FSError{Op: "read", Path: rel, Err: err}
	case fi.IsDir():
		return nil, &FSError{Op: "write", Path: rel, Err: errors.New("it is a directory; move it away or choose another name")}
	case !fi.Mode().IsRegular():
		return nil, &FSError{Op: "write", Path: rel, Err: errors.New("it is not a regular file")}
	default:
		data, err := os.ReadFile(real)
		if err != nil {
			return nil, &FSError{Op: "read", Path: rel, Err: err}
		}
		c.data, c.exists, c.mode = data, true, fi.Mode().Perm()
	}
	s.cache[rel] = c
	return c, nil
}

func (s *Set) add(rel string, c *cached, f *File) error {
	for _, g := range s.Files {
		if g.Path == rel {
			return fmt.Errorf("changeset: %s added twice", rel)
		}
		if g.real == c.real {
			return &FSError{Op: "write", Path: rel, Err: fmt.Errorf("it is the same file as %s (through a symlink)", g.Path)}
		}
	}
	f.Path, f.Old, f.Exists, f.Mode, f.real = rel, c.data, c.exists, c.mode, c.real
	s.Files = append(s.Files, f)
	return nil
}

// Generate adds a file hookgen owns wholly: create when absent, identical
// when the same bytes are there, conflict when it exists and differs.
func (s *Set) Generate(rel string, content []byte) error { return s.write(rel, content, Conflict) }

// write adds new content for rel: create when absent, identical when the
// bytes are already there, and otherwise the status differs says.
func (s *Set) write(rel string, content []byte, differs Status) error {
	return s.compare(rel, content, &File{New: content, force: Modify}, Create, Identical, differs)
}

// compare adds f for rel with the status its current state gives: absent
// when it does not exist, same when it holds the bytes want, else differs.
func (s *Set) compare(rel string, want []byte, f *File, absent, same, differs Status) error {
	c, err := s.read(rel)
	if err != nil {
		return err
	}
	switch {
	case !c.exists:
		f.Status = absent
	case bytes.Equal(c.data, want):
		f.Status = same
	default:
		f.Status = differs
	}
	return s.add(rel, c, f)
}

// Edit adds a file whose new content the caller computed from the current
// one (read with Read): modify, identical, or create when absent. The file
// keeps its mode.
func (s *Set) Edit(rel string, content []byte) error { return s.write(rel, content, Modify) }

// EditConflicting is Edit for a change to a part of the file the user has
// made their own (a values block edited since hookgen wrote it): a conflict
// that --force writes and --skip leaves alone, or identical when the bytes
// already match.
func (s *Set) EditConflicting(rel string, content []byte) error {
	return s.write(rel, content, Conflict)
}

// Delete adds the removal of a file hookgen wrote: delete when its content
// is expected, conflict when it differs (the user changed it), identical when
// it is already absent. Apply also removes directories the deletion leaves
// empty, so that remove after add gives back the tree as it was.
func (s *Set) Delete(rel string, expected []byte) error {
	return s.compare(rel, expected, &File{force: Delete}, Identical, Delete, Conflict)
}

// Dir adds an empty directory the change creates (helm create's charts/),
// made with the files and removed again by a rollback.
func (s *Set) Dir(rel string) error {
	if err := s.init(); err != nil {
		return err
	}
	real, err := s.resolve(rel)
	if err != nil {
		return err
	}
	if _, err := os.Lstat(real); err == nil {
		return nil
	}
	s.dirs = append(s.dirs, real)
	return nil
}

// Resolve settles conflicts: with force they are overwritten (or deleted),
// with skip they are left alone. With neither they stay conflicts.
func (s *Set) Resolve(force, skip bool) {
	for _, f := range s.Files {
		if f.Status != Conflict {
			continue
		}
		switch {
		case force:
			f.Status = f.force
		case skip:
			f.Status = Skip
		}
	}
}

// Conflicts returns the files still in conflict.
func (s *Set) Conflicts() []*File {
	var out []*File
	for _, f := range s.Files {
		if f.Status == Conflict {
			out = append(out, f)
		}
	}
	return out
}

func (f *File) pending() bool {
	return f.Status == Create || f.Status == Modify || f.Status == Delete
}

// Pending reports whether Apply would change anything.
func (s *Set) Pending() bool {
	for _, f := range s.Files {
		if f.pending() {
			return true
		}
	}
	return len(s.dirs) > 0
}

// Diff writes a unified diff (a/ and b/ paths) of every pending change and of
// every conflict (what --force would write), in the order files were added.
func (s *Set) Diff(w io.Writer) error {
	for _, f := range s.Files {
		if !f.pending() && f.Status != Conflict {
			continue
		}
		oldName, newName := "a/"+f.Path, "b/"+f.Path
		newContent := f.New
		if f.Status == Create || !f.Exists {
			oldName = "/dev/null"
		}
		if f.Status == Delete || f.Status == Conflict && f.force == Delete {
			newName, newContent = "/dev/null", nil
		}
		d := udiff.Unified(oldName, newName, string(f.Old), string(newContent))
		if d == "" {
			continue
		}
		if _, err := io.WriteString(w, d); err != nil {
			return err
		}
	}
	return nil
}

// journal is the on-disk record of an Apply in progress.
type journal struct {
	Version int            `json:"version"`
	State   string         `json:"state"`  // "prepare", "commit" or "rollback"
	Writer  string         `json:"writer"` // "hookgen pid N": who wrote it, for a reader
	Dirs    []string       `json:"dirs,omitempty"`
	Files   []journalEntry `json:"files"`
	MAC     string         `json:"mac"` // HMAC-SHA256 of the rest (trust.go)

	resolved map[string]string // recovery: journal path -> checked file system path
}

type journalEntry struct {
	Target string `json:"target"`           // relative to the real root
	Temp   string `json:"temp,omitempty"`   // new content, renamed over Target
	Backup string `json:"backup,omitempty"` // hard link to the old content
	Create bool   `json:"create,omitempty"` // Target did not exist
	Delete bool   `json:"delete,omitempty"` // Target is removed
	NewSum string `json:"newSum,omitempty"` // SHA-256 of Temp
	OldSum string `json:"oldSum,omitempty"` // SHA-256 of Backup
}

const journalVersion = 2

const journalName = ".hookgen-journal.json"

// Apply writes every pending change, atomically: on any failure the tree is
// left as it was, and a kill leaves a journal that the next Set finishes.
func (s *Set) Apply() (err error) {
	if err := s.init(); err != nil {
		return err
	}
	if len(s.Conflicts()) > 0 {
		return fmt.Errorf("changeset: %d conflicts not resolved", len(s.Conflicts()))
	}
	var files []*File
	for _, f := range s.Files {
		if f.pending() {
			files = append(files, f)
		}
	}
	if len(files) == 0 && len(s.dirs) == 0 {
		return nil
	}
	if err := s.preflight(files); err != nil {
		return err
	}

	root := s.realRoot
	rel := func(p string) string { r, _ := filepath.Rel(root, p); return filepath.ToSlash(r) }
	j := &journal{Version: journalVersion, State: "prepare", Writer: fmt.Sprintf("hookgen pid %d", os.Getpid())}
	id := randomID()
	dirSet := map[string]bool{}
	for _, f := range files {
		e := journalEntry{Target: rel(f.real), Create: !f.Exists, Delete: f.Status == Delete}
		dir, base := filepath.Split(f.real)
		if !e.Delete {
			e.Temp = rel(filepath.Join(dir, ".hookgen-"+base+"."+id+".tmp"))
			e.NewSum = sum(f.New)
		}
		if f.Exists {
			e.Backup = rel(filepath.Join(dir, ".hookgen-"+base+"."+id+".bak"))
			e.OldSum = sum(f.Old)
		}
		j.Files = append(j.Files, e)
		for d := filepath.Dir(f.real); d != root && within(root, d); d = filepath.Dir(d) {
			if _, err := os.Lstat(d); errors.Is(err, fs.ErrNotExist) && !dirSet[d] {
				dirSet[d] = true
				j.Dirs = append(j.Dirs, rel(d))
			}
		}
	}
	for _, d := range s.dirs {
		for ; d != root && within(root, d); d = filepath.Dir(d) {
			if _, err := os.Lstat(d); errors.Is(err, fs.ErrNotExist) && !dirSet[d] {
				dirSet[d] = true
				j.Dirs = append(j.Dirs, rel(d))
			}
		}
	}
	sort.SliceStable(j.Dirs, func(a, b int) bool { return strings.Count(j.Dirs[a], "/") < strings.Count(j.Dirs[b], "/") })

	journaled := false // nothing to undo before the journal is on disk
	fail := func(op, p string, e error) error {
		ferr := &FSError{Op: op, Path: p, Err: e}
		if !journaled {
			return ferr
		}
		if rerr := rollback(root, j); rerr != nil {
			return fmt.Errorf("%w; rolling back also failed (%s): run 'hookgen recover --chart %s' to finish it", ferr, oneline.Err(rerr), s.Root)
		}
		return ferr
	}
	// Recovery ran in init, so a journal now belongs to a run in progress.
	if _, err := os.Lstat(filepath.Join(root, journalName)); err == nil {
		return &FSError{Op: "write", Path: journalName, Err: errors.New("another hookgen run is writing this chart; wait for it and run hookgen again")}
	}
	if err := seal(j); err != nil {
		return &FSError{Op: "write", Path: journalName, Err: err}
	}
	if err := writeJournal(root, j); err != nil {
		// The rename may have happened before a failed directory fsync.
		journaled = Pending(root)
		return fail("write", journalName, err)
	}
	journaled = true
	for _, d := range j.Dirs {
		if err := step("mkdir " + d); err != nil {
			return fail("create directory", d, err)
		}
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			return fail("create directory", d, err)
		}
	}
	for i, f := range files {
		e := j.Files[i]
		if e.Temp != "" {
			if err := step("write " + f.Path); err != nil {
				return fail("write", f.Path, err)
			}
			if err := writeFile(filepath.Join(root, e.Temp), f.New, f.Mode); err != nil {
				return fail("write", f.Path, err)
			}
		}
		if e.Backup != "" {
			if err := step("backup " + f.Path); err != nil {
				return fail("write", f.Path, err)
			}
			if err := backup(f.real, filepath.Join(root, e.Backup), f.Old, f.Mode); err != nil {
				return fail("write", f.Path, err)
			}
		}
	}
	if err := step("commit"); err != nil {
		return fail("apply", journalName, err)
	}
	j.State = "commit"
	if err := seal(j); err != nil {
		return fail("apply", journalName, err)
	}
	if err := writeJournal(root, j); err != nil {
		return fail("apply", journalName, err)
	}
	for i, f := range files {
		e := j.Files[i]
		op := "write"
		if e.Delete {
			op = "delete"
		}
		if err := step("rename " + f.Path); err != nil {
			return fail(op, f.Path, err)
		}
		if e.Delete {
			err = os.Remove(f.real)
		} else {
			err = os.Rename(filepath.Join(root, e.Temp), f.real)
		}
		if err != nil {
			return fail(op, f.Path, err)
		}
	}
	if err := step("sync"); err != nil {
		return fail("apply", ".", err)
	}
	syncDirs(root, j)
	for _, f := range files {
		if c := s.cache[f.Path]; c != nil {
			c.data, c.exists = f.New, f.Status != Delete
		}
	}
	// Committed: what is left is cleanup, which recovery can also do.
	if err := step("cleanup"); err != nil {
		return &CleanupError{Err: err}
	}
	if err := finish(root, j); err != nil {
		return &CleanupError{Err: err}
	}
	return nil
}

// preflight checks, before anything is written, that each file is still as
// it was read and that it and its directory are writable. Write permission
// is judged by the mode bits, so a read-only file is refused even for root.
func (s *Set) preflight(files []*File) error {
	for _, f := range files {
		fi, err := os.Stat(f.real)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if f.Exists {
				return &FSError{Op: "write", Path: f.Path, Err: ErrChanged}
			}
		case err != nil:
			return &FSError{Op: "read", Path: f.Path, Err: err}
		case !f.Exists:
			return &FSError{Op: "write", Path: f.Path, Err: ErrChanged}
		default:
			cur, err := os.ReadFile(f.real)
			if err != nil {
				return &FSError{Op: "read", Path: f.Path, Err: err}
			}
			if !bytes.Equal(cur, f.Old) {
				return &FSError{Op: "write", Path: f.Path, Err: ErrChanged}
			}
			if fi.Mode().Perm()&0o200 == 0 {
				return &FSError{Op: "write", Path: f.Path, Err: ErrReadOnly}
			}
		}
		// The nearest existing directory must be writable.
		for d := filepath.Dir(f.real); ; d = filepath.Dir(d) {
			fi, err := os.Stat(d)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return &FSError{Op: "write", Path: f.Path, Err: err}
			}
			if !fi.IsDir() {
				r, _ := filepath.Rel(s.realRoot, d)
				return &FSError{Op: "write", Path: f.Path, Err: fmt.Errorf("%s is not a directory", filepath.ToSlash(r))}
			}
			if fi.Mode().Perm()&0o200 == 0 {
				r, _ := filepath.Rel(s.realRoot, d)
				return &FSError{Op: "write in", Path: filepath.ToSlash(r) + "/", Err: fmt.Errorf("the directory is %w", ErrReadOnly)}
			}
			break
		}
	}
	return nil
}

func randomID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// writeFile writes data to a new file p with mode perm and fsyncs it.
func writeFile(p string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p)
	}
	return err
}

// backup keeps the old content of target at p: a hard link when the file
// system allows one, a copy otherwise.
func backup(target, p string, old []byte, perm fs.FileMode) error {
	if err := os.Link(target, p); err == nil {
		return nil
	}
	return writeFile(p, old, perm)
}

func writeJournal(root string, j *journal) error {
	if err := step("journal " + j.State); err != nil {
		return err
	}
	data, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	p := filepath.Join(root, journalName)
	tmp := p + ".tmp"
	os.Remove(tmp)
	if err := writeFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(root)
}

func syncDir(d string) error {
	f, err := os.Open(d)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

func syncDirs(root string, j *journal) {
	seen := map[string]bool{}
	for _, e := range j.Files {
		d := filepath.Dir(j.path(root, e.Target))
		if !seen[d] {
			seen[d] = true
			_ = syncDir(d)
		}
	}
	_ = syncDir(root)
}

// finish removes the backups and the journal of a committed apply, and the
// directories that deletions left empty (hookgen created them when it added
// the files; only empty ones go, never the root).
func finish(root string, j *journal) error {
	for _, e := range j.Files {
		if e.Temp != "" {
			// Normally renamed away already; this is a no-op then.
			if err := removeIfExists(j.path(root, e.Temp)); err != nil {
				return err
			}
		}
		if e.Backup != "" {
			if err := removeIfExists(j.path(root, e.Backup)); err != nil {
				return err
			}
		}
	}
	for _, e := range j.Files {
		if !e.Delete {
			continue
		}
		for d := filepath.Dir(j.path(root, e.Target)); d != root && within(root, d); d = filepath.Dir(d) {
			if os.Remove(d) != nil {
				break
			}
		}
	}
	if err := removeIfExists(filepath.Join(root, journalName)); err != nil {
		return err
	}
	return syncDir(root)
}

// rollback undoes a prepared or partly renamed apply: the journal goes to
// "rollback" first, so that a kill during rollback is rolled back again.
// Before the commit point no target was touched, so the backups are only
// removed; after it each backup that matches its checksum is renamed back.
func rollback(root string, j *journal) error {
	prepared := j.State == "prepare"
	if j.State == "commit" {
		j.State = "rollback"
		if err := seal(j); err != nil {
			return err
		}
		if err := writeJournal(root, j); err != nil {
			return err
		}
	}
	var errs []error
	for i := len(j.Files) - 1; i >= 0; i-- {
		e := j.Files[i]
		target := j.path(root, e.Target)
		if e.Backup != "" {
			b := j.path(root, e.Backup)
			if _, err := os.Lstat(b); err == nil {
				if err := step("restore " + e.Target); err != nil {
					errs = append(errs, err)
					continue
				}
				if !prepared {
					if e.OldSum != "" && !sameSum(b, e.OldSum) {
						errs = append(errs, fmt.Errorf("the backup %s of %s does not hold what hookgen saved; restore %s by hand", e.Backup, e.Target, e.Target))
						continue
					}
					if err := os.Rename(b, target); err != nil {
						errs = append(errs, err)
						continue
					}
				}
				// rename between two links of one file does nothing.
				if err := removeIfExists(b); err != nil {
					errs = append(errs, err)
				}
			}
		} else if e.Create && !prepared {
			if err := removeIfExists(target); err != nil {
				errs = append(errs, err)
			}
		}
		if e.Temp != "" {
			if err := removeIfExists(j.path(root, e.Temp)); err != nil {
				errs = append(errs, err)
			}
		}
	}
	for i := len(j.Dirs) - 1; i >= 0; i-- {
		// Only empty directories go; one the user filled since stays.
		os.Remove(j.path(root, j.Dirs[i]))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if err := removeIfExists(filepath.Join(root, journalName)); err != nil {
		return err
	}
	return syncDir(root)
}

// rollForward finishes a committed apply. Every temporary file still there
// must hold what the journal's checksum says before it is renamed.
func rollForward(root string, j *journal) error {
	for _, e := range j.Files {
		if e.Temp == "" || e.NewSum == "" {
			continue
		}
		if t := j.path(root, e.Temp); exists(t) && !sameSum(t, e.NewSum) {
			return fmt.Errorf("%s, the new content of %s, does not hold what hookgen wrote; nothing was renamed", e.Temp, e.Target)
		}
	}
	for _, e := range j.Files {
		target := j.path(root, e.Target)
		if err := step("rename " + e.Target); err != nil {
			return err
		}
		if e.Delete {
			if err := removeIfExists(target); err != nil {
				return err
			}
			continue
		}
		if t := j.path(root, e.Temp); exists(t) {
			if err := os.Rename(t, target); err != nil {
				return err
			}
		}
	}
	syncDirs(root, j)
	return finish(root, j)
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func removeIfExists(p string) error {
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// path maps a journal path to the file system. Only paths checked by
// resolveJournal are in a journal being recovered; Apply writes only paths
// under the real root.
func (j *journal) path(root, rel string) string {
	if p, ok := j.resolved[rel]; ok {
		return p
	}
	return filepath.Join(root, filepath.FromSlash(rel))
}

// resolveJournal checks every path j names against the real file system:
// a plain relative path whose existing directories, symlinks resolved, stay
// inside root. The last element itself is never followed (recovery renames
// and removes it, which acts on a symlink, not on what it points to).
func resolveJournal(root string, j *journal) error {
	j.resolved = map[string]string{}
	check := func(rel string) error {
		if rel == "" {
			return nil
		}
		if !fs.ValidPath(rel) || rel == "." || strings.Contains(rel, `\`) {
			return fmt.Errorf("it names %q, which is not a plain path in the chart", rel)
		}
		dir, base := path.Split(rel)
		real := root
		if dir != "" {
			// The deepest existing directory, symlinks resolved.
			parts := strings.Split(strings.TrimSuffix(dir, "/"), "/")
			n := len(parts)
			for ; n > 0; n-- {
				p := filepath.Join(root, filepath.FromSlash(strings.Join(parts[:n], "/")))
				if _, err := os.Lstat(p); err == nil {
					r, err := filepath.EvalSymlinks(p)
					if err != nil {
						return fmt.Errorf("it names %q, whose directory cannot be resolved (%v)", rel, err)
					}
					real = r
					break
				}
			}
			if !within(root, real) && real != root {
				return fmt.Errorf("it names %q, which leads outside the chart (to %s)", rel, real)
			}
			real = filepath.Join(append([]string{real}, parts[n:]...)...)
		}
		j.resolved[rel] = filepath.Join(real, base)
		return nil
	}
	for _, d := range j.Dirs {
		if err := check(d); err != nil {
			return err
		}
	}
	for _, e := range j.Files {
		for _, q := range []string{e.Target, e.Temp, e.Backup} {
			if err := check(q); err != nil {
				return err
			}
		}
		if q := e.Target; q == journalName || strings.HasPrefix(q, journalName+".") {
			return fmt.Errorf("it names itself as a target")
		}
	}
	return nil
}

// recoverJournal finishes an interrupted apply under root, if hookgen wrote
// its journal and every path in it stays in the chart.
func recoverJournal(root string) error {
	p := filepath.Join(root, journalName)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &FSError{Op: "read", Path: journalName, Err: err}
	}
	if !fi.Mode().IsRegular() {
		return &UntrustedError{Path: journalName, Reason: "it is not a regular file"}
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return &FSError{Op: "read", Path: journalName, Err: err}
	}
	var j journal
	if err := json.Unmarshal(data, &j); err != nil {
		return &UntrustedError{Path: journalName, Reason: "it does not parse (" + err.Error() + ")"}
	}
	if j.Version != journalVersion {
		return &UntrustedError{Path: journalName, Reason: fmt.Sprintf("its version is %d, this hookgen writes %d", j.Version, journalVersion)}
	}
	if j.State != "prepare" && j.State != "commit" && j.State != "rollback" {
		return &UntrustedError{Path: journalName, Reason: fmt.Sprintf("its state %q is unknown", j.State)}
	}
	if err := trusted(&j); err != nil {
		return &UntrustedError{Path: journalName, Reason: "hookgen did not write it as this user: " + err.Error()}
	}
	if err := resolveJournal(root, &j); err != nil {
		return &UntrustedError{Path: journalName, Reason: err.Error()}
	}
	if j.State == "commit" {
		err = rollForward(root, &j)
	} else {
		err = rollback(root, &j)
	}
	if err != nil {
		return &FSError{Op: "finish the interrupted hookgen run in", Path: ".", Err: err}
	}
	return nil
}
