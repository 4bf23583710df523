package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/testcharts"
)

// TestGoldenInit: hookgen init on a fresh chart (--create), on a corpus chart
// and on a chart that already has a migration hook. Same checks as the add
// cases, plus: a second init changes nothing, and --create writes exactly
// the helm create scaffold besides the hooks.
func TestGoldenInit(t *testing.T) { runGoldenInit(t, false) }

// TestCorpusGoldenInit: the init cases on shared corpus charts.
func TestCorpusGoldenInit(t *testing.T) { runGoldenInit(t, true) }

func runGoldenInit(t *testing.T, corpus bool) {
	threeHooks := func(prefix string) map[release.HookEvent][]string {
		return map[release.HookEvent][]string{
			release.HookPreInstall:  {"Job/" + prefix + "-migration(0)"},
			release.HookPostInstall: {"Job/" + prefix + "-seed(10)"},
			release.HookPreUpgrade:  {"Job/" + prefix + "-backup(-10)", "Job/" + prefix + "-migration(0)"},
			release.HookPreDelete:   {"Job/" + prefix + "-backup(-10)"},
		}
	}
	cases := []struct {
		name string
		// setup returns the working directory, the chart directory init
		// works on, and the init arguments.
		setup func(t *testing.T) (wd, chart string, args []string)
		order map[release.HookEvent][]string
	}{
		{
			name: "init-create",
			setup: func(t *testing.T) (string, string, []string) {
				wd := t.TempDir()
				return wd, filepath.Join(wd, "demo"), []string{"init", "--create", "demo", "--yes", "--framework", "rails"}
			},
			order: threeHooks("release-name-demo"),
		},
		{
			name: "init-corpus-keycloakx",
			setup: func(t *testing.T) (string, string, []string) {
				dir := testcharts.Corpus(t, "keycloakx")
				return "", dir, []string{"init", "--chart", dir, "--yes", "--framework", "rails"}
			},
			order: threeHooks("release-name-keycloakx"),
		},
		{
			name: "init-existing-migration",
			setup: func(t *testing.T) (string, string, []string) {
				dir := testcharts.HelmCreate(t, "shop")
				if _, stderr, code := run(t, "add", "migration", "--chart", dir, "--yes", "--command", "./migrate,up", "--kube-version", testcharts.KubeVersion); code != 0 {
					t.Fatalf("add migration: exit %d: %s", code, stderr)
				}
				return "", dir, []string{"init", "--chart", dir, "--yes", "--framework", "rails"}
			},
			order: threeHooks("release-name-shop"),
		},
	}
	for _, tc := range cases {
		if isCorpusCase(tc.name) != corpus {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			wd, dir, args := tc.setup(t)
			args = append(args, "--kube-version", testcharts.KubeVersion)
			var before map[string]string
			var lintBefore []string
			var origValues []byte
			if _, err := os.Stat(dir); err == nil {
				before = testcharts.Tree(t, dir)
				lintBefore = testcharts.Lint(t, dir)
				origValues, _ = os.ReadFile(filepath.Join(dir, "values.yaml"))
			} else {
				// --create: compare with the scaffold helm create writes.
				ref := testcharts.HelmCreate(t, filepath.Base(dir))
				before = testcharts.Tree(t, ref)
				lintBefore = testcharts.Lint(t, ref)
				origValues, _ = os.ReadFile(filepath.Join(ref, "values.yaml"))
			}

			stdout, stderr, code := runIn(t, wd, args...)
			if code != 0 {
				t.Fatalf("hookgen %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
			}
			transcript := fmt.Sprintf("$ hookgen %s\n%s", strings.Join(args[:len(args)-2], " "), stdout)
			if stderr != "" {
				transcript += "[stderr]\n" + stderr
			}
			after := testcharts.Tree(t, dir)

			// Again: nothing to change.
			stdout2, stderr2, code2 := runIn(t, wd, append([]string{"init", "--chart", dir, "--yes", "--framework", "rails"}, args[len(args)-2:]...)...)
			if code2 != 0 || !strings.Contains(stdout2, "nothing to change") {
				t.Errorf("second init: exit %d, want 0 and \"nothing to change\"\n%s%s", code2, stdout2, stderr2)
			}
			if diff := treeDiff(after, testcharts.Tree(t, dir)); diff != "" {
				t.Errorf("second init changed files: %s", diff)
			}

			got := written(t, dir, before, after, origValues)
			got["transcript.txt"] = sanitize(transcript, dir)
			compareGolden(t, filepath.Join("testdata", tc.name), got)
			checkHelmView(t, dir, lintBefore, tc.order, 3)
		})
	}
}
