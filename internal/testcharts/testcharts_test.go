package testcharts

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hookgen/hookgen/internal/sharedcharts"
)

// recorder stands in for a test named name, recording Skipf and Fatalf
// instead of stopping the real test.
type recorder struct {
	testing.TB
	name            string
	skipped, failed string
}

type stopped struct{}

func (r *recorder) Name() string { return r.name }
func (r *recorder) Helper()      {}
func (r *recorder) Skipf(f string, a ...any) {
	r.skipped = fmt.Sprintf(f, a...)
	panic(stopped{})
}
func (r *recorder) Fatalf(f string, a ...any) {
	r.failed = fmt.Sprintf(f, a...)
	panic(stopped{})
}

func shared(t *testing.T, name string) (dir string, r *recorder) {
	r = &recorder{TB: t, name: name}
	defer func() {
		if v := recover(); v != nil && v != (stopped{}) {
			panic(v)
		}
	}()
	return Shared(r, sharedcharts.Corpus), r
}

func clearSharedEnv(t *testing.T) {
	for _, k := range []string{"HOOKGEN_SHARED", "HOOKGEN_CORPUS", "HOOKGEN_WIDE"} {
		t.Setenv(k, "")
	}
}

// With the shared location pointed at a missing directory, as `make test`
// does and as a fresh clone has it, a shared-chart test skips with one line
// that says where it looked and how to point at the charts.
func TestSharedSkipsWhenAbsent(t *testing.T) {
	clearSharedEnv(t)
	missing := filepath.Join(t.TempDir(), "no-shared")
	t.Setenv("HOOKGEN_SHARED", missing)
	if got := CorpusDir(); got != filepath.Join(missing, "corpus") {
		t.Errorf("CorpusDir = %s, want %s/corpus", got, missing)
	}
	_, r := shared(t, "TestCorpusGolden/kong")
	if r.failed != "" || !strings.Contains(r.skipped, filepath.Join(missing, "corpus")) || !strings.Contains(r.skipped, "HOOKGEN_SHARED") || strings.Contains(r.skipped, "\n") {
		t.Errorf("skip line %q (failed %q): want one line naming %s and HOOKGEN_SHARED", r.skipped, r.failed, missing)
	}
}

// A test that reads the shared charts under another name would run in
// `make test` and be missed by `make test-corpus`: it fails, present or not.
func TestSharedNeedsACorpusName(t *testing.T) {
	clearSharedEnv(t)
	t.Setenv("HOOKGEN_CORPUS", t.TempDir())
	_, r := shared(t, "TestGolden/kong")
	if !strings.Contains(r.failed, "TestCorpus*") {
		t.Errorf("TestGolden reading the corpus: failed %q, skipped %q; want a failure naming TestCorpus*", r.failed, r.skipped)
	}
	if !regexp.MustCompile(SharedTestPattern).MatchString("TestWideLint") || regexp.MustCompile(SharedTestPattern).MatchString("TestGolden") {
		t.Errorf("SharedTestPattern %q does not select exactly TestCorpus*/TestWide*", SharedTestPattern)
	}
}

// The locations, in order: one collection's variable, the shared folder,
// the default beside the repository.
func TestSharedLocations(t *testing.T) {
	clearSharedEnv(t)
	if got, want := WideDir(), filepath.Join(filepath.Dir(Root()), "shared", "wide"); got != want {
		t.Errorf("default WideDir = %s, want %s", got, want)
	}
	base := t.TempDir()
	if err := os.MkdirAll(filepath.Join(base, "corpus"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOOKGEN_SHARED", base)
	if dir, r := shared(t, "TestCorpusX"); dir != filepath.Join(base, "corpus") || r.skipped != "" {
		t.Errorf("HOOKGEN_SHARED: dir %q skipped %q", dir, r.skipped)
	}
	own := t.TempDir()
	t.Setenv("HOOKGEN_CORPUS", own)
	if dir, _ := shared(t, "TestCorpusX"); dir != own {
		t.Errorf("HOOKGEN_CORPUS: dir %q, want %q", dir, own)
	}
}

// No file of the repository names a machine-specific path, and no Go file
// but internal/sharedcharts spells the shared folder's location: tests find
// it through Shared, Corpus or Wide, so `make test` can point it away.
func TestNoMachineSpecificPaths(t *testing.T) {
	machine := regexp.MustCompile(`(^|[\s"'=(:])/(work|home|root|Users)/`)
	sharedLiteral := regexp.MustCompile(`"(\.\./)*shared(/[a-z]+)?"`)
	root := Root()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			switch rel {
			case ".git", "bin", ".bench", "dist":
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(p) {
		case ".go", ".txtar", ".sh", ".md", ".yaml", ".yml", ".json", "":
		default:
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if machine.MatchString(line) {
				t.Errorf("%s:%d: machine-specific path: %s", rel, i+1, strings.TrimSpace(line))
			}
			if strings.HasSuffix(p, ".go") && !strings.HasPrefix(rel, filepath.Join("internal", "sharedcharts")) && rel != filepath.Join("internal", "testcharts", "testcharts_test.go") && sharedLiteral.MatchString(line) {
				t.Errorf("%s:%d: spells the shared folder's location; use testcharts.Shared/Corpus/Wide or internal/sharedcharts", rel, i+1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
