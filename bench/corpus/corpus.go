// Package corpus names the real charts in ../shared/corpus and the values
// files its README says to render each with, for the benchmarks and the
// whole-process comparison driver.
package corpus

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/hookgen/hookgen/internal/sharedcharts"
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

// Dir finds the corpus (see internal/sharedcharts: $HOOKGEN_CORPUS,
// $HOOKGEN_SHARED/corpus, else ../shared/corpus beside the repository that
// holds start, a directory inside it). It returns an error when it is
// absent, so callers can skip or say where to put it.
func Dir(start string) (string, error) {
	root, err := sharedcharts.Root(start)
	if err != nil && os.Getenv(sharedcharts.Env(sharedcharts.Corpus)) == "" && os.Getenv("HOOKGEN_SHARED") == "" {
		return "", errors.New(err.Error() + "; set HOOKGEN_CORPUS to the corpus directory")
	}
	return sharedcharts.Dir(sharedcharts.Corpus, root)
}
