// Package plan computes, from a chart rendered with Helm's own engine, the
// exact sequence of calls Helm makes to the cluster for each operation
// (install, upgrade, rollback, uninstall, test): which hook objects it deletes
// and creates, which it waits for, where the release's own resources are
// applied or deleted, and what is left behind.
//
// The sequence mirrors Helm v4's pkg/action (execHookWithDelayedShutdown,
// performInstall, releasingUpgrade, performRollback, Uninstall.Run,
// ReleaseTesting.Run); plan_action_test.go drives that code with a recording
// fake client and asserts the plan lists the same calls in the same order.
package plan

import (
	"fmt"
	"slices"
	"strings"

	release "helm.sh/helm/v4/pkg/release/v1"
	releaseutil "helm.sh/helm/v4/pkg/release/v1/util"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/oneline"
	"github.com/hookgen/hookgen/internal/render"
)

// SchemaVersion is the version of the JSON document (docs/plan.md). It
// changes only when a field is removed or changes meaning.
const SchemaVersion = 2 // 2: hooks[].warnings removed (lint judges; HG034)

// Operation is a Helm command that runs hooks.
type Operation string

// The operations, in lifecycle order.
const (
	Install   Operation = "install"
	Upgrade   Operation = "upgrade"
	Rollback  Operation = "rollback"
	Uninstall Operation = "uninstall"
	Test      Operation = "test"
)

// Operations lists every operation in lifecycle order.
var Operations = []Operation{Install, Upgrade, Rollback, Uninstall, Test}

// ParseOperations parses a comma-separated list such as "install,upgrade"
// ("all" or "" means every operation). The result is in lifecycle order.
func ParseOperations(s string) ([]Operation, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "all" {
		return slices.Clone(Operations), nil
	}
	want := map[Operation]bool{}
	for f := range strings.SplitSeq(s, ",") {
		op := Operation(strings.ToLower(strings.TrimSpace(f)))
		if op == "delete" {
			op = Uninstall
		}
		if !slices.Contains(Operations, op) {
			return nil, fmt.Errorf("unknown operation %q: use install, upgrade, rollback, uninstall, test or all", f)
		}
		want[op] = true
	}
	var out []Operation
	for _, op := range Operations {
		if want[op] {
			out = append(out, op)
		}
	}
	return out, nil
}

// Action is what one step does to the cluster.
type Action string

// Step actions.
const (
	ActionInstallCRDs   Action = "install-crds"   // the chart's crds/ files, before anything else on install
	ActionDelete        Action = "delete"         // delete a hook object (reason: the policy)
	ActionCreate        Action = "create"         // create (server-side apply) a hook object
	ActionWait          Action = "wait"           // wait for a Job to complete or a Pod to succeed
	ActionApplyRelease  Action = "apply-release"  // create or update the release's own resources
	ActionDeleteRelease Action = "delete-release" // delete the release's own resources
)

// Reasons given on steps.
const (
	ReasonBeforeHookCreation = string(release.HookBeforeHookCreation)
	ReasonHookSucceeded      = string(release.HookSucceeded)
	ReasonJobComplete        = "job-complete"
	ReasonPodSucceeded       = "pod-succeeded"
)

// Ref names one Kubernetes object.
type Ref struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	// Chart is the chart that renders a release resource, as Helm names
	// its templates: "shop", or "shop/charts/postgresql" for a subchart
	// (set on the resources of release steps).
	Chart string `json:"chart,omitempty"`
}

func (r Ref) String() string { return r.Kind + "/" + r.Name }

// Step is one call Helm makes, in order.
type Step struct {
	// Event is the hook event the step belongs to ("" for release steps).
	Event  string `json:"event,omitempty"`
	Action Action `json:"action"`
	Kind   string `json:"kind,omitempty"`
	Name   string `json:"name,omitempty"`
	// Namespace is set only when the hook's manifest names one.
	Namespace string `json:"namespace,omitempty"`
	// Weight is the weight Helm uses (set on hook steps).
	Weight *int `json:"weight,omitempty"`
	// Wave is the Argo CD sync wave (set only with --gitops argocd).
	Wave   *int   `json:"wave,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Path is the template the hook was rendered from.
	Path string `json:"path,omitempty"`
	// Resources lists the objects of an install-crds, apply-release or
	// delete-release step, in the order Helm passes them to the client.
	Resources []Ref `json:"resources,omitempty"`
	// Kept lists release resources uninstall leaves in place (delete-release only).
	Kept []KeptRef `json:"kept,omitempty"`
}

// KeptRef is a release resource uninstall does not delete, and why.
type KeptRef struct {
	Ref
	Reason string `json:"reason"`
}

// OperationPlan is the timeline of one operation.
type OperationPlan struct {
	Operation Operation `json:"operation"`
	Notes     []string  `json:"notes,omitempty"`
	// Error says why the operation could not be planned (Steps is empty).
	Error string `json:"error,omitempty"`
	Steps []Step `json:"steps"`
}

// Hook describes one hook as Helm parsed it.
type Hook struct {
	Ref
	Path   string   `json:"path"`
	Events []string `json:"events"`
	Weight int      `json:"weight"`
	// WeightAnnotation is the raw helm.sh/hook-weight value (absent: not set).
	WeightAnnotation *string `json:"weightAnnotation,omitempty"`
	// DeletePolicies are the parsed helm.sh/hook-delete-policy values.
	DeletePolicies []string `json:"deletePolicies"`
	// EffectivePolicies are the policies Helm applies (the default
	// before-hook-creation only when the annotation is absent).
	EffectivePolicies []string `json:"effectivePolicies"`
}

// Dropped is a rendered resource Helm silently discards because its
// helm.sh/hook annotation has a value Helm does not know.
type Dropped struct {
	Ref
	Path string `json:"path"`
	// Hook is the raw helm.sh/hook value.
	Hook string `json:"hook"`
	// Unknown lists the values Helm did not recognise.
	Unknown []string `json:"unknown"`
}

// Plan is the whole answer for one chart.
type Plan struct {
	SchemaVersion int    `json:"schemaVersion"`
	Chart         string `json:"chart"`
	ChartVersion  string `json:"chartVersion,omitempty"`
	Release       string `json:"release"`
	Namespace     string `json:"namespace"`
	// GitOps is "" for Helm itself, or "argocd".
	GitOps     string          `json:"gitops,omitempty"`
	Hooks      []Hook          `json:"hooks"`
	Dropped    []Dropped       `json:"dropped"`
	Operations []OperationPlan `json:"operations"`
	// Leftovers lists, per operation, the hook objects still in the cluster
	// after it succeeded, which Helm does not manage or delete.
	Leftovers map[string][]Leftover `json:"leftovers"`
}

// Leftover is a hook object left in the cluster.
type Leftover struct {
	Ref
	Events []string `json:"events"`
	Reason string   `json:"reason"`
}

// Options say what to plan.
type Options struct {
	Render     render.Options // Upgrade is ignored: each operation renders as Helm would
	Operations []Operation    // nil means all
	GitOps     string         // "" or "argocd"
}

// Load renders the chart at path (a directory or .tgz) the way each
// operation renders it and builds the plan. The install plan uses an install
// render (.Release.IsInstall); the others use an upgrade render, which is what
// a deployed release's revision holds.
func Load(path string, opts Options) (*Plan, error) {
	ops := opts.Operations
	if ops == nil {
		ops = Operations
	}
	if opts.GitOps != "" && opts.GitOps != "argocd" {
		return nil, fmt.Errorf("unknown --gitops %q: only argocd is supported", opts.GitOps)
	}
	in := Inputs{}
	needUpgrade := slices.ContainsFunc(ops, func(o Operation) bool { return o != Install }) && opts.GitOps == ""
	needInstall := slices.Contains(ops, Install) || opts.GitOps != ""
	// The chart is loaded and the values read once; each render gets its
	// own copy of the chart (a render changes the chart it is given).
	ch, err := render.Load(path)
	if err != nil {
		return nil, err
	}
	vals, err := render.Values(opts.Render.ValuesFiles, opts.Render.Set)
	if err != nil {
		return nil, err
	}
	ro := opts.Render
	ro.Upgrade = false
	if needInstall {
		if in.Install, err = render.Render(render.Clone(ch), vals, ro); err != nil {
			return nil, err
		}
	}
	if needUpgrade {
		// On top of an install render, only the templates that can tell an
		// upgrade from an install render again (render.RenderUpgrade).
		if in.Upgrade, err = render.RenderUpgrade(render.Clone(ch), vals, ro, in.Install); err != nil {
			// Charts often refuse to render as an upgrade without values only
			// a live release has (bitnami's "PASSWORDS ERROR"). Plan what can
			// be planned from an install render and say what is missing.
			in.Upgrade, in.UpgradeErr = nil, err
		}
	}
	if in.Upgrade == nil && in.Install == nil {
		if in.Install, err = render.Render(render.Clone(ch), vals, ro); err != nil {
			return nil, err
		}
	}
	if md := in.any().Chart.Metadata; md != nil && md.Type == "library" {
		return nil, fmt.Errorf("%s is a library chart: Helm does not install it, so no hook of it runs (plan the chart that depends on it)", md.Name)
	}
	in.ReleaseName, in.Namespace = opts.Render.ReleaseName, opts.Render.Namespace
	if opts.GitOps == "argocd" {
		return BuildArgoCD(in)
	}
	return Build(in, ops)
}

// Inputs are the renders a plan is built from.
type Inputs struct {
	Install *render.Result // render with .Release.IsInstall (for install)
	Upgrade *render.Result // render with .Release.IsUpgrade (the other operations)
	// UpgradeErr is why the chart did not render as an upgrade, if it did
	// not: upgrade and rollback are then not planned, and uninstall and test
	// use the install render.
	UpgradeErr error
	// ReleaseName and Namespace are shown in the plan ("" = render's defaults).
	ReleaseName, Namespace string
}

func (in Inputs) any() *render.Result {
	if in.Install != nil {
		return in.Install
	}
	return in.Upgrade
}

func (in Inputs) forOp(op Operation) *render.Result {
	if op == Install && in.Install != nil {
		return in.Install
	}
	if in.Upgrade != nil {
		return in.Upgrade
	}
	return in.Install
}

// Build computes the plan of the given operations (nil: all).
func Build(in Inputs, ops []Operation) (*Plan, error) {
	if ops == nil {
		ops = Operations
	}
	base := in.any()
	if base == nil {
		return nil, fmt.Errorf("plan: no rendered chart")
	}
	p := newPlan(in, base)
	for _, op := range ops {
		if in.Upgrade == nil && in.UpgradeErr != nil && (op == Upgrade || op == Rollback) {
			p.Operations = append(p.Operations, OperationPlan{
				Operation: op, Steps: []Step{},
				Error: "the chart does not render as an upgrade with these values: " + oneline.Of(in.UpgradeErr.Error()) + " (pass the values an upgrade needs with -f or --set)",
			})
			p.Leftovers[string(op)] = []Leftover{}
			continue
		}
		res := in.forOp(op)
		if res == nil {
			return nil, fmt.Errorf("plan: no render for %s", op)
		}
		opPlan, err := operationPlan(op, res)
		if err != nil {
			return nil, err
		}
		if op != Install && res == in.Install && in.UpgradeErr != nil {
			opPlan.Notes = append(opPlan.Notes, "planned from an install render: the chart does not render as an upgrade with these values")
		}
		p.Operations = append(p.Operations, opPlan)
		p.Leftovers[string(op)] = leftovers(op, res)
	}
	return p, nil
}

func newPlan(in Inputs, base *render.Result) *Plan {
	p := &Plan{
		SchemaVersion: SchemaVersion,
		Release:       orDefault(in.ReleaseName, render.DefaultReleaseName),
		Namespace:     orDefault(in.Namespace, "default"),
		Hooks:         []Hook{},
		Dropped:       DroppedResources(base),
		Leftovers:     map[string][]Leftover{},
	}
	if md := base.Chart.Metadata; md != nil {
		p.Chart, p.ChartVersion = md.Name, md.Version
	}
	// Hooks of both renders: a hook may exist only on upgrade
	// ({{ if .Release.IsUpgrade }}).
	seen := map[string]bool{}
	for _, res := range []*render.Result{in.Install, in.Upgrade} {
		if res == nil {
			continue
		}
		for _, h := range res.Hooks {
			key := h.Path + "\x00" + h.Kind + "\x00" + h.Name
			if !seen[key] {
				seen[key] = true
				p.Hooks = append(p.Hooks, describeHook(h))
			}
		}
	}
	return p
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// eventsOf returns the hook events an operation runs, before and after the
// release's own resources are applied or deleted.
func eventsOf(op Operation) (pre, post release.HookEvent) {
	switch op {
	case Install:
		return release.HookPreInstall, release.HookPostInstall
	case Upgrade:
		return release.HookPreUpgrade, release.HookPostUpgrade
	case Rollback:
		return release.HookPreRollback, release.HookPostRollback
	case Uninstall:
		return release.HookPreDelete, release.HookPostDelete
	}
	return release.HookTest, ""
}

func operationPlan(op Operation, res *render.Result) (OperationPlan, error) {
	o := OperationPlan{Operation: op, Steps: []Step{}}
	pre, post := eventsOf(op)
	switch op {
	case Install:
		o.Steps = append(o.Steps, crdSteps(res)...)
	case Rollback:
		o.Notes = append(o.Notes, "rollback runs the hooks stored with the target revision, rendered with that revision's chart and values; shown here as this chart renders them")
	case Test:
		o.Notes = append(o.Notes, "helm test runs only test hooks, against the last release; hook-succeeded deletions happen after the logs are printed")
	}
	o.Steps = append(o.Steps, EventSteps(res.Hooks, pre)...)
	switch op {
	case Install, Upgrade, Rollback:
		if refs := manifestRefs(res.Manifests); len(refs) > 0 {
			o.Steps = append(o.Steps, Step{Action: ActionApplyRelease, Resources: refs})
		}
	case Uninstall:
		del, kept, err := uninstallRefs(res.Manifests)
		if err != nil {
			return o, err
		}
		if len(del) > 0 || len(kept) > 0 {
			o.Steps = append(o.Steps, Step{Action: ActionDeleteRelease, Resources: del, Kept: kept})
		}
	}
	if post != "" {
		o.Steps = append(o.Steps, EventSteps(res.Hooks, post)...)
	}
	return o, nil
}

// EventSteps returns the steps of one event: per hook in order, the
// before-hook-creation delete, the create and the wait; then, once all hooks
// succeeded, the hook-succeeded deletes in reverse order.
func EventSteps(hooks []*release.Hook, ev release.HookEvent) []Step {
	hs := helmhook.ForEvent(hooks, ev)
	var steps []Step
	for _, h := range hs {
		if deletable(h) && helmhook.HasPolicy(h, release.HookBeforeHookCreation) {
			steps = append(steps, hookStep(h, ev, ActionDelete, ReasonBeforeHookCreation))
		}
		steps = append(steps, hookStep(h, ev, ActionCreate, ""))
		if helmhook.Waited(h.Kind) {
			reason := ReasonJobComplete
			if h.Kind == "Pod" {
				reason = ReasonPodSucceeded
			}
			steps = append(steps, hookStep(h, ev, ActionWait, reason))
		}
	}
	for _, h := range slices.Backward(hs) {
		if deletable(h) && helmhook.HasPolicy(h, release.HookSucceeded) {
			steps = append(steps, hookStep(h, ev, ActionDelete, ReasonHookSucceeded))
		}
	}
	return steps
}

func deletable(h *release.Hook) bool { return helmhook.Deletable(h.Kind) }

func hookStep(h *release.Hook, ev release.HookEvent, a Action, reason string) Step {
	w := h.Weight
	return Step{
		Event: string(ev), Action: a, Kind: h.Kind, Name: h.Name,
		Namespace: manifestNamespace(h.Manifest), Weight: &w, Reason: reason, Path: h.Path,
	}
}

func manifestRefs(ms []releaseutil.Manifest) []Ref {
	var out []Ref
	for _, m := range ms {
		if r, ok := headRef(m.Head, m.Content); ok {
			r.Chart = ChartOf(m.Name)
			out = append(out, r)
		}
	}
	return out
}

// ChartOf returns the chart part of a rendered template's path
// (shop/charts/db/templates/x.yaml -> shop/charts/db): Helm names each
// template by its chart's path, ChartFullPath in pkg/chart/v2.
func ChartOf(path string) string {
	parts := strings.Split(path, "/")
	i := 1
	for i+1 < len(parts) && parts[i] == "charts" {
		i += 2
	}
	if i > len(parts) {
		i = len(parts)
	}
	return strings.Join(parts[:i], "/")
}

func headRef(h *releaseutil.SimpleHead, content string) (Ref, bool) {
	if h == nil || (h.Kind == "" && h.Metadata == nil) {
		return Ref{}, false
	}
	r := Ref{Kind: h.Kind, Namespace: manifestNamespace(content)}
	if h.Metadata != nil {
		r.Name = h.Metadata.Name
	}
	return r, true
}

// releaseManifest is the release's stored manifest, built as Helm's
// renderResources builds it.
func releaseManifest(ms []releaseutil.Manifest) string {
	var b strings.Builder
	for _, m := range ms {
		fmt.Fprintf(&b, "---\n# Source: %s\n%s\n", m.Name, m.Content)
	}
	return b.String()
}

// uninstallRefs returns the release resources uninstall deletes, in the
// order Helm passes them to the client (Uninstall.deleteRelease: the stored
// manifest re-split and sorted in UninstallOrder), and those it leaves.
func uninstallRefs(ms []releaseutil.Manifest) ([]Ref, []KeptRef, error) {
	split := releaseutil.SplitManifests(releaseManifest(ms))
	// Helm's sorter reads only each document's head, and so does the rest
	// of this function: sort the heads, not whole documents again. The
	// "# Source:" line the stored manifest carries says which chart; the
	// head keeps it as a first comment line.
	for k, doc := range split {
		src := ""
		if rest, ok := strings.CutPrefix(doc, "# Source: "); ok {
			src, _, _ = strings.Cut(rest, "\n")
		}
		split[k] = "# Source: " + src + "\n" + helmhook.HeadOnly(doc)
	}
	_, files, err := releaseutil.SortManifests(split, nil, releaseutil.UninstallOrder)
	if err != nil {
		return nil, nil, err
	}
	var del []Ref
	var kept []KeptRef
	for _, m := range files {
		r, ok := headRef(m.Head, m.Content)
		if !ok {
			continue
		}
		if rest, ok := strings.CutPrefix(m.Content, "# Source: "); ok {
			src, _, _ := strings.Cut(rest, "\n")
			r.Chart = ChartOf(src)
		}
		// Same test as pkg/action filterManifestsToKeep: a resource-policy
		// other than keep puts the resource in neither list, so it is not
		// deleted either.
		if m.Head.Metadata != nil {
			if v, ok := m.Head.Metadata.Annotations["helm.sh/resource-policy"]; ok {
				if strings.ToLower(strings.TrimSpace(v)) == "keep" {
					kept = append(kept, KeptRef{Ref: r, Reason: "helm.sh/resource-policy: keep"})
				} else {
					kept = append(kept, KeptRef{Ref: r, Reason: fmt.Sprintf("helm.sh/resource-policy %q is not keep, yet Helm skips the resource", v)})
				}
				continue
			}
		}
		del = append(del, r)
	}
	return del, kept, nil
}

// crdSteps returns one install-crds step per crds/ file: Helm creates them
// one file at a time, before the release is stored (Install.installCRDs).
func crdSteps(res *render.Result) []Step {
	var out []Step
	for _, crd := range res.Chart.CRDObjects() {
		if crd.File == nil {
			continue
		}
		var refs []Ref
		for _, doc := range splitDocs(string(crd.File.Data)) {
			// Only the head: a CRD's schema is most of its bytes.
			h, ok := parseHead(doc)
			if !ok || (h.Kind == "" && h.Metadata.Name == "") {
				continue
			}
			refs = append(refs, Ref{Kind: h.Kind, Name: h.Metadata.Name, Namespace: h.Metadata.Namespace})
		}
		if len(refs) > 0 {
			out = append(out, Step{Action: ActionInstallCRDs, Path: crd.Filename, Resources: refs})
		}
	}
	return out
}

// leftovers lists the hook objects present after op succeeded. Uninstall
// leaves every hook object that ever ran and was not deleted by
// hook-succeeded: Helm does not track hooks and does not delete them.
func leftovers(op Operation, res *render.Result) []Leftover {
	out := []Leftover{}
	pre, post := eventsOf(op)
	for _, h := range res.Hooks {
		var evs []string
		for _, e := range h.Events {
			if op == Uninstall || e == pre || (post != "" && e == post) {
				if !slices.Contains(evs, string(e)) {
					evs = append(evs, string(e))
				}
			}
		}
		if len(evs) == 0 {
			continue
		}
		var reason string
		switch {
		case !deletable(h):
			reason = "CustomResourceDefinition hooks are never deleted by Helm"
		case !helmhook.HasPolicy(h, release.HookSucceeded):
			reason = "no hook-succeeded policy"
		default:
			continue
		}
		if op == Uninstall {
			reason += "; uninstall does not delete hooks"
		}
		out = append(out, Leftover{Ref: Ref{Kind: h.Kind, Name: h.Name, Namespace: manifestNamespace(h.Manifest)}, Events: evs, Reason: reason})
	}
	return out
}

func describeHook(h *release.Hook) Hook {
	out := Hook{
		Ref:               Ref{Kind: h.Kind, Name: h.Name, Namespace: manifestNamespace(h.Manifest)},
		Path:              h.Path,
		Weight:            h.Weight,
		DeletePolicies:    []string{},
		EffectivePolicies: []string{},
	}
	for _, e := range h.Events {
		out.Events = append(out.Events, string(e))
	}
	for _, p := range h.DeletePolicies {
		out.DeletePolicies = append(out.DeletePolicies, string(p))
	}
	for _, p := range helmhook.EffectiveDeletePolicies(h) {
		out.EffectivePolicies = append(out.EffectivePolicies, string(p))
	}
	hd, _ := parseHead(h.Manifest)
	if w, ok := hd.Metadata.Annotations[release.HookWeightAnnotation]; ok {
		out.WeightAnnotation = &w
	}
	// What Helm's reading means for the chart (an unparsable or unquoted
	// weight, a misspelt or empty delete policy, an event listed twice, a
	// delete policy on a CRD, an annotation the API rejects) is judged by
	// lint (HG002, HG005, HG032, HG033, HG034); the plan shows the weight,
	// policies and steps Helm uses.
	return out
}
