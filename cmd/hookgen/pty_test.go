//go:build !windows

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	expect "github.com/Netflix/go-expect"
	"github.com/creack/pty"
	"github.com/hinshun/vt10x"

	"github.com/hookgen/hookgen/internal/testcharts"
)

const ptyRows = 5000

// Keys as a terminal sends them.
const (
	keyEnter = "\r"
	keyDown  = "\x1b[B"
	keyUp    = "\x1b[A"
	keyLeft  = "\x1b[D" // multi-select: none
	keySpace = " "
	keyCtrlC = "\x03"
	keyCtrlD = "\x04" // end of input
)

// ptyRun runs the hookgen binary (testscript.Main puts it on PATH) in dir
// on a pseudo-terminal of 80 columns, as survey's own tests do: go-expect
// drives the keys and vt10x plays the terminal, answering survey's cursor
// queries. CI and HOOKGEN_NO_PROMPT are removed from the child's environment
// (CI sets CI=true) unless env puts them back. It returns the exit code and
// the last screen.
func ptyRun(t *testing.T, dir string, env []string, args []string, drive func(c *expect.Console, p *os.Process)) (int, string) {
	t.Helper()
	bin, err := exec.LookPath("hookgen")
	if err != nil {
		t.Fatal(err)
	}
	ptm, pts, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	}
	// 80 columns; rows enough to keep the whole run on screen for the checks.
	term := vt10x.New(vt10x.WithWriter(pts), vt10x.WithSize(80, ptyRows))
	c, err := expect.NewConsole(expect.WithStdin(ptm), expect.WithStdout(term), expect.WithCloser(ptm, pts),
		expect.WithDefaultTimeout(20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := pty.Setsize(c.Tty(), &pty.Winsize{Rows: ptyRows, Cols: 80}); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = c.Tty(), c.Tty(), c.Tty()
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if k != "CI" && k != "HOOKGEN_NO_PROMPT" && k != "NO_COLOR" && k != "TERM" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "TERM=xterm", "NO_COLOR=1")
	cmd.Env = append(cmd.Env, env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A question the script does not answer must fail the test, not hang it.
	killer := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer killer.Stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		drive(c, cmd.Process)
		if _, err := c.ExpectEOF(); err != nil {
			t.Errorf("waiting for the end of output: %v", err)
		}
	}()
	err = cmd.Wait()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	c.Tty().Close()
	<-done
	return code, term.String()
}

// expectSend waits for text on the screen, then types keys.
func expectSend(t *testing.T, c *expect.Console, text string, keys ...string) {
	t.Helper()
	if _, err := c.ExpectString(text); err != nil {
		t.Errorf("waiting for %q: %v", text, err)
		return
	}
	// survey reads the keys once the question is drawn; a short pause lets it
	// finish drawing so arrows are not taken for part of an earlier sequence.
	time.Sleep(50 * time.Millisecond)
	for _, k := range keys {
		c.Send(k)
		time.Sleep(20 * time.Millisecond)
	}
}

func chartPair(t *testing.T) (string, string) {
	a := testcharts.HelmCreate(t, "shop")
	b := testcharts.HelmCreate(t, "shop")
	return a, b
}

// Enter at every question writes exactly what `hookgen add migration --yes`
// writes (given the command, which has no default: see TestPTYCommandRequired).
func TestPTYEnterEverywhereIsYes(t *testing.T) {
	asked, yes := chartPair(t)
	code, screen := ptyRun(t, filepath.Dir(asked), nil, []string{"add", "--chart", "shop", "--command", "./migrate"}, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, "Task:", keyEnter)
		expectSend(t, c, "Events:", keyEnter)
		expectSend(t, c, "Weight", keyEnter)
		expectSend(t, c, "Delete policy:", keyEnter)
		expectSend(t, c, "Image:", keyEnter)
		expectSend(t, c, "Write these files?", keyEnter)
		expectSend(t, c, "hook migration: Job")
	})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, screen)
	}
	cmd := exec.Command("hookgen", "add", "migration", "--chart", yes, "--yes", "--command", "./migrate")
	cmd.Env = append(os.Environ(), "HOOKGEN_NO_PROMPT=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("--yes: %v\n%s", err, out)
	}
	if a, b := treeHash(asked), treeHash(yes); a != b {
		t.Errorf("answers with Enter wrote a different tree than --yes:\n%s\nvs\n%s", a, b)
	}
	// The answers stay on screen as a record.
	for _, want := range []string{"? Weight (lower runs first within an event): 0", "? Write these files? Yes", "created      templates/hooks/migration.yaml"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q:\n%s", want, screen)
		}
	}
}

// Non-default answers: backup, pre-upgrade + pre-delete chosen by hand,
// weight -20, another image.
func TestPTYNonDefaultAnswers(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	code, screen := ptyRun(t, filepath.Dir(dir), nil, []string{"add", "--chart", "shop"}, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, "Task:", keyDown, keyEnter)
		expectSend(t, c, "Events:", keyLeft, keyDown, keyDown, keySpace, keyDown, keyDown, keyDown, keyDown, keySpace, keyEnter)
		expectSend(t, c, "Weight", "-20", keyEnter)
		expectSend(t, c, "Delete policy:", keyEnter)
		expectSend(t, c, "Database:", keyEnter)
		expectSend(t, c, "Database server version", keyEnter)
		expectSend(t, c, "Image (the database client):", "registry.example/pg:17.2", keyEnter)
		expectSend(t, c, "Dumps to keep", "3", keyEnter)
		expectSend(t, c, "Write these files?", keyEnter)
		expectSend(t, c, "hook backup: Job")
	})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, screen)
	}
	job, err := os.ReadFile(filepath.Join(dir, "templates/hooks/backup.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"helm.sh/hook": "pre-upgrade,pre-delete"`, `"helm.sh/hook-weight": "-20"`, `"helm.sh/hook-delete-policy": "before-hook-creation,hook-succeeded"`} {
		if !bytes.Contains(job, []byte(want)) {
			t.Errorf("backup.yaml lacks %s", want)
		}
	}
	values, _ := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if !bytes.Contains(values, []byte("registry.example/pg")) || !bytes.Contains(values, []byte("17.2")) {
		t.Errorf("values.yaml lacks the image registry.example/pg:17.2")
	}
	if !bytes.Contains(values, []byte("keep: 3")) {
		t.Errorf("values.yaml lacks the retention answer keep: 3")
	}
	if !strings.Contains(screen, "pre-upgrade: Job/release-name-shop-backup (weight -20)") {
		t.Errorf("the order with weight -20 is not shown:\n%s", screen)
	}
}

// Ctrl-C at the third question, or end of input: exit 130, the chart
// byte-identical.
func TestPTYInterrupt(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	before := treeHash(dir)
	code, screen := ptyRun(t, filepath.Dir(dir), nil, []string{"add", "--chart", "shop", "--command", "./migrate"}, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, "Task:", keyEnter)
		expectSend(t, c, "Events:", keyEnter)
		expectSend(t, c, "Weight", keyCtrlC)
		expectSend(t, c, "interrupted; nothing written")
	})
	if code != 130 {
		t.Errorf("exit %d, want 130\n%s", code, screen)
	}
	if treeHash(dir) != before {
		t.Errorf("the chart changed")
	}
	// An interrupt signal between questions (Ctrl-C before survey has the
	// terminal in raw mode): the same.
	code, screen = ptyRun(t, filepath.Dir(dir), nil, []string{"add", "--chart", "shop"}, func(c *expect.Console, p *os.Process) {
		expectSend(t, c, "Task:")
		p.Signal(os.Interrupt)
		expectSend(t, c, "interrupted; nothing written")
	})
	if code != 130 {
		t.Errorf("SIGINT: exit %d, want 130\n%s", code, screen)
	}
	// End of input (Ctrl-D) at a select and at an input: the same.
	for _, at := range []string{"Task:", "Weight"} {
		code, screen := ptyRun(t, filepath.Dir(dir), nil, []string{"add", "--chart", "shop", "--command", "./migrate"}, func(c *expect.Console, _ *os.Process) {
			for _, q := range []string{"Task:", "Events:", "Weight"} {
				if q == at {
					expectSend(t, c, q, keyCtrlD)
					break
				}
				expectSend(t, c, q, keyEnter)
			}
			expectSend(t, c, "interrupted; nothing written")
		})
		if code != 130 {
			t.Errorf("Ctrl-D at %s: exit %d, want 130\n%s", at, code, screen)
		}
	}
	if treeHash(dir) != before {
		t.Errorf("the chart changed")
	}
}

// No prompt without a terminal, under CI or HOOKGEN_NO_PROMPT=1, or with
// --yes: a missing task is exit 2 naming what to pass.
func TestNoPrompt(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	before := treeHash(dir)
	cmd := exec.Command("hookgen", "add", "--chart", dir) // stdin and stdout are not a terminal
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); k != "CI" && k != "HOOKGEN_NO_PROMPT" {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("no terminal: %v, want exit 2", err)
	}
	if !strings.Contains(stderr.String(), "no task given; pass one of: migration, backup, restore, seed, smoke-test, custom") {
		t.Errorf("stderr %q", stderr.String())
	}
	for _, env := range [][]string{{"CI=true"}, {"HOOKGEN_NO_PROMPT=1"}} {
		code, screen := ptyRun(t, dir, env, []string{"add", "--chart", "."}, func(c *expect.Console, _ *os.Process) {})
		if code != 2 || strings.Contains(screen, "?") || !strings.Contains(screen, "no task given") {
			t.Errorf("%v on a terminal: exit %d\n%s", env, code, screen)
		}
	}
	if treeHash(dir) != before {
		t.Errorf("the chart changed")
	}
	// --yes on a terminal: no question, the defaults written.
	code, screen := ptyRun(t, dir, nil, []string{"add", "seed", "--chart", ".", "--yes", "--command", "./seed"}, func(c *expect.Console, _ *os.Process) {})
	if code != 0 || strings.Contains(screen, "? ") {
		t.Errorf("--yes on a terminal: exit %d\n%s", code, screen)
	}
}

// A file that exists and differs: the conflict question, Enter shows the
// diff, then overwrite.
func TestPTYConflict(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	args := []string{"add", "seed", "--chart", ".", "--event", "post-install", "--weight", "10",
		"--delete-policy", "before-hook-creation,hook-succeeded", "--image", "nginx:1.16.0", "--command", "./seed"}
	cmd := exec.Command("hookgen", append(args, "--yes")...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	hook := filepath.Join(dir, "templates/hooks/seed.yaml")
	if err := os.WriteFile(hook, []byte("# edited by hand\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, screen := ptyRun(t, dir, nil, args, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, "templates/hooks/seed.yaml exists and differs", keyEnter)
		expectSend(t, c, "-# edited by hand")
		expectSend(t, c, "exists and differs", keyUp, keyEnter)
		expectSend(t, c, "Write these files?", keyEnter)
	})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, screen)
	}
	b, _ := os.ReadFile(hook)
	if bytes.Contains(b, []byte("edited by hand")) || !bytes.Contains(b, []byte("kind: Job")) {
		t.Errorf("seed.yaml not overwritten:\n%s", b)
	}
}

// init: Enter at every question writes what `hookgen init --create demo --yes`
// writes; the confirmation lists the hooks' files and only counts the scaffold.
func TestPTYInitEnterEverywhereIsYes(t *testing.T) {
	asked, yes := t.TempDir(), t.TempDir()
	code, screen := ptyRun(t, asked, nil, []string{"init", "--create", "demo"}, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, "Migration framework", keyEnter)
		expectSend(t, c, "Hooks to add:", keyEnter)
		expectSend(t, c, "Database for the backup:", keyEnter)
		expectSend(t, c, "Events for backup:", keyEnter)
		expectSend(t, c, "Events for migration:", keyEnter)
		expectSend(t, c, "Events for seed:", keyEnter)
		expectSend(t, c, "files of helm create's scaffold")
		expectSend(t, c, "Write these files?", keyEnter)
		expectSend(t, c, "uninstall")
	})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, screen)
	}
	cmd := exec.Command("hookgen", "init", "--create", "demo", "--yes", "--framework", "rails")
	cmd.Dir = yes
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("--yes: %v\n%s", err, out)
	}
	if a, b := treeHash(asked), treeHash(yes); a != b {
		t.Errorf("answers with Enter wrote a different tree than --yes:\n%s\nvs\n%s", a, b)
	}
	for _, want := range []string{"? Hooks to add: backup, migration, seed", "? Events for seed: post-install", "create     demo/templates/hooks/seed.yaml"} {
		if !strings.Contains(screen, want) {
			t.Errorf("screen lacks %q", want)
		}
	}
	if strings.Contains(screen, "+++ b/demo/templates/deployment.yaml") {
		t.Errorf("the scaffold is diffed in the confirmation")
	}
}

// The hook's values block exists with other content: asked before the
// other questions; Enter shows the diff, then stops with exit 4, nothing
// written; overwrite goes on as --force.
func TestPTYValuesConflict(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	cmd := exec.Command("hookgen", "add", "seed", "--chart", ".", "--yes", "--command", "./seed")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	before := treeHash(dir)
	code, screen := ptyRun(t, dir, nil, []string{"add", "seed", "--chart", ".", "--command", "./seed-v2"}, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, `key "hooks.seed" already exists with different content:`, keyEnter)
		expectSend(t, c, "+++ b/values.yaml")
		expectSend(t, c, "already exists with different content:", keyEnter)
	})
	if code != 4 || !strings.Contains(screen, "stopped at a conflict; nothing written") {
		t.Errorf("exit %d\n%s", code, screen)
	}
	if treeHash(dir) != before {
		t.Errorf("the chart changed")
	}
	code, screen = ptyRun(t, dir, nil, []string{"add", "seed", "--chart", ".", "--command", "./seed-v2"}, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, "already exists with different content:", keyEnter)
		expectSend(t, c, "already exists with different content:", keyUp, keyUp, keyEnter)
		for _, q := range []string{"Events:", "Weight", "Delete policy:", "Image:", "exists and differs"} {
			expectSend(t, c, q, keyEnter)
		}
		expectSend(t, c, "exists and differs", keyUp, keyEnter) // after the diff: overwrite
		expectSend(t, c, "Write these files?", keyEnter)
	})
	if code != 0 {
		t.Fatalf("overwrite: exit %d\n%s", code, screen)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "templates/hooks/seed.yaml")); bytes.Contains(b, []byte(`"./seed"`)) {
		t.Errorf("seed.yaml still has the old command")
	}
}

// Every answer given by flags: only the confirmation is asked; "n" writes
// nothing and exits 130.
func TestPTYDeclined(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	before := treeHash(dir)
	args := []string{"add", "seed", "--chart", ".", "--event", "post-install", "--weight", "10",
		"--delete-policy", "before-hook-creation,hook-succeeded", "--image", "nginx:1.16.0", "--command", "./seed"}
	code, screen := ptyRun(t, dir, nil, args, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, "Write these files?", "n", keyEnter)
		expectSend(t, c, "not confirmed; nothing written")
	})
	questions := 0
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, "? ") {
			questions++
		}
	}
	if code != 130 || questions != 1 {
		t.Errorf("exit %d, want 130 after one question\n%s", code, screen)
	}
	if treeHash(dir) != before {
		t.Errorf("the chart changed")
	}
}

// init --create: an interrupt at a question, by key or by signal, exits 130,
// creates no chart and leaves no temporary scaffold behind (the interrupt
// used to os.Exit from a goroutine, skipping the clean-up).
func TestPTYInitCreateInterruptCleansUp(t *testing.T) {
	for _, how := range []string{"ctrl-c", "sigint"} {
		t.Run(how, func(t *testing.T) {
			dir, tmp := t.TempDir(), t.TempDir()
			code, screen := ptyRun(t, dir, []string{"TMPDIR=" + tmp}, []string{"init", "--create", "demo", "--framework", "rails"}, func(c *expect.Console, p *os.Process) {
				if how == "ctrl-c" {
					expectSend(t, c, "Hooks to add:", keyCtrlC)
				} else {
					expectSend(t, c, "Hooks to add:")
					p.Signal(os.Interrupt)
				}
				expectSend(t, c, "interrupted; nothing written")
			})
			if code != 130 {
				t.Errorf("exit %d, want 130\n%s", code, screen)
			}
			for _, d := range []string{dir, tmp} {
				if left, _ := os.ReadDir(d); len(left) != 0 {
					t.Errorf("%s holds %v after the interrupt, want nothing", d, left[0].Name())
				}
			}
		})
	}
}

// The command of a migration on the app's image has no default: the framework
// question offers the tools, and with none chosen an empty command is refused.
func TestPTYCommandRequired(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	code, screen := ptyRun(t, filepath.Dir(dir), nil, []string{"add", "migration", "--chart", "shop"}, func(c *expect.Console, _ *os.Process) {
		expectSend(t, c, "Migration framework:", keyEnter)
		expectSend(t, c, "Events:", keyEnter)
		expectSend(t, c, "Weight", keyEnter)
		expectSend(t, c, "Delete policy:", keyEnter)
		expectSend(t, c, "Image:", keyEnter)
		expectSend(t, c, "Command", keyEnter)
		expectSend(t, c, "a command is required", "./migrate", keyEnter)
		expectSend(t, c, "Write these files?", keyEnter)
		expectSend(t, c, "hook migration: Job")
	})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, screen)
	}
	b, err := os.ReadFile(filepath.Join(dir, "values.yaml"))
	if err != nil || !strings.Contains(string(b), `command: ["./migrate"]`) {
		t.Errorf("values.yaml lacks the command typed: %v", err)
	}
}
