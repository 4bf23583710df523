package listflag

import (
	"reflect"
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"sh,-c,echo hi", []string{"sh", "-c", "echo hi"}},
		// Issue 17 case 4: a line break outside quotes is part of the part.
		{"sh,-c,set -e\n./migrate up", []string{"sh", "-c", "set -e\n./migrate up"}},
		{"sh,-c,a\r\nb", []string{"sh", "-c", "a\r\nb"}},
		// Issue 17 case 7: NEL and a CR inside quotes are kept.
		{"sh,-c,\"a\rb\"", []string{"sh", "-c", "a\rb"}},
		{"echo,a\u0085b", []string{"echo", "a\u0085b"}},
		{"\"x\u0085,y\"", []string{"x\u0085,y"}},
		{`sh,-c,"echo a,b"`, []string{"sh", "-c", "echo a,b"}},
		{`sh,-c,"say ""hi"""`, []string{"sh", "-c", `say "hi"`}},
		{`sh,-c,echo "a b"`, []string{"sh", "-c", `echo "a b"`}},
		{`"a"b",c`, []string{`a"b`, "c"}},
		{"a,,b", []string{"a", "", "b"}},
		{"a,", []string{"a", ""}},
		{"", []string{""}},
		{`""`, []string{""}},
	} {
		got, err := Split(c.in)
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("Split(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	for _, in := range []string{`"abc`, `sh,"-c`, `a,"b""`, `"a"b,c`} {
		if _, err := Split(in); err == nil || !strings.Contains(err.Error(), "never ends") {
			t.Errorf("Split(%q): err %v, want an unterminated quote", in, err)
		}
	}
	_, err := SplitAll("--command", []string{`sh,"x`})
	if want := `--command "sh,\"x": the double quote at byte 4 opens a part that never ends`; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("SplitAll error %v, want prefix %q", err, want)
	}
}

func TestSplitAll(t *testing.T) {
	got, err := SplitAll("--args", []string{"a,b", "", "c\nd"})
	if want := []string{"a", "b", "c\nd"}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("SplitAll = %q, %v; want %q", got, err, want)
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"sh,-c,echo", "a\nb,c", `"a,b",c`, `"x""y"`, "\u0085\r", `"`, `a"b`, ",,"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parts, err := Split(s)
		if err != nil {
			if !strings.Contains(s, `"`) {
				t.Fatalf("Split(%q) failed without a quote: %v", s, err)
			}
			return
		}
		if !strings.Contains(s, `"`) && !reflect.DeepEqual(parts, strings.Split(s, ",")) {
			t.Fatalf("Split(%q) = %q, want the comma-separated parts", s, parts)
		}
		// Nothing is lost: Join gives back a value that splits the same.
		again, err := Split(Join(parts))
		if err != nil || !reflect.DeepEqual(again, parts) {
			t.Fatalf("Split(Join(%q)) = %q, %v", parts, again, err)
		}
		// Every byte outside the quoting is kept.
		if n := len(strings.Join(parts, "")); n > len(s) {
			t.Fatalf("parts of %q are longer than the input", s)
		}
	})
}
