//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestClusterRunsJobs checks the fake node does what every other test relies
// on: a Job's pod is scheduled and succeeds, a claim is provisioned so a pod
// mounting it runs, and kwok's failure label fails a Job.
func TestClusterRunsJobs(t *testing.T) {
	ns := cluster.Namespace(t)
	w := cluster.WatchJobs(t, ns)
	ctx := context.Background()
	c := cluster.Client

	pvc := &corev1.PersistentVolumeClaim{
		ObjectMeta: metav1.ObjectMeta{Name: "data"},
		Spec: corev1.PersistentVolumeClaimSpec{
			AccessModes: []corev1.PersistentVolumeAccessMode{corev1.ReadWriteOnce},
			Resources:   corev1.VolumeResourceRequirements{Requests: corev1.ResourceList{corev1.ResourceStorage: resource.MustParse("1Gi")}},
		},
	}
	if _, err := c.CoreV1().PersistentVolumeClaims(ns).Create(ctx, pvc, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	job := func(name string, labels map[string]string, withClaim bool) *batchv1.Job {
		spec := corev1.PodSpec{
			RestartPolicy: corev1.RestartPolicyNever,
			Containers:    []corev1.Container{{Name: "c", Image: "busybox:1.37", Command: []string{"true"}}},
		}
		if withClaim {
			spec.Volumes = []corev1.Volume{{Name: "d", VolumeSource: corev1.VolumeSource{
				PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "data"}}}}
			spec.Containers[0].VolumeMounts = []corev1.VolumeMount{{Name: "d", MountPath: "/d"}}
		}
		zero := int32(0)
		return &batchv1.Job{
			ObjectMeta: metav1.ObjectMeta{Name: name},
			Spec: batchv1.JobSpec{BackoffLimit: &zero, Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec}},
		}
	}
	for _, j := range []*batchv1.Job{
		job("ok", nil, true),
		job("fails", map[string]string{"pod-container-running-failed.stage.kwok.x-k8s.io": "true"}, false),
	} {
		if _, err := c.BatchV1().Jobs(ns).Create(ctx, j, metav1.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Now()
	ok := w.WaitFor(0, 60*time.Second, func(ev []JobEvent) bool {
		return contains(names(ev, "complete"), "ok") && contains(names(ev, "failed"), "fails")
	})
	if !ok {
		t.Fatalf("after 60s: events %v; want ok complete and fails failed", w.Since(0))
	}
	if got := names(w.Since(0), "complete"); len(got) != 1 {
		t.Errorf("completed Jobs %v, want only ok", got)
	}
	t.Logf("Job with a claim completed and labelled Job failed in %.1fs", time.Since(t0).Seconds())
}

// TestClusterServesLogs: pod logs reach a client through the API server
// from kwok, as Helm's hook-output-log-policy fetches them.
func TestClusterServesLogs(t *testing.T) {
	ns := cluster.Namespace(t)
	ctx := context.Background()
	pod := &corev1.Pod{
		ObjectMeta: metav1.ObjectMeta{Name: "p"},
		Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: "busybox:1.37"}}},
	}
	if _, err := cluster.Client.CoreV1().Pods(ns).Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		p, err := cluster.Client.CoreV1().Pods(ns).Get(ctx, "p", metav1.GetOptions{})
		if err == nil && p.Status.Phase == corev1.PodRunning {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pod not Running after 30s: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	out, err := cluster.Client.CoreV1().Pods(ns).GetLogs("p", &corev1.PodLogOptions{Container: "c"}).DoRaw(ctx)
	if err != nil {
		t.Fatalf("pod logs: %v", err)
	}
	if string(out) != ContainerLog+"\n" {
		t.Errorf("pod logs %q, want %q", out, ContainerLog+"\n")
	}
}
