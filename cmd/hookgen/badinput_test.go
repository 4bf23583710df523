package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hookgen/hookgen/internal/testcharts"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// hookgenBinary builds the command once for tests that run it as a process.
func hookgenBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hookgen-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "hookgen")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadInput: every bad input gets one line on stderr saying what is wrong
// and what to do, its documented exit code, and leaves every file as it was.
func TestBadInput(t *testing.T) {
	bin := hookgenBinary(t)
	type tc struct {
		name  string
		setup func(t *testing.T, chart string) // changes the fresh helm create chart
		args  []string                         // after the binary; CHART is replaced by the chart path
		code  int
		msg   string // substring of the (last) stderr line
	}
	chartYAML := func(s string) func(*testing.T, string) {
		return func(t *testing.T, c string) { write(t, filepath.Join(c, "Chart.yaml"), s) }
	}
	appendValues := func(s string) func(*testing.T, string) {
		return func(t *testing.T, c string) {
			b, _ := os.ReadFile(filepath.Join(c, "values.yaml"))
			write(t, filepath.Join(c, "values.yaml"), string(b)+s)
		}
	}
	add := func(extra ...string) []string {
		args := append([]string{"add", "--chart", "CHART"}, extra...)
		// A migration or seed on the app's image needs its command.
		if len(extra) > 0 && (extra[0] == "migration" || extra[0] == "seed") {
			args = append(args, "--command", "./task")
		}
		return args
	}
	cases := []tc{
		// Usage: exit 2.
		{"pre-install migration of the release's own database", ownPostgres, add("migration", "--event", "pre-install,pre-upgrade"), 2,
			"--event pre-install,pre-upgrade: on first install the migration hook would need what Helm creates only after the pre-install hooks succeed, so its Job would fail or wait until Helm's timeout: the postgresql dependency's database, which the migration's own code works on; pass --event post-install,pre-upgrade"},
		{"pre-install migration with a Secret that cannot be copied", randomSecret, add("migration", "--event", "pre-install,pre-upgrade"), 2,
			"Secret/release-name-shop-db (no hook copy: templates/secret.yaml renders it with random values"},
		{"pre-install seed of the release's own database", ownPostgres, add("seed", "--event", "pre-install"), 2, "the seed hook would need"},
		{"pre-install custom waiting for the release's database", ownPostgres, add("custom", "--name", "warm", "--image", "busybox:1.37", "--event", "pre-install", "--wait-for-db"), 2,
			"its init container waits for (--wait-for-db); pass --event post-install, or, to keep pre-install, drop --wait-for-db"},
		{"pre-install backup of the release's database", ownPostgres, add("backup", "--event", "pre-install,pre-upgrade", "--storage-claim", "dumps"), 2,
			"the backup connects to (no --db-host), the postgresql dependency's Secret with the password, which the backup reads (no --db-secret); pass --event post-install,pre-upgrade, or, to keep pre-install, pass --db-host and --db-secret with a database and a Secret outside the release"},
		{"wait for the chart's own database server", func(t *testing.T, c string) {
			b, _ := os.ReadFile(filepath.Join(c, "Chart.yaml"))
			write(t, filepath.Join(c, "Chart.yaml"), strings.Replace(string(b), "name: shop", "name: postgresql", 1))
		}, add("seed", "--event", "post-install", "--wait-for-db"), 2, "--wait-for-db: this chart is itself the postgresql server"},
		{"no task", nil, add(), 2, "no task given; pass one of: migration, backup, restore, seed, smoke-test, custom"},
		{"unknown task", nil, add("frobnicate"), 2, `unknown task "frobnicate"; use one of`},
		{"unknown event", nil, add("migration", "--event", "pre-instal"), 2, `unknown event "pre-instal"; use one of: pre-install`},
		{"empty event", nil, add("migration", "--event", ""), 2, "--event is empty"},
		{"empty event in list", nil, add("migration", "--event", "pre-install,"), 2, "empty event"},
		{"test-failure event", nil, add("migration", "--event", "test-failure"), 2, `unknown event "test-failure"`},
		{"crd-install event", nil, add("migration", "--event", "crd-install"), 2, `unknown event "crd-install"`},
		{"weight float", nil, add("migration", "--weight", "1.5"), 2, `weight "1.5" is not an integer`},
		{"weight word", nil, add("migration", "--weight", "abc"), 2, `weight "abc" is not an integer`},
		{"weight empty", nil, add("migration", "--weight", ""), 2, `weight "" is not an integer`},
		{"weight exponent", nil, add("migration", "--weight", "1e3"), 2, `weight "1e3" is not an integer`},
		{"weight overflow", nil, add("migration", "--weight", "99999999999999999999"), 2, "is not an integer"},
		{"policy typo", nil, add("migration", "--delete-policy", "hook-succeded"), 2, `unknown delete policy "hook-succeded"`},
		{"policy empty", nil, add("migration", "--delete-policy", ""), 2, "--delete-policy is empty"},
		{"policy trailing comma", nil, add("migration", "--delete-policy", "hook-succeeded,"), 2, "empty delete policy"},
		{"name not a DNS label", nil, add("custom", "--name", "Warm_Cache", "--event", "test", "--image", "busybox"), 2, "is not a DNS label"},
		{"name with a dot", nil, add("custom", "--name", "a.b", "--event", "test", "--image", "busybox"), 2, "is not a DNS label"},
		{"name too long", nil, add("custom", "--name", strings.Repeat("n", 53), "--event", "test", "--image", "busybox"), 2, "must fit in 63"},
		{"custom without name", nil, add("custom", "--event", "test", "--image", "busybox"), 2, "custom hooks need a name: pass --name"},
		{"custom without event", nil, add("custom", "--name", "x", "--image", "busybox"), 2, "custom hooks need events: pass --event"},
		{"custom without image", nil, add("custom", "--name", "x", "--event", "test"), 2, "custom hooks need an image: pass --image"},
		{"force and skip", nil, add("migration", "--force", "--skip"), 2, "--force and --skip cannot be used together; pass one"},
		{"unknown output", nil, add("migration", "-o", "yaml"), 2, `unknown output format "yaml"`},
		{"db on migration", nil, add("migration", "--db", "mysql"), 2, "--db only applies to backup hooks"},
		{"storage claim on seed", nil, add("seed", "--storage-claim", "x"), 2, "--storage-claim only applies to backup hooks"},
		{"wait for a database the release does not deploy", nil, add("migration", "--wait-for-db"), 2, "--wait-for-db: the release deploys no PostgreSQL, MySQL or MariaDB dependency, so there is no database host to wait for"},
		{"wait-for-db on backup", nil, add("backup", "--wait-for-db"), 2, "--wait-for-db only applies to migration, seed and custom hooks: backup runs when the database is already up"},
		{"wait-for-db=false on smoke-test", nil, add("smoke-test", "--wait-for-db=false"), 2, "--wait-for-db only applies to migration, seed and custom hooks"},
		{"wait-for-db not a boolean", nil, add("seed", "--wait-for-db=sometimes"), 2, `invalid argument "sometimes" for "--wait-for-db" flag`},
		{"unknown db", nil, add("backup", "--db", "oracle"), 2, `unknown database "oracle" for --db`},
		{"bad kube version", nil, add("migration", "--kube-version", "banana"), 2, `invalid --kube-version "banana"`},
		{"unknown flag", nil, add("migration", "--bogus"), 2, "unknown flag: --bogus"},
		{"two tasks", nil, add("migration", "seed"), 2, "accepts at most 1 arg"},
		{"backup at pre-install without a claim", nil, add("backup", "--event", "pre-install,pre-upgrade"), 2, "the claim <fullname>-backup-data, which the backup uses and the release creates (no --storage-claim); pass --event post-install,pre-upgrade, or, to keep pre-install, pass --storage-claim with a claim outside the release"},
		{"db user on seed", nil, add("seed", "--db-user", "x"), 2, "--db-user only applies to backup hooks"},
		{"bad values key", nil, add("migration", "--values-key", "a.b"), 2, `values key "a.b" must be letters`},
		{"remove a name that is not a DNS label", nil, []string{"remove", "Bad_Name", "--chart", "CHART"}, 2, "is not a DNS label"},
		{"no image to reuse", func(t *testing.T, c string) {
			write(t, filepath.Join(c, "values.yaml"), "replicaCount: 1\n")
			os.RemoveAll(filepath.Join(c, "templates"))
			write(t, filepath.Join(c, "templates", "cm.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
		}, add("migration"), 2, "the chart has no image.repository in values.yaml to reuse for the migration: pass --image"},
		{"unknown command", nil, []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"remove unknown hook", nil, []string{"remove", "nope", "--chart", "CHART"}, 2, `no hook "nope" in the chart`},
		{"remove a file not written by hookgen", func(t *testing.T, c string) {
			write(t, filepath.Join(c, "templates", "hooks", "mine.yaml"), "# my own hook\n")
		}, []string{"remove", "mine", "--chart", "CHART"}, 2, "was not written by hookgen add; delete it by hand"},

		// The chart: exit 3.
		{"missing chart", nil, []string{"add", "migration", "--chart", "CHART/nowhere"}, 3, "the directory does not exist; pass --chart with a chart directory"},
		{"chart is a file", nil, []string{"add", "migration", "--chart", "CHART/values.yaml"}, 3, "is a file, not a chart directory"},
		{"chart is a tgz", func(t *testing.T, c string) { write(t, filepath.Join(c, "shop.tgz"), "x") }, []string{"add", "migration", "--chart", "CHART/shop.tgz"}, 3, "is a packaged chart; hookgen edits chart directories: unpack it first"},
		{"no Chart.yaml", func(t *testing.T, c string) { os.Remove(filepath.Join(c, "Chart.yaml")) }, add("migration"), 3, "no Chart.yaml in"},
		{"Chart.yaml does not parse", chartYAML("name: [\n"), add("migration"), 3, "Chart.yaml does not parse"},
		{"apiVersion v3", chartYAML("apiVersion: v3\nname: shop\nversion: 0.1.0\n"), add("migration"), 3, `has apiVersion "v3"; Helm charts have apiVersion v2 (or v1)`},
		{"Chart.yaml without name", chartYAML("apiVersion: v2\nversion: 0.1.0\n"), add("migration"), 3, "has no name"},
		// A chart Helm's own loader refuses: one line, exit 3, for every command.
		{"version not SemVer (Helm refuses it)", chartYAML("apiVersion: v2\nname: shop\nversion: banana\n"), add("migration"), 3, `the chart does not load: validation: chart.metadata.version "banana" is invalid`},
		{"plan: version not SemVer", chartYAML("apiVersion: v2\nname: shop\nversion: banana\n"), []string{"plan", "CHART"}, 3, `chart.metadata.version "banana" is invalid`},
		{"lint: version not SemVer", chartYAML("apiVersion: v2\nname: shop\nversion: banana\n"), []string{"lint", "CHART"}, 3, `chart.metadata.version "banana" is invalid`},
		{"templates is a file", func(t *testing.T, c string) {
			os.RemoveAll(filepath.Join(c, "templates"))
			write(t, filepath.Join(c, "templates"), "x")
		}, add("migration"), 3, "templates is a file, not a directory"},
		{"values.yaml does not parse", appendValues("\nbroken: [\n"), add("migration"), 3, "values"},
		{"hooks key is a list", appendValues("\nhooks:\n  - a\n"), add("migration"), 3, `values.yaml:`},
		{"hooks key is a scalar", appendValues("\nhooks: yes\n"), add("migration"), 3, `values.yaml:`},
		{"template does not render", func(t *testing.T, c string) {
			write(t, filepath.Join(c, "templates", "broken.yaml"), "{{ .Values.nothing.here }}\n")
		}, add("migration"), 3, "the chart does not render before hookgen touches it"},
		{"kube version below the chart's", func(t *testing.T, c string) {
			b, _ := os.ReadFile(filepath.Join(c, "Chart.yaml"))
			write(t, filepath.Join(c, "Chart.yaml"), string(b)+"kubeVersion: \">=1.40.0-0\"\n")
		}, add("migration"), 3, "chart requires kubeVersion"},

		// Conflict: exit 4.
		{"hook file differs", func(t *testing.T, c string) {
			write(t, filepath.Join(c, "templates", "hooks", "migration.yaml"), "# mine\n")
		}, add("migration"), 4, "exists and differs from what hookgen would write (diff on stdout); pass --force to overwrite or --skip to keep it"},

		// Filesystem: exit 5.
		{"values.yaml read-only", func(t *testing.T, c string) { os.Chmod(filepath.Join(c, "values.yaml"), 0o444) }, add("migration"), 5, "values.yaml"},
		{"templates read-only", func(t *testing.T, c string) { os.Chmod(filepath.Join(c, "templates"), 0o555) }, add("migration"), 5, "templates"},
		{"values.yaml a symlink leaving the chart", func(t *testing.T, c string) {
			outside := filepath.Join(filepath.Dir(c), "outside-values.yaml")
			b, _ := os.ReadFile(filepath.Join(c, "values.yaml"))
			write(t, outside, string(b))
			os.Remove(filepath.Join(c, "values.yaml"))
			os.Symlink(outside, filepath.Join(c, "values.yaml"))
		}, add("migration"), 5, "leaves the chart"},
		{"templates/hooks is a file", func(t *testing.T, c string) {
			write(t, filepath.Join(c, "templates", "hooks"), "")
		}, add("migration"), 5, "is not a directory"},
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			parent := t.TempDir()
			chart, err := createChart("shop", parent)
			if err != nil {
				t.Fatal(err)
			}
			if c.setup != nil {
				c.setup(t, chart)
			}
			before := testcharts.Tree(t, parent)
			args := make([]string, len(c.args))
			for i, a := range c.args {
				args[i] = strings.ReplaceAll(a, "CHART", chart)
			}
			args = append(args, "--yes")
			if c.args[0] == "frobnicate" || c.args[0] == "plan" || c.args[0] == "lint" {
				args = args[:len(args)-1]
			}
			cmd := exec.Command(bin, args...)
			cmd.Env = append(os.Environ(), "HOOKGEN_NO_PROMPT=1", "NO_COLOR=1")
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			err = cmd.Run()
			code := 0
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimRight(stderr.String(), "\n"), "\n")
			last := lines[len(lines)-1]
			if code != c.code {
				t.Errorf("exit %d, want %d\nstderr: %s", code, c.code, stderr.String())
			}
			if !strings.HasPrefix(last, "hookgen: ") || !strings.Contains(last, c.msg) {
				t.Errorf("last stderr line %q, want one 'hookgen: ...' line containing %q", last, c.msg)
			}
			// One line: a conflict's diff is output, on stdout.
			{
				var msgs []string
				for _, l := range lines {
					if !strings.HasPrefix(l, "warning: ") {
						msgs = append(msgs, l)
					}
				}
				if len(msgs) != 1 {
					t.Errorf("stderr has %d lines, want one:\n%s", len(msgs), stderr.String())
				}
			}
			after := testcharts.Tree(t, parent)
			for p, v := range before {
				if after[p] != v {
					t.Errorf("%s changed", p)
				}
			}
			for p := range after {
				if _, ok := before[p]; !ok {
					t.Errorf("%s was created", p)
				}
			}
		})
	}
}

// ownPostgres: the chart deploys its own PostgreSQL (Bitnami's chart,
// vendored in golden/testdata/charts) as an enabled dependency.
func ownPostgres(t *testing.T, c string) {
	b, err := os.ReadFile(filepath.Join(testcharts.Root(), "golden", "testdata", "charts", "postgresql-11.9.13.tgz"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(c, "charts", "postgresql-11.9.13.tgz"), string(b))
	chart, _ := os.ReadFile(filepath.Join(c, "Chart.yaml"))
	write(t, filepath.Join(c, "Chart.yaml"), string(chart)+"dependencies:\n  - name: postgresql\n    version: 11.9.13\n    repository: https://charts.bitnami.com/bitnami\n    condition: postgresql.enabled\n")
	values, _ := os.ReadFile(filepath.Join(c, "values.yaml"))
	write(t, filepath.Join(c, "values.yaml"), string(values)+"postgresql:\n  enabled: true\n")
}

// randomSecret: the app takes its environment from a Secret of the
// release with a generated password, which no hook copy can hold.
func randomSecret(t *testing.T, c string) {
	write(t, filepath.Join(c, "templates", "secret.yaml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ include \"shop.fullname\" . }}-db\ndata:\n  password: {{ randAlphaNum 24 | b64enc | quote }}\n")
	p := filepath.Join(c, "templates", "deployment.yaml")
	b, _ := os.ReadFile(p)
	write(t, p, strings.Replace(string(b), "          ports:\n", "          envFrom:\n            - secretRef:\n                name: {{ include \"shop.fullname\" . }}-db\n          ports:\n", 1))
}
