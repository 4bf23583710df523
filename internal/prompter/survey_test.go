package prompter

import (
	"os"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	text := "after templates render, before any release resource is created (first install only)"
	got := wrap(text, 80, len("> [x]  pre-install - "))
	lines := strings.Split(got, "\n")
	if len(lines) != 2 {
		t.Fatalf("got %q", got)
	}
	for _, l := range lines {
		if len("> [x]  pre-install - ")+len(l) > 80 {
			t.Errorf("line too long: %q", l)
		}
	}
	if !strings.HasPrefix(lines[1], strings.Repeat(" ", 21)+"created") {
		t.Errorf("continuation not under the first line: %q", lines[1])
	}
	if wrap(text, 0, 10) != text || wrap("short", 80, 10) != "short" {
		t.Errorf("wrapped without need")
	}
}

// Ctrl-D reaches survey as Ctrl-C, so it stops instead of accepting a default.
func TestEOTAsInterrupt(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("a\x04b"))
	w.Close()
	buf := make([]byte, 8)
	n, _ := eotAsInterrupt{r}.Read(buf)
	if got := string(buf[:n]); got != "a\x03b" {
		t.Errorf("read %q", got)
	}
}
