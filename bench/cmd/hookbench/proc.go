package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

// Sample is one whole-process run.
type Sample struct {
	CPU    time.Duration `json:"cpu_ns"`    // user + system time of the process
	Wall   time.Duration `json:"wall_ns"`   // start to exit, as the caller sees it
	MaxRSS int64         `json:"maxrss_kb"` // peak resident set, KiB (Linux getrusage)
	Exit   int           `json:"exit"`
}

// Measure is one command measured several times.
type Measure struct {
	Label string   `json:"label"` // e.g. "hookgen plan"
	Tool  string   `json:"tool"`  // "hookgen" or "helm"
	Args  []string `json:"args"`  // argv[1:], as run (paths are the run's temporary copies)
	// OKExit lists the exit codes that mean "worked" (lint exits 1 on
	// findings, add --dry-run exits 7 when it would change files).
	OKExit  []int    `json:"ok_exit"`
	Samples []Sample `json:"samples"`
	// Err is set when a run exited with a code not in OKExit; the measure
	// is then left out of every ratio.
	Err string `json:"error,omitempty"`

	MedianCPU  time.Duration `json:"median_cpu_ns"`
	MedianWall time.Duration `json:"median_wall_ns"`
	MedianRSS  int64         `json:"median_maxrss_kb"`
	PeakRSS    int64         `json:"peak_maxrss_kb"`

	bin string
	dir string
	env []string
}

// OK says whether every run worked.
func (m *Measure) OK() bool { return m.Err == "" && len(m.Samples) > 0 }

func (m *Measure) runOnce() (Sample, error) {
	cmd := exec.Command(m.bin, m.Args...)
	cmd.Dir = m.dir
	cmd.Env = append(os.Environ(), m.env...)
	var stderr bytes.Buffer
	cmd.Stdout = nil // /dev/null for both tools: output cost is the same
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if cmd.ProcessState == nil {
		return Sample{}, fmt.Errorf("%s: %v", m.Label, err)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	s := Sample{
		CPU:    time.Duration(ru.Utime.Nano() + ru.Stime.Nano()),
		Wall:   wall,
		MaxRSS: ru.Maxrss,
		Exit:   cmd.ProcessState.ExitCode(),
	}
	if !slices.Contains(m.OKExit, s.Exit) {
		line := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			line = line[:i]
		}
		return s, fmt.Errorf("exit %d: %s", s.Exit, line)
	}
	return s, nil
}

// runAlternating runs every measure of ms once as a warm-up (page cache,
// binary mapped), then runs times rounds; in each round every command runs
// once, and the starting command rotates, so a slow patch on the machine
// falls on all of them alike. Samples add to those of earlier calls.
func runAlternating(ms []*Measure, runs int) {
	for _, m := range ms {
		if _, err := m.runOnce(); err != nil {
			m.Err = err.Error()
		}
	}
	for r := range runs {
		for i := range ms {
			m := ms[(i+r)%len(ms)]
			if m.Err != "" {
				continue
			}
			s, err := m.runOnce()
			if err != nil {
				m.Err = err.Error()
				continue
			}
			m.Samples = append(m.Samples, s)
		}
	}
	for _, m := range ms {
		m.summarise()
	}
}

func (m *Measure) summarise() {
	if len(m.Samples) == 0 {
		return
	}
	var cpu, wall []time.Duration
	var rss []int64
	for _, s := range m.Samples {
		cpu = append(cpu, s.CPU)
		wall = append(wall, s.Wall)
		rss = append(rss, s.MaxRSS)
	}
	m.MedianCPU, m.MedianWall, m.MedianRSS = median(cpu), median(wall), median(rss)
	m.PeakRSS = slices.Max(rss)
}

func median[T int64 | time.Duration | float64](xs []T) T {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
