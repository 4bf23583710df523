package helmhook

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"sigs.k8s.io/yaml"
)

// PodSelector returns the selector with which a rendered Service or workload
// picks pods, or nil when the object has none (a Service without a selector
// selects no pods) or is not of a kind that selects pods (a PodDisruptionBudget
// counts the pods it selects). A hook's pod that
// such a selector matches receives the Service's traffic or is counted, and
// possibly adopted, by the workload's controller. Workload selectors are
// read whole, matchLabels and matchExpressions, through apimachinery.
func PodSelector(kind, doc string) labels.Selector {
	switch kind {
	case "Service", "ReplicationController":
		var s struct {
			Spec struct {
				Selector map[string]string `json:"selector"`
			} `json:"spec"`
		}
		if yaml.Unmarshal([]byte(doc), &s) != nil || len(s.Spec.Selector) == 0 {
			return nil
		}
		return labels.SelectorFromSet(s.Spec.Selector)
	case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "PodDisruptionBudget":
		var s struct {
			Spec struct {
				Selector *metav1.LabelSelector `json:"selector"`
			} `json:"spec"`
		}
		if yaml.Unmarshal([]byte(doc), &s) != nil || s.Spec.Selector == nil ||
			(len(s.Spec.Selector.MatchLabels) == 0 && len(s.Spec.Selector.MatchExpressions) == 0) {
			return nil
		}
		sel, err := metav1.LabelSelectorAsSelector(s.Spec.Selector)
		if err != nil {
			return nil
		}
		return sel
	}
	return nil
}
