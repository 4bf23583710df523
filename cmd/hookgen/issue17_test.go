package main

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestIssue17Cases: the numbered cases of issue 17 as the user meets them,
// each with its exit code and its whole message (CHART and DIR stand for
// the chart and its parent directory), and what must hold on disk.
func TestIssue17Cases(t *testing.T) {
	bin := hookgenBinary(t)
	appendValues := func(s string) func(*testing.T, string) {
		return func(t *testing.T, c string) {
			b, _ := os.ReadFile(filepath.Join(c, "values.yaml"))
			write(t, filepath.Join(c, "values.yaml"), string(b)+s)
		}
	}
	hostileJournal := func(t *testing.T, c string) {
		victim := filepath.Join(filepath.Dir(c), "victim")
		write(t, filepath.Join(victim, "a.txt"), "precious\n")
		if err := os.Symlink("../victim", filepath.Join(c, "docs")); err != nil {
			t.Fatal(err)
		}
		write(t, filepath.Join(c, ".hookgen-journal.json"), `{"version":2,"state":"commit","files":[{"target":"docs/a.txt","delete":true},{"target":"docs/b.txt","temp":"values.yaml"}],"mac":"00"}`)
	}
	// The reason ends in the key's state: no key yet, or one that does not match.
	untrusted := "hookgen: .hookgen-journal.json is not a journal hookgen can follow: hookgen did not write it as this user:"
	add := func(extra ...string) []string {
		return append([]string{"add", "--chart", "CHART", "--yes"}, extra...)
	}
	for _, c := range []struct {
		name    string
		setup   func(*testing.T, string)
		args    []string
		code    int
		msg     string // the last line of stderr, whole
		changes bool   // the command may change the tree
		check   func(*testing.T, string)
	}{
		// 3: a chart's own journal and a symlink out of it: nothing written, anywhere.
		{name: "3 hostile journal, dry run", setup: hostileJournal, args: add("migration", "--command", "x", "--dry-run"), code: 5,
			msg: "hookgen: an interrupted hookgen run left .hookgen-journal.json in CHART: run 'hookgen recover --chart CHART' to finish it; the dry run changed nothing"},
		{name: "3 hostile journal, add", setup: hostileJournal, args: add("migration", "--command", "x"), code: 5, msg: untrusted},
		{name: "3 hostile journal, recover", setup: hostileJournal, args: []string{"recover", "--chart", "CHART"}, code: 5, msg: untrusted},
		// 4, 7: every byte of a list flag, NEL escaped in values.yaml.
		{name: "4 newline in --command", args: add("migration", "--command", "sh,-c,set -e\n./migrate up"), changes: true,
			check: contains("values.yaml", `command: ["sh", "-c", "set -e\n./migrate up"]`)},
		{name: "7 NEL and CR in --command", args: add("migration", "--command", "echo,a\u0085b,\"c\rd\""), changes: true,
			check: contains("values.yaml", `command: ["echo", "a\u0085b", "c\rd"]`)},
		{name: "4 newline in --event", args: add("migration", "--event", "pre-install\npost-install"), code: 2,
			msg: `hookgen: unknown event "pre-install\npost-install"; use one of: pre-install, post-install, pre-upgrade, post-upgrade, pre-rollback, post-rollback, pre-delete, post-delete, test`},
		{name: "15 empty event in a list", args: add("migration", "--event", "pre-install,,post-install"), code: 2,
			msg: `hookgen: empty event in --event "pre-install,,post-install"; use a comma-separated list of: pre-install, post-install, pre-upgrade, post-upgrade, pre-rollback, post-rollback, pre-delete, post-delete, test`},
		// 5: remove reports a values.yaml it cannot edit.
		{name: "5 remove with hooks made a list", setup: func(t *testing.T, c string) {
			run17(t, bin, "add", "migration", "--chart", c, "--yes", "--command", "x")
			appendValues("hooks: {migration: {enabled: false}}\n")(t, c) // Helm: the later key wins
		}, args: []string{"remove", "migration", "--chart", "CHART"}, code: 3,
			msg: `hookgen: values.yaml:`},
		// 8: no wrapped weight.
		{name: "8 weight at the end of int", setup: func(t *testing.T, c string) {
			run17(t, bin, "add", "migration", "--chart", c, "--yes", "--command", "x", "--weight", "9223372036854775807")
		}, args: add("seed", "--command", "y", "--event", "pre-install"), code: 2,
			msg: "hookgen: the chart's Job release-name-shop-migration has weight 9223372036854775807, the largest there is, so no weight runs seed after it; lower that weight or pass --weight"},
		// 9: images and names.
		{name: "9 image colon", args: add("migration", "--command", "x", "--image", ":"), code: 2,
			msg: `hookgen: --image ":" is not an image reference (invalid reference format); pass one such as busybox:1.37 or ghcr.io/org/app@sha256:<digest>`},
		{name: "9 image with a template", args: add("migration", "--command", "x", "--image", "{{ .Values.x }}"), code: 2,
			msg: `hookgen: --image "{{ .Values.x }}" holds white space or a control character; pass one image reference such as busybox:1.37`},
		{name: "9 image with a newline", args: add("migration", "--command", "x", "--image", "busybox\n:1"), code: 2,
			msg: `hookgen: --image "busybox\n:1" holds white space or a control character; pass one image reference such as busybox:1.37`},
		{name: "9 secret name", args: add("backup", "--storage-claim", "data", "--db-secret", "Bad_Secret"), code: 2,
			msg: `hookgen: --db-secret "Bad_Secret" is not a valid Secret name: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`},
		// 10: hooks: ~ kept by add then remove.
		{name: "10 hooks: ~ after add and remove", setup: func(t *testing.T, c string) {
			appendValues("hooks: ~\n")(t, c)
		}, args: add("migration", "--command", "x"), changes: true, check: func(t *testing.T, c string) {
			run17(t, bin, "remove", "migration", "--chart", c)
			if b, _ := os.ReadFile(filepath.Join(c, "values.yaml")); !strings.HasSuffix(string(b), "\nhooks: ~\n") {
				t.Errorf("values.yaml ends %q", string(b)[len(b)-20:])
			}
		}},
		// 11: a FIFO never blocks.
		{name: "11 FIFO values.yaml", setup: func(t *testing.T, c string) {
			os.Remove(filepath.Join(c, "values.yaml"))
			if err := syscall.Mkfifo(filepath.Join(c, "values.yaml"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, args: add("migration", "--command", "x"), code: 3,
			msg: "hookgen: CHART/values.yaml is a named pipe (FIFO), which Helm does not load either; replace it with a regular file"},
		{name: "11 FIFO Chart.yaml", setup: func(t *testing.T, c string) {
			os.Remove(filepath.Join(c, "Chart.yaml"))
			if err := syscall.Mkfifo(filepath.Join(c, "Chart.yaml"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, args: []string{"remove", "migration", "--chart", "CHART"}, code: 3,
			msg: "hookgen: CHART/Chart.yaml is a named pipe (FIFO), which Helm does not load either; replace it with a regular file"},
		{name: "15 Chart.yaml a directory", setup: func(t *testing.T, c string) {
			os.Remove(filepath.Join(c, "Chart.yaml"))
			os.Mkdir(filepath.Join(c, "Chart.yaml"), 0o755)
		}, args: add("migration", "--command", "x"), code: 3, msg: "hookgen: CHART/Chart.yaml is a directory; it must be a file"},
		// 12: Helm's size limit, Helm's words.
		{name: "12 values.yaml over Helm's limit", setup: appendValues("# padding\n" + strings.Repeat("# "+strings.Repeat("x", 98)+"\n", 52500)),
			args: add("migration", "--command", "x"), code: 3,
			msg: `hookgen: values.yaml: chart file "values.yaml" is larger than the maximum file size 5242880 with hooks.migration added, so Helm 3 would not load the chart; move values out of values.yaml (e.g. into a values file passed with -f) first`},
		// 13: causes of the user's own are not "a bug".
		{name: "13 --set switches the hook off", args: add("migration", "--command", "x", "--set", "hooks.migration.enabled=false"), code: 2,
			msg: "hookgen: the values given with -f or --set switch the hook off (hooks.migration.enabled=false), so hookgen cannot render and verify it; leave that out here and switch the hook off at install (--set hooks.migration.enabled=false)"},
		{name: "13 --values-key on", setup: appendValues("on:\n  x: 1\n"), args: add("migration", "--command", "x", "--values-key", "on"), code: 2,
			msg: `hookgen: values key "on" is a boolean to Helm's YAML parser (YAML 1.1: "on:" reads as true or false), so .Values.on would find nothing; pass another --values-key`},
		{name: "13 library chart", setup: func(t *testing.T, c string) {
			b, _ := os.ReadFile(filepath.Join(c, "Chart.yaml"))
			write(t, filepath.Join(c, "Chart.yaml"), strings.Replace(string(b), "type: application", "type: library", 1))
		}, args: add("migration", "--command", "x"), code: 3,
			msg: "hookgen: CHART is a library chart (type: library): Helm never installs it, so a hook there never runs; add the hook to the application chart that depends on it"},
		// 15: a read-only directory is named as such.
		{name: "15 read-only templates", setup: func(t *testing.T, c string) {
			os.Chmod(filepath.Join(c, "templates"), 0o555)
			t.Cleanup(func() { os.Chmod(filepath.Join(c, "templates"), 0o755) })
		}, args: add("migration", "--command", "x"), code: 5,
			msg: "hookgen: cannot write in templates/: the directory is read-only; make it writable (chmod u+w templates/) and run hookgen again"},
		// 15: plan refuses what helm install refuses, and escapes the chart's control characters.
		{name: "15 plan release name of 60", args: []string{"plan", "CHART", "--release", strings.Repeat("r", 60)}, code: 2,
			msg: `hookgen: --release "` + strings.Repeat("r", 60) + `" is not a release name Helm accepts: at most 53 characters, lower-case letters, digits, '-' and '.', starting and ending with a letter or digit`},
		{name: "15 plan namespace", args: []string{"plan", "CHART", "--namespace", "Bad NS"}, code: 2,
			msg: `hookgen: --namespace "Bad NS" is not a namespace name: at most 63 characters, lower-case letters, digits and '-', starting and ending with a letter or digit`},
		{name: "15 plan escapes control characters", setup: func(t *testing.T, c string) {
			write(t, filepath.Join(c, "templates", "evil.yaml"), "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"evil\\r\\u001b[2K\\u0007x\"\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers: [{name: a, image: busybox}]\n")
		}, args: []string{"plan", "CHART", "--operation", "test"}, check: func(t *testing.T, c string) {}},
		// Duplicate keys Helm accepts (issue 13): edited, later key wins.
		{name: "duplicate keys", setup: appendValues("replicaCount: 2\n"), args: add("migration", "--command", "x"), changes: true,
			check: contains("values.yaml", "\nreplicaCount: 2\n")},
	} {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			chart, err := createChart("shop", parent)
			if err != nil {
				t.Fatal(err)
			}
			if c.setup != nil {
				c.setup(t, chart)
			}
			before := tree17(t, parent)
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "CHART", chart)
			}
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "HOOKGEN_NO_PROMPT=1", "NO_COLOR=1")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			code := exitCode(cmd.Run())
			if code != c.code {
				t.Fatalf("exit %d, want %d\nstderr: %s", code, c.code, stderr.String())
			}
			if c.code != 0 {
				lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
				want := strings.ReplaceAll(c.msg, "CHART", chart)
				// A message ending in ':' is a prefix.
				if last := lines[len(lines)-1]; last != want && !(strings.HasSuffix(want, ":") && strings.HasPrefix(last, want)) {
					t.Errorf("stderr's last line\n %q\nwant\n %q", last, want)
				}
			}
			if strings.Contains(c.name, "escapes") && (strings.ContainsAny(stdout.String(), "\r\x1b\a") || !strings.Contains(stdout.String(), `Pod/evil\r\x1b[2K\x07x`)) {
				t.Errorf("control characters reach the terminal:\n%q", stdout.String())
			}
			if !c.changes && !maps.Equal(before, tree17(t, parent)) {
				t.Errorf("files changed")
			}
			if c.check != nil {
				c.check(t, chart)
			}
		})
	}
}

func contains(file, want string) func(*testing.T, string) {
	return func(t *testing.T, c string) {
		b, _ := os.ReadFile(filepath.Join(c, file))
		if !strings.Contains(string(b), want) {
			t.Errorf("%s does not hold %q", file, want)
		}
	}
}

func run17(t *testing.T, bin string, args ...string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOOKGEN_NO_PROMPT=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %v\n%s", args, err, out)
	}
}

// tree17 is testcharts.Tree that does not read what is not a regular file
// (a FIFO would block it): it records its type.
func tree17(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		if !fi.Mode().IsRegular() {
			out[rel] = fi.Mode().String()
			if l, err := os.Readlink(p); err == nil {
				out[rel] += " -> " + l
			}
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = fi.Mode().String() + "\n" + string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
