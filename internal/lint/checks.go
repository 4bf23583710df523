package lint

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	release "helm.sh/helm/v4/pkg/release/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"

	"github.com/hookgen/hookgen/internal/helmhook"
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
	longObjs       []*object       // objects rendered with the longest release name

	hookObj  map[*release.Hook]*object
	normal   map[string]*object // kind/name -> release (non-hook) resource
	hookByID map[string][]*object
	findings []found

	// selecting: the release's objects that select pods, with their
	// selectors, parsed once (a chart has many hooks and many objects).
	selecting []selecting
	selDone   bool
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
	r := ruleByID[rule]
	if line == 0 {
		line = o.objectLine()
	}
	c.findings = append(c.findings, found{obj: o, Finding: Finding{
		Rule: r.ID, Name: r.Name, Severity: r.Severity,
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
		c.add("HG002", o, annLine(o, annWeight), evs,
			"helm.sh/hook-weight %s is an unquoted YAML number: the Kubernetes API rejects non-string annotation values and the release fails; quote it (\"%s\")", w, w)
	default:
		if _, ok := helmhook.Weight(w); !ok {
			c.add("HG002", o, annLine(o, annWeight), evs,
				"helm.sh/hook-weight %q is not an integer: Helm silently uses weight 0; write a whole number as a string, e.g. \"-5\"", w)
		}
	}
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
		c.add("HG005", o, annLine(o, annDelete), evs,
			"helm.sh/hook-delete-policy %q has unknown value %s: Helm ignores it, and because the annotation is set the default before-hook-creation is off too; use before-hook-creation,hook-succeeded",
			v, strings.Join(bad, ", "))
		return
	}
	if !helmhook.HasPolicy(o.Hook, release.HookBeforeHookCreation) {
		c.add("HG006", o, annLine(o, annDelete), evs,
			"helm.sh/hook-delete-policy %q lacks before-hook-creation: when an earlier run left the object behind (failed or interrupted), Helm 3 fails with \"already exists\" and Helm 4 patches it (immutable-field error, or the old result is reused and the hook does not run again); add before-hook-creation", v)
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
		c.add("HG023", o, o.line("securityContext", "containers:"), evs,
			"pod fails Pod Security \"restricted\": %s; in a namespace that enforces it the pod is rejected and Helm waits until --timeout; set those securityContext fields",
			strings.Join(fails, "; "))
	}
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
			"no backoffLimit: Kubernetes retries a failing pod 6 times with back-off delays of 10s, 20s, 40s and more, longer than Helm's default 5m --timeout, so Helm reports a timeout instead of the failure; set spec.backoffLimit (0-2 for a migration)")
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

func (c *checker) misc(o *object) {
	evs := eventNames(o.events())
	if slices.Contains(longRunning, o.Kind) {
		c.add("HG018", o, annLine(o, annHook), evs,
			"a %s as a hook: Helm does not wait for it to become ready (it waits only on Jobs and Pods), deletes and recreates it on every run of its events, and uninstall leaves it behind; make it a normal release resource, or run the task as a Job", o.Kind)
	}
	if strings.EqualFold(strings.TrimSpace(o.Annotations[annKeep]), "keep") {
		c.add("HG020", o, annLine(o, annKeep), evs,
			"helm.sh/resource-policy: keep does nothing on a hook: Helm still deletes it by its delete policy, and uninstall never deletes hooks anyway; remove it, or make the object a normal resource if it must outlive the release")
	}
	if o.GenerateName != "" {
		c.add("HG022", o, o.line("generateName"), evs,
			"metadata.generateName %q: Helm finds hooks by metadata.name to delete them (before-hook-creation and the other policies) and to print their logs, so generated copies pile up untracked; set metadata.name", o.GenerateName)
	}
	c.selectors(o)
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
		c.add("HG021", o, annLine(o, a), nil,
			"%s without helm.sh/hook does nothing: Helm creates, updates and deletes this object as a normal release resource; add helm.sh/hook to make it a hook, or drop the annotation", a)
	}
}

// selectors flags hook pods whose labels a release Service or workload selects.
func (c *checker) selectors(o *object) {
	if o.PodMeta == nil || len(o.PodMeta.Labels) == 0 {
		return
	}
	var services, workloads []string
	for _, ns := range c.podSelectors() {
		n := ns.obj
		if !ns.sel.Matches(labels.Set(o.PodMeta.Labels)) {
			continue
		}
		if n.Kind == "Service" {
			services = append(services, n.ref())
		} else {
			workloads = append(workloads, n.ref())
		}
	}
	var effects []string
	if len(services) > 0 {
		effects = append(effects, fmt.Sprintf("%s send traffic to the hook's pod", strings.Join(services, ", ")))
	}
	if len(workloads) > 0 {
		effects = append(effects, fmt.Sprintf("the selector of %s matches it (kubectl, PodDisruptionBudgets and monitoring count it as theirs)", strings.Join(workloads, ", ")))
	}
	if len(effects) > 0 {
		c.add("HG019", o, o.line("labels:"), eventNames(o.events()),
			"pod labels are selected by the release: %s; give the hook pod a label value that the selectors do not match (e.g. app.kubernetes.io/component: migration)",
			strings.Join(effects, "; "))
	}
}

// jobNames checks Job names as a release with the longest supported name
// would get them; the object is matched by file and document index.
func (c *checker) jobNames() {
	long := map[string]*object{}
	for _, l := range c.longObjs {
		long[fmt.Sprintf("%s#%d", l.File, l.Doc)] = l
	}
	for _, o := range c.objs {
		if o.Kind != "Job" || o.Dropped {
			continue
		}
		name := o.Name
		if l := long[fmt.Sprintf("%s#%d", o.File, o.Doc)]; l != nil && l.Kind == "Job" && len(l.Name) > len(name) {
			name = l.Name
		}
		if len(name) > 63 {
			c.add("HG012", o, o.line("  name:", "name:"), eventNames(o.events()),
				"Job name is %d characters with a %d-character release name (%q): Kubernetes rejects Job names over 63 characters (the name becomes the pod label job-name); build it as printf \"%%s-task\" (include \"<chart>.fullname\" .) | trunc 63 | trimSuffix \"-\"",
				len(name), c.releaseNameLen, name)
		}
	}
}

// ties reports groups of hooks of one event with the same weight that
// include a Job or Pod (which Helm waits on) and something else: their order
// is decided by name alone. Groups repeated across events are reported once.
func (c *checker) ties() {
	type group struct {
		first   *object
		members []string
		weight  int
		events  []string
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, ev := range helmhook.Events {
		ordered := helmhook.ForEvent(c.hooks, ev)
		for i := 0; i < len(ordered); {
			j := i
			for j < len(ordered) && ordered[j].Weight == ordered[i].Weight {
				j++
			}
			run := ordered[i:j]
			i = j
			if len(run) < 2 {
				continue
			}
			var first *object
			var names []string
			for _, h := range run {
				o := c.hookObj[h]
				if o == nil {
					continue
				}
				if first == nil && o.waited() {
					first = o
				}
				names = append(names, o.ref())
			}
			if first == nil {
				continue
			}
			k := strings.Join(names, ",")
			if g := byKey[k]; g != nil {
				g.events = append(g.events, string(ev))
				continue
			}
			g := &group{first: first, members: names, weight: run[0].Weight, events: []string{string(ev)}}
			byKey[k] = g
			groups = append(groups, g)
		}
	}
	for _, g := range groups {
		o := g.first
		line := annLine(o, annWeight)
		if _, ok := o.Annotations[annWeight]; !ok {
			line = annLine(o, annHook)
		}
		c.add("HG004", o, line, g.events,
			"%d hooks of %s share weight %d, so Helm runs them in name order (kind only breaks ties of equal names): %s; give each a distinct helm.sh/hook-weight (helpers lower than the Job or Pod that needs them)",
			len(g.members), strings.Join(g.events, ", "), g.weight, strings.Join(g.members, ", "))
	}
}

type podRef struct{ kind, name string }

// podRefs lists the ConfigMaps, Secrets, ServiceAccount and PVCs a pod needs
// to start. Optional references are left out.
func podRefs(s *corev1.PodSpec) []podRef {
	var out []podRef
	add := func(kind, name string, optional *bool) {
		if name == "" || (optional != nil && *optional) {
			return
		}
		r := podRef{kind, name}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	sa := s.ServiceAccountName
	if sa == "" {
		sa = s.DeprecatedServiceAccount
	}
	add("ServiceAccount", sa, nil)
	for _, v := range s.Volumes {
		switch {
		case v.ConfigMap != nil:
			add("ConfigMap", v.ConfigMap.Name, v.ConfigMap.Optional)
		case v.Secret != nil:
			add("Secret", v.Secret.SecretName, v.Secret.Optional)
		case v.PersistentVolumeClaim != nil:
			add("PersistentVolumeClaim", v.PersistentVolumeClaim.ClaimName, nil)
		case v.Projected != nil:
			for _, p := range v.Projected.Sources {
				if p.ConfigMap != nil {
					add("ConfigMap", p.ConfigMap.Name, p.ConfigMap.Optional)
				}
				if p.Secret != nil {
					add("Secret", p.Secret.Name, p.Secret.Optional)
				}
			}
		}
	}
	for _, ps := range s.ImagePullSecrets {
		add("Secret", ps.Name, nil)
	}
	containers := append(append([]corev1.Container{}, s.InitContainers...), s.Containers...)
	for _, ct := range containers {
		for _, e := range ct.EnvFrom {
			if e.ConfigMapRef != nil {
				add("ConfigMap", e.ConfigMapRef.Name, e.ConfigMapRef.Optional)
			}
			if e.SecretRef != nil {
				add("Secret", e.SecretRef.Name, e.SecretRef.Optional)
			}
		}
		for _, e := range ct.Env {
			if e.ValueFrom == nil {
				continue
			}
			if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
				add("ConfigMap", r.Name, r.Optional)
			}
			if r := e.ValueFrom.SecretKeyRef; r != nil {
				add("Secret", r.Name, r.Optional)
			}
		}
	}
	return out
}

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
			k := key(r.kind, r.name)
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
	for _, p := range [][2]release.HookEvent{{release.HookPreInstall, release.HookPreUpgrade}, {release.HookPostInstall, release.HookPostUpgrade}} {
		if o.hasEvent(p[0]) && !o.hasEvent(p[1]) {
			c.add("HG026", o, annLine(o, annHook), evs,
				"Argo CD maps %s to %s, which runs on every sync, not only on the first install; make the task idempotent, or guard it (e.g. check state first)",
				p[0], helmhook.ArgoPhase[p[0]])
		}
	}
}
