package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// benchPackages hold the hot-path benchmarks (each in a *_bench_test.go).
var benchPackages = []string{
	"./internal/render",     // render and hook extraction
	"./generators",          // chart inspection, plan of file changes, verify
	"./internal/valuesedit", // values insertion
	"./internal/plan",       // hookgen plan in process
	"./internal/lint",       // lint rules in process
}

// benchstatVersion pins golang.org/x/perf's benchstat, run with `go run`
// so it stays out of hookgen's go.mod.
const benchstatVersion = "v0.0.0-20260908200009-22c9c6c9d4da"

// GoBench is the median of one benchmark's -count runs.
type GoBench struct {
	Pkg      string  `json:"pkg"`
	Name     string  `json:"name"` // without the -GOMAXPROCS suffix
	Runs     int     `json:"runs"`
	NsOp     float64 `json:"ns_per_op"`
	BytesOp  float64 `json:"bytes_per_op"`
	AllocsOp float64 `json:"allocs_per_op"`
}

// runGoBench runs every benchmark of benchPackages; the raw output is what
// benchstat reads.
func runGoBench(root, benchTime string, count int) (string, error) {
	args := append([]string{"test", "-run", "^$", "-bench", ".", "-benchmem",
		"-benchtime", benchTime, "-count", strconv.Itoa(count)}, benchPackages...)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	err := cmd.Run()
	if err != nil {
		err = fmt.Errorf("go %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), err
}

var benchLine = regexp.MustCompile(`^(Benchmark\S+?)(?:-\d+)?\s+(\d+)\s+(.*)$`)

func parseGoBench(raw string) []GoBench {
	type acc struct {
		pkg               string
		ns, bytes, allocs []float64
	}
	var order []string
	all := map[string]*acc{}
	pkg := ""
	sc := bufio.NewScanner(strings.NewReader(raw))
	for sc.Scan() {
		line := sc.Text()
		if p, ok := strings.CutPrefix(line, "pkg: "); ok {
			pkg = strings.TrimPrefix(strings.TrimSpace(p), "github.com/hookgen/hookgen/")
			continue
		}
		m := benchLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		key := pkg + " " + m[1]
		a := all[key]
		if a == nil {
			a = &acc{pkg: pkg}
			all[key] = a
			order = append(order, key)
		}
		f := strings.Fields(m[3])
		for i := 0; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			switch f[i+1] {
			case "ns/op":
				a.ns = append(a.ns, v)
			case "B/op":
				a.bytes = append(a.bytes, v)
			case "allocs/op":
				a.allocs = append(a.allocs, v)
			}
		}
	}
	var out []GoBench
	for _, k := range order {
		a := all[k]
		_, name, _ := strings.Cut(k, " ")
		out = append(out, GoBench{Pkg: a.pkg, Name: name, Runs: len(a.ns), NsOp: median(a.ns), BytesOp: median(a.bytes), AllocsOp: median(a.allocs)})
	}
	return out
}

func (r *Result) goBench(name string) (GoBench, bool) {
	for _, g := range r.GoBench {
		if g.Name == name {
			return g, true
		}
	}
	return GoBench{}, false
}

// benchstat compares two raw `go test -bench` outputs with golang.org/x/perf's
// benchstat; it returns its table, or why it could not run.
func benchstat(work, oldRaw, newRaw string) string {
	dir, err := os.MkdirTemp(work, "benchstat-")
	if err != nil {
		return err.Error()
	}
	o, n := filepath.Join(dir, "old.txt"), filepath.Join(dir, "new.txt")
	if err := os.WriteFile(o, []byte(oldRaw), 0o644); err != nil {
		return err.Error()
	}
	if err := os.WriteFile(n, []byte(newRaw), 0o644); err != nil {
		return err.Error()
	}
	cmd := exec.Command("go", "run", "golang.org/x/perf/cmd/benchstat@"+benchstatVersion, "old.txt", "new.txt")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	b, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Sprintf("benchstat did not run (%v):\n%s", err, b)
	}
	return string(b)
}
