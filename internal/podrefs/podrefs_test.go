package podrefs

import (
	"reflect"
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestPod(t *testing.T) {
	yes := true
	s := &corev1.PodSpec{
		ServiceAccountName: "app",
		ImagePullSecrets:   []corev1.LocalObjectReference{{Name: "pull"}},
		Volumes: []corev1.Volume{
			{Name: "cfg", VolumeSource: corev1.VolumeSource{ConfigMap: &corev1.ConfigMapVolumeSource{LocalObjectReference: corev1.LocalObjectReference{Name: "app-config"}}}},
			{Name: "opt", VolumeSource: corev1.VolumeSource{Secret: &corev1.SecretVolumeSource{SecretName: "maybe", Optional: &yes}}},
			{Name: "data", VolumeSource: corev1.VolumeSource{PersistentVolumeClaim: &corev1.PersistentVolumeClaimVolumeSource{ClaimName: "app-data"}}},
			{Name: "all", VolumeSource: corev1.VolumeSource{Projected: &corev1.ProjectedVolumeSource{Sources: []corev1.VolumeProjection{
				{Secret: &corev1.SecretProjection{LocalObjectReference: corev1.LocalObjectReference{Name: "app-tls"}}},
			}}}},
		},
		InitContainers: []corev1.Container{{Name: "wait", EnvFrom: []corev1.EnvFromSource{
			{SecretRef: &corev1.SecretEnvSource{LocalObjectReference: corev1.LocalObjectReference{Name: "app-db"}}},
		}}},
		Containers: []corev1.Container{{Name: "app", Env: []corev1.EnvVar{
			{Name: "PLAIN", Value: "x"},
			{Name: "DB_PASSWORD", ValueFrom: &corev1.EnvVarSource{SecretKeyRef: &corev1.SecretKeySelector{LocalObjectReference: corev1.LocalObjectReference{Name: "app-db"}, Key: "password"}}},
		}}},
	}
	want := []Ref{
		{"ServiceAccount", "app", "serviceAccountName"},
		{"ConfigMap", "app-config", "volumes[cfg]"},
		{"PersistentVolumeClaim", "app-data", "volumes[data]"},
		{"Secret", "app-tls", "volumes[all].projected"},
		{"Secret", "pull", "imagePullSecrets"},
		{"Secret", "app-db", "containers[wait].envFrom"},
		{"Secret", "app-db", "containers[app].env[DB_PASSWORD]"},
	}
	got := Pod(s)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Pod:\n got %v\nwant %v", got, want)
	}
	if objs := Objects(got); len(objs) != 6 || objs[5].Field != "containers[wait].envFrom" {
		t.Errorf("Objects keeps the first reference to each object once; got %v", objs)
	}
}
