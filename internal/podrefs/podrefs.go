// Package podrefs lists the objects a pod names and needs before the kubelet
// can start it: its ServiceAccount, pull secrets, and the Secrets, ConfigMaps
// and claims of its volumes, projected sources, env and envFrom. A reference
// marked optional is left out: the kubelet starts the pod without it
// (k8s.io/api core/v1 types.go, the Optional fields).
package podrefs

import corev1 "k8s.io/api/core/v1"

// Ref is one place where a pod spec names an object.
type Ref struct {
	Kind, Name string
	// Field says where the spec names it: serviceAccountName,
	// imagePullSecrets, volumes[NAME], volumes[NAME].projected,
	// containers[NAME].envFrom or containers[NAME].env[VAR].
	Field string
}

// Object is the referenced object's kind and name, e.g. Secret/app-db.
func (r Ref) Object() string { return r.Kind + "/" + r.Name }

// Pod lists every reference of the pod spec in spec order: the
// ServiceAccount (when one is named), volumes, pull secrets, then each init
// and regular container's envFrom and env. An object named twice appears
// twice; Objects reduces the list.
func Pod(s *corev1.PodSpec) []Ref {
	var out []Ref
	sa := s.ServiceAccountName
	if sa == "" {
		sa = s.DeprecatedServiceAccount
	}
	if sa != "" {
		out = append(out, Ref{"ServiceAccount", sa, "serviceAccountName"})
	}
	out = append(out, Volumes(s.Volumes)...)
	for _, p := range s.ImagePullSecrets {
		if p.Name != "" {
			out = append(out, Ref{"Secret", p.Name, "imagePullSecrets"})
		}
	}
	for _, cs := range [][]corev1.Container{s.InitContainers, s.Containers} {
		for i := range cs {
			out = append(out, EnvFrom(&cs[i])...)
			out = append(out, Env(&cs[i])...)
		}
	}
	return out
}

// Volumes lists the Secrets, ConfigMaps and claims of volumes.
func Volumes(vs []corev1.Volume) []Ref {
	var out []Ref
	for _, v := range vs {
		f := "volumes[" + v.Name + "]"
		switch {
		case v.ConfigMap != nil:
			out = add(out, "ConfigMap", v.ConfigMap.Name, f, v.ConfigMap.Optional)
		case v.Secret != nil:
			out = add(out, "Secret", v.Secret.SecretName, f, v.Secret.Optional)
		case v.PersistentVolumeClaim != nil:
			out = add(out, "PersistentVolumeClaim", v.PersistentVolumeClaim.ClaimName, f, nil)
		case v.Projected != nil:
			for _, p := range v.Projected.Sources {
				if p.ConfigMap != nil {
					out = add(out, "ConfigMap", p.ConfigMap.Name, f+".projected", p.ConfigMap.Optional)
				}
				if p.Secret != nil {
					out = add(out, "Secret", p.Secret.Name, f+".projected", p.Secret.Optional)
				}
			}
		}
	}
	return out
}

// EnvFrom lists the ConfigMaps and Secrets of a container's envFrom.
func EnvFrom(c *corev1.Container) []Ref {
	var out []Ref
	f := "containers[" + c.Name + "].envFrom"
	for _, e := range c.EnvFrom {
		if r := e.ConfigMapRef; r != nil {
			out = add(out, "ConfigMap", r.Name, f, r.Optional)
		}
		if r := e.SecretRef; r != nil {
			out = add(out, "Secret", r.Name, f, r.Optional)
		}
	}
	return out
}

// Env lists the ConfigMaps and Secrets of a container's env valueFrom.
func Env(c *corev1.Container) []Ref {
	var out []Ref
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			continue
		}
		f := "containers[" + c.Name + "].env[" + e.Name + "]"
		if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
			out = add(out, "ConfigMap", r.Name, f, r.Optional)
		}
		if r := e.ValueFrom.SecretKeyRef; r != nil {
			out = add(out, "Secret", r.Name, f, r.Optional)
		}
	}
	return out
}

// Objects keeps the first reference to each object, in order.
func Objects(refs []Ref) []Ref {
	seen := map[string]bool{}
	var out []Ref
	for _, r := range refs {
		if k := r.Object(); !seen[k] {
			seen[k] = true
			out = append(out, r)
		}
	}
	return out
}

func add(out []Ref, kind, name, field string, optional *bool) []Ref {
	if name == "" || (optional != nil && *optional) {
		return out
	}
	return append(out, Ref{kind, name, field})
}
