//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// cluster is shared by every test in the run; each test works in its own
// namespace.
var cluster *Cluster

// started is the cluster for the signal handler, which may run while the
// cluster is still starting (then it waits for the start to give up).
var started atomic.Pointer[Cluster]

func TestMain(m *testing.M) {
	// The components are started from this goroutine; locking it to the main
	// thread makes their Pdeathsig fire only when the test binary itself dies.
	runtime.LockOSThread()
	os.Exit(run(m))
}

func run(m *testing.M) int {
	t0 := time.Now()
	dir, err := os.MkdirTemp("", "hookgen-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Ctrl-C or SIGTERM: stop exactly what we started, then exit.
	startDone := make(chan struct{})
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sigs
		fmt.Fprintf(os.Stderr, "e2e: %v: stopping the control plane (data in %s)\n", s, dir)
		cancel() // a start in progress stops what it started and returns
		select {
		case <-startDone:
		case <-time.After(30 * time.Second):
		}
		started.Load().Stop()
		os.Exit(130)
	}()

	c, err := StartCluster(ctx, dir, os.Stderr)
	started.Store(c)
	close(startDone)
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: control plane did not start: %v\ndata kept in %s\n", err, dir)
		return 1
	}
	cluster = c
	c.Step(fmt.Sprintf("control plane ready, pids %v", c.PIDs()), t0)

	code := m.Run()

	cluster.Stop()
	if code != 0 || os.Getenv("HOOKGEN_E2E_KEEP") != "" {
		fmt.Fprintf(os.Stderr, "e2e: data and component logs kept in %s\n", dir)
	} else {
		os.RemoveAll(dir)
	}
	fmt.Fprintf(os.Stderr, "e2e: total %.1fs\n", time.Since(t0).Seconds())
	return code
}

// majors are the Helm CLIs every scenario runs under: both, unless
// HOOKGEN_E2E_HELM names one ("3" or "4").
func majors() []int {
	switch os.Getenv("HOOKGEN_E2E_HELM") {
	case "3":
		return []int{3}
	case "4":
		return []int{4}
	}
	return []int{3, 4}
}

// forEachHelm runs f as a subtest per Helm major, each in its own namespace.
func forEachHelm(t *testing.T, f func(t *testing.T, h *Helm, ns string)) {
	for _, major := range majors() {
		t.Run(fmt.Sprintf("helm%d", major), func(t *testing.T) {
			t0 := time.Now()
			h := cluster.Helm(t, major)
			ns := cluster.Namespace(t)
			f(t, h, ns)
			t.Logf("%s took %.1fs", t.Name(), time.Since(t0).Seconds())
		})
	}
}
