package synth

import (
	"testing"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// The synthetic charts must be charts Helm accepts and renders to exactly n
// objects, a tenth of them hooks; otherwise the scaling figures measure
// something else.
func TestWriteRendersNObjects(t *testing.T) {
	for _, n := range []int{1, 10, 35} {
		dir, err := Write(t.TempDir(), n)
		if err != nil {
			t.Fatal(err)
		}
		if msgs := testcharts.Lint(t, dir); len(msgs) > 0 {
			t.Errorf("n=%d: helm lint: %v", n, msgs)
		}
		res, err := render.LoadAndRender(dir, render.Options{KubeVersion: testcharts.KubeVersion})
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if got, want := len(res.Hooks), Hooks(n); got != want {
			t.Errorf("n=%d: %d hooks, want %d", n, got, want)
		}
		if got, want := len(res.Manifests), n-Hooks(n); got != want {
			t.Errorf("n=%d: %d manifests, want %d", n, got, want)
		}
	}
}

func TestWriteRejectsZero(t *testing.T) {
	if _, err := Write(t.TempDir(), 0); err == nil {
		t.Fatal("Write(0) succeeded; want an error")
	}
}

// The CRD chart holds at least the bytes asked for, in CRDs Helm reads as
// such, and still renders its templates.
func TestWriteWithCRDs(t *testing.T) {
	dir, err := WriteWithCRDs(t.TempDir(), 10, 200<<10)
	if err != nil {
		t.Fatal(err)
	}
	res, err := render.LoadAndRender(dir, render.Options{KubeVersion: testcharts.KubeVersion})
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for _, c := range res.Chart.CRDObjects() {
		size += len(c.File.Data)
	}
	if size < 200<<10 || len(res.Chart.CRDObjects()) < 2 {
		t.Errorf("%d CRD files of %d bytes, want at least 200 KiB", len(res.Chart.CRDObjects()), size)
	}
	if got := len(res.Hooks) + len(res.Manifests); got != 10 {
		t.Errorf("%d objects rendered, want 10", got)
	}
	if msgs := testcharts.Lint(t, dir); len(msgs) > 0 {
		t.Errorf("helm lint: %v", msgs)
	}
}
