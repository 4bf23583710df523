package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hookgen/hookgen/internal/changeset"
	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// Issue 17: no lost edits with runs at once, killed runs and hostile charts.
// make test runs a few iterations and kill points; HOOKGEN_SLOW_TESTS=1
// (make test-slow) runs 60 race iterations and a kill at every step.
func slowTests() bool { return os.Getenv("HOOKGEN_SLOW_TESTS") == "1" }

func exitCode(err error) int {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestConcurrentAdds (case 1): add migration and add seed started at the same
// moment on one chart both land; no block is lost and nothing is left over.
func TestConcurrentAdds(t *testing.T) {
	bin := hookgenBinary(t)
	n := 2
	if slowTests() {
		n = 60
	}
	for i := range n {
		chart := testcharts.HelmCreate(t, "shop")
		var wg sync.WaitGroup
		codes, errs := make([]int, 2), make([]string, 2)
		for j, args := range [][]string{
			{"add", "migration", "--chart", chart, "--yes", "--command", "./migrate"},
			{"add", "seed", "--chart", chart, "--yes", "--command", "./seed"},
		} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := exec.Command(bin, args...)
				cmd.Env = append(os.Environ(), "HOOKGEN_NO_PROMPT=1")
				var stderr bytes.Buffer
				cmd.Stderr = &stderr
				codes[j], errs[j] = exitCode(cmd.Run()), stderr.String()
			}()
		}
		wg.Wait()
		if codes[0] != 0 || codes[1] != 0 {
			t.Fatalf("iteration %d: exits %v\n%s", i, codes, strings.Join(errs, "\n"))
		}
		values, _ := os.ReadFile(filepath.Join(chart, "values.yaml"))
		for _, want := range []string{"\n  migration:\n", "\n  seed:\n"} {
			if !strings.Contains(string(values), want) {
				t.Fatalf("iteration %d: values.yaml lost %q", i, strings.TrimSpace(want))
			}
		}
		for p := range testcharts.Tree(t, chart) {
			if strings.Contains(p, ".hookgen-") {
				t.Fatalf("iteration %d: %s left behind", i, p)
			}
		}
	}
}

// TestLockBusy: a run that finds the chart locked past the timeout stops
// with exit 5 naming the holder's pid, and changes nothing.
func TestLockBusy(t *testing.T) {
	bin := hookgenBinary(t)
	chart := testcharts.HelmCreate(t, "shop")
	l, err := changeset.Acquire(chart, true)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Release()
	before := testcharts.Tree(t, chart)
	cmd := exec.Command(bin, "add", "migration", "--chart", chart, "--yes", "--command", "x")
	cmd.Env = append(os.Environ(), "HOOKGEN_NO_PROMPT=1", "HOOKGEN_LOCK_TIMEOUT=200ms")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	code := exitCode(cmd.Run())
	want := fmt.Sprintf("hookgen: another hookgen run (pid %d) is using the chart %s; waited 200ms: let it finish (or stop it) and run hookgen again, or wait longer with HOOKGEN_LOCK_TIMEOUT=2m\n", os.Getpid(), chart)
	if code != 5 || stderr.String() != want {
		t.Fatalf("exit %d, stderr %q\nwant exit 5, %q", code, stderr.String(), want)
	}
	if !maps.Equal(before, testcharts.Tree(t, chart)) {
		t.Fatal("the chart changed")
	}
}

const (
	envKillArgs  = "HOOKGEN_KILL_CMD_ARGS"  // JSON list of the command's arguments
	envKillPause = "HOOKGEN_KILL_CMD_PAUSE" // 1-based step to stop at
	envKillMark  = "HOOKGEN_KILL_CMD_MARK"  // file the child writes the step's name to
)

// TestKillCmdChild runs one command in-process and stops dead at one file
// system step of its write, for TestKillDuringCommands to kill.
func TestKillCmdChild(t *testing.T) {
	if os.Getenv(envKillArgs) == "" {
		t.Skip("helper for TestKillDuringCommands")
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv(envKillArgs)), &args); err != nil {
		t.Fatal(err)
	}
	pause, _ := strconv.Atoi(os.Getenv(envKillPause))
	n := 0
	changeset.SetStepHook(func(step string) error {
		if n++; n == pause {
			os.WriteFile(os.Getenv(envKillMark), []byte(step), 0o644)
			select {}
		}
		return nil
	})
	ios, _, _, _ := iostreams.Test()
	code := execute(ios, args)
	os.WriteFile(os.Getenv(envKillMark), []byte("finished: exit "+strconv.Itoa(code)), 0o644)
}

// TestKillDuringCommands: add, remove, init and init --create killed (SIGKILL)
// at a step of their write leave, once the journal is recovered, exactly
// the old or the new tree; from the old one, running the command again gives
// the new tree, so no edit is lost.
func TestKillDuringCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	type scenario struct {
		name  string
		setup func(t *testing.T, dir string) // dir is empty; make the state before the command
		args  func(dir string) []string
		lock  func(dir string) string // the directory the command locks and journals in
	}
	chart := func(dir string) string { return filepath.Join(dir, "shop") }
	helmCreate := func(t *testing.T, dir string) {
		if _, err := createChart("shop", dir); err != nil {
			t.Fatal(err)
		}
	}
	run := func(t *testing.T, args ...string) {
		t.Helper()
		ios, _, _, errOut := iostreams.Test()
		if code := execute(ios, args); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	scenarios := []scenario{
		{"add", helmCreate, func(d string) []string {
			return []string{"add", "migration", "--chart", chart(d), "--yes", "--command", "./migrate"}
		}, chart},
		{"remove", func(t *testing.T, d string) {
			helmCreate(t, d)
			run(t, "add", "migration", "--chart", chart(d), "--yes", "--command", "./migrate")
		}, func(d string) []string { return []string{"remove", "migration", "--chart", chart(d)} }, chart},
		{"init", helmCreate, func(d string) []string { return []string{"init", "--chart", chart(d), "--yes", "--framework", "rails"} }, chart},
		{"init --create", func(*testing.T, string) {}, func(d string) []string {
			return []string{"init", "--create", filepath.Join(d, "demo"), "--yes", "--framework", "rails"}
		}, func(d string) string { return d }},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			// The steps, and the trees before and after, from one full run.
			ref := t.TempDir()
			sc.setup(t, ref)
			oldTree := testcharts.Tree(t, ref)
			var steps []string
			changeset.SetStepHook(func(s string) error { steps = append(steps, s); return nil })
			run(t, sc.args(ref)...)
			changeset.SetStepHook(nil)
			newTree := testcharts.Tree(t, ref)

			pick := []int{}
			for i, s := range steps {
				first := i == 0 || strings.Fields(steps[i-1])[0] != strings.Fields(s)[0]
				if slowTests() || first && (strings.HasPrefix(s, "write ") || strings.HasPrefix(s, "rename ")) || s == "journal commit" || s == "cleanup" {
					pick = append(pick, i)
				}
			}
			sawOld, sawNew := 0, 0
			for _, i := range pick {
				dir := t.TempDir()
				sc.setup(t, dir)
				mark := filepath.Join(t.TempDir(), "reached")
				args, _ := json.Marshal(sc.args(dir))
				cmd := exec.Command(os.Args[0], "-test.run=^TestKillCmdChild$", "-test.count=1")
				cmd.Env = append(os.Environ(), envKillArgs+"="+string(args), envKillPause+"="+strconv.Itoa(i+1), envKillMark+"="+mark)
				var out bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &out
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				reached := waitMark(t, mark, cmd)
				if reached != steps[i] {
					cmd.Process.Kill()
					cmd.Wait()
					t.Fatalf("child stopped at %q, want %q\n%s", reached, steps[i], out.String())
				}
				cmd.Process.Signal(syscall.SIGKILL)
				cmd.Wait()

				if _, err := changeset.Recover(sc.lock(dir)); err != nil {
					t.Fatalf("killed at %q: Recover: %v", steps[i], err)
				}
				switch got := testcharts.Tree(t, dir); {
				case maps.Equal(got, newTree):
					sawNew++
					continue
				case maps.Equal(got, oldTree):
					sawOld++
				default:
					t.Fatalf("killed at %q: the tree is neither the old nor the new one:\n%v", steps[i], diffTrees(oldTree, newTree, got))
				}
				// Back to the old tree: the command again gives exactly the new.
				run(t, sc.args(dir)...)
				if got := testcharts.Tree(t, dir); !maps.Equal(got, newTree) {
					t.Fatalf("killed at %q, run again: not the new tree:\n%v", steps[i], diffTrees(oldTree, newTree, got))
				}
			}
			t.Logf("%d steps, %d kills: %d recovered to the old tree, %d to the new", len(steps), len(pick), sawOld, sawNew)
			if sawOld == 0 || sawNew == 0 {
				t.Fatalf("want kills that recover to each tree: old %d, new %d", sawOld, sawNew)
			}
		})
	}
}

func waitMark(t *testing.T, p string, cmd *exec.Cmd) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(p); err == nil && len(b) > 0 {
			return string(b)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cmd.Process.Kill()
	t.Fatalf("the child never reached its step")
	return ""
}

func diffTrees(oldTree, newTree, got map[string]string) string {
	var b strings.Builder
	for p, v := range got {
		if oldTree[p] != v && newTree[p] != v {
			fmt.Fprintf(&b, "  %s: neither old nor new\n", p)
		}
	}
	for p := range newTree {
		if _, ok := got[p]; !ok {
			if _, ok := oldTree[p]; ok {
				fmt.Fprintf(&b, "  %s: missing\n", p)
			}
		}
	}
	return b.String()
}
