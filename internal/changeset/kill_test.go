package changeset

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The kill test runs this test binary again as a child that applies fullSet
// and stops dead (SIGKILL) at one step; the parent then recovers the journal
// and requires the chart to be exactly the old or exactly the new one.
const (
	envRoot  = "HOOKGEN_KILL_ROOT"  // chart the child applies to
	envPause = "HOOKGEN_KILL_PAUSE" // 1-based index of the hook call to stop at
	envFail  = "HOOKGEN_KILL_FAIL"  // optional step that fails first, to kill during rollback
)

func TestKillChild(t *testing.T) {
	root := os.Getenv(envRoot)
	if root == "" {
		t.Skip("helper for TestKillDuringApply")
	}
	pause, _ := strconv.Atoi(os.Getenv(envPause))
	fail := os.Getenv(envFail)
	s := fullSet(t, root)
	n := 0
	hook = func(name string) error {
		n++
		if n == pause {
			// Tell the parent where we are, then wait to be killed.
			os.WriteFile(root+".reached", []byte(name), 0o644)
			select {}
		}
		if name == fail {
			return errors.New("injected")
		}
		return nil
	}
	err := s.Apply()
	os.WriteFile(root+".reached", []byte("finished: "+fmt.Sprint(err)), 0o644)
}

func TestKillDuringApply(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	ref := chart(t)
	oldTree := tree(t, ref)
	var steps []string
	hook = func(name string) error { steps = append(steps, name); return nil }
	must(t, fullSet(t, ref).Apply())
	hook = nil
	newTree := tree(t, ref)

	// Steps of an apply whose rename of deployment.yaml fails: the rollback
	// steps come after it.
	const failAt = "rename templates/deployment.yaml"
	ref2 := chart(t)
	var failSteps []string
	hook = func(name string) error {
		failSteps = append(failSteps, name)
		if name == failAt {
			return errors.New("injected")
		}
		return nil
	}
	if err := fullSet(t, ref2).Apply(); err == nil {
		t.Fatal("injected failure not reported")
	}
	hook = nil

	type run struct {
		fail  string
		pause int
		step  string
	}
	var runs []run
	for i, s := range steps {
		runs = append(runs, run{"", i + 1, s})
	}
	for i, s := range failSteps {
		if i > indexOf(failSteps, failAt) {
			runs = append(runs, run{failAt, i + 1, s})
		}
	}
	sawOld, sawNew := 0, 0
	for i, r := range runs {
		dir := t.TempDir()
		root := filepath.Join(dir, "chart")
		copyTree(t, chart(t), root)
		cmd := exec.Command(os.Args[0], "-test.run=^TestKillChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), envRoot+"="+root, envPause+"="+strconv.Itoa(r.pause), envFail+"="+r.fail)
		out := &strings.Builder{}
		cmd.Stdout, cmd.Stderr = out, out
		must(t, cmd.Start())
		reached := waitFor(t, root+".reached")
		if reached != r.step {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child stopped at %q, want %q\n%s", reached, r.step, out)
		}
		must(t, cmd.Process.Signal(syscall.SIGKILL))
		cmd.Wait()
		os.Remove(root + ".reached")

		// Recovery runs explicitly, or on the next Set's first Read.
		if i%2 == 0 {
			// Killed before the first journal write there is nothing to find.
			if found, err := Recover(root); found == (r.step == "journal prepare") || err != nil {
				t.Fatalf("killed at %q (fail %q): Recover = %v, %v", r.step, r.fail, found, err)
			}
		} else {
			// A Set never recovers by itself: it refuses to read.
			var pe *PendingError
			if _, _, err := New(root).Read("values.yaml"); r.step != "journal prepare" && !errors.As(err, &pe) {
				t.Fatalf("killed at %q (fail %q): Read under a journal: %v", r.step, r.fail, err)
			}
			if _, err := Recover(root); err != nil {
				t.Fatalf("killed at %q (fail %q): Recover: %v", r.step, r.fail, err)
			}
		}
		got := tree(t, root)
		switch got {
		case oldTree:
			sawOld++
		case newTree:
			sawNew++
			// Once the journal says "rollback", recovery must roll back;
			// a kill before that (while writing it) still rolls forward.
			if r.fail != "" && r.step != "journal rollback" {
				t.Errorf("killed during rollback at %q: recovered to the new tree", r.step)
			}
		default:
			t.Fatalf("killed at %q (fail %q): tree is neither old nor new:\n%s\nold:\n%s\nnew:\n%s", r.step, r.fail, got, oldTree, newTree)
		}
	}
	t.Logf("%d kills: %d recovered to old, %d to new", len(runs), sawOld, sawNew)
	if sawOld == 0 || sawNew == 0 {
		t.Fatalf("expected both outcomes: old %d, new %d", sawOld, sawNew)
	}
}

func indexOf(l []string, s string) int {
	for i, x := range l {
		if x == s {
			return i
		}
	}
	return -1
}

func waitFor(t *testing.T, p string) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(p); err == nil && len(b) > 0 {
			return string(b)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("child never reached its pause point (%s)", p)
	return ""
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if fi.IsDir() {
			return os.MkdirAll(dst, fi.Mode().Perm())
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(dst, data, fi.Mode().Perm()); err != nil {
			return err
		}
		return os.Chmod(dst, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
