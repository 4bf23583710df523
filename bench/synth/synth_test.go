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
