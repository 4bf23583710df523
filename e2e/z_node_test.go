//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestNodeStaysHealthy guards the harness's kwok settings. Without a node
// lease the node lifecycle controller marks the fake node not Ready after
// its grace period (under a minute), taints it, and kwok's node-initialize
// Stage then resets the status and empties the node's addresses, so new hook
// pods wait and Helm can no longer fetch pod logs. This file's name makes the
// test run last, when the cluster has been up well past that grace period.
func TestNodeStaysHealthy(t *testing.T) {
	ctx := context.Background()
	n, err := cluster.Client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ready := false
	for _, c := range n.Status.Conditions {
		ready = ready || (c.Type == corev1.NodeReady && c.Status == corev1.ConditionTrue)
	}
	hasIP := false
	for _, a := range n.Status.Addresses {
		hasIP = hasIP || (a.Type == corev1.NodeInternalIP && a.Address == "127.0.0.1")
	}
	if !ready || !hasIP || len(n.Spec.Taints) != 0 {
		t.Errorf("node after %.0fs: Ready=%v addresses=%v taints=%v; want Ready, InternalIP 127.0.0.1, no taints",
			time.Since(cluster.started).Seconds(), ready, n.Status.Addresses, n.Spec.Taints)
	}
	l, err := cluster.Client.CoordinationV1().Leases(corev1.NamespaceNodeLease).Get(ctx, nodeName, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("node lease: %v", err)
	}
	if age := time.Since(l.Spec.RenewTime.Time); age > 30*time.Second {
		t.Errorf("node lease last renewed %.0fs ago, want within 30s", age.Seconds())
	}
}
