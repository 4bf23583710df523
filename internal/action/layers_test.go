package action

import (
	"go/build"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The packages action orchestrates import only what ARCHITECTURE.md draws
// below them: the interview asks (the action renders for it), verify checks
// a render, generators plans files from a chartview.Chart, and chartview
// knows nothing of hooks.
func TestLayers(t *testing.T) {
	const mod = "github.com/hookgen/hookgen/"
	forbidden := map[string][]string{
		"internal/interview": {"internal/verify", "internal/action"},
		"internal/verify":    {"internal/interview", "internal/action", "internal/changeset"},
		"generators":         {"internal/verify", "internal/interview", "internal/action", "internal/changeset", "internal/plan", "internal/lint"},
		"internal/chartview": {"generators", "internal/verify", "internal/interview", "internal/action", "internal/valuesedit", "internal/schemaedit", "templates"},
	}
	for dir, bad := range forbidden {
		pkg, err := build.ImportDir(filepath.Join("..", "..", filepath.FromSlash(dir)), 0)
		if err != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		for _, imp := range pkg.Imports {
			if p, ok := strings.CutPrefix(imp, mod); ok && slices.Contains(bad, p) {
				t.Errorf("%s imports %s, which ARCHITECTURE.md draws above it or beside it", dir, p)
			}
		}
	}
}
