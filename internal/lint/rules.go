package lint

import "strings"

// Rule is one check. IDs are stable: never renumber or reuse one. Each rule
// has a section in docs/rules.md (anchor: the lower-case ID) with an example
// and the evidence it rests on (Helm's code and docs, Kubernetes docs).
type Rule struct {
	ID   string
	Name string
	// Severity is the rule's class: the worst consequence it reports. Some
	// rules report a milder case at a lower severity (docs/rules.md says
	// which); each finding carries its own.
	Severity Severity
	// Summary is one line: what is wrong (SARIF shortDescription).
	Summary string
	// GitOps is set for rules that only run with --gitops of that name.
	GitOps string
}

// Rules lists every rule in ID order.
var Rules = []*Rule{
	{ID: "HG001", Name: "unknown-hook-event", Severity: Error,
		Summary: "helm.sh/hook has an unknown event, so Helm silently drops the whole resource"},
	{ID: "HG002", Name: "invalid-hook-weight", Severity: Error,
		Summary: "helm.sh/hook-weight is not an integer string (Helm uses 0) or is an unquoted number (the API rejects it)"},
	{ID: "HG003", Name: "missing-hook-weight", Severity: Info,
		Summary: "hook has no helm.sh/hook-weight, so Helm uses 0 and orders it by name"},
	{ID: "HG004", Name: "hook-weight-tie", Severity: Warning,
		Summary: "a Job or Pod and a hook it uses share a weight, and some release name or value makes Helm create the Job first"},
	{ID: "HG005", Name: "invalid-delete-policy", Severity: Error,
		Summary: "helm.sh/hook-delete-policy has an unknown, misspelt or empty value, which also turns off the default before-hook-creation"},
	{ID: "HG006", Name: "missing-before-hook-creation", Severity: Error,
		Summary: "delete policy lacks before-hook-creation, so the next run meets the old object"},
	{ID: "HG007", Name: "hook-failed-without-log-policy", Severity: Info,
		Summary: "hook-failed deletes a failed hook (and a Job still running at the timeout) with no log output policy to show why"},
	{ID: "HG008", Name: "pre-install-uses-release-resource", Severity: Error,
		Summary: "pre-install hook uses a ConfigMap, Secret, ServiceAccount or PVC that Helm creates only after the pre-install hooks"},
	{ID: "HG009", Name: "pre-upgrade-uses-release-resource", Severity: Info,
		Summary: "pre-upgrade hook uses a release resource, so it sees the previous revision's copy"},
	{ID: "HG010", Name: "helper-hook-not-ready", Severity: Error,
		Summary: "hook uses a helper hook that Helm creates after it, or that does not exist at that event"},
	{ID: "HG011", Name: "post-delete-uses-release-resource", Severity: Error,
		Summary: "post-delete hook uses a release resource that uninstall has already deleted"},
	{ID: "HG012", Name: "job-name-too-long", Severity: Error,
		Summary: "Job name exceeds 63 characters for a release name of the given length"},
	{ID: "HG013", Name: "invalid-restart-policy", Severity: Error,
		Summary: "hook pod restartPolicy is not Never or OnFailure"},
	{ID: "HG014", Name: "missing-backoff-limit", Severity: Info,
		Summary: "hook Job has no backoffLimit, so Kubernetes retries 6 times, past Helm's timeout"},
	{ID: "HG015", Name: "missing-active-deadline", Severity: Info,
		Summary: "hook Job has no activeDeadlineSeconds, so it keeps running after Helm gives up"},
	{ID: "HG016", Name: "deadline-exceeds-helm-timeout", Severity: Info,
		Summary: "hook Job's activeDeadlineSeconds is not below Helm's --timeout"},
	{ID: "HG017", Name: "short-ttl-after-finished", Severity: Warning,
		Summary: "hook Job's ttlSecondsAfterFinished can delete it while Helm is still waiting on it"},
	{ID: "HG018", Name: "long-running-hook", Severity: Warning,
		Summary: "Deployment, StatefulSet, DaemonSet or ReplicaSet as a hook: Helm does not wait for it and recreates it every run"},
	{ID: "HG019", Name: "hook-pod-selected", Severity: Error,
		Summary: "hook pod is an endpoint of a release Service, or a PodDisruptionBudget that needs scale selects a hook Job's pod"},
	{ID: "HG020", Name: "keep-policy-on-hook", Severity: Info,
		Summary: "helm.sh/resource-policy: keep does nothing on a hook"},
	{ID: "HG021", Name: "hook-annotation-on-non-hook", Severity: Warning,
		Summary: "hook annotations on a resource without helm.sh/hook do nothing"},
	{ID: "HG022", Name: "generate-name-on-hook", Severity: Error,
		Summary: "hook uses metadata.generateName, which Helm does not support"},
	{ID: "HG023", Name: "pod-security-restricted", Severity: Warning,
		Summary: "hook pod fails Pod Security \"restricted\""},
	{ID: "HG024", Name: "hook-name-collision", Severity: Error,
		Summary: "hook has the same kind and name as another object of the release"},
	{ID: "HG025", Name: "argocd-hook-never-runs", Severity: Info, GitOps: GitOpsArgoCD,
		Summary: "Argo CD maps none of the hook's events to a sync phase, so it never applies the resource"},
	{ID: "HG026", Name: "argocd-hook-every-sync", Severity: Warning, GitOps: GitOpsArgoCD,
		Summary: "install-only hook runs on every Argo CD sync"},
	{ID: "HG027", Name: "hook-name-without-release", Severity: Warning,
		Summary: "hook name does not contain the release name, so two releases of the chart delete each other's hook"},
	{ID: "HG028", Name: "stateful-hook", Severity: Error,
		Summary: "PersistentVolumeClaim or PersistentVolume as a hook: its delete policy deletes its data, upgrade never updates it"},
	{ID: "HG029", Name: "release-uses-hook-object", Severity: Error,
		Summary: "a release workload uses a ConfigMap, Secret or ServiceAccount that exists only as a hook"},
	{ID: "HG030", Name: "argocd-pre-upgrade-first-sync", Severity: Error, GitOps: GitOpsArgoCD,
		Summary: "pre-upgrade hook runs as PreSync on Argo CD's first sync, before the release's resources exist"},
	{ID: "HG031", Name: "long-release-name-not-rendered", Severity: Info,
		Summary: "the chart does not render with the longest release name, so Job names were checked only with the default one"},
	{ID: "HG032", Name: "duplicate-hook-event", Severity: Warning,
		Summary: "helm.sh/hook lists an event twice, so Helm runs the hook twice at that event"},
	{ID: "HG033", Name: "crd-hook-delete-policy", Severity: Info,
		Summary: "a CustomResourceDefinition hook has a delete policy, which Helm never applies"},
	{ID: "HG034", Name: "non-string-annotation", Severity: Error,
		Summary: "a hook annotation other than the weight is an unquoted number or boolean, which the Kubernetes API rejects"},
}

var ruleByID = func() map[string]*Rule {
	m := map[string]*Rule{}
	for _, r := range Rules {
		m[r.ID] = r
	}
	return m
}()

// RuleByID returns the rule with the given ID, or nil.
func RuleByID(id string) *Rule { return ruleByID[id] }

// HelpURI is where a rule is documented (the section of docs/rules.md).
func (r *Rule) HelpURI() string {
	return "https://github.com/hookgen/hookgen/blob/main/docs/rules.md#" + strings.ToLower(r.ID)
}
