package lint

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	release "helm.sh/helm/v4/pkg/release/v1"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"

	"github.com/hookgen/hookgen/internal/helmhook"
	"github.com/hookgen/hookgen/internal/podrefs"
	"github.com/hookgen/hookgen/internal/podsecurity"
	"github.com/hookgen/hookgen/internal/render"
)

// found is a finding before it is placed in the chart's file tree.
type found struct {
	Finding
	obj *object
}

type checker struct {
	opts           Options
	releaseNameLen int
	objs           []*object
	hooks          []*release.Hook // Helm's parsed hooks, in SortManifests order
	probes         *prober
	long           *probe // the chart rendered with the longest release name
	longErr        error  // why it did not render

	hookObj  map[*release.Hook]*object
	normal   map[string]*object // kind/name -> release (non-hook) resource
	hookByID map[string][]*object
	findings []found

	// selecting: the release's objects that select pods, with their
	// selectors, parsed once (a chart has many hooks and many objects).
	selecting []selecting
	selDone   bool

	restricted, restrictedDone bool
}

type selecting struct {
	obj *object
	sel labels.Selector
}

// podSelectors returns the release's Services and workloads with a selector.
func (c *checker) podSelectors() []selecting {
	if !c.selDone {
		for _, n := range c.objs {
			if n.IsHook || n.Dropped {
				continue
			}
			if sel := selectorOf(n); sel != nil {
				c.selecting = append(c.selecting, selecting{n, sel})
			}
		}
		c.selDone = true
	}
	return c.selecting
}

func key(kind, name string) string { return kind + "/" + name }

func (c *checker) add(rule string, o *object, line int, events []string, format string, a ...any) {
	c.addSev(rule, ruleByID[rule].Severity, o, line, events, format, a...)
}

// addSev adds a finding of a rule whose consequence, and so severity,
// depends on the case (docs/rules.md gives each rule's cases).
func (c *checker) addSev(rule string, sev Severity, o *object, line int, events []string, format string, a ...any) {
	r := ruleByID[rule]
	if line == 0 {
		line = o.objectLine()
	}
	c.findings = append(c.findings, found{obj: o, Finding: Finding{
		Rule: r.ID, Name: r.Name, Severity: sev,
		Message: o.ref() + ": " + fmt.Sprintf(format, a...),
		Line:    line, Events: events,
	}})
}

// annLine finds the line of an annotation key in the template.
func annLine(o *object, k string) int {
	if l := o.line(`"`+k+`"`, `'`+k+`'`, k+":"); l > 0 {
		return l
	}
	return o.objectLine()
}

// live reports whether Helm runs the object as a hook.
func live(o *object) bool { return o.IsHook && !o.Dropped && o.Hook != nil }

func (c *checker) run() {
	c.hookObj = map[*release.Hook]*object{}
	c.normal = map[string]*object{}
	c.hookByID = map[string][]*object{}
	for _, o := range c.objs {
		if o.Hook != nil {
			c.hookObj[o.Hook] = o
		}
		switch {
		case !o.IsHook:
			if _, dup := c.normal[key(o.Kind, o.Name)]; !dup {
				c.normal[key(o.Kind, o.Name)] = o
			}
		case live(o):
			c.hookByID[key(o.Kind, o.Name)] = append(c.hookByID[key(o.Kind, o.Name)], o)
		}
	}
	for _, o := range c.objs {
		if o.Dropped {
			c.unknownEvent(o)
			continue
		}
		if !o.IsHook {
			c.nonHook(o)
			continue
		}
		if !live(o) {
			continue
		}
		c.weight(o)
		c.deletePolicy(o)
		c.podRules(o)
		c.jobRules(o)
		c.misc(o)
		if c.opts.GitOps == GitOpsArgoCD {
			c.argo(o)
		}
	}
	c.jobNames()
	c.ties()
	c.dependencies()
	c.collisions()
	c.fixedNames()
	c.releaseUsesHooks()
}

func (c *checker) unknownEvent(o *object) {
	var qs []string
	hint := ""
	for _, u := range o.Unknown {
		qs = append(qs, strconv.Quote(u))
		switch strings.ToLower(u) {
		case "crd-install":
			hint = " (crd-install was removed in Helm 3: put CRDs in crds/)"
		case "test-failure":
			hint = " (test-failure is Helm 2 only: use test)"
		case "":
			hint = " (an empty value counts as unknown)"
		}
	}
	c.add("HG001", o, annLine(o, annHook), nil,
		"helm.sh/hook %q has unknown event %s%s: Helm skips the whole resource without an error and never creates it; use only %s",
		o.Annotations[annHook], strings.Join(qs, ", "), hint, helmhook.EventList())
}

func (c *checker) weight(o *object) {
	evs := eventNames(o.events())
	w, ok := o.Annotations[annWeight]
	switch {
	case !ok:
		c.add("HG003", o, annLine(o, annHook), evs,
			"no helm.sh/hook-weight: Helm uses 0 and orders this hook by name among the other weight-0 hooks of its events; set an explicit quoted weight such as \"helm.sh/hook-weight\": \"0\"")
	case o.nonString[annWeight]:
		c.addSev("HG002", Error, o, annLine(o, annWeight), evs,
			"helm.sh/hook-weight %s is an unquoted YAML number: the Kubernetes API rejects non-string annotation values and the release fails; quote it (\"%s\")", w, w)
	default:
		if _, ok := helmhook.Weight(w); !ok {
			c.addSev("HG002", Warning, o, annLine(o, annWeight), evs,
				"helm.sh/hook-weight %q is not an integer: Helm silently uses weight 0; write a whole number as a string, e.g. \"-5\"", w)
		}
	}
}

// recurs reports whether a hook runs more than once in a release's life
// (upgrade, rollback and test events repeat; so does a hook of two events).
func recurs(o *object) bool {
	evs := eventNames(o.events())
	if len(evs) > 1 {
		return true
	}
	for _, e := range evs {
		switch release.HookEvent(e) {
		case release.HookPreInstall, release.HookPostInstall, release.HookPreDelete, release.HookPostDelete:
		default:
			return true
		}
	}
	return false
}

// missingBeforeHookCreation is HG006. What Helm 4 does with the object left
// behind depends on the kind: server-side apply updates a Secret or
// ConfigMap in place, but a Job's pod template is immutable and a finished
// Job's result is reused (v4 pkg/kube/client.go makeCreateApplyFunc).
func (c *checker) missingBeforeHookCreation(o *object, v string) {
	evs := eventNames(o.events())
	helm4 := "Helm 4 server-side-applies over it, so it is updated in place"
	if o.waited() {
		helm4 = "Helm 4 applies over it, which fails with \"field is immutable\" when the pod template changed, or reuses the old result so the hook does not run again"
	}
	if !helmhook.HasPolicy(o.Hook, release.HookSucceeded) && recurs(o) {
		c.addSev("HG006", Error, o, annLine(o, annDelete), evs,
			"helm.sh/hook-delete-policy %q has neither before-hook-creation nor hook-succeeded: the %s is still there after it succeeds, so the next run of %s fails in Helm 3 with \"already exists\" (%s); add before-hook-creation",
			v, o.Kind, strings.Join(evs, ", "), helm4)
		return
	}
	c.addSev("HG006", Warning, o, annLine(o, annDelete), evs,
		"helm.sh/hook-delete-policy %q lacks before-hook-creation: when an earlier run left the %s behind (it failed, or Helm was interrupted), Helm 3 fails with \"already exists\" (%s); add before-hook-creation",
		v, o.Kind, helm4)
}

func (c *checker) deletePolicy(o *object) {
	evs := eventNames(o.events())
	v, ok := o.Annotations[annDelete]
	if !ok {
		return // the default, before-hook-creation, applies
	}
	var bad []string
	for _, p := range helmhook.UnknownDeletePolicies(v) {
		bad = append(bad, strconv.Quote(p))
	}
	if len(bad) > 0 {
		unknown := strings.Join(bad, ", ")
		switch {
		case helmhook.HasPolicy(o.Hook, release.HookBeforeHookCreation):
			c.addSev("HG005", Info, o, annLine(o, annDelete), evs,
				"helm.sh/hook-delete-policy %q has unknown value %s: Helm ignores it, so the %s is not deleted when that value meant (before-hook-creation still replaces it on the next run); spell it before-hook-creation, hook-succeeded or hook-failed",
				v, unknown, o.Kind)
		case !helmhook.HasPolicy(o.Hook, release.HookSucceeded) && recurs(o):
			c.addSev("HG005", Error, o, annLine(o, annDelete), evs,
				"helm.sh/hook-delete-policy %q has unknown value %s: Helm ignores it, and because the annotation is set the default before-hook-creation is off too, so the %s is still there after it runs and the next run of %s fails in Helm 3 with \"already exists\"; use before-hook-creation,hook-succeeded",
				v, unknown, o.Kind, strings.Join(evs, ", "))
		default:
			c.addSev("HG005", Warning, o, annLine(o, annDelete), evs,
				"helm.sh/hook-delete-policy %q has unknown value %s: Helm ignores it, and because the annotation is set the default before-hook-creation is off too, so when a run leaves the %s behind (it failed, or Helm was interrupted) the next one fails in Helm 3 with \"already exists\"; use before-hook-creation,hook-succeeded",
				v, unknown, o.Kind)
		}
		return
	}
	if !helmhook.HasPolicy(o.Hook, release.HookBeforeHookCreation) {
		c.missingBeforeHookCreation(o, v)
	}
	if o.waited() && helmhook.HasPolicy(o.Hook, release.HookFailed) &&
		!slices.Contains(o.Hook.OutputLogPolicies, release.HookOutputOnFailed) {
		c.add("HG007", o, annLine(o, annDelete), evs,
			"hook-failed deletes the %s as soon as it fails or Helm's --timeout expires (killing a Job still running), and without an output log policy its logs are lost; add \"helm.sh/hook-output-log-policy\": hook-failed (Helm 3.18+), or drop hook-failed to keep failed hooks for debugging", o.Kind)
	}
}

// podRules are the rules on hook pods: restart policy and Pod Security.
func (c *checker) podRules(o *object) {
	if o.PodSpec == nil || (o.Kind != "Job" && o.Kind != "Pod") {
		return
	}
	evs := eventNames(o.events())
	rp := o.PodSpec.RestartPolicy
	if rp != corev1.RestartPolicyNever && rp != corev1.RestartPolicyOnFailure {
		shown := string(rp)
		if shown == "" {
			shown = "unset (Always)"
		}
		if o.Kind == "Job" {
			c.add("HG013", o, o.line("restartPolicy"), evs,
				"restartPolicy %s: Kubernetes rejects a Job whose pod restartPolicy is not Never or OnFailure, so the hook fails; set restartPolicy: Never", shown)
		} else {
			c.add("HG013", o, o.line("restartPolicy"), evs,
				"restartPolicy %s: the pod restarts instead of reaching Succeeded, so Helm waits until --timeout and fails the hook; set restartPolicy: Never", shown)
		}
	}
	if fails := podsecurity.Restricted(o.PodMeta, o.PodSpec); len(fails) > 0 {
		if c.chartRestricted() {
			c.addSev("HG023", Warning, o, o.line("securityContext", "containers:"), evs,
				"pod fails Pod Security \"restricted\" although the chart's own workloads pass it: %s; in a namespace that enforces it the pod is rejected and Helm waits until --timeout; set those securityContext fields",
				strings.Join(fails, "; "))
		} else {
			c.addSev("HG023", Info, o, o.line("securityContext", "containers:"), evs,
				"pod fails Pod Security \"restricted\", like the chart's own workloads: %s; set those securityContext fields if the chart is to run in namespaces that enforce it",
				strings.Join(fails, "; "))
		}
	}
}

// chartRestricted reports whether the release has workloads and every one
// of them passes Pod Security "restricted": only then is a hook that fails
// it the one thing that breaks in a restricted namespace.
func (c *checker) chartRestricted() bool {
	if c.restrictedDone {
		return c.restricted
	}
	c.restrictedDone = true
	n := 0
	for _, o := range c.objs {
		if o.IsHook || o.PodSpec == nil {
			continue
		}
		n++
		if len(podsecurity.Restricted(o.PodMeta, o.PodSpec)) > 0 {
			return false
		}
	}
	c.restricted = n > 0
	return c.restricted
}

// ttlFloor is the shortest ttlSecondsAfterFinished not flagged: Helm sees a
// Job finish within seconds, so a TTL of minutes does not race its wait.
const ttlFloor = 60

func (c *checker) jobRules(o *object) {
	if o.Job == nil {
		return
	}
	evs := eventNames(o.events())
	spec := o.Job.Spec
	timeout := c.opts.HelmTimeout
	if spec.BackoffLimit == nil {
		c.add("HG014", o, o.line("spec:"), evs,
			"no backoffLimit: Kubernetes retries a failing pod 6 times with back-off delays of 10s, 20s, 40s and more, longer than Helm's default 5m --timeout, so Helm reports a timeout instead of the failure; set spec.backoffLimit to the retries that fit in the timeout (a task that retries while its database starts needs them; one that cannot succeed on a retry needs none)")
	}
	if spec.ActiveDeadlineSeconds == nil {
		c.add("HG015", o, o.line("spec:"), evs,
			"no activeDeadlineSeconds: when Helm's --timeout (%s) expires the Job keeps running in the cluster and Helm never stops it; set spec.activeDeadlineSeconds below the timeout", fmtDur(timeout))
	} else if time.Duration(*spec.ActiveDeadlineSeconds)*time.Second >= timeout {
		c.add("HG016", o, o.line("activeDeadlineSeconds"), evs,
			"activeDeadlineSeconds %d is not below Helm's --timeout %s: Helm gives up first and reports a timeout while the Job keeps running; set it below the timeout (or lint with the --helm-timeout you deploy with)",
			*spec.ActiveDeadlineSeconds, fmtDur(timeout))
	}
	if t := spec.TTLSecondsAfterFinished; t != nil && *t < ttlFloor {
		c.add("HG017", o, o.line("ttlSecondsAfterFinished"), evs,
			"ttlSecondsAfterFinished %d deletes the Job as soon as it finishes: Helm 3 counts a Job deleted before it saw the result as success even if it failed, Helm 4 waits on it until --timeout, and the logs are gone; remove it and rely on the delete policy, or set it to minutes", *t)
	}
}

func fmtDur(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}

var longRunning = []string{"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController"}

// stateful kinds hold data that a delete destroys.
var stateful = []string{"PersistentVolumeClaim", "PersistentVolume"}

func (c *checker) misc(o *object) {
	evs := eventNames(o.events())
	if slices.Contains(longRunning, o.Kind) && !c.waitedAfter(o) {
		c.add("HG018", o, annLine(o, annHook), evs,
			"a %s as a hook: Helm does not wait for it to become ready (it waits only on Jobs and Pods), deletes and recreates it on every run of its events, and uninstall leaves it behind; make it a normal release resource, or run the task as a Job", o.Kind)
	}
	if slices.Contains(stateful, o.Kind) {
		c.statefulHook(o)
	}
	if strings.EqualFold(strings.TrimSpace(o.Annotations[annKeep]), "keep") && !slices.Contains(stateful, o.Kind) {
		c.add("HG020", o, annLine(o, annKeep), evs,
			"helm.sh/resource-policy: keep does nothing on a hook: Helm still deletes it by its delete policy, and uninstall never deletes hooks anyway; remove it, or make the object a normal resource if it must outlive the release")
	}
	seen := map[release.HookEvent]bool{}
	for _, e := range o.Hook.Events {
		if seen[e] {
			c.add("HG032", o, annLine(o, annHook), evs,
				"helm.sh/hook lists %s twice: Helm runs the %s twice at %s (delete, create and wait, then the same again); list each event once", e, o.Kind, e)
		}
		seen[e] = true
	}
	if _, set := o.Annotations[annDelete]; set && !helmhook.Deletable(o.Kind) {
		c.add("HG033", o, annLine(o, annDelete), evs,
			"Helm never deletes a %s hook, so helm.sh/hook-delete-policy has no effect on it; remove the annotation", o.Kind)
	}
	for _, k := range slices.Sorted(maps.Keys(o.nonString)) {
		if k == annWeight {
			continue // HG002 says what an unquoted weight means
		}
		c.add("HG034", o, annLine(o, k), evs,
			"annotation %s is not a quoted string: Helm reads it as %q, but the Kubernetes API rejects non-string annotation values, so creating the %s fails and the release with it; quote it (\"%s\")", k, o.Annotations[k], o.Kind, o.Annotations[k])
	}
	if o.GenerateName != "" {
		c.add("HG022", o, o.line("generateName"), evs,
			"metadata.generateName %q: Helm finds hooks by metadata.name to delete them (before-hook-creation and the other policies) and to print their logs, so generated copies pile up untracked; set metadata.name", o.GenerateName)
	}
	c.selectors(o)
}

// waitedAfter reports whether a short-lived workload hook (deleted by
// hook-succeeded) is followed, in every one of its events, by a Job or Pod
// hook: Helm waits on that one, which is where an image pre-puller's
// DaemonSet is waited for (e.g. kubectl rollout status in the Job).
func (c *checker) waitedAfter(o *object) bool {
	if !helmhook.HasPolicy(o.Hook, release.HookSucceeded) {
		return false
	}
	for _, ev := range o.events() {
		seen, ok := false, false
		for _, h := range helmhook.ForEvent(c.hooks, ev) {
			if h == o.Hook {
				seen = true
				continue
			}
			if n := c.hookObj[h]; seen && n != nil && n.waited() {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// statefulHook is HG028: a PersistentVolumeClaim (or volume) as a hook is
// deleted by its own delete policy, which takes its data with it.
func (c *checker) statefulHook(o *object) {
	evs := eventNames(o.events())
	var what []string
	switch {
	case helmhook.HasPolicy(o.Hook, release.HookSucceeded):
		what = append(what, "hook-succeeded deletes it, and its data, as soon as its event ends")
	case helmhook.HasPolicy(o.Hook, release.HookBeforeHookCreation):
		if recurs(o) {
			what = append(what, fmt.Sprintf("before-hook-creation deletes it, and its data, and creates it empty every time %s runs again", strings.Join(evs, " or ")))
		} else {
			what = append(what, "before-hook-creation deletes it, and its data, when the chart is installed again under the same release name")
		}
	}
	what = append(what, "Helm never updates it on upgrade and helm uninstall leaves it behind")
	c.add("HG028", o, annLine(o, annHook), evs,
		"a %s as a hook: %s; make it a normal release resource (add \"helm.sh/resource-policy\": keep if its data must outlive helm uninstall) and run the hooks that mount it at post-install/post-upgrade, after it exists",
		o.Kind, strings.Join(what, "; "))
}

// hookOnlyAnnotations mean something only next to helm.sh/hook.
var hookOnlyAnnotations = []string{annWeight, annDelete, annLogs, annHookTimeout}

func (c *checker) nonHook(o *object) {
	for _, a := range hookOnlyAnnotations {
		if _, ok := o.Annotations[a]; !ok {
			continue
		}
		if a == annWeight && c.opts.GitOps == GitOpsArgoCD {
			continue // Argo CD reads it as the sync wave of any object
		}
		if slices.Contains(stateful, o.Kind) && !strings.EqualFold(strings.TrimSpace(o.Annotations[annKeep]), "keep") {
			// Hook annotations on a claim usually mean "keep my data"; what
			// does that is the resource policy (pkg/action/resource_policy.go).
			c.addSev("HG021", Warning, o, annLine(o, a), nil,
				"%s without helm.sh/hook does nothing: Helm manages this %s as a normal release resource, and helm uninstall deletes it (and, with the usual Delete reclaim policy, its data); to keep it, replace the annotation with \"helm.sh/resource-policy\": keep", a, o.Kind)
			continue
		}
		c.addSev("HG021", Info, o, annLine(o, a), nil,
			"%s without helm.sh/hook does nothing: Helm creates, updates and deletes this object as a normal release resource; add helm.sh/hook to make it a hook, or drop the annotation", a)
	}
}

// selectors is HG019: a hook pod is harmed or harmful only where
// something acts on the selection. A Service sends it traffic when it is
// one of the Service's endpoints (a numeric target port, or a named one the
// pod declares) and the Service has a release workload as its real backend.
// A PodDisruptionBudget that counts a Job's pod cannot compute its expected
// pods for maxUnavailable or a percentage (a Job has no scale subresource),
// so it allows no disruption at all while the pod exists (Kubernetes docs,
// "Specifying a Disruption Budget": arbitrary controllers).
func (c *checker) selectors(o *object) {
	if o.PodMeta == nil || len(o.PodMeta.Labels) == 0 || (o.Kind != "Job" && o.Kind != "Pod") {
		return
	}
	pod := labels.Set(o.PodMeta.Labels)
	evs := eventNames(o.events())
	for _, ns := range c.podSelectors() {
		n := ns.obj
		if !ns.sel.Matches(pod) {
			continue
		}
		switch n.Kind {
		case "Service":
			port, ok := servedPort(n, o.PodSpec)
			if !ok || !c.backsService(ns) {
				continue
			}
			c.addSev("HG019", Warning, o, o.line("labels:"), evs,
				"pod labels match the selector of %s (%s) and the pod serves its port %s: while the hook runs the Service sends part of its traffic to it; %s",
				n.ref(), selectorText(ns.sel), port, leaveSelector(ns.sel, o.PodMeta.Labels))
		case "PodDisruptionBudget":
			if o.Kind != "Job" || !pdbNeedsScale(n) {
				continue
			}
			sev, kept := Warning, "while the Job runs or stays after a failure"
			if !helmhook.HasPolicy(o.Hook, release.HookSucceeded) {
				sev, kept = Error, "for as long as the Job is kept, which is until its hook runs again"
			}
			c.addSev("HG019", sev, o, o.line("labels:"), evs,
				"pod labels match the selector of %s (%s), which uses maxUnavailable or a percentage: a Job has no scale subresource, so the budget cannot count its pods and allows no eviction of any pod it selects, blocking node drains %s; %s",
				n.ref(), selectorText(ns.sel), kept, leaveSelector(ns.sel, o.PodMeta.Labels))
		}
	}
}

// backsService reports whether a release workload (not a hook) has pods the
// Service selects: then that workload is the intended backend, and a hook
// pod in the selection is a stranger.
func (c *checker) backsService(s selecting) bool {
	for _, w := range c.objs {
		if w.IsHook || w.PodMeta == nil || !slices.Contains(longRunning, w.Kind) {
			continue
		}
		if s.sel.Matches(labels.Set(w.PodMeta.Labels)) {
			return true
		}
	}
	return false
}

// servedPort returns a port of the Service for which the pod becomes an
// endpoint: a numeric targetPort (or none, which means the port number), or
// a named one that a container of the pod declares.
func servedPort(svc *object, pod *corev1.PodSpec) (string, bool) {
	var s corev1.Service
	if yaml.Unmarshal([]byte(svc.raw), &s) != nil || pod == nil {
		return "", false
	}
	for _, p := range s.Spec.Ports {
		tp := p.TargetPort
		if tp.Type == intstr.String && tp.StrVal != "" {
			for _, ct := range pod.Containers {
				for _, cp := range ct.Ports {
					if cp.Name == tp.StrVal {
						return strconv.Quote(tp.StrVal), true
					}
				}
			}
			continue
		}
		if tp.IntValue() != 0 {
			return strconv.Itoa(tp.IntValue()), true
		}
		return strconv.Itoa(int(p.Port)), true
	}
	return "", false
}

// pdbNeedsScale reports whether a PodDisruptionBudget needs the scale of
// each pod's controller: maxUnavailable, or minAvailable as a percentage.
func pdbNeedsScale(o *object) bool {
	var p policyv1.PodDisruptionBudget
	if yaml.Unmarshal([]byte(o.raw), &p) != nil {
		return false
	}
	if p.Spec.MaxUnavailable != nil {
		return true
	}
	return p.Spec.MinAvailable != nil && p.Spec.MinAvailable.Type == intstr.String
}

func selectorText(sel labels.Selector) string { return sel.String() }

// leaveSelector says how the hook pod leaves a selector: a label the selector
// requires gets another value (or goes). The component or name label is
// preferred: the instance label is how tools group a release's pods.
func leaveSelector(sel labels.Selector, pod map[string]string) string {
	reqs, _ := sel.Requirements()
	var keys []string
	for _, r := range reqs {
		keys = append(keys, r.Key())
	}
	pick := ""
	for _, pref := range []string{"app.kubernetes.io/component", "component", "app.kubernetes.io/name", "app"} {
		if slices.Contains(keys, pref) {
			pick = pref
			break
		}
	}
	if pick == "" {
		for _, k := range keys {
			if k != "app.kubernetes.io/instance" && k != "release" {
				pick = k
				break
			}
		}
	}
	if pick == "" && len(keys) > 0 {
		pick = keys[0]
	}
	v := pod[pick]
	return fmt.Sprintf("in the hook's pod template give %s another value than %q (e.g. %s: %s-hook), or leave it out", pick, v, pick, v)
}

// jobNames checks Job names as a release with the longest supported name
// would get them; the object is matched by file and document index. When
// the chart does not render with that name (its own fail on long names),
// that is said once, and the names are checked as rendered.
func (c *checker) jobNames() {
	if c.longErr != nil {
		for _, o := range c.objs {
			if o.Kind == "Job" && !o.Dropped {
				c.add("HG031", o, 0, nil,
					"the chart does not render with a %d-character release name, so Job name lengths (HG012) and release-independent hook names (HG027) were checked only with the release name %q: %s; if that is the chart's own limit, lint with --release-name-length set to it",
					c.releaseNameLen, render.DefaultReleaseName, oneLine(c.longErr))
				break
			}
		}
	}
	for _, o := range c.objs {
		if o.Kind != "Job" || o.Dropped {
			continue
		}
		if len(o.Name) > 63 {
			c.addSev("HG012", Error, o, o.line("  name:", "name:"), eventNames(o.events()),
				"Job name is %d characters with the release name %q: Kubernetes rejects Job names over 63 characters (the name becomes the pod label job-name); %s",
				len(o.Name), render.DefaultReleaseName, truncateFix(o))
			continue
		}
		if c.long == nil {
			continue
		}
		l := c.long.byDoc[docKey(o)]
		if l == nil || l.Kind != "Job" || len(l.Name) <= 63 {
			continue
		}
		// The name grows with the release name: it breaks from this length on.
		grow := len(l.Name) - c.releaseNameLen
		limit := max(63-grow, 0)
		sev, why := Warning, "a realistic release name"
		if limit >= c.realisticNameLen() {
			sev, why = Info, "only release names longer than most teams use"
		}
		c.addSev("HG012", sev, o, o.line("  name:", "name:"), eventNames(o.events()),
			"Job name is %d characters with a %d-character release name (%q), so any release name longer than %d characters fails (%s): Kubernetes rejects Job names over 63 characters (the name becomes the pod label job-name); %s",
			len(l.Name), c.releaseNameLen, l.Name, limit, why, truncateFix(o))
	}
}

// realisticReleaseName is the release name length HG012 calls realistic
// when --release-name-length is not given: room for names such as
// "payments-api-production-eu" (26). Longer names break only at info.
const realisticReleaseName = 30

// realisticNameLen is the release name length a Job name must fit with
// for HG012 to warn: the --release-name-length the user gave, else 30.
func (c *checker) realisticNameLen() int {
	if c.opts.ReleaseNameLength != 0 {
		return c.opts.ReleaseNameLength
	}
	return min(realisticReleaseName, c.releaseNameLen)
}

func oneLine(err error) string { return strings.Join(strings.Fields(err.Error()), " ") }

// nameLineRE reads a name template such as
// `name: {{ include "app.fullname" . }}-migrate`: the expression and the
// literal suffix after it.
var nameLineRE = regexp.MustCompile(`name:\s*"?\{\{-?\s*(.+?)\s*-?\}\}([A-Za-z0-9._-]+)"?\s*(#.*)?$`)

// truncateFix is HG012's fix: truncate the prefix and keep the suffix, so
// two hooks of one release (-migrate, -seed) stay distinct at any length.
// Truncating the whole name would cut the suffix first.
func truncateFix(o *object) string {
	expr, suffix := `include "<chart>.fullname" .`, "-task"
	if l := o.line("  name:"); l > 0 {
		lines := strings.Split(o.source, "\n")
		if i := l - o.srcOff - 1; i >= 0 && i < len(lines) {
			if m := nameLineRE.FindStringSubmatch(lines[i]); m != nil && !strings.Contains(m[1], "|") {
				expr, suffix = m[1], m[2]
				// template is an action, not a function: it cannot be piped.
				if rest, ok := strings.CutPrefix(expr, "template "); ok {
					expr = "include " + rest
				}
			}
		}
	}
	return fmt.Sprintf("truncate the prefix, not the suffix, so hooks stay distinct: name: {{ printf \"%%s%s\" (%s | trunc %d | trimSuffix \"-\") }}",
		suffix, expr, 63-len(suffix))
}

// ties is HG004. Helm runs hooks of one event by weight, then name; kind
// breaks ties of equal names only. A Job or Pod that uses a helper hook of
// the same weight gets it in time only because of their names. That is
// reported when some release name or value (one of the order probes) puts
// the Job first; when the default names already do, HG010 reports it.
func (c *checker) ties() {
	type pair struct {
		job, dep *object
		events   []string
	}
	var pairs []*pair
	byKey := map[string]*pair{}
	for _, ev := range helmhook.Events {
		ordered := helmhook.ForEvent(c.hooks, ev)
		pos := map[*object]int{}
		for i, h := range ordered {
			if o := c.hookObj[h]; o != nil {
				if _, seen := pos[o]; !seen {
					pos[o] = i
				}
			}
		}
		for _, h := range ordered {
			a := c.hookObj[h]
			if a == nil || !a.waited() || a.PodSpec == nil {
				continue
			}
			for _, r := range podRefs(a.PodSpec) {
				for _, b := range c.hookByID[key(r.Kind, r.Name)] {
					if !b.hasEvent(ev) || b.Hook.Weight != a.Hook.Weight || pos[b] > pos[a] {
						continue
					}
					k := docKey(a) + ">" + docKey(b)
					if p := byKey[k]; p != nil {
						if !slices.Contains(p.events, string(ev)) {
							p.events = append(p.events, string(ev))
						}
						continue
					}
					p := &pair{job: a, dep: b, events: []string{string(ev)}}
					byKey[k] = p
					pairs = append(pairs, p)
				}
			}
		}
	}
	if len(pairs) == 0 {
		return
	}
	probes := c.probes.orderProbes(c.long)
	for _, p := range pairs {
		for _, pr := range probes {
			a, b := pr.byDoc[docKey(p.job)], pr.byDoc[docKey(p.dep)]
			if a == nil || b == nil || a.Hook == nil || b.Hook == nil || a.Kind != p.job.Kind || b.Kind != p.dep.Kind {
				continue
			}
			ev, flipped := firstAfter(pr, a, b, p.events)
			if !flipped {
				continue
			}
			// Name the fewest values that do it: those naming the helper,
			// else those naming the Job.
			for _, name := range []string{b.Name, a.Name} {
				if n := c.probes.narrow(pr, name); n != nil {
					na, nb := n.byDoc[docKey(p.job)], n.byDoc[docKey(p.dep)]
					if na != nil && nb != nil && na.Hook != nil && nb.Hook != nil {
						if e, ok := firstAfter(n, na, nb, p.events); ok {
							pr, a, b, ev = n, na, nb, e
							break
						}
					}
				}
			}
			o := p.job
			line := annLine(o, annWeight)
			if _, ok := o.Annotations[annWeight]; !ok {
				line = annLine(o, annHook)
			}
			c.add("HG004", o, line, p.events,
				"uses %s, a hook of the same weight %d at %s, which Helm creates first only because of their names: with %s Helm creates %s before %s at %s and the pod cannot start; give %s a lower helm.sh/hook-weight than this %s",
				p.dep.ref(), o.Hook.Weight, strings.Join(p.events, ", "), pr.label, a.ref(), b.ref(), ev, p.dep.Name, o.Kind)
			break
		}
	}
}

// firstAfter reports the first of events at which, in probe pr, hook b runs
// after hook a (or is missing from the event while a runs).
func firstAfter(pr *probe, a, b *object, events []string) (string, bool) {
	for _, e := range events {
		ev := release.HookEvent(e)
		ia, ib := -1, -1
		for i, h := range helmhook.ForEvent(pr.hooks, ev) {
			if h == a.Hook && ia < 0 {
				ia = i
			}
			if h == b.Hook && ib < 0 {
				ib = i
			}
		}
		if ia >= 0 && ib > ia {
			return e, true
		}
	}
	return "", false
}

// podRefs lists the ConfigMaps, Secrets, ServiceAccount and PVCs a pod needs
// to start, each once. Optional references are left out.
func podRefs(s *corev1.PodSpec) []podrefs.Ref { return podrefs.Objects(podrefs.Pod(s)) }

// dependencies checks what each hook pod needs against when it exists.
func (c *checker) dependencies() {
	pos := map[release.HookEvent]map[*object]int{}
	for _, ev := range helmhook.Events {
		pos[ev] = map[*object]int{}
		for i, h := range helmhook.ForEvent(c.hooks, ev) {
			if o := c.hookObj[h]; o != nil {
				pos[ev][o] = i
			}
		}
	}
	for _, o := range c.objs {
		if !live(o) || o.PodSpec == nil || (o.Kind != "Job" && o.Kind != "Pod") {
			continue
		}
		for _, r := range podRefs(o.PodSpec) {
			k := key(r.Kind, r.Name)
			if n := c.normal[k]; n != nil {
				c.releaseDependency(o, k)
				continue
			}
			for _, h := range c.hookByID[k] {
				c.hookDependency(o, h, pos)
			}
		}
	}
}

func (c *checker) releaseDependency(o *object, ref string) {
	switch {
	case o.hasEvent(release.HookPreInstall):
		c.add("HG008", o, refLine(o, ref), eventNames(o.events()),
			"uses %s, a normal release resource that Helm creates only after the pre-install hooks: the pod cannot start and the hook times out; make it a hook of the same events with a lower weight and before-hook-creation, or use an object that already exists", ref)
	case o.hasEvent(release.HookPreUpgrade):
		c.add("HG009", o, refLine(o, ref), eventNames(o.events()),
			"uses %s, a release resource: at pre-upgrade the hook sees the previous revision's copy (a new or changed one is applied only after the hook); if the hook needs this revision's content, make it a hook with a lower weight", ref)
	}
	if o.hasEvent(release.HookPostDelete) {
		c.add("HG011", o, refLine(o, ref), []string{string(release.HookPostDelete)},
			"uses %s, a release resource that uninstall deletes before post-delete hooks run: the pod cannot start and uninstall reports an error after the timeout; make it a post-delete hook with a lower weight, or run the task as pre-delete", ref)
	}
}

func refName(ref string) string { return ref[strings.Index(ref, "/")+1:] }

// refKeys are the template keys that name a reference of each kind, for
// finding the line when the name itself is computed by a helper.
var refKeys = map[string][]string{
	"ServiceAccount":        {"serviceAccountName", "serviceAccount:"},
	"Secret":                {"secretName", "secretKeyRef", "secretRef", "imagePullSecrets"},
	"ConfigMap":             {"configMapKeyRef", "configMapRef", "configMap:"},
	"PersistentVolumeClaim": {"claimName"},
}

// refLine finds the line where the pod refers to kind/name.
func refLine(o *object, ref string) int {
	kind, name := ref[:strings.Index(ref, "/")], refName(ref)
	keys := []string{name}
	// Templates usually spell the name as {{ .Release.Name }}-suffix or
	// {{ include "x.fullname" . }}-suffix: look for the suffix.
	if rest, ok := strings.CutPrefix(name, render.DefaultReleaseName); ok && len(rest) > 2 {
		keys = append(keys, rest)
	}
	return o.line(append(keys, refKeys[kind]...)...)
}

func (c *checker) hookDependency(o, h *object, pos map[release.HookEvent]map[*object]int) {
	var after, missing []string
	for _, ev := range o.events() {
		if h.hasEvent(ev) {
			if pos[ev][h] > pos[ev][o] {
				after = append(after, string(ev))
			}
			continue
		}
		switch {
		case helmhook.HasPolicy(h.Hook, release.HookSucceeded):
			missing = append(missing, string(ev))
		case ev == release.HookPreInstall:
			missing = append(missing, string(ev))
		}
	}
	after = eventNames(after)
	missing = eventNames(missing)
	line := refLine(o, h.ref())
	if len(after) > 0 {
		why := "same weight, so name order decides"
		if h.Hook.Weight != o.Hook.Weight {
			why = fmt.Sprintf("weight %d after %d", h.Hook.Weight, o.Hook.Weight)
		}
		c.add("HG010", o, line, after,
			"uses %s, a hook that Helm creates after this %s at %s (%s): the pod cannot start until it exists and may fail or time out; give %s a lower helm.sh/hook-weight",
			h.ref(), o.Kind, strings.Join(after, ", "), why, h.Name)
	}
	if len(missing) > 0 {
		why := "it is not a hook of that event"
		if helmhook.HasPolicy(h.Hook, release.HookSucceeded) {
			why = "hook-succeeded deletes it when its own event ends, and it is not a hook of that event"
		}
		c.add("HG010", o, line, missing,
			"uses %s, which does not exist at %s (%s): the pod cannot start and the hook times out; add those events to %s's helm.sh/hook with a lower weight",
			h.ref(), strings.Join(missing, ", "), why, h.Name)
	}
}

// collisions flags hooks that share kind and name with a release resource
// (before-hook-creation deletes that resource) or with another hook.
func (c *checker) collisions() {
	for _, o := range c.objs {
		if !live(o) {
			continue
		}
		k := key(o.Kind, o.Name)
		if n := c.normal[k]; n != nil && n.Namespace == o.Namespace {
			c.add("HG024", o, o.line("  name:", "name:"), eventNames(o.events()),
				"has the same kind and name as a normal release resource (in %s): before-hook-creation deletes that resource before creating the hook, without checking who owns it; give the hook its own name", n.File)
		}
		for _, h := range c.hookByID[k] {
			if h == o {
				break // report each pair once, on the later object
			}
			if h.Namespace == o.Namespace {
				c.add("HG024", o, o.line("  name:", "name:"), eventNames(o.events()),
					"has the same kind and name as another hook (in %s): one replaces or deletes the other; give each hook its own name", h.File)
				break
			}
		}
	}
}

func (c *checker) argo(o *object) {
	if _, own := o.Annotations[annArgoHook]; own {
		return // Argo CD's own hook annotation overrides the Helm one
	}
	evs := eventNames(o.events())
	mapped := false
	for _, ev := range o.events() {
		if helmhook.ArgoPhase[ev] != "" {
			mapped = true
		}
	}
	if !mapped {
		c.add("HG025", o, annLine(o, annHook), evs,
			"Argo CD has no sync phase for %s (rollback and test hooks are unsupported): it never applies this resource; if it must run under Argo CD, add a supported event or argocd.argoproj.io/hook",
			strings.Join(evs, ", "))
	}
	if o.hasEvent(release.HookPreUpgrade) && !o.hasEvent(release.HookPreInstall) && o.waited() {
		c.argoFirstSync(o)
	}
	for _, p := range [][2]release.HookEvent{{release.HookPreInstall, release.HookPreUpgrade}, {release.HookPostInstall, release.HookPostUpgrade}} {
		if o.hasEvent(p[0]) && !o.hasEvent(p[1]) {
			c.add("HG026", o, annLine(o, annHook), evs,
				"Argo CD maps %s to %s, which runs on every sync, not only on the first install; make the task idempotent, or guard it (e.g. check state first)",
				p[0], helmhook.ArgoPhase[p[0]])
		}
	}
}

// argoFirstSync is HG030: Argo CD cannot tell install from upgrade, so a
// pre-upgrade hook runs as PreSync on the first sync too, before anything
// of the release is applied (argo-cd docs/user-guide/helm.md, "Helm Hooks").
func (c *checker) argoFirstSync(o *object) {
	evs := eventNames(o.events())
	var missing []string
	if o.PodSpec != nil {
		for _, r := range podRefs(o.PodSpec) {
			if c.normal[key(r.Kind, r.Name)] != nil {
				missing = append(missing, key(r.Kind, r.Name))
			}
		}
	}
	if len(missing) > 0 {
		c.addSev("HG030", Error, o, annLine(o, annHook), evs,
			"Argo CD runs this pre-upgrade hook as PreSync on the first sync too, before the release's resources are applied: %s %s not exist yet, so the pod cannot start and the sync hangs; add pre-install to this hook (\"helm.sh/hook\": pre-install,pre-upgrade) and make what it needs hooks of the same events with a lower weight",
			strings.Join(missing, ", "), plural3(len(missing), "does", "do"))
		return
	}
	c.addSev("HG030", Warning, o, annLine(o, annHook), evs,
		"Argo CD runs this pre-upgrade hook as PreSync on the first sync too, before anything of the release exists: make the task safe on a fresh install (and say so with pre-install,pre-upgrade), or guard it")
}

// fixedNames is HG027: a hook whose name is the same whatever the release
// is called. Two releases of the chart in one namespace (or any two, for a
// cluster-scoped kind) then share it: before-hook-creation in one release
// deletes the other's object, running or not, and without hook-succeeded a
// finished hook stays until some release runs it again.
func (c *checker) fixedNames() {
	if c.long == nil {
		return
	}
	for _, o := range c.objs {
		if !live(o) || !helmhook.Deletable(o.Kind) || helmhook.HasPolicy(o.Hook, release.HookSucceeded) {
			continue
		}
		l := c.long.byDoc[docKey(o)]
		if l == nil || l.Kind != o.Kind || l.Name != o.Name || l.Namespace != o.Namespace {
			continue
		}
		where := "in one namespace"
		if clusterScoped[o.Kind] {
			where = "anywhere in the cluster"
		} else if o.Namespace != "" {
			where = "in any namespace (its namespace is fixed too)"
		}
		c.add("HG027", o, o.line("  name:", "name:"), eventNames(o.events()),
			"name %q does not contain the release name: two releases of this chart %s share it, so one release's before-hook-creation deletes the other's %s (even while it runs), and the finished hook stays until a release runs it again; build the name from the release, e.g. name: {{ .Release.Name }}-%s (or the chart's fullname helper)",
			o.Name, where, o.Kind, o.Name)
	}
}

// clusterScoped kinds that charts create as hooks.
var clusterScoped = map[string]bool{
	"ClusterRole": true, "ClusterRoleBinding": true, "Namespace": true, "PersistentVolume": true,
	"StorageClass": true, "PriorityClass": true, "MutatingWebhookConfiguration": true,
	"ValidatingWebhookConfiguration": true, "APIService": true,
}

// releaseUsesHooks is HG029: a release workload that mounts or reads a
// ConfigMap, Secret or ServiceAccount that only exists as a hook. Hooks are
// not release resources: upgrade and rollback never apply them, uninstall
// leaves them, and their delete policy removes them.
func (c *checker) releaseUsesHooks() {
	users := map[*object][]string{}
	var order []*object
	for _, w := range c.objs {
		if w.IsHook || w.PodSpec == nil {
			continue
		}
		for _, r := range podRefs(w.PodSpec) {
			if r.Kind == "PersistentVolumeClaim" {
				continue // HG028
			}
			k := key(r.Kind, r.Name)
			if c.normal[k] != nil {
				continue
			}
			for _, h := range c.hookByID[k] {
				if _, seen := users[h]; !seen {
					order = append(order, h)
				}
				if !slices.Contains(users[h], w.ref()) {
					users[h] = append(users[h], w.ref())
				}
			}
		}
	}
	for _, h := range order {
		evs := eventNames(h.events())
		ws := strings.Join(users[h], ", ")
		fix := "make it a normal release resource (hooks that need it at pre-install then need their own hook copy under another name)"
		switch {
		case helmhook.HasPolicy(h.Hook, release.HookSucceeded):
			c.addSev("HG029", Error, h, annLine(h, annHook), evs,
				"%s %s this hook, but hook-succeeded deletes it when %s ends: their pods cannot start after that; %s", ws, plural3(len(users[h]), "uses", "use"), strings.Join(evs, ", "), fix)
		case !h.hasEvent(release.HookPreUpgrade) && !h.hasEvent(release.HookPostUpgrade):
			c.addSev("HG029", Warning, h, annLine(h, annHook), evs,
				"%s %s this hook, which Helm never applies again after %s: changed values never reach it on upgrade, rollback does not restore it, and helm uninstall leaves it behind; %s", ws, plural3(len(users[h]), "uses", "use"), strings.Join(evs, ", "), fix)
		default:
			c.addSev("HG029", Info, h, annLine(h, annHook), evs,
				"%s %s this hook: it is re-created on every upgrade, but helm uninstall leaves it behind; %s if it need not be a hook", ws, plural3(len(users[h]), "uses", "use"), fix)
		}
	}
}

// plural3 picks the singular or plural form for n.
func plural3(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
