// Package sharedcharts finds the collections of real public charts that are
// kept beside the repository, not in it: corpus (the seven charts of the
// corpus README, with their values files) and wide (charts with vendored
// dependencies). They are test and benchmark inputs, never part of the
// product, so a fresh clone works without them: callers skip or say where
// to put them.
//
// The location of a collection is, in order: $HOOKGEN_CORPUS or
// $HOOKGEN_WIDE (one collection), $HOOKGEN_SHARED/<collection> (the folder
// that holds both), or ../shared/<collection> beside the repository.
package sharedcharts

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The collections.
const (
	Corpus = "corpus"
	Wide   = "wide"
)

// Env names the variable that locates one collection.
func Env(collection string) string { return "HOOKGEN_" + strings.ToUpper(collection) }

// Location is where collection is looked for (it may not exist); root is
// the repository root, used for the default beside it.
func Location(collection, root string) string {
	if d := os.Getenv(Env(collection)); d != "" {
		return d
	}
	if d := os.Getenv("HOOKGEN_SHARED"); d != "" {
		return filepath.Join(d, collection)
	}
	return filepath.Clean(filepath.Join(root, "..", "shared", collection))
}

// Dir returns the directory of collection, or an error that says where it
// was looked for and how to point at it.
func Dir(collection, root string) (string, error) {
	d := Location(collection, root)
	if fi, err := os.Stat(d); err != nil || !fi.IsDir() {
		return "", fmt.Errorf("%s charts not found at %s (set HOOKGEN_SHARED to the folder holding %s/, or %s)", collection, d, collection, Env(collection))
	}
	return d, nil
}

// Root finds the repository root: the first directory at or above start
// that holds go.mod.
func Root(start string) (string, error) {
	root, err := filepath.Abs(start)
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			return root, nil
		}
		parent := filepath.Dir(root)
		if parent == root {
			return "", errors.New("no go.mod above " + start)
		}
		root = parent
	}
}
