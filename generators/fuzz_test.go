package generators_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hookgen/hookgen/generators"
	"github.com/hookgen/hookgen/internal/valuesedit"
	"github.com/hookgen/hookgen/internal/verify"
)

// FuzzInspect feeds arbitrary Chart.yaml, values.yaml and template text to
// chart inspection and hook generation. Property: no panic; every failure is
// one of the typed errors the command maps to an exit code; and a hook that
// generates either verifies or is refused by verification (never written
// broken).
func FuzzInspect(f *testing.F) {
	f.Add("apiVersion: v2\nname: shop\nversion: 0.1.0\n", "image:\n  repository: nginx\n  tag: \"\"\n", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n")
	f.Add("apiVersion: v2\nname: a\nversion: 1.0.0\ndependencies:\n  - name: postgresql\n    version: 1.0.0\n", "hooks:\n  x: 1\n", "{{ define \"a.fullname\" }}x{{ end }}")
	f.Add("apiVersion: v1\nname: old\nversion: 1.0.0\n", "", "")
	f.Add("apiVersion: v2\nname: s\nversion: 0.1.0\n", "image:\n  registry: docker.io\n  repository: r\nhooks: {}\n", "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selector:\n    app.kubernetes.io/component: hook-migration\n    hookgen.io/hook: migration\n")
	f.Add("name: [", "a: [", "{{")
	f.Fuzz(func(t *testing.T, chartYAML, values, tpl string) {
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
		os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte(chartYAML), 0o644)
		os.WriteFile(filepath.Join(dir, "values.yaml"), []byte(values), 0o644)
		os.WriteFile(filepath.Join(dir, "templates", "t.yaml"), []byte(tpl), 0o644)
		info, err := generators.Inspect(dir, "1.33.0", "")
		if err != nil {
			var ce *generators.ChartError
			if !errors.As(err, &ce) {
				t.Fatalf("Inspect: untyped error %T: %v", err, err)
			}
			return
		}
		task, _ := generators.LookupTask("migration")
		out, err := generators.Generate(info, generators.Request{Task: task, Image: "busybox:1.37"})
		if err != nil {
			var ue *generators.UsageError
			var ve *valuesedit.Error
			if !errors.As(err, &ue) && !errors.As(err, &ve) {
				t.Fatalf("Generate: untyped error %T: %v", err, err)
			}
			return
		}
		if _, err := verify.Hook(info, out); err != nil {
			var ve *verify.Error
			if !errors.As(err, &ve) {
				t.Fatalf("verify: untyped error %T: %v", err, err)
			}
		}
	})
}
