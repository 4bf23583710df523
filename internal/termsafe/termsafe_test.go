package termsafe

import (
	"strings"
	"testing"
)

func TestWriter(t *testing.T) {
	for _, c := range []struct {
		in, want string
		sgr      bool
	}{
		{"Job/a\rJob/b\x1b[2K\a ok\n", `Job/a\rJob/b\x1b[2K\x07 ok` + "\n", false},
		{"\x1b[31mred\x1b[0m \x1b[1A", "\x1b[31mred\x1b[0m " + `\x1b[1A`, true},
		{"\x1b[31m", `\x1b[31m`, false},
		{"a\u0085b\tc é", `a\u0085b` + "\tc é", false},
	} {
		var b strings.Builder
		Writer(&b, c.sgr).Write([]byte(c.in))
		if b.String() != c.want {
			t.Errorf("%q: got %q, want %q", c.in, b.String(), c.want)
		}
	}
}
