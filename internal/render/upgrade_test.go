package render_test

import (
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	chart "helm.sh/helm/v4/pkg/chart/v2"
	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"

	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/testcharts"
)

// checkUpgrade requires RenderUpgrade on top of an install render to give
// what rendering the whole chart as an upgrade gives: the same files, hooks
// and manifests in the same order. Files whose text differs between two
// install renders (random passwords, certificates) are compared by the
// objects they hold.
// It reports whether there was output to compare (false when both renders
// fail, as they must together).
func checkUpgrade(t *testing.T, dir string, opts render.Options) bool {
	t.Helper()
	opts.KubeVersion = testcharts.KubeVersion
	ch, vals := load(t, dir, opts)
	install, again := renderTwice(t, ch, vals, opts)
	up := opts
	up.Upgrade = true
	want, wantErr := render.Render(render.Clone(ch), vals, up)
	got, gotErr := render.RenderUpgrade(render.Clone(ch), vals, opts, install)
	if (wantErr == nil) != (gotErr == nil) {
		t.Fatalf("whole upgrade render: %v; RenderUpgrade: %v", wantErr, gotErr)
	}
	if wantErr != nil {
		return false
	}
	random := map[string]bool{}
	for p, c := range install.Files {
		random[p] = c != again.Files[p]
	}
	var paths []string
	for p := range want.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		g, ok := got.Files[p]
		switch {
		case !ok:
			t.Errorf("%s: missing from RenderUpgrade", p)
		case random[p]:
			if objects(g) != objects(want.Files[p]) {
				t.Errorf("%s: objects %s, the whole upgrade render's %s", p, objects(g), objects(want.Files[p]))
			}
		case untimed(g) != untimed(want.Files[p]):
			t.Errorf("%s differs from the whole upgrade render:\n%s\n--- want\n%s", p, g, want.Files[p])
		}
	}
	if len(got.Files) != len(want.Files) {
		t.Errorf("%d files, the whole upgrade render has %d", len(got.Files), len(want.Files))
	}
	if g, w := hookNames(got.Hooks, random), hookNames(want.Hooks, random); !slices.Equal(g, w) {
		t.Errorf("hooks in order %v, the whole upgrade render's %v", g, w)
	}
	if g, w := manifestNames(got.Manifests, random), manifestNames(want.Manifests, random); !slices.Equal(g, w) {
		t.Errorf("manifests in order %v, the whole upgrade render's %v", g, w)
	}
	return true
}

// untimed blanks out the times charts render with now (bitnami's
// password-last-update annotation): two renders a second apart differ there.
func untimed(s string) string { return timeRe.ReplaceAllString(s, "<now>") }

var timeRe = regexp.MustCompile(`\b20\d{12}\b|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[.\dZ+:-]*`)

// load loads the chart in dir and the values opts names.
func load(t *testing.T, dir string, opts render.Options) (*chart.Chart, map[string]any) {
	t.Helper()
	ch, err := render.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	vals, err := render.Values(opts.ValuesFiles, opts.Set)
	if err != nil {
		t.Fatal(err)
	}
	return ch, vals
}

// renderTwice renders ch twice the same way: files that differ hold random
// or timed text.
func renderTwice(t *testing.T, ch *chart.Chart, vals map[string]any, opts render.Options) (*render.Result, *render.Result) {
	t.Helper()
	a, err := render.Render(render.Clone(ch), vals, opts)
	if err != nil {
		t.Fatal(err)
	}
	b, err := render.Render(render.Clone(ch), vals, opts)
	if err != nil {
		t.Fatal(err)
	}
	return a, b
}

// objects lists the kinds of the objects in content (the names of random
// files may be random too).
func objects(content string) string {
	var out []string
	for _, d := range render.SplitManifests(content) {
		for _, l := range strings.Split(d, "\n") {
			if k, ok := strings.CutPrefix(l, "kind:"); ok {
				out = append(out, strings.TrimSpace(k))
			}
		}
	}
	return strings.Join(out, ",")
}

func hookNames(hs []*release.Hook, random map[string]bool) []string {
	var out []string
	for _, h := range hs {
		n := h.Path + " " + h.Kind
		if !random[h.Path] {
			n += "/" + h.Name
		}
		out = append(out, n)
	}
	return out
}

func manifestNames(ms []releaseutil.Manifest, random map[string]bool) []string {
	var out []string
	for _, m := range ms {
		n := m.Name
		if m.Head != nil && m.Head.Metadata != nil && !random[m.Name] {
			n += " " + m.Head.Kind + "/" + m.Head.Metadata.Name
		}
		out = append(out, n)
	}
	return out
}

// writeChart writes files (chart-relative paths) as a chart named app with
// a subchart db, and returns its directory.
func writeChart(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "app")
	base := map[string]string{
		"Chart.yaml":                  "apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: db\n    version: 0.1.0\n",
		"values.yaml":                 "greeting: hello\n",
		"charts/db/Chart.yaml":        "apiVersion: v2\nname: db\nversion: 0.1.0\n",
		"charts/db/values.yaml":       "size: 1\n",
		"charts/db/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db\ndata:\n  size: {{ .Values.size | quote }}\n",
	}
	for p, c := range files {
		base[p] = c
	}
	testcharts.WriteTree(t, dir, base)
	return dir
}

const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n"

// Each way a template can reach what an upgrade changes: directly, through
// a named template of a subchart, through a template it includes by path
// (a checksum annotation), through tpl over values or a chart file; and a
// hook that exists only on upgrade.
func TestRenderUpgradeMatchesWholeRender(t *testing.T) {
	for name, files := range map[string]map[string]string{
		"direct": {
			"templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  up: {{ .Release.IsUpgrade | quote }}\n  rev: {{ .Release.Revision | quote }}\n",
			"templates/b.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  g: {{ .Values.greeting }}\n",
		},
		"named template of a subchart": {
			"charts/db/templates/_helpers.tpl": "{{- define \"db.mode\" -}}{{ if .Release.IsInstall }}fresh{{ else }}kept{{ end }}{{- end -}}\n{{- define \"db.plain\" -}}plain{{- end -}}\n",
			"templates/a.yaml":                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  mode: {{ include \"db.mode\" . }}\n",
			"templates/b.yaml":                 "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  p: {{ include \"db.plain\" . }}\n",
		},
		"checksum of an included template": {
			"templates/cm.yaml":     "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  rev: {{ .Release.Revision | quote }}\n",
			"templates/deploy.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deploy\n  annotations:\n    checksum: {{ include (print $.Template.BasePath \"/cm.yaml\") . | sha256sum }}\n",
		},
		"release handed on whole": {
			"templates/_h.tpl":    "{{- define \"app.rel\" -}}{{ toJson . }}{{- end -}}\n",
			"templates/a.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  rel: {{ include \"app.rel\" .Release | quote }}\n",
			"templates/b.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
			"templates/c.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  rel: {{ toJson (dict \"r\" .Release) | quote }}\n",
			"templates/NOTES.txt": "{{ .Release.Revision }}\n",
		},
		"tpl over values": {
			"values.yaml":      "greeting: hello\nextra: '{{ .Release.IsUpgrade }}'\n",
			"templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: {{ tpl .Values.extra . | quote }}\n",
		},
		"tpl over a chart file": {
			"files/x.tpl":      "{{ .Release.Revision }}",
			"templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  x: {{ tpl (.Files.Get \"files/x.tpl\") . | quote }}\n",
		},
		"hook only on upgrade": {
			"templates/hook.yaml": "{{- if .Release.IsUpgrade }}\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: up\n  annotations:\n    helm.sh/hook: pre-upgrade\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n        - name: c\n          image: busybox\n{{- end }}\n",
			"templates/b.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
		},
		"fails only on upgrade": {
			"templates/a.yaml": "{{- if .Release.IsUpgrade }}{{ fail \"PASSWORDS ERROR: set the password\" }}{{ end }}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		},
	} {
		t.Run(name, func(t *testing.T) {
			checkUpgrade(t, writeChart(t, files), render.Options{})
		})
	}
}

// Only what can tell the renders apart renders again: the templates that
// read .Release's fields, directly or through what they include.
func TestUpgradeScope(t *testing.T) {
	dir := writeChart(t, map[string]string{
		"charts/db/templates/_helpers.tpl": "{{- define \"db.mode\" -}}{{ .Release.IsInstall }}{{- end -}}\n{{- define \"db.plain\" -}}plain{{- end -}}\n{{- define \"db.wrap\" -}}{{ include \"db.mode\" . }}{{- end -}}\n",
		"templates/a.yaml":                 fmtCM("a") + "data:\n  m: {{ include \"db.wrap\" . | quote }}\n",
		"templates/b.yaml":                 fmtCM("b") + "data:\n  p: {{ include \"db.plain\" . | quote }}\n",
		"templates/c.yaml":                 fmtCM("c") + "  annotations:\n    sum: {{ include (print $.Template.BasePath \"/a.yaml\") . | sha256sum }}\n",
		"templates/d.yaml":                 fmtCM("d") + "  annotations:\n    sum: {{ include (print $.Template.BasePath \"/b.yaml\") . | sha256sum }}\n",
	})
	ch, err := render.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for f := range render.UpgradeScope(ch) {
		got = append(got, f.Name)
	}
	sort.Strings(got)
	if want := []string{"templates/a.yaml", "templates/c.yaml"}; !slices.Equal(got, want) {
		t.Errorf("rendered again: %v, want %v", got, want)
	}
	checkUpgrade(t, dir, render.Options{})
}

func fmtCM(name string) string { return strings.Replace(cm, "%s", name, 1) }

func TestRenderUpgradeHelmCreate(t *testing.T) {
	checkUpgrade(t, testcharts.HelmCreate(t, "shop"), render.Options{})
}

// Every real chart beside the repository (skipped when absent).
func TestCorpusWideRenderUpgrade(t *testing.T) {
	charts := testcharts.RealCharts(t)
	compared := 0
	for _, c := range charts {
		t.Run(c.Name, func(t *testing.T) {
			var vf []string
			for _, v := range c.Values {
				vf = append(vf, filepath.Join(c.Dir, v))
			}
			opts := render.Options{ValuesFiles: vf, KubeVersion: testcharts.KubeVersion}
			opts.Set = upgradeSets(t, c.Dir, opts)
			if checkUpgrade(t, c.Dir, opts) {
				compared++
			}
		})
	}
	if compared < len(charts) {
		t.Errorf("compared the upgrade renders of %d of %d charts: the others do not render as an upgrade even with the passwords they ask for", compared, len(charts))
	}
}

// upgradeSets are the --set arguments a chart's upgrade render asks for
// (bitnami's "PASSWORDS ERROR ... please add '--set key=$VALUE'", the key
// relative to the subchart whose template failed), found by rendering
// until it asks for nothing more.
func upgradeSets(t *testing.T, dir string, opts render.Options) []string {
	t.Helper()
	var sets []string
	for range 20 {
		o := opts
		o.Set, o.Upgrade = sets, true
		_, err := render.LoadAndRender(dir, o)
		if err == nil || !strings.Contains(err.Error(), "PASSWORDS ERROR") {
			return sets
		}
		prefix := ""
		if m := failedInRe.FindStringSubmatch(err.Error()); m != nil {
			for _, sub := range strings.Split(m[1], "/charts/")[1:] {
				prefix += sub + "."
			}
		}
		n := len(sets)
		for _, m := range askedSetRe.FindAllStringSubmatch(err.Error(), -1) {
			if kv := prefix + m[1] + "=hookgen-test"; !slices.Contains(sets, kv) {
				sets = append(sets, kv)
			}
		}
		if len(sets) == n {
			return sets // asks for something already set: give up
		}
	}
	return sets
}

var (
	failedInRe = regexp.MustCompile(`execution error at \(([^:)]+?)/templates/`)
	askedSetRe = regexp.MustCompile(`--set ([^=' ]+)=`)
)

// Leaving out the byte-identical copies of vendored partials changes no
// output: every real chart renders the same files as with all of them.
func TestCorpusWideCopiesLeftOut(t *testing.T) {
	dropped := 0
	for _, c := range testcharts.RealCharts(t) {
		t.Run(c.Name, func(t *testing.T) {
			var vf []string
			for _, v := range c.Values {
				vf = append(vf, filepath.Join(c.Dir, v))
			}
			opts := render.Options{ValuesFiles: vf, KubeVersion: testcharts.KubeVersion}
			ch, vals := load(t, c.Dir, opts)
			first, second := renderTwice(t, ch, vals, opts)
			got, again := first.Files, second.Files
			render.KeepCopies(t, true)
			whole, err := render.Render(render.Clone(ch), vals, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := whole.Files
			for p, w := range want {
				g, ok := got[p]
				switch {
				case !ok:
					t.Errorf("%s: missing", p)
				case g != again[p]: // random or timed: the objects only
					if objects(g) != objects(w) {
						t.Errorf("%s: objects %s, with every copy %s", p, objects(g), objects(w))
					}
				case untimed(g) != untimed(w):
					t.Errorf("%s differs from the render with every copy", p)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%d files, with every copy %d", len(got), len(want))
			}
			c2 := render.Clone(ch)
			dropped += render.Copies(c2)
		})
	}
	if dropped == 0 {
		t.Error("no copy left out on any real chart: bitnami charts vendor common in every subchart")
	}
}
