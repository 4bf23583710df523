package plan

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/render"
)

// Argo CD runs a chart from `helm template` output (which has already
// dropped resources with unknown helm.sh/hook values) and maps Helm hooks
// to its own sync phases (helmhook.ArgoPhase; argo-cd gitops-engine
// pkg/sync/hook, syncwaves, sync_tasks.go).

// Argo CD operations.
const (
	ArgoSync   Operation = "sync"
	ArgoDelete Operation = "delete"
)

const (
	argoHookAnn   = "argocd.argoproj.io/hook"
	argoPolicyAnn = "argocd.argoproj.io/hook-delete-policy"
	argoWaveAnn   = "argocd.argoproj.io/sync-wave"
)

// argoKindOrder is gitops-engine's kindOrder (sync_tasks.go); kinds not
// listed sort after all of these.
var argoKindOrder = []string{
	"Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap",
	"StorageClass", "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition",
	"ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList",
	"Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
	"ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
	"StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
}

func argoKindRank(kind string) int {
	if i := slices.Index(argoKindOrder, kind); i >= 0 {
		return i - len(argoKindOrder)
	}
	return 0
}

var argoPhases = []string{"PreSync", "Sync", "PostSync", "SyncFail", "PreDelete", "PostDelete"}

type argoObj struct {
	Ref
	path     string
	phases   []string // Argo phases; empty for a hook Argo never applies
	hook     bool
	wave     int
	policies []string // Argo delete policies (hooks only)
	events   string   // raw helm.sh/hook value, for messages
}

func csv(v string) []string {
	var out []string
	for f := range strings.SplitSeq(v, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

func newArgoObj(doc, path string) (argoObj, bool) {
	h, ok := parseHead(doc)
	if !ok || (h.Kind == "" && h.Metadata.Name == "") {
		return argoObj{}, false
	}
	ann := h.Metadata.Annotations
	o := argoObj{Ref: Ref{Kind: h.Kind, Name: h.Metadata.Name, Namespace: h.Metadata.Namespace}, path: path}
	// Wave: the sync-wave annotation, else the Helm weight (same Atoi, 0 on error).
	if w, err := strconv.Atoi(ann[argoWaveAnn]); err == nil {
		o.wave = w
	} else if w, ok := helmhook.Weight(ann[helmhook.WeightAnnotation]); ok {
		o.wave = w
	}
	var types []string
	for _, t := range csv(ann[argoHookAnn]) {
		if slices.Contains(argoPhases, t) || t == "Skip" {
			types = append(types, t)
		}
	}
	_, hasArgo := ann[argoHookAnn]
	helmVal, hasHelm := ann[helmhook.Annotation]
	switch {
	case hasArgo:
		if slices.Equal(types, []string{"Skip"}) {
			return argoObj{}, false // Skip: Argo does not apply it at all
		}
		o.hook = true
	case hasHelm && strings.TrimSpace(helmVal) != "crd-install":
		o.hook = true
		o.events = helmVal
		// Argo ignores Helm hook values when an Argo hook annotation is set.
		for _, e := range csv(helmVal) {
			if ph, ok := helmhook.ArgoPhase[helmhook.Event(e)]; ok {
				types = append(types, ph)
			}
		}
	}
	if !o.hook {
		o.phases = []string{"Sync"}
		return o, true
	}
	for _, t := range types {
		if t != "Skip" && !slices.Contains(o.phases, t) {
			o.phases = append(o.phases, t)
		}
	}
	for _, p := range csv(ann[argoPolicyAnn]) {
		if p == "BeforeHookCreation" || p == "HookSucceeded" || p == "HookFailed" {
			o.policies = append(o.policies, p)
		}
	}
	for _, p := range csv(ann[helmhook.DeleteAnnotation]) {
		if ap, ok := helmhook.ArgoDeletePolicy[helmhook.DeletePolicy(p)]; ok {
			o.policies = append(o.policies, ap)
		}
	}
	if len(o.policies) == 0 {
		o.policies = []string{"BeforeHookCreation"}
	}
	return o, true
}

// argoObjects returns every object `helm template` gives Argo CD: the
// crds/ files (Argo passes --include-crds), the release manifests and the
// hooks of every event.
func argoObjects(res *render.Result) []argoObj {
	var out []argoObj
	for _, crd := range res.Chart.CRDObjects() {
		if crd.File == nil {
			continue
		}
		for _, doc := range splitDocs(string(crd.File.Data)) {
			if o, ok := newArgoObj(doc, crd.Filename); ok {
				out = append(out, o)
			}
		}
	}
	for _, m := range res.Manifests {
		if o, ok := newArgoObj(m.Content, m.Name); ok {
			out = append(out, o)
		}
	}
	for _, h := range res.Hooks {
		if o, ok := newArgoObj(h.Manifest, h.Path); ok {
			out = append(out, o)
		}
	}
	return out
}

func argoLess(a, b argoObj) bool {
	if a.wave != b.wave {
		return a.wave < b.wave
	}
	if ra, rb := argoKindRank(a.Kind), argoKindRank(b.Kind); ra != rb {
		return ra < rb
	}
	return a.Name < b.Name
}

// BuildArgoCD computes how Argo CD would run the chart: a sync (PreSync,
// Sync, PostSync, by wave, then kind, then name) and the deletion of the
// Application (PreDelete from Argo CD v3.3, PostDelete from v2.10).
func BuildArgoCD(in Inputs) (*Plan, error) {
	res := in.any()
	if res == nil {
		return nil, fmt.Errorf("plan: no rendered chart")
	}
	p := newPlan(in, res)
	p.GitOps = "argocd"
	objs := argoObjects(res)

	sync := OperationPlan{Operation: ArgoSync, Steps: []Step{}, Notes: []string{
		"Argo CD cannot tell install from upgrade: pre-install and pre-upgrade hooks both run as PreSync on every sync, post-install and post-upgrade as PostSync",
		"objects of one wave are applied together, and Argo CD waits for all of them (Jobs complete, Pods succeed, others healthy) before the next wave",
		"hooks are applied (kubectl apply), not created; HookSucceeded deletions happen once the whole sync succeeded",
	}}
	var never []string
	for _, o := range objs {
		if o.hook && len(o.phases) == 0 {
			never = append(never, fmt.Sprintf("%s (helm.sh/hook %q)", o.Ref, o.events))
		}
	}
	if len(never) > 0 {
		sync.Notes = append(sync.Notes, "never applied by Argo CD (rollback and test hooks have no sync phase): "+strings.Join(never, ", "))
	}
	var succeeded []Step
	for _, phase := range []string{"PreSync", "Sync", "PostSync"} {
		steps, del := argoPhaseSteps(objs, phase)
		sync.Steps = append(sync.Steps, steps...)
		succeeded = append(succeeded, del...)
	}
	sync.Steps = append(sync.Steps, succeeded...)

	del := OperationPlan{Operation: ArgoDelete, Steps: []Step{}, Notes: []string{
		"runs when the Application is deleted, not on prune; PreDelete hooks need Argo CD v3.3 or later (ignored before), PostDelete v2.10 or later",
	}}
	pre, preDel := argoPhaseSteps(objs, "PreDelete")
	del.Steps = append(del.Steps, pre...)
	del.Steps = append(del.Steps, preDel...)
	var managed []argoObj
	for _, o := range objs {
		if !o.hook {
			managed = append(managed, o)
		}
	}
	// Deletion order of managed resources is Argo CD's business (by reverse
	// wave); the plan lists them, not a claimed order.
	sort.SliceStable(managed, func(i, j int) bool { return argoLess(managed[j], managed[i]) })
	if len(managed) > 0 {
		del.Steps = append(del.Steps, Step{Action: ActionDeleteRelease, Resources: refsOf(managed)})
	}
	post, postDel := argoPhaseSteps(objs, "PostDelete")
	del.Steps = append(del.Steps, post...)
	del.Steps = append(del.Steps, postDel...)
	p.Operations = []OperationPlan{sync, del}

	p.Leftovers[string(ArgoSync)] = argoLeftovers(objs, "PreSync", "Sync", "PostSync")
	p.Leftovers[string(ArgoDelete)] = argoLeftovers(objs, "PreSync", "Sync", "PostSync", "PreDelete", "PostDelete")
	return p, nil
}

func refsOf(os []argoObj) []Ref {
	out := make([]Ref, len(os))
	for i, o := range os {
		out[i] = o.Ref
		out[i].Chart = ChartOf(o.path)
	}
	return out
}

// argoPhaseSteps returns the steps of one phase, wave by wave, and the
// HookSucceeded deletions to run after the operation succeeded.
func argoPhaseSteps(objs []argoObj, phase string) (steps, succeeded []Step) {
	var in []argoObj
	for _, o := range objs {
		if slices.Contains(o.phases, phase) {
			in = append(in, o)
		}
	}
	sort.SliceStable(in, func(i, j int) bool { return argoLess(in[i], in[j]) })
	for i := 0; i < len(in); {
		j := i
		for j < len(in) && in[j].wave == in[i].wave {
			j++
		}
		wave := in[i].wave
		var release []Ref
		var waits []Step
		for _, o := range in[i:j] {
			w := wave
			if !o.hook {
				r := o.Ref
				r.Chart = ChartOf(o.path)
				release = append(release, r)
				continue
			}
			if slices.Contains(o.policies, "BeforeHookCreation") {
				steps = append(steps, Step{Event: phase, Action: ActionDelete, Kind: o.Kind, Name: o.Name, Namespace: o.Namespace, Wave: &w, Reason: "BeforeHookCreation", Path: o.path})
			}
			steps = append(steps, Step{Event: phase, Action: ActionCreate, Kind: o.Kind, Name: o.Name, Namespace: o.Namespace, Wave: &w, Path: o.path})
			switch o.Kind {
			case "Job":
				waits = append(waits, Step{Event: phase, Action: ActionWait, Kind: o.Kind, Name: o.Name, Namespace: o.Namespace, Wave: &w, Reason: ReasonJobComplete, Path: o.path})
			case "Pod":
				waits = append(waits, Step{Event: phase, Action: ActionWait, Kind: o.Kind, Name: o.Name, Namespace: o.Namespace, Wave: &w, Reason: ReasonPodSucceeded, Path: o.path})
			}
			if slices.Contains(o.policies, "HookSucceeded") {
				succeeded = append(succeeded, Step{Event: phase, Action: ActionDelete, Kind: o.Kind, Name: o.Name, Namespace: o.Namespace, Wave: &w, Reason: "HookSucceeded", Path: o.path})
			}
		}
		if len(release) > 0 {
			w := wave
			steps = append(steps, Step{Event: phase, Action: ActionApplyRelease, Wave: &w, Resources: release})
		}
		steps = append(steps, waits...)
		i = j
	}
	return steps, succeeded
}

func argoLeftovers(objs []argoObj, phases ...string) []Leftover {
	out := []Leftover{}
	for _, o := range objs {
		if !o.hook || slices.Contains(o.policies, "HookSucceeded") {
			continue
		}
		var hit []string
		for _, ph := range o.phases {
			if slices.Contains(phases, ph) {
				hit = append(hit, ph)
			}
		}
		if len(hit) > 0 {
			out = append(out, Leftover{Ref: o.Ref, Events: hit, Reason: "no HookSucceeded policy"})
		}
	}
	return out
}
