package oneline

import (
	"errors"
	"testing"
)

func TestOf(t *testing.T) {
	for in, want := range map[string]string{
		"one line":                          "one line",
		"  padded \t words  ":               "padded words",
		"first\nsecond\n":                   "first; second",
		"template: x:3: error\n\t  because": "template: x:3: error because",
		"a\n\n\nb":                          "a; b",
		"a\r\nb":                            "a; b",
		"":                                  "",
	} {
		if got := Of(in); got != want {
			t.Errorf("Of(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Err(errors.New("x\ny")); got != "x; y" {
		t.Errorf("Err = %q", got)
	}
}
