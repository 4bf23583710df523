// Package testcharts builds the charts tests run against: a `helm create`
// chart made with the Helm SDK, shapes derived from it, and copies of the
// real public charts kept beside the repository in ../shared (which are never
// modified; see internal/sharedcharts).
package testcharts

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"

	"github.com/hookgen/hookgen/internal/sharedcharts"
)

// Root is the repository root.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// CorpusDir is where the corpus charts are looked for (see
// internal/sharedcharts: $HOOKGEN_CORPUS, $HOOKGEN_SHARED/corpus, else
// ../shared/corpus beside the repository); it may not exist.
func CorpusDir() string { return sharedcharts.Location(sharedcharts.Corpus, Root()) }

// WideDir is where the wide charts are looked for ($HOOKGEN_WIDE,
// $HOOKGEN_SHARED/wide, else ../shared/wide); it may not exist.
func WideDir() string { return sharedcharts.Location(sharedcharts.Wide, Root()) }

// sharedPrefixes are the names of the tests that may read the shared charts:
// `make test-corpus` runs exactly these (go test -run), and `make test`
// points the shared location at a missing directory so they skip.
var sharedPrefixes = []string{"TestCorpus", "TestWide"}

// SharedTestPattern is the go test -run pattern of the tests that read the
// shared charts (the Makefile spells the same pattern).
const SharedTestPattern = "^(TestCorpus|TestWide)"

// Shared returns the directory of a shared chart collection
// (sharedcharts.Corpus or sharedcharts.Wide). The test is skipped, with one
// line saying where the charts were looked for, when it is absent. A test
// that reads the shared charts must be named TestCorpus* or TestWide*, so
// that `make test-corpus` runs it; any other name fails here, present or
// not.
func Shared(t testing.TB, collection string) string {
	t.Helper()
	top, _, _ := strings.Cut(t.Name(), "/")
	named := false
	for _, p := range sharedPrefixes {
		named = named || strings.HasPrefix(top, p)
	}
	if _, bench := t.(*testing.B); !named && !bench {
		t.Fatalf("%s reads the %s charts, so it must be named TestCorpus* or TestWide* (make test-corpus runs those, make test skips them)", top, collection)
	}
	dir, err := sharedcharts.Dir(collection, Root())
	if err != nil {
		t.Skipf("skipped: %v; make test-corpus runs this test when they are there", err)
	}
	return dir
}

// Corpus copies the corpus chart name into a temporary directory and returns
// its path; the test is skipped when the corpus is absent.
func Corpus(t testing.TB, name string) string {
	t.Helper()
	return copyShared(t, sharedcharts.Corpus, name)
}

// Wide copies the wide chart name (with its vendored dependencies) into a
// temporary directory; the test is skipped when the wide charts are absent.
func Wide(t testing.TB, name string) string {
	t.Helper()
	return copyShared(t, sharedcharts.Wide, name)
}

func copyShared(t testing.TB, collection, name string) string {
	t.Helper()
	src := filepath.Join(Shared(t, collection), name)
	if _, err := os.Stat(src); err != nil {
		t.Fatalf("%s chart %s: %v", collection, name, err)
	}
	dst := filepath.Join(t.TempDir(), name)
	if err := CopyDir(src, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

// HelmCreate writes the chart `helm create name` writes, with the Helm SDK's
// own scaffold, into a temporary directory.
func HelmCreate(t testing.TB, name string) string {
	t.Helper()
	dir, err := chartutil.Create(name, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// Testdata copies a chart from the repository's testdata into a temporary directory.
func Testdata(t testing.TB, rel string) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), filepath.Base(rel))
	if err := CopyDir(filepath.Join(Root(), rel), dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

// CopyDir copies a directory tree, keeping file modes but making the copy
// writable by its owner (the corpus is read-only).
func CopyDir(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, info.Mode().Perm()|0o200)
	})
}

// WriteTree writes files (slash path relative to root: content) under root,
// creating directories as needed.
func WriteTree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		f := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Tree returns a map of every file's path to its content and mode, to
// prove a tree unchanged.
func Tree(t testing.TB, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			out[rel+"/"] = info.Mode().String()
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[rel] = info.Mode().String() + "\n" + string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// RealChart is a real public chart of ../shared/corpus or ../shared/wide and
// the values files (relative to the chart) it is rendered with.
type RealChart struct {
	Name   string // "corpus/kong", "wide/bitnami-ghost"
	Dir    string // the read-only original
	Values []string
}

// corpusValues are the values files the corpus README renders each chart with.
var corpusValues = map[string][]string{
	"kong":               {"../_values/kong-hooks.yaml"},
	"temporal":           {"ci/postgres-values.yaml", "../_values/temporal-hooks.yaml"},
	"bitnami-postgresql": {"../_values/bitnami-postgresql-hooks.yaml"},
	"bitnami-keycloak":   {"../_values/bitnami-keycloak-hooks.yaml"},
	"keycloakx":          {"../_values/keycloakx-hooks.yaml"},
}

// RealCharts lists every chart of the shared corpus and wide collections;
// the test is skipped (by Shared) when they are absent.
func RealCharts(t testing.TB) []RealChart {
	t.Helper()
	var out []RealChart
	corpus, wide := Shared(t, sharedcharts.Corpus), Shared(t, sharedcharts.Wide)
	for _, base := range []struct{ prefix, dir string }{{"corpus", corpus}, {"wide", wide}} {
		entries, err := os.ReadDir(base.dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !e.IsDir() || e.Name()[0] == '_' {
				continue
			}
			dir := filepath.Join(base.dir, e.Name())
			if _, err := os.Stat(filepath.Join(dir, "Chart.yaml")); err != nil {
				continue
			}
			rc := RealChart{Name: base.prefix + "/" + e.Name(), Dir: dir}
			if base.prefix == "corpus" {
				rc.Values = corpusValues[e.Name()]
			}
			out = append(out, rc)
		}
	}
	return out
}
