package valuesedit

import (
	"os"
	"testing"
)

func BenchmarkInsertKong(b *testing.B) {
	src, err := os.ReadFile("/work/shared/corpus/kong/values.yaml")
	if err != nil {
		b.Skip(err)
	}
	for b.Loop() {
		if _, err := Insert(src, migration); err != nil {
			b.Fatal(err)
		}
	}
}
