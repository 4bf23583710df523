//go:build e2e

package e2e

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestNodeKeepsAddress guards the harness's own heartbeat Stage: the node
// must keep its InternalIP across kwok's heartbeats, or pod logs become
// unreachable. This file's name makes it run last, when the cluster has been
// up past kwok's first heartbeat (about a minute).
func TestNodeKeepsAddress(t *testing.T) {
	n, err := cluster.Client.CoreV1().Nodes().Get(context.Background(), nodeName, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var hb time.Time
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			hb = c.LastHeartbeatTime.Time
		}
	}
	if hb.Sub(cluster.started) < 20*time.Second {
		t.Skipf("no kwok heartbeat since the node was initialised (last %s): nothing to check yet", hb.Format(time.TimeOnly))
	}
	if len(n.Status.Addresses) == 0 || n.Status.Addresses[0].Address != "127.0.0.1" {
		t.Errorf("node addresses %v (last heartbeat %s), want InternalIP 127.0.0.1", n.Status.Addresses, hb.Format(time.TimeOnly))
	}
}
