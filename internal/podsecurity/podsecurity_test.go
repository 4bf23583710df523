package podsecurity

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func restrictedSpec() *corev1.PodSpec {
	f := false
	t := true
	return &corev1.PodSpec{
		RestartPolicy: corev1.RestartPolicyNever,
		SecurityContext: &corev1.PodSecurityContext{
			RunAsNonRoot:   &t,
			SeccompProfile: &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault},
		},
		Containers: []corev1.Container{{
			Name:  "migrate",
			Image: "app:1",
			SecurityContext: &corev1.SecurityContext{
				AllowPrivilegeEscalation: &f,
				Capabilities:             &corev1.Capabilities{Drop: []corev1.Capability{"ALL"}},
			},
		}},
	}
}

func TestRestrictedPasses(t *testing.T) {
	if got := Restricted(nil, restrictedSpec()); len(got) != 0 {
		t.Fatalf("restricted pod spec failed: %q", got)
	}
}

func TestRestrictedFailures(t *testing.T) {
	spec := &corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox"}}}
	got := Restricted(nil, spec)
	joined := strings.Join(got, "\n")
	for _, want := range []string{"allowPrivilegeEscalation", "unrestricted capabilities", "runAsNonRoot", "seccompProfile"} {
		if !strings.Contains(joined, want) {
			t.Errorf("missing failure mentioning %q in:\n%s", want, joined)
		}
	}
	if len(got) != 4 {
		t.Errorf("got %d failures, want 4: %q", len(got), got)
	}

	// One privileged bit is enough to fail.
	spec = restrictedSpec()
	tr := true
	spec.Containers[0].SecurityContext.Privileged = &tr
	got = Restricted(nil, spec)
	if len(got) != 1 || !strings.Contains(got[0], "privileged") {
		t.Errorf("privileged container: got %q", got)
	}
}

// A container is judged on its own settings: the pod-level runAsNonRoot and
// seccomp profile that make restrictedSpec pass do not count, its own
// complete securityContext does.
func TestRestrictedContainerAlone(t *testing.T) {
	c := restrictedSpec().Containers[0]
	if f := RestrictedContainer(c); len(f) == 0 {
		t.Error("a container relying on the pod's runAsNonRoot and seccomp passes on its own")
	}
	yes, uid := true, int64(65532)
	c.SecurityContext.RunAsNonRoot, c.SecurityContext.RunAsUser = &yes, &uid
	c.SecurityContext.SeccompProfile = &corev1.SeccompProfile{Type: corev1.SeccompProfileTypeRuntimeDefault}
	if f := RestrictedContainer(c); len(f) > 0 {
		t.Errorf("a container with its own restricted securityContext fails: %v", f)
	}
}
