package lint

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
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

// TestRuleFixes applies each rule's documented fix (testdata/rules/HGnnn/fix)
// to its bad fixture and lints again: the rule's findings are gone and no
// finding appears that the bad fixture did not already have. A fix file
// holds a template path, then "-" lines to replace and "+" lines that
// replace them (an empty "+" removes the line); "option release-name-length
// N" lints with that option instead; "# doc: TEXT" names text that must be in
// the rule's section of docs/rules.md, so the fix applied is the documented one.
func TestRuleFixes(t *testing.T) {
	docs, err := os.ReadFile("../../docs/rules.md")
	if err != nil {
		t.Fatal(err)
	}
	fixes, _ := filepath.Glob("testdata/rules/HG*/fix")
	for _, r := range Rules {
		if _, err := os.Stat(filepath.Join("testdata", "rules", r.ID, "fix")); err != nil {
			t.Errorf("rule %s has no documented fix to apply (testdata/rules/%s/fix)", r.ID, r.ID)
		}
	}
	for _, fix := range fixes {
		dir := filepath.Dir(fix)
		rule := filepath.Base(dir)
		t.Run(rule, func(t *testing.T) {
			section := ruleSection(string(docs), rule)
			opts := Options{}
			if b, err := os.ReadFile(filepath.Join(dir, "gitops")); err == nil {
				opts.GitOps = strings.TrimSpace(string(b))
			}
			before, err := Chart(filepath.Join(dir, "bad"), opts)
			if err != nil {
				t.Fatal(err)
			}
			tmp := t.TempDir()
			if err := os.CopyFS(tmp, os.DirFS(filepath.Join(dir, "bad"))); err != nil {
				t.Fatal(err)
			}
			b, _ := os.ReadFile(fix)
			var file string
			var old, repl []string
			var added []string
			apply := func() {
				if file == "" || len(old) == 0 {
					return
				}
				p := filepath.Join(tmp, file)
				src, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				o, n := strings.Join(old, "\n")+"\n", strings.Join(repl, "\n")+"\n"
				n = strings.ReplaceAll(n, "\n\n", "\n")
				if n == "\n" {
					n = ""
				}
				if !strings.Contains(string(src), o) {
					t.Fatalf("%s: %q not in %s", fix, o, file)
				}
				if err := os.WriteFile(p, []byte(strings.Replace(string(src), o, n, 1)), 0o644); err != nil {
					t.Fatal(err)
				}
				added = append(added, repl...)
				old, repl = nil, nil
			}
			for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
				switch {
				case strings.HasPrefix(l, "# doc: "):
					if d := strings.TrimPrefix(l, "# doc: "); !strings.Contains(section, d) {
						t.Errorf("docs/rules.md section %s does not give the fix %q", rule, d)
					}
				case strings.HasPrefix(l, "option release-name-length "):
					n, err := strconv.Atoi(strings.TrimPrefix(l, "option release-name-length "))
					if err != nil {
						t.Fatal(err)
					}
					opts.ReleaseNameLength = n
					if !strings.Contains(section, "--release-name-length") {
						t.Errorf("docs/rules.md section %s does not give the fix --release-name-length", rule)
					}
				case strings.HasPrefix(l, "-"):
					if len(repl) > 0 {
						apply()
					}
					old = append(old, l[1:])
				case strings.HasPrefix(l, "+"):
					repl = append(repl, l[1:])
				default:
					apply()
					file = l
				}
			}
			apply()
			after, err := Chart(tmp, opts)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, f := range before {
				seen[f.Rule+" "+f.Object] = true
			}
			for _, f := range after {
				if f.Rule == rule {
					t.Errorf("%s still reported after its fix: %s", rule, f.Message)
				} else if !seen[f.Rule+" "+f.Object] {
					t.Errorf("the fix for %s creates %s: %s", rule, f.Rule, f.Message)
				}
			}
			// The replacement is the documented fix, or the one the finding
			// itself gives: some added line says so.
			documented, any := false, false
			for _, a := range added {
				a = strings.TrimSpace(a)
				if a == "" {
					continue
				}
				any = true
				if strings.Contains(section, a) {
					documented = true
				}
				for _, f := range before {
					if f.Rule == rule && strings.Contains(f.Message, a) {
						documented = true
					}
				}
			}
			if any && !documented {
				t.Errorf("%s: none of the fix lines %q is in docs/rules.md or in the finding", rule, added)
			}
		})
	}
}

// ruleSection is the text of a rule's section in docs/rules.md.
func ruleSection(doc, rule string) string {
	start := strings.Index(doc, fmt.Sprintf("<a id=\"%s\"></a>", strings.ToLower(rule)))
	if start < 0 {
		return ""
	}
	rest := doc[start+1:]
	if end := strings.Index(rest, "<a id=\"hg"); end >= 0 {
		return doc[start : start+1+end]
	}
	return doc[start:]
}

// TestNeverAborts: lint renders the chart a second time with a long release
// name; charts Helm renders must never make that abort lint. Helpers kept in
// templates/_helpers/ and templates included by path are rendered with the
// hooks (HG012 is evaluated: the names below are too long at 53 characters),
// and the chart's own fail on long names is one HG031 while the other rules
// still run.
func TestNeverAborts(t *testing.T) {
	for _, tc := range []struct {
		chart string
		want  []string // rules that must be reported
		not   []string
	}{
		{"helpers-subdir", []string{"HG012"}, []string{"HG031"}},
		{"include-by-path", []string{"HG012"}, []string{"HG031"}},
		{"fail-long-name", []string{"HG031"}, []string{"HG012"}},
	} {
		t.Run(tc.chart, func(t *testing.T) {
			fs, err := Chart(filepath.Join("testdata", "charts", tc.chart), Options{})
			if err != nil {
				t.Fatalf("lint aborted: %v", err)
			}
			got := map[string]int{}
			for _, f := range fs {
				got[f.Rule]++
			}
			for _, r := range tc.want {
				if got[r] != 1 {
					t.Errorf("want one %s, got %d:\n%s", r, got[r], dump(fs))
				}
			}
			for _, r := range tc.not {
				if got[r] != 0 {
					t.Errorf("unexpected %s:\n%s", r, dump(fs))
				}
			}
		})
	}
	// With the chart's own limit the long-name check runs and passes.
	fs, err := Chart(filepath.Join("testdata", "charts", "fail-long-name"), Options{ReleaseNameLength: 40})
	if err != nil || len(fs) != 0 {
		t.Fatalf("fail-long-name at its own limit: %v %s", err, dump(fs))
	}
}

// TestExplain: every rule's page is printable, by ID or name.
func TestExplain(t *testing.T) {
	for _, r := range Rules {
		for _, q := range []string{r.ID, strings.ToLower(r.ID), r.Name} {
			page, err := Explain(q)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if !strings.HasPrefix(page, fmt.Sprintf("## %s %s (%s", r.ID, r.Name, r.Severity)) || !strings.Contains(page, "**Class:**") && !strings.Contains(page, "What") {
				t.Errorf("%s: page starts %q", q, page[:min(80, len(page))])
			}
			if strings.Contains(page, "<a id=") {
				t.Errorf("%s: page runs into the next rule", q)
			}
		}
	}
	if _, err := Explain("HG999"); err == nil || !strings.Contains(err.Error(), "unknown rule") {
		t.Errorf("HG999: %v", err)
	}
}
