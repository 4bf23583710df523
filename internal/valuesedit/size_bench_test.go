package valuesedit

import (
	"fmt"
	"math"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// bigValues returns a values file of about size bytes in the shape of a big
// real one: many components, each a commented map with nested maps, a list
// and a block scalar.
func bigValues(size int) []byte {
	var b strings.Builder
	b.Grow(size + 512)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `# -- Component %[1]d of the platform
component%[1]d:
  enabled: true
  replicas: %[1]d
  image:
    repository: registry.example.com/team/component%[1]d
    tag: "1.%[1]d.0"
  env:
    - name: COMPONENT_%[1]d_URL
      value: "http://component%[1]d:8080"
  config: |
    listen = ":8080"
    name = "component%[1]d"

`, i)
	}
	return []byte(b.String())
}

var sizeBlock = Block{
	Parent:       "hooks",
	ParentHeader: "# -- Helm hook Jobs added by hookgen",
	Name:         "migration",
	Comment:      "# -- Database migration hook (hookgen add migration)",
	Body:         "# -- Run the migration hook\nenabled: true\nimage:\n  repository: x\n  tag: \"1.0\"\nargs: []\n",
}

// BenchmarkInsertSize measures Insert on values files of 1 MB, Helm 3's
// limit (MaxValuesSize, 5 MiB) and 8 MB; with HOOKGEN_BENCH_50MB=1 also
// 50 MB (about 10 s and 3 GB allocated per edit, so not by default). Insert
// itself takes any size; the limit applies to what it returns.
func BenchmarkInsertSize(b *testing.B) {
	sizes := []int{1 << 20, MaxValuesSize - 1<<10, 8 << 20}
	if os.Getenv("HOOKGEN_BENCH_50MB") == "1" {
		sizes = append(sizes, 50<<20)
	}
	for _, size := range sizes {
		src := bigValues(size)
		limit := MaxValuesSize
		MaxValuesSize = math.MaxInt
		defer func() { MaxValuesSize = limit }()
		b.Run(fmt.Sprintf("%.1fMB", float64(size)/(1<<20)), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Insert(src, sizeBlock); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkInsertGrowth reports the growth exponent k of Insert's time
// t ~ size^k between a 1 MB and an 8 MB file (best of five each): 1 is
// linear, 2 quadratic. Issue 17 asks for at most 1.1. Single edits on a
// shared 2-core machine vary by up to 2x, so the estimate is the best of five.
func BenchmarkInsertGrowth(b *testing.B) {
	small, large := bigValues(1<<20), bigValues(8<<20)
	limit := MaxValuesSize
	MaxValuesSize = math.MaxInt
	defer func() { MaxValuesSize = limit }()
	best := func(src []byte) time.Duration {
		d := time.Duration(math.MaxInt64)
		for range 5 {
			runtime.GC() // each edit starts on a clean heap, as a hookgen process does
			t0 := time.Now()
			if _, err := Insert(src, sizeBlock); err != nil {
				b.Fatal(err)
			}
			d = min(d, time.Since(t0))
		}
		return d
	}
	var k float64
	for b.Loop() {
		ts, tl := best(small), best(large)
		k = math.Log(float64(tl)/float64(ts)) / math.Log(float64(len(large))/float64(len(small)))
	}
	b.ReportMetric(k, "exponent")
}
