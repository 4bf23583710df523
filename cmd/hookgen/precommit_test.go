package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The pre-commit hook runs this command (pre-commit installs the module's
// commands with go install, so the entry is the binary's name) and triggers
// on the files that change a chart's rendering.
func TestPreCommitHook(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID            string `yaml:"id"`
		Entry         string `yaml:"entry"`
		Language      string `yaml:"language"`
		PassFilenames *bool  `yaml:"pass_filenames"`
		Files         string `yaml:"files"`
	}
	if err := yaml.Unmarshal(b, &hooks); err != nil {
		t.Fatal(err)
	}
	if len(hooks) != 1 || hooks[0].ID != "hookgen-lint" {
		t.Fatalf("hooks %+v, want one hookgen-lint", hooks)
	}
	h := hooks[0]
	if h.Language != "golang" || h.Entry != "hookgen lint" || h.PassFilenames == nil || *h.PassFilenames {
		t.Errorf("hook %+v: want language golang, entry \"hookgen lint\", pass_filenames false (lint takes chart directories)", h)
	}
	if _, err := os.Stat(filepath.Join("..", "..", "cmd", strings.Fields(h.Entry)[0])); err != nil {
		t.Errorf("entry %q is not a command of this module: %v", h.Entry, err)
	}
	files := regexp.MustCompile(h.Files)
	for _, p := range []string{"Chart.yaml", "charts/app/values.yaml", "charts/app/values-prod.yaml", "app/templates/job.yaml", "app/templates/_helpers.tpl", "app/charts/postgresql-11.9.13.tgz", "app/.helmignore"} {
		if !files.MatchString(p) {
			t.Errorf("files does not match %s", p)
		}
	}
	for _, p := range []string{"README.md", "main.go", "docs/values.md"} {
		if files.MatchString(p) {
			t.Errorf("files matches %s", p)
		}
	}
}
