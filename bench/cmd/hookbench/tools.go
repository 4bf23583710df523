package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// HelmVersion is the Helm CLI hookgen is compared with: the release whose
// SDK hookgen renders with (go.mod).
const HelmVersion = "v4.3.1"

const helmModule = "helm.sh/helm/v4"

// buildHookgen builds cmd/hookgen the way `make build` does (trimpath,
// stripped), so the measured binary is the shipped one.
func buildHookgen(root, dir string) (string, error) {
	bin, err := build(root, dir, "./cmd/hookgen")
	if err != nil {
		return "", fmt.Errorf("building hookgen: %v (pass -hookgen with a built binary to measure another)", err)
	}
	return bin, nil
}

// buildFloor builds bench/cmd/renderfloor with the same flags as hookgen,
// so the two binaries differ only in what they do.
func buildFloor(root, dir string) (string, error) {
	bin, err := build(root, dir, "./bench/cmd/renderfloor")
	if err != nil {
		return "", fmt.Errorf("building renderfloor: %v", err)
	}
	return bin, nil
}

// build compiles the main package pkg of the repository at root into dir,
// trimmed and stripped as `make build` does.
func build(root, dir, pkg string) (string, error) {
	bin := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, pkg)
	cmd.Dir = root
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	return bin, cmd.Run()
}

// findHelm returns a Helm v4.3.1 CLI: -helm if given, else the one the e2e
// build script left in its cache (same version stamp), else one built here
// from the module proxy into hookgen-bench's own cache, once.
func findHelm(flag string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	home, _ := os.UserHomeDir()
	e2e := os.Getenv("HOOKGEN_E2E_CACHE")
	if e2e == "" {
		e2e = filepath.Join(home, ".cache", "hookgen-e2e")
	}
	if b, err := os.ReadFile(filepath.Join(e2e, "bin", ".helm4.version")); err == nil && strings.TrimSpace(string(b)) == HelmVersion {
		if bin := filepath.Join(e2e, "bin", "helm4"); isExec(bin) {
			return bin, nil
		}
	}
	cache := os.Getenv("HOOKGEN_BENCH_CACHE")
	if cache == "" {
		uc, err := os.UserCacheDir()
		if err != nil {
			return "", err
		}
		cache = filepath.Join(uc, "hookgen-bench")
	}
	bin := filepath.Join(cache, "bin", "helm-"+HelmVersion)
	if isExec(bin) {
		return bin, nil
	}
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(bin), ".build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	logf("building helm %s from the module proxy into %s (once; a few minutes)", HelmVersion, filepath.Dir(bin))
	// Same link flags as a Helm release build, so `helm version` and the
	// default Kubernetes version are the release's.
	ld := fmt.Sprintf("-s -w -X %[1]s/internal/version.version=%[2]s -X %[1]s/internal/version.gitTreeState=clean", helmModule, HelmVersion)
	cmd := exec.Command("go", "install", "-trimpath", "-ldflags", ld, helmModule+"/cmd/helm@"+HelmVersion)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOBIN="+tmp, "GOWORK=off", "GOFLAGS=-buildvcs=false")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building helm %s: %v (pass -helm with a helm %s binary)", HelmVersion, err, HelmVersion)
	}
	if err := os.Rename(filepath.Join(tmp, "helm"), bin); err != nil {
		return "", err
	}
	return bin, nil
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// output runs a command and returns its trimmed stdout, or "" on failure.
func output(dir, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	b, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}
