package changeset

import "testing"

// BenchmarkApply measures one add-sized apply (five files: two new in new
// directories, an edit, an overwrite, a delete) with its fsyncs and journal.
func BenchmarkApply(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		root := b.TempDir()
		write(b, root, "Chart.yaml", "apiVersion: v2\nname: app\nversion: 0.1.0\n", 0o644)
		write(b, root, "values.yaml", "a: 1\r\n", 0o600)
		write(b, root, "templates/deployment.yaml", "kind: Deployment\n", 0o644)
		write(b, root, "templates/tests/old.yaml", "old\n", 0o644)
		s := fullSet(b, root)
		b.StartTimer()
		if err := s.Apply(); err != nil {
			b.Fatal(err)
		}
	}
}
