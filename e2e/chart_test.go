//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// helmCreate makes a chart with `helm create` (the chart most users start
// from) in a temporary directory and returns its path.
func helmCreate(t *testing.T, h *Helm, name string) string {
	t.Helper()
	dir := t.TempDir()
	chart := filepath.Join(dir, name)
	h.MustRun(t, time.Minute, "create", chart)
	return chart
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// names returns the Job names of the events of the given kind, in order.
func names(events []JobEvent, kind string) []string {
	var out []string
	for _, e := range events {
		if e.Kind == kind {
			out = append(out, e.Name)
		}
	}
	return out
}

// jobPods returns the names of the pods the Job controller made for job.
func jobPods(w *JobWatch, job string) []string {
	var out []string
	for _, p := range w.Pods() {
		if p.Labels["job-name"] == job {
			out = append(out, p.Name)
		}
	}
	return out
}

func contains(list []string, s string) bool { return slices.Contains(list, s) }

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s: want %q in:\n%s", what, w, got)
		}
	}
}
