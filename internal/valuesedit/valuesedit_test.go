package valuesedit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/hookgen/hookgen/internal/sharedcharts"
	"github.com/hookgen/hookgen/internal/testcharts"
)

var migration = Block{
	Parent:       "hooks",
	ParentHeader: "# -- Helm hook Jobs added by hookgen",
	Name:         "migration",
	Comment:      "# -- Database migration hook (hookgen add migration)",
	Body:         "# -- Run the migration hook\nenabled: true\nimage:\n  repository: x\n  tag: \"1.0\"\nargs: []\n",
}

// migrationLines is migration rendered at child indent 2 with a 2-space step.
const migrationLines = `  # -- Database migration hook (hookgen add migration)
  migration:
    # -- Run the migration hook
    enabled: true
    image:
      repository: x
      tag: "1.0"
    args: []
`

func TestInsertShapes(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"empty file", "", "# -- Helm hook Jobs added by hookgen\nhooks:\n" + migrationLines},
		{"no parent", "a: 1\n", "a: 1\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + migrationLines},
		{"no trailing newline", "a: 1", "a: 1\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + strings.TrimSuffix(migrationLines, "\n")},
		{"comments only", "# nothing yet\n", "# nothing yet\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + migrationLines},
		{"document start marker", "---\na: 1\n", "---\na: 1\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + migrationLines},
		{"document end marker", "a: 1\n...\n", "a: 1\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + migrationLines + "...\n"},
		{"trailing comment stays last", "a: 1\n# end\n", "a: 1\n# end\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + migrationLines},
		{"empty flow map parent", "hooks: {}\nb: 1\n", "hooks:\n" + migrationLines + "b: 1\n"},
		{"empty flow map with comment", "hooks: { }  # set by the chart\nb: 1\n", "hooks:  # set by the chart\n" + migrationLines + "b: 1\n"},
		{"null parent", "hooks:\nb: 1\n", "hooks:\n" + migrationLines + "b: 1\n"},
		{"explicit null parent", "hooks: ~\n", "hooks:\n" + migrationLines},
		{"null parent with commented example", "hooks:\n  # example: {}\n\nb: 1\n", "hooks:\n  # example: {}\n" + migrationLines + "\nb: 1\n"},
		{"parent with child", "hooks:\n  seed:\n    enabled: true\nb: 1\n", "hooks:\n  seed:\n    enabled: true\n" + migrationLines + "b: 1\n"},
		{"head comment of next key stays with it", "hooks:\n  seed: 1\n# -- b is next\nb: 1\n", "hooks:\n  seed: 1\n" + migrationLines + "# -- b is next\nb: 1\n"},
		{"blank lines before next key stay", "hooks:\n  seed: 1\n\n\nb: 1\n", "hooks:\n  seed: 1\n" + migrationLines + "\n\nb: 1\n"},
		{"indented trailing comment belongs to parent", "hooks:\n  seed: 1\n  # other: 2\n\nb: 1\n", "hooks:\n  seed: 1\n  # other: 2\n" + migrationLines + "\nb: 1\n"},
		{"parent is last, no newline", "hooks:\n  seed: 1", "hooks:\n  seed: 1\n" + strings.TrimSuffix(migrationLines, "\n")},
		{"literal block scalar last", "hooks:\n  seed: |\n    echo hi\n    # not a comment\n\nb: 1\n", "hooks:\n  seed: |\n    echo hi\n    # not a comment\n" + migrationLines + "\nb: 1\n"},
		{"quoted parent key", "\"hooks\":\n  seed: 1\n", "\"hooks\":\n  seed: 1\n" + migrationLines},
		{"anchors elsewhere kept", "base: &b\n  x: 1\nother: *b\nhooks:\n  seed: 1\n", "base: &b\n  x: 1\nother: *b\nhooks:\n  seed: 1\n" + migrationLines},
		{"children indented 4", "hooks:\n    seed: 1\n", "hooks:\n    seed: 1\n" + indentBlock(migrationLines, 2, 4)},
		{"file indented 4", "a:\n    b: 1\n", "a:\n    b: 1\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + indentBlock(migrationLines, 2, 4)},
		{"BOM", "\uFEFFa: 1\n", "\uFEFFa: 1\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + migrationLines},
		{"CRLF", "a: 1\r\nb: 2\r\n", crlf("a: 1\nb: 2\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + migrationLines)},
		{"CRLF no trailing newline", "a: 1\r\nb: 2", crlf("a: 1\nb: 2\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n" + strings.TrimSuffix(migrationLines, "\n"))},
		{"CRLF parent", "hooks:\r\n  seed: 1\r\nb: 2\r\n", crlf("hooks:\n  seed: 1\n" + migrationLines + "b: 2\n")},
		{"merge key in parent", "base: &b\n  x: 1\nhooks:\n  <<: *b\n  seed: 1\n", "base: &b\n  x: 1\nhooks:\n  <<: *b\n  seed: 1\n" + migrationLines},
		{"flow values elsewhere", "a: {x: 1, y: [1, 2]}\nhooks:\n  seed: {a: 1}\n", "a: {x: 1, y: [1, 2]}\nhooks:\n  seed: {a: 1}\n" + migrationLines},
		{"root indented", "  a: 1\n  hooks:\n    seed: 1\n", "  a: 1\n  hooks:\n    seed: 1\n" + indentBlock(migrationLines, 2, 2)[0:0] + indentLines(migrationLines, 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Insert([]byte(tt.src), migration)
			if err != nil {
				t.Fatalf("Insert: %v", err)
			}
			if string(got) != tt.want {
				t.Fatalf("Insert:\n got %q\nwant %q", got, tt.want)
			}
			checkProperties(t, []byte(tt.src), migration, got)
		})
	}
}

// indentBlock re-renders 2-step block lines (first indented by from) with step to.
func indentBlock(s string, from, to int) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l == "" {
			continue
		}
		n := indentOf(l)
		b.WriteString(strings.Repeat(" ", n/from*to) + strings.TrimLeft(l, " "))
	}
	return b.String()
}

func indentLines(s string, n int) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(s, "\n") {
		if l != "" {
			b.WriteString(strings.Repeat(" ", n) + l)
		}
	}
	return b.String()
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

// checkProperties asserts, for a successful Insert of b into src giving out:
// out decodes to src plus exactly parent.name; bytes outside the inserted
// lines are unchanged; a second Insert is a no-op returning the same bytes;
// Has sees the entry; Remove gives back src (byte for byte unless the parent
// existed empty, where it comes back as "{}").
func checkProperties(t *testing.T, src []byte, b Block, out []byte) {
	t.Helper()
	before, after := decode(t, src), decode(t, out)
	orig := decode(t, src) // before is changed below
	var body any
	if err := yaml.Unmarshal([]byte(b.Body), &body); err != nil {
		t.Fatal(err)
	}
	want, _ := before.(map[string]any)
	if want == nil {
		want = map[string]any{}
	}
	pm, _ := want[b.Parent].(map[string]any)
	if pm == nil {
		pm = map[string]any{}
	}
	if _, ok := pm[b.Name]; ok {
		t.Fatalf("test input already has %s.%s", b.Parent, b.Name)
	}
	pm[b.Name] = body
	want[b.Parent] = pm
	if !equalValues(want, after) {
		t.Fatalf("decoded values after Insert differ from before plus %s.%s:\n%s", b.Parent, b.Name, out)
	}
	parentExisted := false
	om, _ := orig.(map[string]any)
	if om != nil {
		_, parentExisted = om[b.Parent]
	}
	emptyParent := parentExisted && (om[b.Parent] == nil || len(om[b.Parent].(map[string]any)) == 0)
	if !emptyParent {
		// Every byte of src is in out, in one piece before and one after the
		// inserted lines.
		p := commonPrefix(src, out)
		s := commonSuffix(src[p:], out[p:])
		if p+s != len(src) {
			t.Fatalf("Insert changed bytes outside the inserted block (prefix %d + suffix %d != %d)", p, s, len(src))
		}
	}
	again, err := Insert(out, b)
	if err != nil || !bytes.Equal(again, out) {
		t.Fatalf("second Insert is not a no-op: err %v\n%q\n%q", err, again, out)
	}
	if ok, err := Has(out, b.Parent, b.Name); !ok || err != nil {
		t.Fatalf("Has after Insert = %v, %v", ok, err)
	}
	back, err := Remove(out, b)
	if err != nil {
		t.Fatalf("Remove: %v", err)
	}
	if emptyParent {
		want := om
		want[b.Parent] = map[string]any{}
		got := decode(t, back)
		if b.ParentHeader == "" && !equalValues(want, got) {
			// Without a header an empty parent at the end of the file looks
			// like one Insert created, and goes.
			delete(want, b.Parent)
			if len(want) == 0 && got == nil {
				return
			}
		}
		if !equalValues(want, got) {
			t.Fatalf("Remove after Insert into an empty parent: %q", back)
		}
		return
	}
	if !bytes.Equal(back, src) {
		t.Fatalf("Remove(Insert(src)) != src:\n got %q\nwant %q", back, src)
	}
	if ok, err := Has(back, b.Parent, b.Name); ok || err != nil {
		t.Fatalf("Has after Remove = %v, %v", ok, err)
	}
}

func decode(t *testing.T, b []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(bytes.TrimPrefix(b, []byte(bom)), &v); err != nil {
		t.Fatalf("does not parse: %v\n%s", err, b)
	}
	return v
}

func commonPrefix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func commonSuffix(a, b []byte) int {
	n := 0
	for n < len(a) && n < len(b) && a[len(a)-1-n] == b[len(b)-1-n] {
		n++
	}
	return n
}

func TestEmptyParentComesBackAsEmptyMap(t *testing.T) {
	for src, want := range map[string]string{
		"hooks: {}\nb: 1\n":         "hooks: {}\nb: 1\n",
		"hooks: {}  # keep\nb: 1\n": "hooks: {}  # keep\nb: 1\n",
		"hooks:\nb: 1\n":            "hooks: {}\nb: 1\n", // null cannot be told from {} after the insert
	} {
		out, err := Insert([]byte(src), migration)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Remove(out, migration)
		if err != nil || string(back) != want {
			t.Errorf("Remove(Insert(%q)) = %q, %v; want %q", src, back, err, want)
		}
	}
}

func TestInsertErrors(t *testing.T) {
	tests := []struct {
		name, src string
		kind      error
		msg       string // the whole message
	}{
		{"list", "a: 1\nhooks:\n  - a\n", ErrNotMap, `values.yaml:2: key "hooks" is a list, not a map; choose another key with --values-key`},
		{"scalar", "hooks: true\n", ErrNotMap, `values.yaml:1: key "hooks" is a scalar (bool), not a map; choose another key with --values-key`},
		{"string", "a: 1\n\nhooks: \"x\"\n", ErrNotMap, `values.yaml:3: key "hooks" is a scalar (str), not a map; choose another key with --values-key`},
		{"alias", "a: &x\n  b: 1\nhooks: *x\n", ErrUnsupported, `values.yaml:3: key "hooks" is an alias (*x); write it out as a map or choose another key with --values-key`},
		{"flow map", "hooks: {a: 1}\n", ErrUnsupported, `values.yaml:1: key "hooks" is a flow map ({...}); rewrite it as a block map or choose another key with --values-key`},
		{"anchored and aliased", "hooks: &h\n  a: 1\nb: *h\n", ErrUnsupported, `values.yaml:1: key "hooks" is anchored (&h) and reused by an alias, which would change too; choose another key with --values-key`},
		{"tagged", "hooks: !!map\n  a: 1\n", ErrUnsupported, `values.yaml:1: key "hooks" has an explicit tag (!!map); remove it or choose another key with --values-key`},
		{"syntax", "a: 1\nb: [1, 2\nc: 3\n", ErrSyntax, ""},
		{"bad indentation", "a:\n  b: 1\n c: 2\n", ErrSyntax, ""},
		{"two documents", "a: 1\n---\nb: 2\n", ErrMultiDoc, `values.yaml:2: a second YAML document starts here; a values file must hold one document`},
		{"top-level list", "- a\n- b\n", ErrNotMap, `values.yaml:1: the file is a list, not a map of values; values.yaml must be a map`},
		{"top-level scalar", "hello\n", ErrNotMap, `values.yaml:1: the file is a scalar, not a map of values; values.yaml must be a map`},
		{"top-level flow map", "{a: 1}\n", ErrUnsupported, `values.yaml:1: the file is one flow map ({...}); rewrite it as a block map to let hookgen edit it`},
		{"lone CR", "a: 1\rb: 2\n", ErrUnsupported, `values.yaml:1: carriage return without line feed; convert the file to LF or CRLF line ends`},
		{"exists differently", "hooks:\n  migration:\n    enabled: false\n", ErrExists, `values.yaml:2: key "hooks.migration" already exists with different content`},
		{"tab indentation", "a:\n\tb: 1\n", ErrSyntax, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Insert([]byte(tt.src), migration)
			if err == nil {
				t.Fatalf("Insert succeeded:\n%s", out)
			}
			if !errors.Is(err, tt.kind) {
				t.Fatalf("error %v is not %v", err, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) || e.Line == 0 {
				t.Fatalf("error %v names no line", err)
			}
			if tt.msg != "" && err.Error() != tt.msg {
				t.Fatalf("message\n got %s\nwant %s", err, tt.msg)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("message is not one line: %q", err)
			}
		})
	}
}

func TestErrorFileName(t *testing.T) {
	_, err := Insert([]byte("hooks: [1]\n"), migration)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatal(err)
	}
	e.File = "charts/app/values.yaml"
	if got := err.Error(); !strings.HasPrefix(got, "charts/app/values.yaml:1: ") {
		t.Fatal(got)
	}
}

func TestRemoveEdited(t *testing.T) {
	src := []byte("a: 1\n")
	out, err := Insert(src, migration)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(out, []byte("repository: x"), []byte("repository: y"), 1)
	if _, err := Remove(edited, migration); !errors.Is(err, ErrModified) {
		t.Fatalf("Remove of an edited entry: %v", err)
	}
	if _, err := Insert(edited, migration); !errors.Is(err, ErrExists) {
		t.Fatalf("Insert over an edited entry: %v", err)
	}
	back, err := ForceRemove(edited, migration)
	if err != nil || string(back) != string(src) {
		t.Fatalf("ForceRemove = %q, %v", back, err)
	}
	// A user key added after the entry at the entry's depth is a change too.
	extra := bytes.Replace(out, []byte("    args: []\n"), []byte("    args: []\n    extra: 1\n"), 1)
	if _, err := Remove(extra, migration); !errors.Is(err, ErrModified) {
		t.Fatalf("Remove with an added key: %v", err)
	}
	if back, err := ForceRemove(extra, migration); err != nil || string(back) != string(src) {
		t.Fatalf("ForceRemove = %q, %v", back, err)
	}
}

func TestRemoveKeepsOtherChildren(t *testing.T) {
	src := []byte("hooks:\n  seed:\n    enabled: true\n\n# -- b\nb: 1\n")
	out, err := Insert(src, migration)
	if err != nil {
		t.Fatal(err)
	}
	// The user adds a sibling after ours; removing ours leaves it.
	out2 := bytes.Replace(out, []byte("    args: []\n"), []byte("    args: []\n  # -- mine\n  mine: 2\n"), 1)
	back, err := Remove(out2, migration)
	want := "hooks:\n  seed:\n    enabled: true\n  # -- mine\n  mine: 2\n\n# -- b\nb: 1\n"
	if err != nil || string(back) != want {
		t.Fatalf("Remove = %q, %v; want %q", back, err, want)
	}
	// Force removal of a middle entry takes its value and its own comment only.
	edited := bytes.Replace(out2, []byte("enabled: true\n    image"), []byte("enabled: false\n    image"), 1)
	back, err = ForceRemove(edited, migration)
	if err != nil || string(back) != want {
		t.Fatalf("ForceRemove = %q, %v; want %q", back, err, want)
	}
	// The parent created by Insert stays when the user put something under it.
	created, _ := Insert([]byte("a: 1\n"), migration)
	withMine := append(append([]byte{}, created...), "  mine: 1\n"...)
	back, err = Remove(withMine, migration)
	if err != nil || string(back) != "a: 1\n\n# -- Helm hook Jobs added by hookgen\nhooks:\n  mine: 1\n" {
		t.Fatalf("Remove = %q, %v", back, err)
	}
}

func TestRemoveAbsent(t *testing.T) {
	for _, src := range []string{"", "a: 1\n", "hooks:\n  seed: 1\n", "hooks: {}\n", "hooks:\n"} {
		back, err := Remove([]byte(src), migration)
		if err != nil || string(back) != src {
			t.Errorf("Remove(%q) = %q, %v", src, back, err)
		}
	}
	if _, err := Remove([]byte("hooks: [1]\n"), migration); !errors.Is(err, ErrNotMap) {
		t.Errorf("Remove from a list: %v", err)
	}
}

func TestHas(t *testing.T) {
	for src, want := range map[string]bool{
		"":                             false,
		"hooks:\n":                     false,
		"hooks: {}\n":                  false,
		"hooks:\n  migration: 1\n":     true,
		"hooks:\n  other: 1\n":         false,
		"migration: 1\n":               false,
		"hooks:\n  \"migration\": 1\n": true,
	} {
		got, err := Has([]byte(src), "hooks", "migration")
		if err != nil || got != want {
			t.Errorf("Has(%q) = %v, %v; want %v", src, got, err, want)
		}
	}
	if _, err := Has([]byte("a: [\n"), "hooks", "x"); !errors.Is(err, ErrSyntax) {
		t.Errorf("Has on bad YAML: %v", err)
	}
}

func TestInvalidBlock(t *testing.T) {
	for _, b := range []Block{
		{Parent: "hooks", Name: "", Body: "a: 1"},
		{Parent: "", Name: "x", Body: "a: 1"},
		{Parent: "hooks", Name: "x", Body: ""},
		{Parent: "hooks", Name: "x", Body: "a: ["},
		{Parent: "hooks", Name: "x", Body: "a: 1", Comment: "not a comment"},
	} {
		if _, err := Insert([]byte("a: 1\n"), b); !errors.Is(err, ErrBlock) {
			t.Errorf("Insert(%+v): %v", b, err)
		}
	}
}

// TestBodyWithBlockScalarNotRescaled: a file with a 4-space step gets the
// body re-indented to 4, except when the body holds a block scalar.
func TestBodyRescale(t *testing.T) {
	b := Block{Parent: "hooks", Name: "x", Body: "cmd: |\n  echo a\n    echo b\nn: 1\n"}
	out, err := Insert([]byte("hooks:\n    seed: 1\n"), b)
	if err != nil {
		t.Fatal(err)
	}
	want := "hooks:\n    seed: 1\n    x:\n        cmd: |\n          echo a\n            echo b\n        n: 1\n"
	if string(out) != want {
		t.Fatalf("got %q\nwant %q", out, want)
	}
	checkProperties(t, []byte("hooks:\n    seed: 1\n"), b, out)
}

func TestQuotedNames(t *testing.T) {
	for _, name := range []string{"on", "a: b", "#x", "123", "null", "-x", "ä"} {
		b := Block{Parent: "weird key: yes", Name: name, Body: "a: 1\n"}
		for _, src := range []string{"", "a: 1\n"} {
			out, err := Insert([]byte(src), b)
			if err != nil {
				t.Fatalf("%q: %v", name, err)
			}
			checkProperties(t, []byte(src), b, out)
		}
	}
}

// TestCorpus inserts into every real values.yaml in the shared corpus, under
// a new key, under an existing map key and the CRLF version of each file.
func TestCorpus(t *testing.T) {
	corpus := testcharts.Shared(t, sharedcharts.Corpus)
	files, _ := filepath.Glob(filepath.Join(corpus, "*", "values.yaml"))
	overlays, _ := filepath.Glob(filepath.Join(corpus, "_values", "*.yaml"))
	files = append(files, overlays...)
	if len(files) == 0 {
		t.Fatalf("no values files in %s", corpus)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(filepath.Dir(f))+"/"+filepath.Base(f), func(t *testing.T) {
			for _, variant := range [][]byte{src, []byte(crlf(string(src))), bytes.TrimSuffix(src, []byte("\n"))} {
				out, err := Insert(variant, migration)
				if err != nil {
					t.Fatal(err)
				}
				checkProperties(t, variant, migration, out)
				// Under every existing top-level block map key.
				d, err := parse(variant)
				if err != nil {
					t.Fatal(err)
				}
				// Under existing top-level block map keys: the first few, some
				// spread through the file and the last (bounded to keep the test quick).
				var keys []int
				for i := 0; i+1 < len(d.root.Content); i += 2 {
					if v := d.root.Content[i+1]; v.Kind == yaml.MappingNode && v.Style&yaml.FlowStyle == 0 {
						keys = append(keys, i)
					}
				}
				var pick []int
				for j := range keys {
					if j < 3 || j == len(keys)-1 || j%(len(keys)/4+1) == 0 {
						pick = append(pick, keys[j])
					}
				}
				n := 0
				for _, i := range pick {
					k := d.root.Content[i]
					b := migration
					b.Parent = k.Value
					b.Name = "hookgenTestEntry"
					out, err := Insert(variant, b)
					if errors.Is(err, ErrUnsupported) {
						continue
					}
					if err != nil {
						t.Fatalf("under %s: %v", k.Value, err)
					}
					checkProperties(t, variant, b, out)
					n++
				}
				if n < 4 && filepath.Base(f) == "values.yaml" {
					t.Fatalf("only %d map keys tried", n)
				}
			}
		})
	}
}

func TestReplace(t *testing.T) {
	src := []byte("a: 1\n")
	out, err := Insert(src, migration)
	if err != nil {
		t.Fatal(err)
	}
	// The user edits our entry and adds a sibling after it.
	edited := bytes.Replace(out, []byte("enabled: true"), []byte("enabled: false"), 1)
	edited = append(edited, "  mine: 1\n"...)
	got, err := Replace(edited, migration)
	if err != nil {
		t.Fatal(err)
	}
	if want := string(out) + "  mine: 1\n"; string(got) != want {
		t.Fatalf("Replace:\n got %q\nwant %q", got, want)
	}
	// Replace of an identical entry is a no-op; of a missing one, an Insert.
	if again, err := Replace(got, migration); err != nil || !bytes.Equal(again, got) {
		t.Fatalf("Replace again = %q, %v", again, err)
	}
	if ins, err := Replace(src, migration); err != nil || !bytes.Equal(ins, out) {
		t.Fatalf("Replace into a file without the entry = %q, %v", ins, err)
	}
}

// TestForceRemoveNeedsOnlyNames: a caller that no longer knows the body can
// still remove the entry by parent and name.
func TestForceRemoveNeedsOnlyNames(t *testing.T) {
	src := []byte("a: 1\n")
	out, err := Insert(src, migration)
	if err != nil {
		t.Fatal(err)
	}
	b := Block{Parent: migration.Parent, ParentHeader: migration.ParentHeader, Name: migration.Name, Comment: migration.Comment}
	back, err := ForceRemove(out, b)
	if err != nil || !bytes.Equal(back, src) {
		t.Fatalf("ForceRemove = %q, %v", back, err)
	}
	// Without header and comment, the entry goes and the parent stays.
	back, err = ForceRemove(out, Block{Parent: "hooks", Name: "migration"})
	if err != nil || string(back) != "a: 1\n\n# -- Helm hook Jobs added by hookgen\nhooks: {}\n" {
		t.Fatalf("ForceRemove by name only = %q, %v", back, err)
	}
	if _, err := Remove(out, Block{Parent: "hooks", Name: "migration"}); !errors.Is(err, ErrBlock) {
		t.Fatalf("Remove without a body: %v", err)
	}
}
