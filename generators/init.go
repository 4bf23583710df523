package generators

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"

	"github.com/hookgen/hookgen/internal/render"
)

// DefaultInitTasks is the standard set `hookgen init` adds: what every
// application with a database needs on install, upgrade and uninstall.
var DefaultInitTasks = []string{backupTask.Name, migrationTask.Name, seedTask.Name}

// InitChoices are the tasks init offers. restore is never a default: at
// pre-rollback it replaces the database with the dump of the revision
// rolled back to, discarding what was written since, which a chart author
// must choose knowingly. smoke-test runs only with helm test, but needs a
// Service of the chart's own, which not every chart has.
var InitChoices = []string{backupTask.Name, restoreTask.Name, migrationTask.Name, seedTask.Name, smokeTask.Name}

// Bootstrap is what `init` writes: several hooks planned together, as one
// set of files.
type Bootstrap struct {
	Outputs []*Output // the hooks added, in the order they were planned
	Present []string  // hooks the chart already had, left as they are
	Files   []File    // every file to write: helpers, hook templates, values.yaml
	// Rendered is the chart rendered with Files (RenderChange, install,
	// default release name), on which the last hook was planned; nil when
	// no hook was added.
	Rendered *render.Result
}

// PlanBootstrap plans the requested hooks in one go: in hookgen's order
// (backup, migration, seed, then the rest) so each is weighted against the
// ones before it, sharing one helpers file and one values section. Hooks the
// chart already has (by name or by hookgen task label) are skipped.
func PlanBootstrap(info *ChartInfo, reqs []Request) (*Bootstrap, error) {
	sort.SliceStable(reqs, func(i, j int) bool { return rankOf(reqs[i].Task) < rankOf(reqs[j].Task) })
	b := &Bootstrap{}
	existing := map[string]bool{}
	for _, h := range info.Chart.Rendered.Hooks {
		if t := hookTask(h); t != "" {
			existing[t] = true
		}
	}
	cur := *info
	files := map[string][]byte{}
	kinds := map[string]FileKind{} // each file's write policy, as its generator gave it
	var planned []*release.Hook    // the hook objects planned so far
	var names []string
	for _, req := range reqs {
		name := req.Name
		if name == "" {
			name = req.Task.Name
		}
		_, statErr := os.Stat(filepath.Join(info.Chart.Dir, "templates", "hooks", name+".yaml"))
		if statErr == nil || existing[req.Task.Name] {
			b.Present = append(b.Present, name)
			continue
		}
		out, err := Generate(&cur, req)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		b.Outputs = append(b.Outputs, out)
		names = append(names, name)
		for _, f := range out.Files {
			files[f.Path], kinds[f.Path] = f.Content, f.Kind
		}
		// The chart as planned so far: the next hook's weight is planned
		// against this one's plan, which verification checks in the render
		// below (its events, weight and copies), instead of a render per hook.
		planned = append(planned, out.plannedHooks(info)...)
		cur.Chart = info.Chart.WithHooks(files, planned)
	}
	if len(b.Outputs) > 0 {
		next, err := info.Chart.Changed(files)
		if err != nil {
			return nil, fmt.Errorf("%s: the chart does not render with the planned hooks: %w", strings.Join(names, ", "), err)
		}
		b.Rendered = next.Rendered
	}
	var paths []string
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		b.Files = append(b.Files, File{Path: p, Content: files[p], Kind: kinds[p]})
	}
	return b, nil
}

// plannedHooks are the hook objects out adds as its plan says they render
// for the analysis release: the Job and its hook copies, with their events,
// weights, delete policies and the Job's task label, which is what the next
// hook is planned against (planWeight, planCopyWeight, the tie warnings).
// verify.HooksRendered checks each of these against Helm's render. A hook
// that renders only when asked for (VerifySet) adds none, as in a render
// with the user's values.
func (out *Output) plannedHooks(info *ChartInfo) []*release.Hook {
	h := out.Hook
	if len(out.VerifySet) > 0 {
		return nil
	}
	path := info.Chart.Name + "/" + h.TemplatePath
	hooks := []*release.Hook{{
		Name: plannedName(info, h.Name), Kind: "Job", Path: path,
		Events: h.Events, Weight: h.Weight, DeletePolicies: h.DeletePolicies,
		Manifest: fmt.Sprintf("kind: Job\nmetadata:\n  labels:\n    hookgen.io/task: %q\n", h.Task.Name),
	}}
	for _, c := range h.Copies {
		hooks = append(hooks, &release.Hook{Name: c.CopyName, Kind: c.Kind, Path: path, Events: h.Events, Weight: h.CopyWeight, DeletePolicies: DefaultCopyDeletePolicies})
	}
	return hooks
}

// plannedName is the Job name hookgen.name gives for the analysis release
// (templates/helpers.tpl.tmpl): the chart's fullname, or without a fullname
// helper Helm's default (the release name when it holds the chart's name),
// cut to leave room for the hook's name, then the hook's name. Only hooks
// of equal weight are ordered by name, and hookgen plans no tie with its
// own hooks.
func plannedName(info *ChartInfo, hook string) string {
	fullname := info.renderedFullname()
	if fullname == "" {
		fullname = render.DefaultReleaseName
		if !strings.Contains(fullname, info.Chart.Name) {
			fullname += "-" + info.Chart.Name
		}
	}
	if n := 62 - len(hook); len(fullname) > n && n >= 0 {
		fullname = fullname[:n]
	}
	return strings.TrimSuffix(fullname, "-") + "-" + hook
}

// rankOf orders tasks for init: hookgen's ranked tasks first, in order.
func rankOf(t Task) int {
	if t.rank == 0 {
		return len(Tasks)
	}
	return t.rank
}

// InitTasks parses --with: task names, deduplicated, custom excluded.
func InitTasks(names []string) ([]Task, error) {
	var out []Task
	for _, n := range names {
		t, ok := LookupTask(n)
		if !ok || t.Custom {
			return nil, usageErr("unknown task %q in --with; use any of: %s", n, strings.Join(InitChoices, ", "))
		}
		if !slices.ContainsFunc(out, func(x Task) bool { return x.Name == t.Name }) {
			out = append(out, t)
		}
	}
	return out, nil
}
