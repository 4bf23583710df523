package generators

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The hook's values block is documented the way the chart documents its
// values: helm-docs, bitnami's readme-generator, or plain comments.
func TestCommentStyle(t *testing.T) {
	cases := []struct {
		name, values string
		want, reject []string
	}{
		{
			name:   "helm-docs",
			values: "# -- Replicas\nreplicaCount: 1\n# -- Image\nimage:\n  # -- Repository\n  repository: busybox\n  # -- Tag\n  tag: \"1.37\"\n",
			want:   []string{"\n  # -- Database migration hook", "\n    # -- Run this hook."},
			reject: []string{"## @param"},
		},
		{
			name:   "bitnami readme-generator",
			values: "## @section Common\n## @param replicaCount Replicas\nreplicaCount: 1\n## @param image.repository Repository\n## @param image.tag Tag\nimage:\n  repository: busybox\n  tag: \"1.37\"\n",
			want: []string{
				"\n## @section Hook parameters\n## Helm hook Jobs written by hookgen.",
				"\n  ## @param hooks.migration.enabled Run this hook. false leaves it out of the chart.\n",
				"\n  ## @param hooks.migration.image.repository Image repository.",
				"\n  ## @param hooks.migration.resources.requests.cpu Container resources (resources.requests.cpu)\n",
				"\n  migration:\n    enabled: true\n    image:\n",
			},
			reject: []string{"# --"},
		},
		{
			name:   "plain",
			values: "# Number of replicas\nreplicaCount: 1\n# -- a stray helm-docs marker\nimage:\n  repository: busybox\n  tag: \"1.37\"\n",
			want:   []string{"\n  # Database migration hook", "\n    # Run this hook."},
			reject: []string{"# -- Run", "## @param"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "Chart.yaml"), []byte("apiVersion: v2\nname: app\nversion: 0.1.0\n"), 0o644)
			os.WriteFile(filepath.Join(dir, "values.yaml"), []byte(c.values), 0o644)
			info, err := Inspect(dir, "1.33.0", "")
			if err != nil {
				t.Fatal(err)
			}
			task, _ := LookupTask("migration")
			out, err := Generate(info, Request{Task: task, Command: []string{"./migrate"}})
			if err != nil {
				t.Fatal(err)
			}
			var values string
			for _, f := range out.Files {
				if f.Path == "values.yaml" {
					values = string(f.Content)
				}
			}
			if !strings.HasPrefix(values, c.values) {
				t.Errorf("the chart's own values changed:\n%s", values)
			}
			for _, w := range c.want {
				if !strings.Contains(values, w) {
					t.Errorf("values.yaml lacks %q:\n%s", w, values[len(c.values):])
				}
			}
			for _, r := range c.reject {
				if strings.Contains(values[len(c.values):], r) {
					t.Errorf("the hook's block has %q, not the chart's style:\n%s", r, values[len(c.values):])
				}
			}
		})
	}
}
