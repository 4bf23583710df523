package generators

import (
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/util/validation"
)

func TestCopyName(t *testing.T) {
	for _, orig := range []string{
		"release-name-blog-db",
		strings.Repeat("a", 240) + "-x.y",
		strings.Repeat("b", 236) + "-" + strings.Repeat("c", 16), // cut right after the "-"
		strings.Repeat("d", 237) + "." + strings.Repeat("e", 15), // cut right after the "."
	} {
		got := CopyName(orig, "migration")
		if errs := validation.IsDNS1123Subdomain(got); len(errs) > 0 {
			t.Errorf("CopyName(%q) = %q: %v", orig, got, errs)
		}
		if !strings.HasSuffix(got, "-hookgen-migration") || got == orig {
			t.Errorf("CopyName(%q) = %q, want a name that ends in -hookgen-migration", orig, got)
		}
	}
	if got := CopyName("release-name-blog-db", "seed"); got != "release-name-blog-db-hookgen-seed" {
		t.Errorf("CopyName = %q", got)
	}
}
