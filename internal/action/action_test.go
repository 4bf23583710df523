package action

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/cmdutil"
	"github.com/hookgen/hookgen/internal/interview"
	"github.com/hookgen/hookgen/internal/prompter"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
	"github.com/hookgen/hookgen/internal/valuesedit"
)

// classify is the one place an error gets its exit code.
func TestClassify(t *testing.T) {
	for _, c := range []struct {
		err  error
		code int
		msg  string
	}{
		{&generators.UsageError{Err: errors.New("bad flag")}, cmdutil.ExitUsage, "bad flag"},
		{&generators.ChartError{Err: errors.New("no chart")}, cmdutil.ExitChart, "no chart"},
		{fmt.Errorf("asking: %w", prompter.ErrInterrupted), cmdutil.ExitInterrupted, "interrupted; nothing written"},
		{interview.ErrQuit, cmdutil.ExitConflict, "stopped at a conflict; nothing written"},
		{fmt.Errorf("hooks.x: %w", valuesedit.ErrExists), cmdutil.ExitConflict, "pass --force to replace it"},
		{cmdutil.Errorf(cmdutil.ExitVerify, "kept"), cmdutil.ExitVerify, "kept"},
	} {
		got := classify(c.err)
		if cmdutil.ExitCode(got) != c.code || !strings.Contains(got.Error(), c.msg) {
			t.Errorf("classify(%v) = %v (exit %d), want exit %d with %q", c.err, got, cmdutil.ExitCode(got), c.code, c.msg)
		}
	}
}

func addOpts(dir string) AddOptions {
	return AddOptions{Task: "migration", Chart: dir, Command: []string{"./migrate"}, CommandSet: true,
		ValuesKey: generators.DefaultValuesKey, Render: render.Options{KubeVersion: render.DefaultKubeVersion}}
}

// A dry run stages and diffs everything and leaves the chart as it was.
func TestAddDryRun(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	before := testcharts.Tree(t, dir)
	o := addOpts(dir)
	o.DryRun = true
	res, err := (&Add{Out: io.Discard, Warn: io.Discard}).Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	w := res.Written
	if !w.DryRun || !w.Pending || !strings.Contains(w.Diff, "+++ b/templates/hooks/migration.yaml") {
		t.Errorf("dry run: %+v", w)
	}
	if !maps.Equal(before, testcharts.Tree(t, dir)) {
		t.Error("a dry run changed the chart")
	}
}

// A values block edited since add is a conflict of its own (the Replaced
// write policy) without --force: nothing is written; --force replaces it.
func TestAddEditedValuesBlock(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	a := &Add{Out: io.Discard, Warn: io.Discard}
	if _, err := a.Run(context.Background(), addOpts(dir)); err != nil {
		t.Fatal(err)
	}
	vf := filepath.Join(dir, "values.yaml")
	v, _ := os.ReadFile(vf)
	edited := bytes.Replace(v, []byte("backoffLimit: 0"), []byte("backoffLimit: 3"), 1)
	if bytes.Equal(edited, v) {
		t.Fatalf("no backoffLimit in the values block:\n%s", v)
	}
	os.WriteFile(vf, edited, 0o644)
	o := addOpts(dir)
	res, err := a.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Written.Conflicts; len(c) != 1 || c[0].Path != "values.yaml" {
		t.Errorf("conflicts %d, want values.yaml alone", len(c))
	}
	if now, _ := os.ReadFile(vf); !bytes.Equal(now, edited) {
		t.Error("values.yaml written despite the conflict")
	}
	o.Force = true
	if res, err = a.Run(context.Background(), o); err != nil || len(res.Written.Conflicts) != 0 {
		t.Fatalf("--force: %v, conflicts %v", err, res.Written.Conflicts)
	}
	if now, _ := os.ReadFile(vf); bytes.Contains(now, []byte("backoffLimit: 3")) {
		t.Error("--force kept the edited block")
	}
}

// A cancelled context ends the questions: the prompter returns
// ErrInterrupted, the action exit 130.
func TestInterruptedContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	_, done := interruptible(ctx, &prompter.Fake{})
	cancel()
	if err := done(); cmdutil.ExitCode(err) != cmdutil.ExitInterrupted {
		t.Errorf("done after cancel = %v, want exit 130", err)
	}
}
