package corpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Every chart and values file listed must exist in the corpus, or the
// benchmarks silently measure fewer charts than the report claims.
func TestCorpusChartsExist(t *testing.T) {
	dir, err := Dir(".")
	if err != nil {
		t.Skip(err)
	}
	for _, c := range Charts {
		if _, err := os.Stat(filepath.Join(dir, c.Name, "Chart.yaml")); err != nil {
			t.Errorf("chart %s: %v", c.Name, err)
		}
		for _, v := range c.ValuesPaths(dir) {
			if _, err := os.Stat(v); err != nil {
				t.Errorf("chart %s: values file: %v", c.Name, err)
			}
		}
	}
}

func TestDirEnvOverride(t *testing.T) {
	t.Setenv("HOOKGEN_CORPUS", t.TempDir())
	if d, err := Dir("."); err != nil || d != os.Getenv("HOOKGEN_CORPUS") {
		t.Fatalf("Dir = %q, %v; want $HOOKGEN_CORPUS", d, err)
	}
	t.Setenv("HOOKGEN_CORPUS", filepath.Join(t.TempDir(), "missing"))
	if _, err := Dir("."); err == nil {
		t.Fatal("Dir with a missing $HOOKGEN_CORPUS succeeded; want an error")
	}
}
