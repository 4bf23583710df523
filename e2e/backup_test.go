//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"
)

// rvEvent is one change the API server reported, placed by its etcd
// revision (see refwatch.go for why a resourceVersion orders writes here).
type rvEvent struct {
	RV    uint64
	At    time.Time // when the watch delivered it, for the log
	Kind  string    // "created", "complete", "failed" (Jobs); "image" (Deployments)
	Name  string
	Job   *batchv1.Job // created: the Job as the API server created it
	Image string       // image: the Deployment's first container image from now on
}

func (e rvEvent) String() string {
	s := fmt.Sprintf("rv %d %s %s", e.RV, e.Kind, e.Name)
	if e.Image != "" {
		s += " " + e.Image
	}
	return s
}

// rvLog records, by etcd revision, the creation and completion of every Job
// and every change of a Deployment's image in a namespace. Jobs and
// Deployments arrive on separate watches; sorting by revision restores the
// order the API server wrote them in.
type rvLog struct {
	mu     sync.Mutex
	ev     []rvEvent
	done   map[types.UID]bool
	images map[string]string // Deployment -> image last recorded
}

func (c *Cluster) watchRV(t *testing.T, ns string) *rvLog {
	t.Helper()
	l := &rvLog{done: map[types.UID]bool{}, images: map[string]string{}}
	f := informers.NewSharedInformerFactoryWithOptions(c.Client, 0, informers.WithNamespace(ns))
	job := func(obj any) {
		j := obj.(*batchv1.Job)
		for _, c := range j.Status.Conditions {
			if c.Status == corev1.ConditionTrue && (c.Type == batchv1.JobComplete || c.Type == batchv1.JobFailed) {
				l.mu.Lock()
				if !l.done[j.UID] {
					l.done[j.UID] = true
					l.ev = append(l.ev, rvEvent{RV: revision(j.ResourceVersion), At: time.Now(), Kind: strings.ToLower(string(c.Type)), Name: j.Name})
				}
				l.mu.Unlock()
			}
		}
	}
	if _, err := f.Batch().V1().Jobs().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			j := obj.(*batchv1.Job)
			l.mu.Lock()
			l.ev = append(l.ev, rvEvent{RV: revision(j.ResourceVersion), At: time.Now(), Kind: "created", Name: j.Name, Job: j.DeepCopy()})
			l.mu.Unlock()
			job(obj)
		},
		UpdateFunc: func(_, obj any) { job(obj) },
	}); err != nil {
		t.Fatal(err)
	}
	deploy := func(obj any) {
		d := obj.(*appsv1.Deployment)
		if len(d.Spec.Template.Spec.Containers) == 0 {
			return
		}
		img := d.Spec.Template.Spec.Containers[0].Image
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.images[d.Name] != img {
			l.images[d.Name] = img
			l.ev = append(l.ev, rvEvent{RV: revision(d.ResourceVersion), At: time.Now(), Kind: "image", Name: d.Name, Image: img})
		}
	}
	if _, err := f.Apps().V1().Deployments().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    deploy,
		UpdateFunc: func(_, obj any) { deploy(obj) },
	}); err != nil {
		t.Fatal(err)
	}
	startInformers(t, f)
	return l
}

// sorted returns the events in the order the API server wrote them.
func (l *rvLog) sorted() []rvEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	ev := append([]rvEvent(nil), l.ev...)
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].RV < ev[j].RV })
	return ev
}

// jobEnv returns the value of env var name of the Job's first container.
func jobEnv(j *batchv1.Job, name string) string {
	for _, e := range j.Spec.Template.Spec.Containers[0].Env {
		if e.Name == name {
			return e.Value
		}
	}
	return ""
}

// jobClaim returns the claim the Job mounts at mountPath.
func jobClaim(j *batchv1.Job, mountPath string) string {
	s := j.Spec.Template.Spec
	for _, m := range s.Containers[0].VolumeMounts {
		if m.MountPath != mountPath {
			continue
		}
		for _, v := range s.Volumes {
			if v.Name == m.Name && v.PersistentVolumeClaim != nil {
				return v.PersistentVolumeClaim.ClaimName
			}
		}
	}
	return ""
}

// TestBackupRestoreRollback: a `helm create` app with its own PostgreSQL
// (Bitnami's chart vendored) gets a backup (`--keep 2`) and a restore from
// `hookgen add`, and goes through install, three upgrades (the second and
// third with image.tag changed), a rollback to revision 2 and uninstall,
// each checked against `hookgen plan` and the reference check as in the
// other lifecycles.
//
// In the cluster, by etcd revision: each upgrade's backup completes before
// the upgrade changes the Deployment; the restore Job is created after the
// backup that dumped revision 2's database (the one the upgrade to revision 3
// ran) completed, asks for exactly that dump (DUMP_REVISION 3, the
// RELEASE_REVISION that backup named its dump with), mounts the same claim,
// and completes before Helm applies revision 2's manifests (the Deployment's
// image goes back); the claim outlives the uninstall.
//
// Containers never run on the fake node, so what the scripts do is shown by
// running them: the backup and restore Jobs the API server created are
// replayed in the order it created them, each Job's own shell script with
// its own environment, against a directory standing in for the claim, with
// fake pg_dump, pg_restore and date first on PATH. Four backups with keep 2
// leave exactly the two newest dumps after every run, and the restore reads
// the dump the revision-3 backup wrote.
func TestBackupRestoreRollback(t *testing.T) {
	forEachHelm(t, func(t *testing.T, h *Helm, ns string) {
		chart := storeChart(t, h)
		b := hookgenAdd(t, chart, "backup", "--keep", "2")
		if want := []string{"pre-upgrade", "pre-delete"}; !slices.Equal(b.Hook.Events, want) {
			t.Errorf("backup events %v, want %v", b.Hook.Events, want)
		}
		r := hookgenAdd(t, chart, "restore")
		if want := []string{"pre-rollback"}; !slices.Equal(r.Hook.Events, want) {
			t.Errorf("restore events %v, want %v", r.Hook.Events, want)
		}

		w := cluster.WatchJobs(t, ns)
		refs := cluster.WatchRefs(t, ns)
		rv := cluster.watchRV(t, ns)
		pw := bitnamiUpgradeValues
		tag := append([]string{"image.tag=1.27.0"}, pw...)
		// One step at a time, so a failing step stops before the next.
		for _, s := range []step{
			{name: "install", planOp: "install", args: []string{"install", "store", chart}, set: pw},
			{name: "upgrade to revision 2", planOp: "upgrade", args: []string{"upgrade", "store", chart}, set: pw},
			{name: "upgrade to revision 3, image.tag changed", planOp: "upgrade", args: []string{"upgrade", "store", chart}, set: tag},
			{name: "upgrade to revision 4, same values", planOp: "upgrade", args: []string{"upgrade", "store", chart}, set: tag},
			{name: "rollback to revision 2", planOp: "rollback", args: []string{"rollback", "store", "2"}, set: pw},
			{name: "uninstall", planOp: "uninstall", args: []string{"uninstall", "store"}, set: pw},
		} {
			lifecycle(t, h, ns, chart, "store", []step{s}, w, refs)
			if t.Failed() {
				t.FailNow()
			}
		}
		ev := rv.sorted()
		for _, e := range ev {
			t.Logf("%s", e)
		}
		backups, restore := checkRollbackOrder(t, ev)
		if t.Failed() {
			return
		}
		if _, err := cluster.Client.CoreV1().PersistentVolumeClaims(ns).Get(context.Background(), "store-backup-data", metav1.GetOptions{}); err != nil {
			t.Errorf("backup claim after uninstall: %v; want it kept (helm.sh/resource-policy: keep)", err)
		}
		replayBackups(t, backups, restore)
	})
}

// checkRollbackOrder checks the cluster's order of events (see
// TestBackupRestoreRollback) and returns the backup Jobs, oldest first, and
// the restore Job.
func checkRollbackOrder(t *testing.T, ev []rvEvent) (backups []rvEvent, restore rvEvent) {
	t.Helper()
	var restores, images []rvEvent
	completed := map[*batchv1.Job]uint64{}
	for i, e := range ev {
		switch {
		case e.Kind == "created" && e.Name == "store-backup":
			backups = append(backups, e)
		case e.Kind == "created" && e.Name == "store-restore":
			restores = append(restores, e)
		case e.Kind == "image" && e.Name == "store":
			images = append(images, e)
		}
		if e.Kind == "created" {
			for _, d := range ev[i+1:] {
				if d.Kind == "complete" && d.Name == e.Name {
					completed[e.Job] = d.RV
					break
				}
			}
		}
	}
	// Upgrades to revisions 2, 3 and 4 dump with their own revision; the
	// uninstall runs the hooks stored with the current release, revision 5,
	// which a rollback copies from the revision it returns to (Helm's
	// pkg/action/rollback.go, prepareRollback: "Hooks: previousRelease.Hooks"),
	// rendered as revision 2.
	var revs []string
	for _, b := range backups {
		revs = append(revs, jobEnv(b.Job, "RELEASE_REVISION"))
	}
	if want := []string{"2", "3", "4", "2"}; !slices.Equal(revs, want) {
		t.Fatalf("backup Jobs created with RELEASE_REVISION %v, want %v (upgrades to 2, 3, 4, then the uninstall after the rollback to 2)", revs, want)
	}
	if len(restores) != 1 {
		t.Fatalf("restore Jobs created: %d, want 1 (at the rollback)", len(restores))
	}
	restore = restores[0]
	// images: install's (the chart's tag), revision 3's, and the rollback's.
	if len(images) != 3 || !strings.HasSuffix(images[1].Image, ":1.27.0") || images[2].Image != images[0].Image {
		t.Fatalf("Deployment store's image changes %v, want: the install's, :1.27.0 at revision 3, the install's again at the rollback", images)
	}
	// Each backup completed before its upgrade changed the Deployment.
	if done := completed[backups[1].Job]; done == 0 || done > images[1].RV {
		t.Errorf("the upgrade to revision 3 changed the Deployment (rv %d) before its backup completed (rv %d)", images[1].RV, done)
	}
	// The dump of revision 2's database is the one the backup took when
	// revision 2 was upgraded to 3, named -r3-; the restore of a rollback to
	// 2 looks for DUMP_REVISION = 2+1 (the generated template explains why).
	dumped := backups[1]
	if got, want := jobEnv(restore.Job, "DUMP_REVISION"), jobEnv(dumped.Job, "RELEASE_REVISION"); got != want || got != "3" {
		t.Errorf("restore DUMP_REVISION %q, want %q: the revision the backup of revision 2's database named its dump with", got, want)
	}
	if jobEnv(restore.Job, "RESTORE_DUMP") != "" {
		t.Errorf("restore RESTORE_DUMP %q, want empty (the dump is found by revision)", jobEnv(restore.Job, "RESTORE_DUMP"))
	}
	for _, j := range []rvEvent{dumped, restore} {
		if c := jobClaim(j.Job, jobEnv(j.Job, "BACKUP_DIR")); c != "store-backup-data" {
			t.Errorf("%s (rv %d) mounts claim %q at its BACKUP_DIR, want store-backup-data", j.Name, j.RV, c)
		}
	}
	if done := completed[dumped.Job]; done == 0 || restore.RV < done {
		t.Errorf("restore created at rv %d, before the backup of revision 2's database completed (rv %d)", restore.RV, done)
	}
	if restore.RV < completed[backups[2].Job] {
		t.Errorf("restore created at rv %d, before the last upgrade's backup completed (rv %d)", restore.RV, completed[backups[2].Job])
	}
	// Before the rollback's manifests: the restore completed before the
	// Deployment went back to revision 2's image (the only change after 3's).
	restored := completed[restore.Job]
	if restored == 0 || restored > images[2].RV {
		t.Errorf("the rollback changed the Deployment (rv %d) before the restore completed (rv %d)", images[2].RV, restored)
	}
	t.Logf("order by etcd revision: backup of revision 2's database created %d, complete %d; restore (DUMP_REVISION %s, claim %s) created %d, complete %d; rollback applied to the Deployment %d",
		dumped.RV, completed[dumped.Job], jobEnv(restore.Job, "DUMP_REVISION"), jobClaim(restore.Job, "/backup"), restore.RV, restored, images[2].RV)
	return backups, restore
}

// fakeTools are stand-ins for the database clients and date, first on PATH
// when a hook's script is replayed. pg_dump writes which revision's backup
// took the dump; pg_restore logs the file it was given.
var fakeTools = map[string]string{
	"pg_dump": `#!/bin/sh
for a; do case $a in --file=*) f=${a#--file=} ;; esac; done
printf 'dump taken by the backup of revision %s\n' "$RELEASE_REVISION" >"$f"
`,
	"pg_restore": `#!/bin/sh
for a; do last=$a; done
printf '%s: %s' "${last##*/}" "$(cat "$last")" >>"$RESTORE_LOG"
`,
	"date": `#!/bin/sh
echo "$FAKE_NOW"
`,
}

// replayBackups runs the scripts of the backup and restore Jobs in the
// order the API server created them against one directory, and checks the
// dumps it holds after each backup and which one the restore read.
func replayBackups(t *testing.T, backups []rvEvent, restore rvEvent) {
	t.Helper()
	jobs := append(append([]rvEvent(nil), backups...), restore)
	sort.SliceStable(jobs, func(i, j int) bool { return jobs[i].RV < jobs[j].RV })
	bin, claim := t.TempDir(), t.TempDir()
	for name, body := range fakeTools {
		writeFile(t, filepath.Join(bin, name), body)
		if err := os.Chmod(filepath.Join(bin, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	restoreLog := filepath.Join(t.TempDir(), "restored")
	var written []string // dumps the backups wrote, oldest first
	var revision3Dump string
	for i, j := range jobs {
		now := time.Date(2026, 12, 7, 0, i, 0, 0, time.UTC).Format("20060102T150405Z")
		out := runJobScript(t, j.Job, claim, bin, "FAKE_NOW="+now, "RESTORE_LOG="+restoreLog)
		if j.Name == "store-restore" {
			got, err := os.ReadFile(restoreLog)
			if err != nil {
				t.Fatalf("the restore script did not run pg_restore: %v\n%s", err, out)
			}
			want := revision3Dump + ": dump taken by the backup of revision 3"
			if string(got) != want {
				t.Errorf("restore read %q, want %q (the dump of revision 2's database)\n%s", got, want, out)
			}
			continue
		}
		dump := fmt.Sprintf("backup-%s-r%s-%s.dump", now, jobEnv(j.Job, "RELEASE_REVISION"), jobEnv(j.Job, "CHART_VERSION"))
		written = append(written, dump)
		if jobEnv(j.Job, "RELEASE_REVISION") == "3" {
			revision3Dump = dump
		}
		if keep := jobEnv(j.Job, "KEEP"); keep != "2" {
			t.Errorf("%s: KEEP %q, want 2 (hookgen add backup --keep 2)", j.Name, keep)
		}
		// Retention: exactly the 2 newest dumps, this run's among them.
		want := written[max(0, len(written)-2):]
		if got := listDir(t, claim); !slices.Equal(got, want) {
			t.Errorf("after backup %d (RELEASE_REVISION %s): the claim holds %v, want the 2 newest dumps %v\n%s",
				len(written), jobEnv(j.Job, "RELEASE_REVISION"), got, want, out)
		}
	}
	if len(written) != 4 {
		t.Errorf("backups replayed: %d, want 4 (keep 2 + 2)", len(written))
	}
	t.Logf("replayed %d backups and the restore: the claim holds %v", len(written), listDir(t, claim))
}

// runJobScript runs the `sh -c` script of the Job's first container with the
// Job's literal environment, BACKUP_DIR pointing at claim and the fake tools
// first on PATH, and returns its output; it fails t if the script fails.
func runJobScript(t *testing.T, j *batchv1.Job, claim, bin string, extra ...string) string {
	t.Helper()
	c := j.Spec.Template.Spec.Containers[0]
	if len(c.Command) != 3 || c.Command[0] != "sh" || c.Command[1] != "-c" {
		t.Fatalf("%s: command %q, want hookgen's sh -c script", j.Name, c.Command)
	}
	env := []string{"PATH=" + bin + string(os.PathListSeparator) + os.Getenv("PATH")}
	for _, e := range c.Env {
		if e.ValueFrom == nil {
			env = append(env, e.Name+"="+e.Value)
		}
	}
	env = append(append(env, "BACKUP_DIR="+claim, "HOME="+t.TempDir()), extra...)
	cmd := exec.Command("sh", "-c", c.Command[2])
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s script: %v\n%s", j.Name, err, out)
	}
	return string(out)
}

// listDir lists the file names in d, sorted.
func listDir(t *testing.T, d string) []string {
	t.Helper()
	es, err := os.ReadDir(d)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}
