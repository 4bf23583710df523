package generators

import "testing"

// Every task in the catalog says what sets it apart: resolve and render
// ask its kind, and the template's title and init's order come from it.
func TestTaskCatalogComplete(t *testing.T) {
	seen := map[int]string{}
	for _, task := range Tasks {
		if task.kind == nil || task.title == "" {
			t.Errorf("task %s: kind or title missing (define both in its task_*.go)", task.Name)
		}
		if task.rank != 0 {
			if other, dup := seen[task.rank]; dup {
				t.Errorf("tasks %s and %s share rank %d", other, task.Name, task.rank)
			}
			seen[task.rank] = task.Name
		}
		for _, f := range task.Flags {
			if FlagTask(f) != task.Name {
				t.Errorf("flag %s of %s is claimed by %s too", f, task.Name, FlagTask(f))
			}
		}
	}
}
