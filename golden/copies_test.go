package golden

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	release "helm.sh/helm/v4/pkg/release/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// The resolutions of an app context that uses objects the release creates
// (issue 12, item 2), on a chart whose Deployment reads a Secret and two
// ConfigMaps of its own through env, envFrom and a projected volume.
func init() {
	cases = append(cases,
		goldenCase{
			// Left to hookgen, the migration runs post-install on first install.
			name:  "context-release-objects",
			chart: appConfig(),
			steps: [][]string{{"migration", "--yes", "--command", "./migrate"}},
			order: map[release.HookEvent][]string{
				release.HookPreInstall:  nil,
				release.HookPostInstall: {"Job/release-name-blog-migration(0)"},
				release.HookPreUpgrade:  {"Job/release-name-blog-migration(0)"},
			},
		},
		goldenCase{
			// Asked for pre-install: hook copies of the three objects before the Job.
			name:  "context-copies",
			chart: appConfig(),
			steps: [][]string{{"migration", "--yes", "--command", "./migrate", "--event", "pre-install,pre-upgrade"}},
			order: map[release.HookEvent][]string{
				release.HookPreInstall: copiesThenJob,
				release.HookPreUpgrade: copiesThenJob,
			},
		},
		goldenCase{
			// An existingSecret and no ConfigMaps: nothing of the release, so
			// pre-install, with the note that the Secret must exist.
			name:  "context-existing-secret",
			chart: appConfig(`existingSecret: ""`, `existingSecret: blog-db-credentials`, `create: true`, `create: false`),
			steps: [][]string{{"migration", "--yes", "--command", "./migrate"}},
			order: map[release.HookEvent][]string{
				release.HookPreInstall: {"Job/release-name-blog-migration(0)"},
				release.HookPreUpgrade: {"Job/release-name-blog-migration(0)"},
			},
		},
	)
}

var copiesThenJob = []string{
	"Secret/release-name-blog-db-hookgen-migration(-1)",
	"ConfigMap/release-name-blog-env-hookgen-migration(-1)",
	"ConfigMap/release-name-blog-files-hookgen-migration(-1)",
	"Job/release-name-blog-migration(0)",
}

// appConfig copies the appconfig test chart, with values.yaml edited by
// old, new pairs.
func appConfig(edits ...string) func(t *testing.T) string {
	return func(t *testing.T) string {
		dir := testcharts.Testdata(t, "golden/testdata/charts/appconfig")
		p := filepath.Join(dir, "values.yaml")
		b, err := os.ReadFile(p)
		must(t, err)
		s := string(b)
		for i := 0; i+1 < len(edits); i += 2 {
			if !strings.Contains(s, edits[i]) {
				t.Fatalf("values.yaml has no %q", edits[i])
			}
			s = strings.Replace(s, edits[i], edits[i+1], 1)
		}
		must(t, os.WriteFile(p, []byte(s), 0o644))
		return dir
	}
}

// The Job of each resolution runs in the app's context and, at every event
// of every operation, uses only objects that exist then (internal/plan):
// at pre-install the hook copies, which hold what the release's objects hold.
// A Secret with a generated password cannot be copied: pre-install is
// refused (exit 2), naming the Secret and why, and no file changes.
func TestContextResolutions(t *testing.T) {
	for _, tc := range []struct {
		name    string
		values  []string
		args    []string
		copies  int
		refusal string // exit 2 with this on stderr, nothing written
	}{
		{name: "release objects"},
		{name: "copies", args: []string{"--event", "pre-install,pre-upgrade"}, copies: 3},
		{name: "existing secret", values: []string{`existingSecret: ""`, `existingSecret: blog-db-credentials`}, args: []string{"--event", "pre-install,pre-upgrade"}, copies: 2},
		{name: "random secret", values: []string{`password: changeme`, `password: ""`}, args: []string{"--event", "pre-install,pre-upgrade"},
			refusal: "Secret/release-name-blog-db (no hook copy: templates/secret.yaml renders it with random values"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := appConfig(tc.values...)(t)
			before := testcharts.Tree(t, dir)
			cmd := append([]string{"add", "migration", "--chart", dir, "--yes", "--kube-version", testcharts.KubeVersion, "--command", "./migrate"}, tc.args...)
			stdout, stderr, code := run(t, cmd...)
			if tc.refusal != "" {
				if code != 2 || !strings.Contains(stderr, tc.refusal) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
					t.Errorf("hookgen %s: exit %d, want 2 and one line saying %q\n%s%s", strings.Join(cmd, " "), code, tc.refusal, stdout, stderr)
				}
				if diff := treeDiff(before, testcharts.Tree(t, dir)); diff != "" {
					t.Errorf("refused, yet files changed: %s", diff)
				}
				return
			}
			if code != 0 {
				t.Fatalf("hookgen %s: exit %d\n%s%s", strings.Join(cmd, " "), code, stdout, stderr)
			}
			ropts := render.Options{KubeVersion: testcharts.KubeVersion}
			checkAppContext(t, dir, ropts, "templates/hooks/migration.yaml")

			// The copies hold exactly what the release's objects hold.
			res, err := render.LoadAndRender(dir, ropts)
			must(t, err)
			originals := map[string]string{}
			for _, m := range res.Manifests {
				if m.Head != nil && m.Head.Metadata != nil {
					originals[m.Head.Kind+"/"+m.Head.Metadata.Name] = m.Content
				}
			}
			n := 0
			for _, h := range res.Hooks {
				if h.Kind == "Job" || !strings.HasSuffix(h.Path, "/templates/hooks/migration.yaml") {
					continue
				}
				n++
				var cp, orig map[string]any
				must(t, yaml.Unmarshal([]byte(h.Manifest), &cp))
				meta := cp["metadata"].(map[string]any)
				of := meta["annotations"].(map[string]any)["hookgen.io/copy-of"].(string)
				src, ok := originals[h.Kind+"/"+of]
				if !ok {
					t.Fatalf("%s %s copies %s, which the release does not create", h.Kind, h.Name, of)
				}
				must(t, yaml.Unmarshal([]byte(src), &orig))
				delete(cp, "metadata")
				delete(orig, "metadata")
				if !equalYAML(cp, orig) {
					t.Errorf("%s %s differs from %s beyond its metadata:\n%s\n---\n%s", h.Kind, h.Name, of, h.Manifest, src)
				}
				if !slices.Contains(h.Events, release.HookPreInstall) || !slices.Contains(h.DeletePolicies, release.HookSucceeded) {
					t.Errorf("%s %s: events %v, delete policies %v", h.Kind, h.Name, h.Events, h.DeletePolicies)
				}
			}
			if n != tc.copies {
				t.Errorf("%d hook copies, want %d", n, tc.copies)
			}
		})
	}
}

func equalYAML(a, b map[string]any) bool {
	x, _ := yaml.Marshal(a)
	y, _ := yaml.Marshal(b)
	return string(x) == string(y)
}

// copyRenames maps each object that a hook copy in hookPath stands in for
// ("Secret/<original>") to the copy's name.
func copyRenames(hooks []*release.Hook, hookPath string) map[string]string {
	out := map[string]string{}
	for _, h := range hooks {
		if h.Kind == "Job" || !strings.HasSuffix(h.Path, "/"+hookPath) {
			continue
		}
		var m struct {
			Metadata struct {
				Annotations map[string]string `json:"annotations"`
			} `json:"metadata"`
		}
		if yaml.Unmarshal([]byte(h.Manifest), &m) == nil && m.Metadata.Annotations["hookgen.io/copy-of"] != "" {
			out[h.Kind+"/"+m.Metadata.Annotations["hookgen.io/copy-of"]] = h.Name
		}
	}
	return out
}

// renameRefs points the references of a pod and its container at the hook
// copies, as the hook's template does.
func renameRefs(pod *corev1.PodSpec, c *corev1.Container, names map[string]string) {
	ren := func(kind string, name *string) {
		if n, ok := names[kind+"/"+*name]; ok {
			*name = n
		}
	}
	for i := range c.Env {
		if vf := c.Env[i].ValueFrom; vf != nil {
			if r := vf.SecretKeyRef; r != nil {
				ren("Secret", &r.Name)
			}
			if r := vf.ConfigMapKeyRef; r != nil {
				ren("ConfigMap", &r.Name)
			}
		}
	}
	for _, e := range c.EnvFrom {
		if e.SecretRef != nil {
			ren("Secret", &e.SecretRef.Name)
		}
		if e.ConfigMapRef != nil {
			ren("ConfigMap", &e.ConfigMapRef.Name)
		}
	}
	for _, v := range pod.Volumes {
		if v.Secret != nil {
			ren("Secret", &v.Secret.SecretName)
		}
		if v.ConfigMap != nil {
			ren("ConfigMap", &v.ConfigMap.Name)
		}
		if v.Projected != nil {
			for _, s := range v.Projected.Sources {
				if s.Secret != nil {
					ren("Secret", &s.Secret.Name)
				}
				if s.ConfigMap != nil {
					ren("ConfigMap", &s.ConfigMap.Name)
				}
			}
		}
	}
	for i := range pod.ImagePullSecrets {
		ren("Secret", &pod.ImagePullSecrets[i].Name)
	}
}
