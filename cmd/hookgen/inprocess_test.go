package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookgen/hookgen/internal/iostreams"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// The commands run in-process on test streams: flags reach the action, the
// result is printed, and main's one mapping gives the exit code.
func TestInProcess(t *testing.T) {
	dir := testcharts.HelmCreate(t, "shop")
	run := func(args ...string) (int, string, string) {
		ios, _, out, errOut := iostreams.Test()
		return execute(ios, args), out.String(), errOut.String()
	}

	code, out, errOut := run("add", "migration", "--chart", dir, "--yes", "--command", "./migrate")
	if code != 0 || !strings.Contains(out, "created      templates/hooks/migration.yaml") || errOut != "" {
		t.Fatalf("add: exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "templates/hooks/migration.yaml")); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := run("plan", dir, "--operation", "install"); code != 0 || !strings.Contains(out, "Job/release-name-shop-migration") {
		t.Errorf("plan: exit %d\n%s", code, out)
	}
	if code, out, _ := run("lint", dir); code != 0 || !strings.Contains(out, "no findings at or above warning") {
		t.Errorf("lint of a chart hookgen wrote: exit %d\n%s", code, out)
	}
	// A missing chart: exit 3 and the same line from every command.
	for _, args := range [][]string{{"lint", "nowhere"}, {"plan", "nowhere"}} {
		code, out, errOut := run(args...)
		if code != 3 || out != "" || errOut != "hookgen: no chart at nowhere: it does not exist; pass a chart directory or .tgz\n" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if code, _, errOut := run("add", "migration", "--chart", dir, "--force", "--skip"); code != 2 || errOut != "hookgen: --force and --skip cannot be used together; pass one\n" {
		t.Errorf("--force --skip: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := run("plan", dir, "-o", "yaml"); code != 2 || !strings.Contains(errOut, `unknown output format "yaml"; use text, json or mermaid`) {
		t.Errorf("-o yaml: exit %d, stderr %q", code, errOut)
	}
}

// The runF seam: add's flags reach its options as given, without running.
func TestAddFlagsToOptions(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *AddOptions
	cmd := newAddCmd(ios, func(o *AddOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"custom", "--event", "pre-install,pre-upgrade", "--weight", "-5", "--delete-policy", "hook-succeeded", "--command", "sh,-c,echo a", "--yes", "--dry-run", "-o", "json"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Task != "custom" || !slices.Equal(got.Events, []string{"pre-install,pre-upgrade"}) || got.Weight != "-5" || !got.WeightSet ||
		!got.PolicySet || !got.CommandSet || got.ArgsSet || !got.Yes || !got.DryRun || got.Force || got.Skip || got.Output != "json" {
		t.Errorf("options: %+v", got.AddOptions)
	}
}
