//go:build e2e

package e2e

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/hookgen/hookgen/internal/podrefs"
)

// The fake node never starts a container, so it cannot show what a kubelet
// does with a pod whose Secret or ConfigMap is missing (the pod stays in
// CreateContainerConfigError until Helm's --timeout). RefWatch checks it
// instead: for every hook Job and hook pod, the Secrets, ConfigMaps,
// ServiceAccounts and PersistentVolumeClaims it references, and whether each
// existed at the moment the API server created the Job or pod.
//
// "At the moment" is decided by resourceVersion: with the etcd3 storage every
// write gets the next etcd revision, a watch delivers an object's creation
// with the revision of its creation and a deletion with the revision of its
// deletion, so an object existed when a pod was created exactly when the pod's
// creation revision lies between the two. (Kubernetes asks clients to treat
// resourceVersion as opaque; the suite pins its etcd-backed API server.)

// RefWatch records the lifetime of every referable object in a namespace
// and the references of every hook Job and pod created in it.
type RefWatch struct {
	mu    sync.Mutex
	lives map[string][]life // "Secret/name" -> lifetimes, oldest first
	users []refUser         // hook Jobs and pods, in the order seen
	jobs  map[string]string // Job name -> helm.sh/hook, for the Job's pods
}

type life struct{ from, to uint64 } // to 0: still there

// refUser is a Job or pod and what it references.
type refUser struct {
	kind, name string
	hook       string // helm.sh/hook of the Job or pod ("" until known for a Job's pod)
	owner      string // the Job of a pod
	rv         uint64 // creation revision
	refs       []ref
}

// ref is one reference: the object and where the pod spec names it.
type ref struct{ object, field string }

// MissingRef is a reference to an object that did not exist when the hook
// Job or pod that names it was created.
type MissingRef struct {
	Event  string // the hook event that ran it, in the operation checked
	User   string // Job/name or Pod/name
	Object string // Secret/name, ConfigMap/name, ServiceAccount/name, PersistentVolumeClaim/name
	Field  string // where the pod spec names it
}

func (m MissingRef) String() string {
	return fmt.Sprintf("%s: %s references %s (%s), which did not exist when it was created", m.Event, m.User, m.Object, m.Field)
}

// WatchRefs starts recording in ns until t ends.
func (c *Cluster) WatchRefs(t *testing.T, ns string) *RefWatch {
	t.Helper()
	w := &RefWatch{lives: map[string][]life{}, jobs: map[string]string{}}
	f := informers.NewSharedInformerFactoryWithOptions(c.Client, 0, informers.WithNamespace(ns))
	track := func(kind string, inf cache.SharedIndexInformer) {
		_, err := inf.AddEventHandler(cache.ResourceEventHandlerDetailedFuncs{
			AddFunc: func(obj any, initial bool) {
				m, _ := meta.Accessor(obj)
				from := revision(m.GetResourceVersion())
				if initial {
					from = 0 // existed before the watch
				}
				w.mu.Lock()
				w.lives[kind+"/"+m.GetName()] = append(w.lives[kind+"/"+m.GetName()], life{from: from})
				w.mu.Unlock()
			},
			DeleteFunc: func(obj any) {
				if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
					obj = d.Obj
				}
				m, _ := meta.Accessor(obj)
				w.mu.Lock()
				ls := w.lives[kind+"/"+m.GetName()]
				if n := len(ls); n > 0 && ls[n-1].to == 0 {
					ls[n-1].to = revision(m.GetResourceVersion())
				}
				w.mu.Unlock()
			},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	track("Secret", f.Core().V1().Secrets().Informer())
	track("ConfigMap", f.Core().V1().ConfigMaps().Informer())
	track("ServiceAccount", f.Core().V1().ServiceAccounts().Informer())
	track("PersistentVolumeClaim", f.Core().V1().PersistentVolumeClaims().Informer())

	if _, err := f.Batch().V1().Jobs().Informer().AddEventHandler(cache.ResourceEventHandlerDetailedFuncs{
		AddFunc: func(obj any, initial bool) {
			j := obj.(*batchv1.Job)
			hook := j.Annotations["helm.sh/hook"]
			w.mu.Lock()
			defer w.mu.Unlock()
			w.jobs[j.Name] = hook
			if hook != "" && !initial {
				w.users = append(w.users, refUser{kind: "Job", name: j.Name, hook: hook, rv: revision(j.ResourceVersion), refs: podRefs(&j.Spec.Template.Spec)})
			}
		},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Core().V1().Pods().Informer().AddEventHandler(cache.ResourceEventHandlerDetailedFuncs{
		AddFunc: func(obj any, initial bool) {
			p := obj.(*corev1.Pod)
			if initial {
				return
			}
			u := refUser{kind: "Pod", name: p.Name, hook: p.Annotations["helm.sh/hook"], rv: revision(p.ResourceVersion), refs: podRefs(&p.Spec)}
			for _, o := range p.OwnerReferences {
				if o.Kind == "Job" {
					u.owner = o.Name
				}
			}
			w.mu.Lock()
			w.users = append(w.users, u)
			w.mu.Unlock()
		},
	}); err != nil {
		t.Fatal(err)
	}
	startInformers(t, f)
	return w
}

func revision(rv string) uint64 {
	n, err := strconv.ParseUint(rv, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("resourceVersion %q is not an etcd revision", rv))
	}
	return n
}

// podRefs lists what a pod spec references by name, with where it names it;
// a pod that names no ServiceAccount uses the namespace's "default".
func podRefs(s *corev1.PodSpec) []ref {
	var out []ref
	if s.ServiceAccountName == "" && s.DeprecatedServiceAccount == "" {
		out = append(out, ref{"ServiceAccount/default", "serviceAccountName"})
	}
	for _, r := range podrefs.Pod(s) {
		out = append(out, ref{r.Object(), r.Field})
	}
	return out
}

// Mark returns a position; Missing(mark, ...) looks at what came after.
func (w *RefWatch) Mark() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.users)
}

// opEvents are the hook events each Helm operation runs.
var opEvents = map[string][]string{
	"install":   {"pre-install", "post-install"},
	"upgrade":   {"pre-upgrade", "post-upgrade"},
	"rollback":  {"pre-rollback", "post-rollback"},
	"uninstall": {"pre-delete", "post-delete"},
	"test":      {"test", "test-success"},
}

// Missing returns every reference of a hook Job or pod created since mark
// (during operation op) to an object that did not exist at its creation,
// and how many hook Jobs and pods were checked.
func (w *RefWatch) Missing(mark int, op string) (missing []MissingRef, checked int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, u := range w.users[mark:] {
		hook := u.hook
		if hook == "" && u.owner != "" {
			hook = w.jobs[u.owner]
		}
		if hook == "" {
			continue // not a hook's pod: a release resource's
		}
		checked++
		event := hook
		for _, e := range strings.Split(hook, ",") {
			if e = strings.TrimSpace(e); slices.Contains(opEvents[op], e) {
				event = e
				break
			}
		}
		for _, r := range u.refs {
			if !w.existed(r.object, u.rv) {
				missing = append(missing, MissingRef{Event: event, User: u.kind + "/" + u.name, Object: r.object, Field: r.field})
			}
		}
	}
	sort.SliceStable(missing, func(i, j int) bool { return missing[i].User < missing[j].User })
	return missing, checked
}

func (w *RefWatch) existed(object string, rv uint64) bool {
	for _, l := range w.lives[object] {
		if l.from < rv && (l.to == 0 || l.to > rv) {
			return true
		}
	}
	return false
}

// Check fails t for every missing reference since mark, naming the
// operation step, the event and the object.
func (w *RefWatch) Check(t *testing.T, mark int, op, step string) {
	t.Helper()
	missing, checked := w.Missing(mark, op)
	for _, m := range missing {
		t.Errorf("%s: %s", step, m)
	}
	t.Logf("%s: references of %d hook Jobs and pods checked, %d missing", step, checked, len(missing))
}
