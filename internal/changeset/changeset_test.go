package changeset

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// tree is a readable snapshot of everything under root: paths, modes,
// symlink targets and contents. Two equal snapshots mean a byte-identical tree.
func tree(t *testing.T, root string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			lines = append(lines, fmt.Sprintf("%s -> %s", rel, target))
		case fi.IsDir():
			lines = append(lines, fmt.Sprintf("%s/ %v", rel, fi.Mode().Perm()))
		default:
			data, _ := os.ReadFile(p)
			lines = append(lines, fmt.Sprintf("%s %v %q", rel, fi.Mode().Perm(), data))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func write(t testing.TB, root, rel, content string, mode fs.FileMode) {
	t.Helper()
	p := filepath.Join(root, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
}

// chart makes a small chart: values.yaml (0600, to see modes kept), a
// template, and an old test hookgen will delete.
func chart(t testing.TB) string {
	root := t.TempDir()
	write(t, root, "Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n", 0o644)
	write(t, root, "values.yaml", "a: 1\r\n", 0o600)
	write(t, root, "templates/deployment.yaml", "kind: Deployment\n", 0o644)
	write(t, root, "templates/tests/old.yaml", "old\n", 0o644)
	return root
}

// fullSet stages one change of each kind: a new file in a new nested
// directory, a new file in an existing directory, an edit, a forced
// overwrite and a delete.
func fullSet(t testing.TB, root string) *Set {
	s := New(root)
	must(t, s.Generate("templates/hooks/migration/job.yaml", []byte("kind: Job\n")))
	must(t, s.Generate("templates/job-seed.yaml", []byte("kind: Job\nname: seed\n")))
	must(t, s.Edit("values.yaml", []byte("a: 1\r\nhooks: {}\r\n")))
	must(t, s.Generate("templates/deployment.yaml", []byte("kind: Deployment # mine\n")))
	must(t, s.Delete("templates/tests/old.yaml", []byte("old\n")))
	s.Resolve(true, false)
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func statuses(s *Set) string {
	var out []string
	for _, f := range s.Files {
		out = append(out, f.Path+"="+string(f.Status))
	}
	return strings.Join(out, " ")
}

func TestStatuses(t *testing.T) {
	root := chart(t)
	s := New(root)
	must(t, s.Generate("templates/new.yaml", []byte("x\n")))
	must(t, s.Generate("templates/deployment.yaml", []byte("kind: Deployment\n")))
	must(t, s.Generate("Chart.yaml", []byte("other\n")))
	must(t, s.Edit("values.yaml", []byte("a: 2\n")))
	must(t, s.Edit("templates/tests/old.yaml", []byte("old\n")))
	must(t, s.Edit("values2.yaml", []byte("b: 1\n")))
	must(t, s.Delete("templates/tests/old.yaml2", []byte("x")))
	got := statuses(s)
	want := "templates/new.yaml=create templates/deployment.yaml=identical Chart.yaml=conflict values.yaml=modify templates/tests/old.yaml=identical values2.yaml=create templates/tests/old.yaml2=identical"
	if got != want {
		t.Fatalf("statuses\n got %s\nwant %s", got, want)
	}
	if c := s.Conflicts(); len(c) != 1 || c[0].Path != "Chart.yaml" {
		t.Fatalf("Conflicts = %v", c)
	}
	if err := s.Apply(); err == nil {
		t.Fatal("Apply with an unresolved conflict succeeded")
	}
	s.Resolve(false, true)
	if s.Files[2].Status != Skip || len(s.Conflicts()) != 0 {
		t.Fatalf("skip: %s", statuses(s))
	}
	if err := s.Generate("templates/new.yaml", []byte("y")); err == nil {
		t.Fatal("adding a path twice succeeded")
	}

	d := New(root)
	must(t, d.Delete("templates/tests/old.yaml", []byte("old\n")))
	must(t, d.Delete("templates/deployment.yaml", []byte("edited by the user\n")))
	if got := statuses(d); got != "templates/tests/old.yaml=delete templates/deployment.yaml=conflict" {
		t.Fatal(got)
	}
	d.Resolve(true, false)
	if d.Files[1].Status != Delete {
		t.Fatalf("force on a delete conflict: %s", statuses(d))
	}

	idle := New(root)
	must(t, idle.Generate("templates/deployment.yaml", []byte("kind: Deployment\n")))
	if idle.Pending() {
		t.Fatal("identical set is pending")
	}
	before := tree(t, root)
	must(t, idle.Apply())
	if tree(t, root) != before {
		t.Fatal("Apply of an identical set changed the tree")
	}
}

func TestApply(t *testing.T) {
	root := chart(t)
	s := fullSet(t, root)
	if !s.Pending() {
		t.Fatal("not pending")
	}
	must(t, s.Apply())
	got := tree(t, root)
	for _, line := range []string{
		`values.yaml -rw------- "a: 1\r\nhooks: {}\r\n"`,
		`templates/hooks/ -rwxr-xr-x`,
		`templates/hooks/migration/ -rwxr-xr-x`,
		`templates/hooks/migration/job.yaml -rw-r--r-- "kind: Job\n"`,
		`templates/job-seed.yaml -rw-r--r-- "kind: Job\nname: seed\n"`,
		`templates/deployment.yaml -rw-r--r-- "kind: Deployment # mine\n"`,
	} {
		if !strings.Contains(got+"\n", line+"\n") {
			t.Errorf("missing %s in\n%s", line, got)
		}
	}
	if strings.Contains(got, "old.yaml") || strings.Contains(got, ".hookgen") || strings.Contains(got, "templates/tests") {
		t.Errorf("leftovers (the emptied templates/tests goes too):\n%s", got)
	}
	// The same set again is all identical.
	again := New(root)
	must(t, again.Generate("templates/hooks/migration/job.yaml", []byte("kind: Job\n")))
	must(t, again.Edit("values.yaml", []byte("a: 1\r\nhooks: {}\r\n")))
	must(t, again.Delete("templates/tests/old.yaml", []byte("old\n")))
	if again.Pending() {
		t.Fatalf("second run pending: %s", statuses(again))
	}
}

func TestDiff(t *testing.T) {
	root := chart(t)
	s := fullSet(t, root)
	var b bytes.Buffer
	must(t, s.Diff(&b))
	want := `--- /dev/null
+++ b/templates/hooks/migration/job.yaml
@@ -0,0 +1 @@
+kind: Job
--- /dev/null
+++ b/templates/job-seed.yaml
@@ -0,0 +1,2 @@
+kind: Job
+name: seed
--- a/values.yaml
+++ b/values.yaml
@@ -1 +1,2 @@
 a: 1` + "\r" + `
+hooks: {}` + "\r" + `
--- a/templates/deployment.yaml
+++ b/templates/deployment.yaml
@@ -1 +1 @@
-kind: Deployment
+kind: Deployment # mine
--- a/templates/tests/old.yaml
+++ /dev/null
@@ -1 +0,0 @@
-old
`
	if b.String() != want {
		t.Fatalf("diff\n%s\nwant\n%s", b.String(), want)
	}
	// A missing final newline is marked; skipped and identical files are not shown.
	s2 := New(root)
	must(t, s2.Edit("Chart.yaml", []byte("apiVersion: v2")))
	must(t, s2.Generate("templates/deployment.yaml", []byte("x")))
	s2.Resolve(false, true)
	b.Reset()
	must(t, s2.Diff(&b))
	if !strings.Contains(b.String(), "\\ No newline at end of file") || strings.Contains(b.String(), "deployment") {
		t.Fatalf("diff:\n%s", b.String())
	}
}

func TestPathsOutsideRoot(t *testing.T) {
	root := chart(t)
	outside := t.TempDir()
	write(t, outside, "values.yaml", "x: 1\n", 0o644)
	must(t, os.Symlink(filepath.Join(outside, "values.yaml"), filepath.Join(root, "linked-values.yaml")))
	must(t, os.Symlink(outside, filepath.Join(root, "templates", "ext")))
	must(t, os.Symlink("../values.yaml", filepath.Join(root, "templates", "inside.yaml")))
	for _, rel := range []string{"../x.yaml", "/etc/passwd", "templates/../../x", "linked-values.yaml", "templates/ext/job.yaml", "", ".", "a//b", `templates\x`} {
		s := New(root)
		_, _, err := s.Read(rel)
		if !errors.Is(err, ErrOutsideRoot) {
			t.Errorf("Read(%q) = %v, want ErrOutsideRoot", rel, err)
			continue
		}
		var fe *FSError
		if !errors.As(err, &fe) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "hookgen only writes inside the chart") {
			t.Errorf("Read(%q) error %q", rel, err)
		}
	}
	// A symlink that stays inside is followed: the link stays, its target changes.
	s := New(root)
	data, ok, err := s.Read("templates/inside.yaml")
	if err != nil || !ok || string(data) != "a: 1\r\n" {
		t.Fatalf("Read through inner symlink = %q %v %v", data, ok, err)
	}
	must(t, s.Edit("templates/inside.yaml", []byte("a: 2\n")))
	must(t, s.Apply())
	if got, _ := os.ReadFile(filepath.Join(root, "values.yaml")); string(got) != "a: 2\n" {
		t.Fatalf("values.yaml = %q", got)
	}
	if fi, _ := os.Lstat(filepath.Join(root, "templates", "inside.yaml")); fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("symlink replaced by a file")
	}
	// Two names for one file in one set.
	s = New(root)
	must(t, s.Edit("values.yaml", []byte("a: 3\n")))
	if err := s.Edit("templates/inside.yaml", []byte("a: 4\n")); err == nil {
		t.Fatal("two paths to one file accepted")
	}
}

func TestReadOnly(t *testing.T) {
	root := chart(t)
	must(t, os.Chmod(filepath.Join(root, "values.yaml"), 0o444))
	s := New(root)
	must(t, s.Edit("values.yaml", []byte("a: 2\n")))
	must(t, s.Generate("templates/x.yaml", []byte("x\n")))
	before := tree(t, root)
	err := s.Apply()
	if !errors.Is(err, fs.ErrPermission) || err.Error() != "cannot write values.yaml: it is read-only; make it writable (chmod u+w values.yaml) and run hookgen again" {
		t.Fatalf("read-only file: %v", err)
	}
	if tree(t, root) != before {
		t.Fatal("tree changed")
	}

	root = chart(t)
	must(t, os.Chmod(filepath.Join(root, "templates"), 0o555))
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "templates"), 0o755) })
	s = New(root)
	must(t, s.Generate("templates/hooks/job.yaml", []byte("x\n")))
	must(t, s.Edit("values.yaml", []byte("a: 2\n")))
	before = tree(t, root)
	err = s.Apply()
	var fe *FSError
	if !errors.As(err, &fe) || !errors.Is(err, fs.ErrPermission) || err.Error() != "cannot write in templates/: the directory is read-only; make it writable (chmod u+w templates/) and run hookgen again" {
		t.Fatalf("read-only dir: %v", err)
	}
	if fe.Path != "templates/" {
		t.Fatalf("cause: %v", fe.Err)
	}
	if tree(t, root) != before {
		t.Fatal("tree changed")
	}
}

func TestChangedSinceRead(t *testing.T) {
	root := chart(t)
	s := New(root)
	must(t, s.Edit("values.yaml", []byte("a: 2\n")))
	must(t, s.Generate("templates/new.yaml", []byte("x\n")))
	write(t, root, "values.yaml", "a: 1 # edited meanwhile\n", 0o600)
	before := tree(t, root)
	if err := s.Apply(); !errors.Is(err, ErrChanged) {
		t.Fatalf("Apply = %v", err)
	}
	if tree(t, root) != before {
		t.Fatal("tree changed")
	}
}

func TestNotAFile(t *testing.T) {
	root := chart(t)
	s := New(root)
	if err := s.Generate("templates", []byte("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Fatalf("Generate over a directory: %v", err)
	}
	s = New(root)
	if err := s.Generate("Chart.yaml/x.yaml", []byte("x")); err == nil || err.Error() != "cannot write Chart.yaml/x.yaml: Chart.yaml is not a directory" {
		t.Fatalf("Generate under a file: %v", err)
	}
}

// TestFailureAtEachStep injects a failure at every file system step of a
// multi-file Apply and checks the tree is byte-identical afterwards.
func TestFailureAtEachStep(t *testing.T) {
	var steps []string
	root := chart(t)
	s := fullSet(t, root)
	hook = func(name string) error { steps = append(steps, name); return nil }
	defer func() { hook = nil }()
	must(t, s.Apply())
	newTree := tree(t, root)
	// Each step before the commit point and each rename must roll back fully.
	n := 0
	for i, name := range steps {
		if name == "sync" || name == "cleanup" {
			continue
		}
		root := chart(t)
		s := fullSet(t, root)
		before := tree(t, root)
		injected := errors.New("injected failure")
		count := 0
		hook = func(string) error {
			count++
			if count == i+1 {
				return injected
			}
			return nil
		}
		err := s.Apply()
		hook = nil
		if !errors.Is(err, injected) {
			t.Fatalf("step %d (%s): Apply = %v", i, name, err)
		}
		var fe *FSError
		if !errors.As(err, &fe) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("step %d (%s): error %q", i, name, err)
		}
		if got := tree(t, root); got != before {
			t.Fatalf("step %d (%s): tree changed:\n%s\nwant\n%s", i, name, got, before)
		}
		n++
	}
	t.Logf("%d steps: %q", n, steps)
	if n < 12 {
		t.Fatalf("only %d steps tried: %v", n, steps)
	}
	// A failure after the commit point, in cleanup, leaves the new tree plus
	// a journal that the next Set finishes.
	root = chart(t)
	s = fullSet(t, root)
	hook = func(name string) error {
		if name == "cleanup" {
			return errors.New("injected")
		}
		return nil
	}
	if err := s.Apply(); err == nil {
		t.Fatal("cleanup failure not reported")
	}
	hook = nil
	if found, err := Recover(root); !found || err != nil {
		t.Fatalf("Recover = %v, %v", found, err)
	}
	if got := tree(t, root); got != newTree {
		t.Fatalf("after recovery:\n%s\nwant\n%s", got, newTree)
	}
}

// TestRollbackFailure: when the rollback itself fails, the error says so and
// the journal left behind rolls the chart back on the next run.
func TestRollbackFailure(t *testing.T) {
	root := chart(t)
	before := tree(t, root)
	s := fullSet(t, root)
	hook = func(name string) error {
		if name == "rename templates/deployment.yaml" || name == "restore values.yaml" {
			return errors.New("injected")
		}
		return nil
	}
	err := s.Apply()
	hook = nil
	if err == nil || !strings.Contains(err.Error(), "rolling back also failed") || !strings.Contains(err.Error(), "run 'hookgen recover --chart") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("Apply = %v", err)
	}
	if tree(t, root) == before {
		t.Fatal("the failed rollback left nothing to recover; the test does not test it")
	}
	if found, err := Recover(root); !found || err != nil {
		t.Fatalf("Recover = %v, %v", found, err)
	}
	if got := tree(t, root); got != before {
		t.Fatalf("after recovery:\n%s\nwant\n%s", got, before)
	}
}

// TestUntrustedJournal: a journal hookgen did not write (a chart can ship
// one) is reported by name and never followed; Read refuses to work under
// any journal and recovers nothing.
func TestUntrustedJournal(t *testing.T) {
	for _, c := range []struct{ journal, msg string }{
		{"{not json", "it does not parse"},
		{`{"version":1,"state":"commit","files":[]}`, "its version is 1"},
		{`{"version":2,"state":"commit","files":[{"target":"values.yaml","temp":"x"}],"mac":"00"}`, "hookgen did not write it as this user"},
	} {
		root := chart(t)
		write(t, root, journalName, c.journal, 0o644)
		before := tree(t, root)
		_, _, err := New(root).Read("values.yaml")
		var pe *PendingError
		if !errors.As(err, &pe) {
			t.Errorf("Read = %v, want a pending journal", err)
		}
		_, err = Recover(root)
		var ue *UntrustedError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), ".hookgen-journal.json is not a journal hookgen can follow: "+c.msg) || !strings.Contains(err.Error(), "hookgen changed nothing") {
			t.Errorf("Recover = %v, want %q", err, c.msg)
		}
		if tree(t, root) != before {
			t.Errorf("%s: tree changed", c.journal)
		}
	}
}

// TestJournalOutsideChart: a journal hookgen wrote (signed with this user's
// key) that names a path leaving the chart, textually or through a symlink,
// is refused before anything changes, outside or inside.
func TestJournalOutsideChart(t *testing.T) {
	for _, target := range []string{"../victim/a.txt", "docs/a.txt"} {
		dir := t.TempDir()
		root := filepath.Join(dir, "chart")
		copyTree(t, chart(t), root)
		victim := filepath.Join(dir, "victim")
		write(t, victim, "a.txt", "precious\n", 0o644)
		must(t, os.Symlink("../victim", filepath.Join(root, "docs")))
		j := &journal{Version: journalVersion, State: "commit", Files: []journalEntry{{Target: target, Backup: target + ".bak", Delete: true}}}
		must(t, seal(j))
		data, _ := json.Marshal(j)
		write(t, root, journalName, string(data), 0o644)
		outside, inside := tree(t, victim), tree(t, root)
		_, err := Recover(root)
		if err == nil || !strings.Contains(err.Error(), "not a plain path in the chart") && !strings.Contains(err.Error(), "leads outside the chart") {
			t.Errorf("%s: Recover = %v", target, err)
		}
		if tree(t, victim) != outside || tree(t, root) != inside {
			t.Errorf("%s: files changed", target)
		}
	}
}

func TestConcurrentRunRefused(t *testing.T) {
	root := chart(t)
	s := fullSet(t, root)
	must(t, s.init()) // no journal: the other run starts after the check
	write(t, root, journalName, `{"version":2,"state":"prepare","files":[]}`, 0o644)
	before := tree(t, root)
	if err := s.Apply(); err == nil || !strings.Contains(err.Error(), "another hookgen run") {
		t.Fatalf("Apply = %v", err)
	}
	if tree(t, root) != before {
		t.Fatal("tree changed")
	}
}

// TestAddThenRemove: deleting what a Generate created, directories included,
// gives back the tree as it was.
func TestAddThenRemove(t *testing.T) {
	root := chart(t)
	before := tree(t, root)
	add := New(root)
	must(t, add.Generate("templates/hooks/migration/job.yaml", []byte("kind: Job\n")))
	must(t, add.Generate("templates/tests/hook-test.yaml", []byte("kind: Pod\n")))
	must(t, add.Apply())
	rm := New(root)
	must(t, rm.Delete("templates/hooks/migration/job.yaml", []byte("kind: Job\n")))
	must(t, rm.Delete("templates/tests/hook-test.yaml", []byte("kind: Pod\n")))
	must(t, rm.Apply())
	if got := tree(t, root); got != before {
		t.Fatalf("after add and remove:\n%s\nwant\n%s", got, before)
	}
}

// TestCleanupErrorAfterCommit (issue 17 case 14): a failure removing the
// backups or the journal after the change landed is a *CleanupError (a
// warning), the tree is the new one, and recovery finishes the cleanup.
func TestCleanupErrorAfterCommit(t *testing.T) {
	root := chart(t)
	s := fullSet(t, root)
	hook = func(name string) error {
		if name == "cleanup" {
			return errors.New("input/output error")
		}
		return nil
	}
	err := s.Apply()
	hook = nil
	var ce *CleanupError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "the change is written") {
		t.Fatalf("Apply = %v, want a cleanup warning", err)
	}
	if found, err := Recover(root); !found || err != nil {
		t.Fatalf("Recover = %v, %v", found, err)
	}
	ref := chart(t)
	must(t, fullSet(t, ref).Apply())
	if tree(t, root) != tree(t, ref) {
		t.Fatal("not the new tree")
	}
}
