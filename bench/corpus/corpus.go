// Package corpus names the real charts in ../shared/corpus and the values
// files its README says to render each with, for the benchmarks and the
// whole-process comparison driver.
package corpus

import (
	"errors"
	"os"
	"path/filepath"
)

// KubeVersion is the Kubernetes version the corpus charts are rendered for
// (several need >= 1.21; the README says 1.33.0).
const KubeVersion = "1.33.0"

// Chart is one corpus chart.
type Chart struct {
	Name string
	// Values are the values files the corpus README names, relative to the
	// corpus directory, in the order they are passed.
	Values []string
}

// Charts lists the corpus charts, as in the corpus README's table.
var Charts = []Chart{
	{Name: "ingress-nginx"},
	{Name: "kong", Values: []string{"_values/kong-hooks.yaml"}},
	{Name: "temporal", Values: []string{"temporal/ci/postgres-values.yaml", "_values/temporal-hooks.yaml"}},
	{Name: "argo-workflows"},
	{Name: "bitnami-postgresql", Values: []string{"_values/bitnami-postgresql-hooks.yaml"}},
	{Name: "bitnami-keycloak", Values: []string{"_values/bitnami-keycloak-hooks.yaml"}},
	{Name: "keycloakx", Values: []string{"_values/keycloakx-hooks.yaml"}},
}

// ValuesPaths returns c's values files as paths under corpus directory dir.
func (c Chart) ValuesPaths(dir string) []string {
	var out []string
	for _, v := range c.Values {
		out = append(out, filepath.Join(dir, v))
	}
	return out
}

// Dir finds the corpus: $HOOKGEN_CORPUS, else ../shared/corpus beside the
// repository that holds start (a directory inside it). It returns an error
// when neither exists, so callers can skip or say where to put it.
func Dir(start string) (string, error) {
	if d := os.Getenv("HOOKGEN_CORPUS"); d != "" {
		if _, err := os.Stat(d); err != nil {
			return "", err
		}
		return d, nil
	}
	root, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", errors.New("no go.mod above " + start + "; set HOOKGEN_CORPUS to the corpus directory")
		}
		root = parent
	}
	d := filepath.Join(root, "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(d, "README.md")); err != nil {
		return "", errors.New("corpus not found at " + d + "; set HOOKGEN_CORPUS to the corpus directory")
	}
	return filepath.Clean(d), nil
}
