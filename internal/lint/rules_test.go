package lint

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var wantMark = regexp.MustCompile(`# want (HG\d{3})`)

// wants reads the "# want HGnnn" marks in a chart's templates: the rule each
// marked line must be reported at.
func wants(t *testing.T, chart string) []string {
	t.Helper()
	var out []string
	files, _ := filepath.Glob(filepath.Join(chart, "templates", "*.yaml"))
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(fh)
		for n := 1; sc.Scan(); n++ {
			for _, m := range wantMark.FindAllStringSubmatch(sc.Text(), -1) {
				out = append(out, fmt.Sprintf("%s:%d %s", filepath.ToSlash(f), n, m[1]))
			}
		}
		fh.Close()
	}
	return out
}

// TestRuleFixtures lints testdata/rules/HGnnn/bad, which must report HGnnn
// at every line marked "# want HGnnn", and its fixed twin
// testdata/rules/HGnnn/good, which must lint completely clean (no finding of
// any rule or severity).
func TestRuleFixtures(t *testing.T) {
	dirs, err := filepath.Glob("testdata/rules/HG*")
	if err != nil {
		t.Fatal(err)
	}
	var covered []string
	for _, dir := range dirs {
		rule := filepath.Base(dir)
		covered = append(covered, rule)
		t.Run(rule, func(t *testing.T) {
			if RuleByID(rule) == nil {
				t.Fatalf("fixture for unknown rule %s", rule)
			}
			opts := Options{}
			if b, err := os.ReadFile(filepath.Join(dir, "gitops")); err == nil {
				opts.GitOps = strings.TrimSpace(string(b))
			}
			bad := filepath.Join(dir, "bad")
			fs, err := Chart(bad, opts)
			if err != nil {
				t.Fatal(err)
			}
			want := wants(t, bad)
			if len(want) == 0 {
				t.Fatalf("%s has no '# want %s' mark", bad, rule)
			}
			var got []string
			for _, f := range fs {
				if f.Rule == rule {
					got = append(got, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Rule))
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s findings of %s:\n got  %q\n want %q\nall findings:\n%s", bad, rule, got, want, dump(fs))
			}
			good := filepath.Join(dir, "good")
			fs, err = Chart(good, opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(fs) != 0 {
				t.Errorf("fixed twin %s is not clean:\n%s", good, dump(fs))
			}
		})
	}
	for _, r := range Rules {
		if !slices.Contains(covered, r.ID) {
			t.Errorf("rule %s has no fixture in testdata/rules", r.ID)
		}
	}
}

func dump(fs []Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "  %s:%d %s %s\n", f.File, f.Line, f.Rule, f.Message)
	}
	return b.String()
}

// TestRulesDocumented: every rule has its section in docs/rules.md, under
// the anchor its SARIF helpUri points to, with its name and severity.
func TestRulesDocumented(t *testing.T) {
	b, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, r := range Rules {
		anchor := strings.ToLower(r.ID)
		if !strings.HasSuffix(r.HelpURI(), "#"+anchor) {
			t.Errorf("%s: helpUri %s", r.ID, r.HelpURI())
		}
		head := fmt.Sprintf("<a id=\"%s\"></a>\n## %s %s (%s", anchor, r.ID, r.Name, r.Severity)
		if !strings.Contains(doc, head) {
			t.Errorf("docs/rules.md has no section starting %q", head)
		}
		row := fmt.Sprintf("| [%s](#%s) | %s", r.ID, anchor, r.Name)
		if !strings.Contains(doc, row) {
			t.Errorf("docs/rules.md rule table has no row %q", row)
		}
	}
}
