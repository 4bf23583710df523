package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	// hookgen keeps its journal key in the user's configuration directory:
	// the tests' (and their child processes') go to a temporary one.
	if os.Getenv("HOOKGEN_TEST_KEYS") == "" {
		d := filepath.Join(os.TempDir(), "hookgen-test-keys")
		os.Setenv("HOOKGEN_TEST_KEYS", d)
		os.Setenv("XDG_CONFIG_HOME", d)
	}
	testscript.Main(m, map[string]func(){"hookgen": func() { os.Exit(run()) }})
}

// TestScripts runs the CLI end to end: testdata/script/*.txtar.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOOKGEN_NO_PROMPT", "1")
			env.Setenv("XDG_CONFIG_HOME", os.Getenv("HOOKGEN_TEST_KEYS"))
			env.Setenv("NO_COLOR", "1")
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			// helm-create NAME: the chart `helm create NAME` writes, via the Helm SDK.
			"helm-create": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 1 {
					ts.Fatalf("usage: helm-create NAME")
				}
				if _, err := createChart(args[0], ts.MkAbs(".")); err != nil {
					ts.Fatalf("helm create: %v", err)
				}
			},
			// exit N CMD ARGS...: run CMD and require exit code N.
			"exit": func(ts *testscript.TestScript, neg bool, args []string) {
				want, err := strconv.Atoi(args[0])
				if err != nil || len(args) < 2 {
					ts.Fatalf("usage: exit N command args...")
				}
				err = ts.Exec(args[1], args[2:]...)
				got := 0
				var ee *exec.ExitError
				if errors.As(err, &ee) {
					got = ee.ExitCode()
				} else if err != nil {
					ts.Fatalf("%v", err)
				}
				if got != want {
					ts.Fatalf("%s exited %d, want %d", args[1], got, want)
				}
			},
			// replace FILE OLD NEW: replace the first OLD in FILE with NEW.
			// jsoneq A B KEY: the value of KEY in the JSON object in file A
			// equals that in file B (the same shape and content).
			"jsoneq": jsonEq,
			"replace": func(ts *testscript.TestScript, neg bool, args []string) {
				if len(args) != 3 {
					ts.Fatalf("usage: replace FILE OLD NEW")
				}
				p := ts.MkAbs(args[0])
				b, err := os.ReadFile(p)
				ts.Check(err)
				if !strings.Contains(string(b), args[1]) {
					ts.Fatalf("%s does not contain %q", args[0], args[1])
				}
				ts.Check(os.WriteFile(p, []byte(strings.Replace(string(b), args[1], args[2], 1)), 0o644))
			},
			// treehash DIR FILE: write a hash of every path, mode and content under DIR to FILE.
			"treehash": func(ts *testscript.TestScript, neg bool, args []string) {
				ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(treeHash(ts.MkAbs(args[0]))), 0o644))
			},
		},
	})
}

func treeHash(dir string) string {
	var lines []string
	filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if fi.IsDir() {
			lines = append(lines, fmt.Sprintf("%s/ %v", rel, fi.Mode()))
			return nil
		}
		b, _ := os.ReadFile(p)
		lines = append(lines, fmt.Sprintf("%s %v %x", rel, fi.Mode(), sha256.Sum256(b)))
		return nil
	})
	sort.Strings(lines)
	out := ""
	for _, l := range lines {
		out += l + "\n"
	}
	return out
}
