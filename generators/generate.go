package generators

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/render"
	"github.com/hookgen/hookgen/internal/valuesedit"
	"github.com/hookgen/hookgen/templates"
)

// Hook is a resolved request: every default filled in and every choice
// explained.
type Hook struct {
	Task           Task
	Name           string
	Kind           string // always Job for now
	Events         []release.HookEvent
	Weight         int
	WeightPlanned  bool
	DeletePolicies []release.HookDeletePolicy
	Image          string // "" runs the chart's own image
	Command, Args  []string
	DB             string
	// App is the workload whose context the hook runs in, or nil.
	App *Workload
	// Client is the database client of backup and restore hooks;
	// VersionFrom says where the server's version came from ("": unknown).
	Client      DBClient
	VersionFrom string
	// Server is the database the release deploys, when hookgen found it.
	Server *DBServer
	Keep   int    // backup: dumps kept
	Backup string // restore: the backup hook it restores from
	// BackupClaim is the backup's --storage-claim, for restore's tests;
	// backupDB are all the backup's database settings, for the
	// first-install rule (dumpNeeds).
	BackupClaim string
	backupDB    DBSettings
	Smoke       *SmokeTarget
	// Framework is set when the hook runs a migration tool's own image,
	// with the migration files copied in from the app's image.
	Framework *Framework
	// Wait is the init container waiting for the database, or nil.
	Wait *DBWait
	// TemplatePath is the hook's template, relative to the chart directory.
	TemplatePath string
	// Copies are hook copies of the release's Secrets and ConfigMaps the
	// app's context uses at pre-install, at CopyWeight (contextcopy.go).
	Copies     []ContextCopy
	CopyWeight int
	// noCopy says why an object of the app's context ("Kind/name") has no
	// hook copy at pre-install (decideCopies), for missingAtPreInstall.
	noCopy map[string]noCopy
}

// FileKind is a planned file's write policy: how it may replace what is on
// disk (kubebuilder's machinery calls it IfExistsAction).
type FileKind int

const (
	// Generated files belong wholly to hookgen: an existing, different file is a conflict.
	Generated FileKind = iota
	// Edited files are the user's; hookgen splices its part in.
	Edited
	// Replaced is an edited file whose hookgen part the user changed since
	// hookgen wrote it: writing it is a conflict that --force settles.
	Replaced
)

// File is one file hookgen wants to write, relative to the chart directory.
type File struct {
	Path    string
	Content []byte
	Kind    FileKind
}

// Contents maps each file's chart-relative path to its content: the chart's
// files as the change leaves them, for chartview's renders of the changed
// chart.
func Contents(files []File) map[string][]byte {
	m := make(map[string][]byte, len(files))
	for _, f := range files {
		m[f.Path] = f.Content
	}
	return m
}

// Output is everything `add` would write for one hook, before anything is
// written: the files, the values block (so remove can take it out again),
// and what the user should know.
type Output struct {
	Hook        Hook
	Files       []File
	ValuesBlock valuesedit.Block
	// PodLabels are the static labels of the hook's pod template.
	PodLabels map[string]string
	Notes     []string // why a default was chosen
	Warnings  []string // what will go wrong, or may, with what was asked
	// VerifySet are --set values under which the hook renders, for a hook
	// that renders only when asked for (a manual restore).
	VerifySet []string
}

// TestPath is the hook's helm-unittest suite (tests/*_test.yaml is the
// plugin's default glob, so it runs with the chart's other unit tests).
func TestPath(name string) string { return "tests/hookgen-" + name + "_test.yaml" }

// HelpersPath holds the named templates every generated hook shares.
const HelpersPath = "templates/_hookgen.tpl"

// Defaults for the Job's retry budget: one retry and a deadline below Helm's
// default five-minute --timeout: at the timeout Helm fails the release but
// leaves the Job running (helm.sh/helm/v4 pkg/kube/wait.go), so the
// deadline stops it first.
const (
	DefaultBackoffLimit   = 1
	DefaultActiveDeadline = 240
)

// Generate resolves req against the inspected chart and renders every file.
func Generate(info *ChartInfo, req Request) (*Output, error) {
	return generate(info, req, func(out *Output) error {
		if err := checkSwitchedOn(info, out.Hook.Name); err != nil {
			return err
		}
		return out.insertValues(info)
	})
}

// generate validates and resolves req, edits values.yaml by values (which
// differs between Generate and Regenerate), then the chart's other files.
func generate(info *ChartInfo, req Request, values func(*Output) error) (*Output, error) {
	if err := ValidateRequest(req); err != nil {
		return nil, err
	}
	out, err := resolve(info, req)
	if err != nil {
		return nil, err
	}
	if err := values(out); err != nil {
		return nil, err
	}
	if err := out.editChartFiles(info); err != nil {
		return nil, err
	}
	return out, nil
}

// resolve fills in the request's defaults and renders the hook's files and
// values block, without touching values.yaml. What differs between tasks,
// the task's kind decides (task_*.go).
func resolve(info *ChartInfo, req Request) (*Output, error) {
	out := &Output{}
	h := Hook{Task: req.Task, Name: req.Name, Kind: "Job", Image: req.Image, Command: req.Command, Args: req.Args, DB: req.DB}
	if h.Name == "" {
		if req.Task.Custom {
			return nil, usageErr("custom hooks need a name: pass --name, e.g. --name warm-cache")
		}
		h.Name = req.Task.Name
	}
	if err := ValidateName(h.Name); err != nil {
		return nil, usageErr("%v", err)
	}
	h.TemplatePath = path.Join("templates", "hooks", h.Name+".yaml")
	taskResolve := func(info *ChartInfo, req Request, h *Hook) error { return req.Task.does().resolve(info, req, h, out) }
	for _, step := range []func(*ChartInfo, Request, *Hook) error{
		out.resolveApp, out.resolveEvents, out.resolvePolicies, taskResolve, checkTaskFlags, out.resolveWait, out.placeFirstInstall, out.resolveWeight,
	} {
		if err := step(info, req, &h); err != nil {
			return nil, err
		}
	}
	out.Hook = h
	if err := out.render(info, req); err != nil {
		return nil, err
	}
	return out, nil
}

// resolveApp finds the app workload whose context a migration or seed
// runs in.
func (out *Output) resolveApp(info *ChartInfo, req Request, h *Hook) error {
	if req.Task.AppContext && !req.NoAppContext {
		app, err := appWorkload(info, req)
		if err != nil {
			return err
		}
		h.App = app
		if app == nil {
			out.Notes = append(out.Notes, "no Deployment or StatefulSet of the chart renders with these values: the hook runs with its own settings only (render the app with -f or --set to run the hook in its context)")
		}
	} else if req.Workload != "" {
		return usageErr("--workload only applies to migration and seed hooks that run in the app's context")
	}
	return nil
}

// resolveEvents chooses the hook's events (the task's defaults unless the
// user chose them) and says what the app's context means at each.
func (out *Output) resolveEvents(info *ChartInfo, req Request, h *Hook) error {
	h.Events = req.Events
	if len(h.Events) == 0 {
		evs, err := req.Task.does().defaultEvents(info, h, out)
		if err != nil {
			return err
		}
		h.Events = evs
		// hookgen's own choice: post-install where pre-install cannot work.
		// The user's choice is judged once the hook is resolved (the
		// placeFirstInstall step of resolve).
		if err := out.placeFirstInstall(info, req, h); err != nil {
			return err
		}
	}
	if err := decideCopies(info, h, out); err != nil {
		return err
	}
	if rel := h.notCopied(h.releaseRefs(info)); len(rel) > 0 {
		objs := strings.Join(rel, ", ")
		for _, ev := range h.Events {
			switch ev {
			case release.HookPostDelete:
				out.Warnings = append(out.Warnings, fmt.Sprintf("post-delete: %s, used by the app's context, are already deleted then", objs))
			case release.HookPreUpgrade, release.HookPreRollback:
				out.Notes = append(out.Notes, fmt.Sprintf("%s: %s, used by the app's context, are the previous revision's then (this upgrade's changes to them apply after the hook)", ev, objs))
			}
		}
	}
	if ext := h.externalRefs(info); len(ext) > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("the app's context uses %s from outside the release: it must exist before the hook runs", strings.Join(ext, ", ")))
	}
	if h.App != nil {
		out.Notes = append(out.Notes, fmt.Sprintf("the hook runs in the context of %s (templates/%s): its image, env, envFrom, config volumes, pull secrets and scheduling, read from that template at install time", h.App.Ref(), h.App.Template))
	}
	req.Task.does().eventNotes(h, out)

	if n := umbrellaNote(info.Chart.Dir, info.Chart.Name, info.Chart.ValuesKey, h.Name); n != "" {
		out.Notes = append(out.Notes, n)
	}
	if info.FullnameExpr == "" {
		out.Notes = append(out.Notes, "no fullname helper of the chart renders with the chart's context (include \"<name>.fullname\" .): Job names are built from the release and chart names, without nameOverride or fullnameOverride")
	}
	return nil
}

// resolvePolicies chooses the hook's delete policies.
func (out *Output) resolvePolicies(_ *ChartInfo, req Request, h *Hook) error {
	h.DeletePolicies = req.DeletePolicies
	if len(h.DeletePolicies) == 0 {
		h.DeletePolicies = DefaultDeletePolicies
	}
	if !slices.Contains(h.DeletePolicies, release.HookBeforeHookCreation) {
		out.Warnings = append(out.Warnings, "delete policy without before-hook-creation: when this hook runs again and its old Job is still there, Helm v3 fails with \"already exists\", Helm v4 fails on the immutable Job spec or silently skips the hook if the spec is unchanged")
	}
	if slices.Contains(h.DeletePolicies, release.HookFailed) {
		out.Warnings = append(out.Warnings, "hook-failed deletes a failed Job with its logs, and kills a Job still running at Helm's --timeout")
	}
	return nil
}

// checkTaskFlags refuses settings the task does not take.
func checkTaskFlags(_ *ChartInfo, req Request, _ *Hook) error {
	if req.Framework != "" && !req.Task.AppContext {
		return usageErr("--framework only applies to migration and seed hooks")
	}
	if req.DB != "" && !req.Task.Database {
		return usageErr("--db only applies to backup hooks")
	}
	if req.Keep != nil && !req.Task.Database {
		return usageErr("--keep only applies to backup hooks")
	}
	return nil
}

// resolveWeight plans the hook's weight unless the user chose it, and warns
// of ties.
func (out *Output) resolveWeight(info *ChartInfo, req Request, h *Hook) error {
	if req.Weight != nil {
		h.Weight = *req.Weight
	} else {
		w, err := planWeight(info, *h)
		if err != nil {
			return err
		}
		h.Weight = w
		h.WeightPlanned = true
	}
	if err := planCopyWeight(info, h, req, out); err != nil {
		return err
	}
	for _, ev := range h.Events {
		for _, o := range helmhook.ForEvent(releaseHooks(info), ev) {
			if o.Weight == h.Weight && !isSelf(o, *h) {
				out.Warnings = append(out.Warnings, fmt.Sprintf("%s: %s %s has the same weight %d: their order then depends on their names", ev, o.Kind, o.Name, h.Weight))
			}
		}
	}
	return nil
}

// isSelf reports whether an existing hook is the one being (re)generated.
func isSelf(o *release.Hook, h Hook) bool {
	return strings.HasSuffix(o.Path, "/"+h.TemplatePath) && strings.Count(o.Path, "/templates/") == 1 && !strings.Contains(strings.TrimSuffix(o.Path, "/"+h.TemplatePath), "/")
}

// hookTask returns the hookgen task label of an existing hook, if any.
func hookTask(o *release.Hook) string {
	var m struct {
		Metadata struct {
			Labels map[string]string `json:"labels"`
		} `json:"metadata"`
	}
	if yaml.Unmarshal([]byte(o.Manifest), &m) != nil {
		return ""
	}
	return m.Metadata.Labels["hookgen.io/task"]
}

// planWeight picks the weight nearest the task's base that keeps hookgen's
// order (backup < migration < seed) against the hooks already in the chart,
// subcharts included, and ties with none of them in any of the hook's events.
func planWeight(info *ChartInfo, h Hook) (int, error) {
	lo, hi := -1<<31, 1<<31-1
	taken := map[int]bool{}
	rank, ranked := taskRank(h.Task.Name)
	for _, ev := range h.Events {
		for _, o := range helmhook.ForEvent(releaseHooks(info), ev) {
			if isSelf(o, h) {
				continue
			}
			taken[o.Weight] = true
			if !ranked {
				continue
			}
			if r, ok := taskRank(hookTask(o)); ok {
				// Helm's weights are any int (strconv.Atoi): at the ends of
				// the range there is no weight after (or before) one.
				if r < rank && o.Weight >= lo {
					if o.Weight == math.MaxInt {
						return 0, usageErr("the chart's %s %s has weight %d, the largest there is, so no weight runs %s after it; lower that weight or pass --weight", o.Kind, o.Name, o.Weight, h.Task.Name)
					}
					lo = o.Weight + 1
				}
				if r > rank && o.Weight <= hi {
					if o.Weight == math.MinInt {
						return 0, usageErr("the chart's %s %s has weight %d, the smallest there is, so no weight runs %s before it; raise that weight or pass --weight", o.Kind, o.Name, o.Weight, h.Task.Name)
					}
					hi = o.Weight - 1
				}
			}
		}
	}
	if lo > hi {
		return 0, usageErr("no weight keeps %s between the chart's existing hookgen hooks (backup < migration < seed); pass --weight", h.Task.Name)
	}
	base := h.Task.BaseWeight
	if base < lo {
		base = lo
	}
	if base > hi {
		base = hi
	}
	// Step away from ties: backup downwards first, the others upwards first.
	dir := 1
	if h.Task.does().weighDown() {
		dir = -1
	}
	for d := 0; d <= 1000; d++ {
		for _, w := range []int{base + dir*d, base - dir*d} {
			if w >= lo && w <= hi && !taken[w] {
				return w, nil
			}
		}
	}
	return 0, usageErr("no free weight for %s near %d; pass --weight", h.Task.Name, base)
}

// UsageError marks a generator error caused by the request (exit 2).
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

func usageErr(format string, a ...any) error { return &UsageError{fmt.Errorf(format, a...)} }

// templateData is what templates/*.tmpl see.
type templateData struct {
	Title, Task, Name, ValuesKey, Component       string
	Events, Weight, DeletePolicy                  string
	FullnameExprRoot, FullnameHelper, LabelsExpr  string
	SAExpr, ClaimName                             string
	ImageStyle, ChartPullPolicyExpr               string
	ImageRepository, ImageTag                     string
	PullSecretsExpr, NodeSelectorExpr             string
	PullSecretsCommon, CommandRequired            bool
	CommandPath                                   string
	TolerationsExpr, AffinityExpr                 string
	InstanceLabel, Backup                         bool
	Command, Args                                 []string
	DB, DBHost, DBSecret, StorageClaim, PreEvents string
	DBUser, DBName, PasswordKey                   string
	DBPort, BackoffLimit, ActiveDeadline          int
	Record, LongRelease                           string
	// The app workload's context (App): its template, kind, position and
	// main container; AppSA: its ServiceAccount exists at every event of the
	// hook; AppSecurity: the hook runs the app's image, so the app's
	// security contexts apply.
	App, AppSA, AppSecurity            bool
	AppTemplate, AppKind, AppContainer string
	AppRef                             string
	AppIndex                           int
	// SuiteTemplates are the chart's templates, relative to templates/,
	// that the unit-test suite must load besides the hook's own.
	SuiteTemplates []string

	// Backup, restore and smoke-test hooks.
	Restore, RestoreManual, Smoke, DBTask, AdminUser bool
	Keep                                             int
	BackupName, DBValuesPath, DumpExt                string
	DumpTool, RestoreTool, ClientImage, ClientNote   string
	ImageNote                                        string
	SmokeService, SmokePort, SmokePath               string
	// Script is the task's shell script, indented for the Job's command.
	Script string
	// FilesInit: an init container copies the migration files from AppDir
	// in the app's image to FilesDir of the tool's image.
	FilesInit              bool
	FilesDir, AppDir, Tool string
	PodFields              []podField
	// WaitDB: an init container waits for the database (waitdb.go).
	WaitDB                                      bool
	WaitKind, WaitTitle, WaitTool, WaitChart    string
	WaitHost, WaitImageRepository, WaitImageTag string
	WaitScript, WaitContainer                   string
	WaitPort, WaitTimeout                       int
	// Copies: hook copies of the app's release Secrets and ConfigMaps,
	// created at CopyWeight with CopyDeletePolicy (contextcopy.go).
	Copies                       []ContextCopy
	CopyWeight, CopyDeletePolicy string
}

// taskParts fills in the task's part of the template data, and renders
// the task's script, indented for the Job's command.
func (d *templateData) taskParts(h Hook, req Request, info *ChartInfo) error {
	script := h.Task.does().templateParts(d, h, req, info)
	if script == "" {
		return nil
	}
	var b bytes.Buffer
	if err := templates.Parse().ExecuteTemplate(&b, script, d); err != nil {
		return fmt.Errorf("rendering the %s script: %w", h.Task.Name, err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = strings.Repeat(" ", 16) + l
		}
	}
	d.Script = strings.Join(lines, "\n")
	return nil
}

// podField is a pod setting hookgen.pod takes from the hook's values, else
// from the app's, else from the chart's values (Chart, e.g. Values.nodeSelector).
type podField struct{ Key, Chart string }

func (out *Output) render(info *ChartInfo, req Request) error {
	h := out.Hook
	d := templateData{
		Title: h.Task.title, Task: h.Task.Name, Name: h.Name, ValuesKey: info.Chart.ValuesKey,
		Component: "hook-" + h.Name,
		Events:    strings.Join(helmhook.Strings(h.Events), ","), Weight: strconv.Itoa(h.Weight), DeletePolicy: strings.Join(helmhook.Strings(h.DeletePolicies), ","),
		LabelsExpr: info.LabelsExpr, ClaimName: h.Name + "-data",
		Command: h.Command, Args: h.Args,
		DB: h.DB, StorageClaim: req.StorageClaim,
		BackoffLimit: DefaultBackoffLimit, ActiveDeadline: DefaultActiveDeadline,
		Record: record(h, req, info.Chart.ValuesKey, valuesCreated(info, h), valuesEmptyAs(info, h)), LongRelease: render.LongReleaseName,
		// Migration and seed default to the chart's own image, which without a
		// command would run the application instead of the task.
		CommandRequired: h.Task.AppContext,
		CommandPath:     info.Chart.ValuesKey + "." + h.Name + ".command",
		SuiteTemplates:  info.SuiteTemplates(),
	}
	if err := d.taskParts(h, req, info); err != nil {
		return err
	}
	if err := d.waitParts(h); err != nil {
		return err
	}
	// The helpers file evaluates the fullname with the chart root in $root.
	if info.FullnameExpr != "" {
		d.FullnameExprRoot = strings.TrimSuffix(info.FullnameExpr, " .") + " $root"
		d.FullnameHelper = strings.Fields(info.FullnameExpr)[1]
	} else {
		d.FullnameExprRoot = `ternary $root.Release.Name (printf "%s-%s" $root.Release.Name $root.Chart.Name) (contains $root.Chart.Name $root.Release.Name)`
	}
	// Only events at which the release's own resources exist may borrow the
	// chart's ServiceAccount.
	if info.SAExpr != "" && helmhook.AllAt(h.Events, helmhook.CurrentResources) {
		d.SAExpr = info.SAExpr
	}
	var pre []string
	for _, e := range h.Events {
		if e == release.HookPreInstall || e == release.HookPreUpgrade || e == release.HookPostDelete {
			pre = append(pre, e.String())
		}
	}
	d.PreEvents = strings.Join(pre, " and ")
	// The chart's own image is a chart-level fact for the shared helpers,
	// whatever image this hook uses.
	switch info.Image {
	case ImageRepositoryTag:
		d.ImageStyle = "repo-tag"
		d.ChartPullPolicyExpr = "Values.image.pullPolicy"
	case ImageRegistryRepository:
		d.ImageStyle = "registry"
		if info.CommonImages {
			d.ImageStyle, d.PullSecretsCommon = "common", true
		}
		d.ChartPullPolicyExpr = "Values.image.pullPolicy"
	}
	if h.Image != "" {
		d.ImageRepository, d.ImageTag = splitImage(h.Image)
	}
	if info.HasImagePullSecrets {
		d.PullSecretsExpr = "Values.imagePullSecrets"
	}
	if info.HasNodeSelector {
		d.NodeSelectorExpr = "Values.nodeSelector"
	}
	if info.HasTolerations {
		d.TolerationsExpr = "Values.tolerations"
	}
	if info.HasAffinity {
		d.AffinityExpr = "Values.affinity"
	}
	if fw := h.Framework; fw != nil {
		d.FilesInit, d.FilesDir, d.AppDir, d.Tool = true, fw.FilesDir, fw.AppDir, fw.Name
	}
	d.PodFields = []podField{{"nodeSelector", d.NodeSelectorExpr}, {"tolerations", d.TolerationsExpr}, {"affinity", d.AffinityExpr}}
	if a := h.App; a != nil {
		d.App, d.AppTemplate, d.AppKind, d.AppIndex, d.AppContainer, d.AppRef = true, a.Template, a.Kind, a.Index, a.Container, a.Ref()
		d.AppSecurity = h.Image == ""
		d.AppSA = a.Pod.ServiceAccountName != "" && helmhook.AllAt(h.Events, helmhook.PreviousResources)
		d.Copies, d.CopyWeight, d.CopyDeletePolicy = h.Copies, strconv.Itoa(h.CopyWeight), strings.Join(helmhook.Strings(DefaultCopyDeletePolicies), ",")
	}
	// Pod labels must not put the hook's pod behind the chart's Services.
	out.PodLabels = map[string]string{"app.kubernetes.io/instance": "release-name", "app.kubernetes.io/component": d.Component, "hookgen.io/hook": h.Name}
	d.InstanceLabel = true
	if info.Matches(out.PodLabels) {
		delete(out.PodLabels, "app.kubernetes.io/instance")
		d.InstanceLabel = false
		if info.Matches(out.PodLabels) {
			return usageErr("a Service or workload selector of the chart matches the hook's pod labels %v; rename the hook with --name", out.PodLabels)
		}
	}

	t := templates.Parse()
	var helpers, job, test, header, comment, body bytes.Buffer
	if err := t.ExecuteTemplate(&helpers, "helpers", d); err != nil {
		return fmt.Errorf("rendering the helpers template: %w", err)
	}
	if err := t.ExecuteTemplate(&job, "job", d); err != nil {
		return fmt.Errorf("rendering the hook template: %w", err)
	}
	if err := t.ExecuteTemplate(&test, "unittest", d); err != nil {
		return fmt.Errorf("rendering the hook's test: %w", err)
	}
	for _, x := range []struct {
		name string
		buf  *bytes.Buffer
	}{{"values-header", &header}, {"values-comment", &comment}, {"values-body", &body}} {
		if err := t.ExecuteTemplate(x.buf, x.name, d); err != nil {
			return fmt.Errorf("rendering the values block: %w", err)
		}
	}
	out.Files = append(out.Files,
		File{Path: HelpersPath, Content: helpers.Bytes(), Kind: Generated},
		File{Path: h.TemplatePath, Content: job.Bytes(), Kind: Generated},
		File{Path: TestPath(h.Name), Content: test.Bytes(), Kind: Generated})
	hdr, cmt, bdy := restyle(detectCommentStyle(info.Chart.Values), header.String(), comment.String(), body.String(), info.Chart.ValuesKey+"."+h.Name)
	out.ValuesBlock = valuesedit.Block{
		Parent: info.Chart.ValuesKey, ParentHeader: hdr, Name: h.Name,
		Body: bdy, Comment: cmt, EmptyAs: valuesEmptyAs(info, h),
	}
	return nil
}

// Regenerate is Generate for a hook whose values block exists with other
// content (valuesedit.ErrExists): the block is replaced where it stands.
// confirmed says the user agreed to the replacement (--force, or yes when
// asked): values.yaml is then Edited like any splice; otherwise it is
// Replaced, a conflict shown as a diff that --force settles and --skip keeps.
func Regenerate(info *ChartInfo, req Request, confirmed bool) (*Output, error) {
	kind := Replaced
	if confirmed {
		kind = Edited
	}
	return generate(info, req, func(out *Output) error {
		return out.editValues(info, valuesedit.Replace, kind)
	})
}

// insertValues adds the hook's values block to the chart's values.yaml.
func (out *Output) insertValues(info *ChartInfo) error {
	return out.editValues(info, valuesedit.Insert, Edited)
}

// editValues edits values.yaml with edit, writing it with policy kind.
func (out *Output) editValues(info *ChartInfo, edit func([]byte, valuesedit.Block) ([]byte, error), kind FileKind) error {
	src := info.Chart.Values
	if src == nil {
		src = []byte{}
	}
	nv, err := edit(src, out.ValuesBlock)
	if err != nil {
		return err
	}
	out.Files = append(out.Files, File{Path: "values.yaml", Content: nv, Kind: kind})
	return nil
}

// valuesCreated reports whether add creates values.yaml for this hook, or
// did when it first wrote it (its template's record says so), so that a
// re-run writes the same record and remove deletes the file again.
func valuesCreated(info *ChartInfo, h Hook) bool {
	if info.Chart.Values == nil {
		return true
	}
	b, err := os.ReadFile(filepath.Join(info.Chart.Dir, filepath.FromSlash(h.TemplatePath)))
	if err != nil {
		return false
	}
	r, err := ReadRecord(b)
	return err == nil && r.ValuesCreated
}

// valuesEmptyAs is how the values key was written while it was empty
// ("hooks:", "hooks: ~"), so that remove writes it back so: from the hook's
// record when it has one, else from values.yaml now.
func valuesEmptyAs(info *ChartInfo, h Hook) string {
	if b, err := os.ReadFile(filepath.Join(info.Chart.Dir, filepath.FromSlash(h.TemplatePath))); err == nil {
		if r, err := ReadRecord(b); err == nil {
			return r.ValuesEmptyAs
		}
	}
	return valuesedit.EmptyForm(info.Chart.Values, info.Chart.ValuesKey)
}

// splitImage splits "repo[:tag]" (a digest stays in the repository part).
func splitImage(ref string) (repo, tag string) {
	if strings.Contains(ref, "@") {
		return ref, ""
	}
	slash := strings.LastIndex(ref, "/")
	if c := strings.LastIndex(ref, ":"); c > slash {
		return ref[:c], ref[c+1:]
	}
	return ref, ""
}
