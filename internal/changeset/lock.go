package changeset

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Lock is a per-chart advisory lock: an flock(2) on the chart directory
// itself, so no file appears in the chart and a killed holder releases it
// at once. Commands that write a chart hold it exclusively from before the
// first read to after the last write; commands that only read hold it shared,
// so they never see a write half done.
type Lock struct {
	f *os.File
}

// LockTimeout is how long Acquire waits for another run's lock by default.
// HOOKGEN_LOCK_TIMEOUT (a Go duration, e.g. 2m) overrides it.
var LockTimeout = 30 * time.Second

// BusyError: another process holds the chart's lock past the timeout.
type BusyError struct {
	Dir  string
	PID  int // 0 when the holder cannot be found
	Wait time.Duration
}

func (e *BusyError) Error() string {
	who := "another hookgen run"
	if e.PID > 0 {
		who += " (pid " + strconv.Itoa(e.PID) + ")"
	}
	return fmt.Sprintf("%s is using the chart %s; waited %s: let it finish (or stop it) and run hookgen again, or wait longer with HOOKGEN_LOCK_TIMEOUT=2m", who, e.Dir, e.Wait)
}

// Acquire takes the lock of the chart directory dir, waiting up to the
// timeout (LockTimeout, or HOOKGEN_LOCK_TIMEOUT) while another process holds
// it. exclusive is for commands that write.
func Acquire(dir string, exclusive bool) (*Lock, error) {
	wait := LockTimeout
	if v := os.Getenv("HOOKGEN_LOCK_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return nil, fmt.Errorf("HOOKGEN_LOCK_TIMEOUT=%q is not a duration; use e.g. 30s or 2m", v)
		}
		wait = d
	}
	f, err := os.Open(dir)
	if err != nil {
		return nil, &FSError{Op: "read", Path: dir, Err: err}
	}
	deadline := time.Now().Add(wait)
	for delay := 5 * time.Millisecond; ; delay = min(delay*2, 100*time.Millisecond) {
		ok, err := tryLock(f, exclusive)
		if err != nil {
			f.Close()
			if errors.Is(err, errNoLocks) {
				return &Lock{}, nil // the file system has no locks: run unlocked
			}
			return nil, &FSError{Op: "lock", Path: dir, Err: err}
		}
		if ok {
			return &Lock{f: f}, nil
		}
		if time.Now().After(deadline) {
			pid := holder(f)
			f.Close()
			return nil, &BusyError{Dir: filepath.Clean(dir), PID: pid, Wait: wait}
		}
		time.Sleep(delay)
	}
}

// Release gives the lock up. It is safe to call more than once.
func (l *Lock) Release() {
	if l != nil && l.f != nil {
		unlock(l.f)
		l.f.Close()
		l.f = nil
	}
}
