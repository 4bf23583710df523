// Package testcharts builds the charts tests run against: a `helm create`
// chart made with the Helm SDK, shapes derived from it, and copies of the
// real public charts in ../shared/corpus (which are never modified).
package testcharts

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	chartutil "helm.sh/helm/v4/pkg/chart/v2/util"
)

// Root is the repository root.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// CorpusDir is ../shared/corpus beside the repository (HOOKGEN_CORPUS overrides).
func CorpusDir() string {
	if d := os.Getenv("HOOKGEN_CORPUS"); d != "" {
		return d
	}
	return filepath.Join(Root(), "..", "shared", "corpus")
}

// Corpus copies the corpus chart name into a temporary directory and returns
// its path; the test is skipped when the corpus is not beside the repository.
func Corpus(t testing.TB, name string) string {
	t.Helper()
	src := filepath.Join(CorpusDir(), name)
	if _, err := os.Stat(src); err != nil {
		t.Skipf("corpus chart %s not found (%v); it lives in ../shared/corpus", name, err)
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

// TreeHash returns a map of every file's path to its content and mode, to
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
