// Package podsecurity checks a pod spec against the Pod Security Standards
// "restricted" level with the upstream admission library
// (k8s.io/pod-security-admission), so hookgen judges a pod exactly as a
// namespace labelled pod-security.kubernetes.io/enforce=restricted would.
package podsecurity

import (
	"sync"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

var (
	once      sync.Once
	evaluator policy.Evaluator
	initErr   error
)

func eval() (policy.Evaluator, error) {
	once.Do(func() {
		evaluator, initErr = policy.NewEvaluator(policy.DefaultChecks(), nil)
	})
	return evaluator, initErr
}

// Restricted evaluates a pod (its metadata and spec, e.g. a Job's
// spec.template) against the latest "restricted" policy. It returns one
// string per failed check, "reason: detail" as the API server words it in its
// warning, and nothing when the pod passes. meta may be nil.
func Restricted(meta *metav1.ObjectMeta, spec *corev1.PodSpec) []string {
	e, err := eval()
	if err != nil {
		// DefaultChecks is a fixed, upstream-validated list; failing here is a
		// broken build, not bad input.
		panic("podsecurity: invalid upstream checks: " + err.Error())
	}
	if meta == nil {
		meta = &metav1.ObjectMeta{}
	}
	if spec == nil {
		spec = &corev1.PodSpec{}
	}
	lv := api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()}
	var out []string
	for _, r := range e.EvaluatePod(lv, meta, spec) {
		if r.Allowed {
			continue
		}
		s := r.ForbiddenReason
		if r.ForbiddenDetail != "" {
			s += " (" + r.ForbiddenDetail + ")"
		}
		out = append(out, s)
	}
	return out
}

// RestrictedContainer evaluates one container on its own: in a pod with no
// other container and no pod-level securityContext, so that only its own
// settings count. A container whose image hookgen chose must pass so even in
// a pod that runs as the app does.
func RestrictedContainer(c corev1.Container) []string {
	return Restricted(nil, &corev1.PodSpec{Containers: []corev1.Container{c}})
}
