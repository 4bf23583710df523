//go:build e2e

// Package e2e runs hookgen's generated hooks through Helm v3 and v4 against a
// real Kubernetes control plane on 127.0.0.1: etcd, kube-apiserver,
// kube-controller-manager and kube-scheduler, with kwok standing in for the
// kubelet of one fake node. Containers never run; everything else (API
// validation and admission, the Job controller, the scheduler, Helm's
// ordering, waiting and delete policies) is real.
//
// The binaries come from hack/e2e/build.sh; `make e2e` builds them and runs
// this package with -tags e2e.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	corev1 "k8s.io/api/core/v1"
	storagev1 "k8s.io/api/storage/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// binDir is where hack/e2e/build.sh put the binaries.
func binDir() string {
	if d := os.Getenv("HOOKGEN_E2E_BIN"); d != "" {
		return d
	}
	cache := os.Getenv("HOOKGEN_E2E_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "hookgen-e2e")
	}
	return filepath.Join(cache, "bin")
}

// Cluster is a running control plane. Start it with StartCluster and always
// Stop it: Stop ends exactly the processes this Cluster started.
type Cluster struct {
	Dir        string // data directory: PKI, etcd data, kubeconfig, logs
	Kubeconfig string
	Config     *rest.Config
	Client     kubernetes.Interface
	Report     io.Writer // step reports go here

	bin     string
	pki     *pki
	started time.Time

	mu    sync.Mutex
	procs []*process
}

type process struct {
	name   string
	cmd    *exec.Cmd
	log    string
	exited chan struct{} // closed when the process has exited
	err    error         // exit status, valid after exited is closed
}

// Step prints one line of progress with the time since the cluster started
// and how long the step took.
func (c *Cluster) Step(what string, since time.Time) {
	fmt.Fprintf(c.Report, "e2e [%6.1fs] %s (%.1fs)\n", time.Since(c.started).Seconds(), what, time.Since(since).Seconds())
}

// StartCluster starts etcd, kube-apiserver, kube-controller-manager,
// kube-scheduler and kwok on free loopback ports with a fresh data directory
// under dir, and returns once a pod could be scheduled and run: every
// component is healthy and the fake node is Ready. On error, whatever was
// started is stopped again.
func StartCluster(ctx context.Context, dir string, report io.Writer) (c *Cluster, err error) {
	c = &Cluster{Dir: dir, Report: report, bin: binDir(), started: time.Now()}
	defer func() {
		if err != nil {
			err = fmt.Errorf("%w\n%s", err, c.LogTails(40))
			c.Stop()
			c = nil
		}
	}()
	for _, b := range []string{"etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler", "kwok"} {
		if _, err := os.Stat(filepath.Join(c.bin, b)); err != nil {
			return c, fmt.Errorf("%s not found in %s: run hack/e2e/build.sh (or make e2e) first", b, c.bin)
		}
	}
	for _, d := range []string{"logs", "etcd", "certs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			return c, err
		}
	}

	t0 := time.Now()
	if c.pki, err = newPKI(filepath.Join(dir, "pki")); err != nil {
		return c, fmt.Errorf("pki: %w", err)
	}
	c.Step("PKI written", t0)

	ports, err := freePorts(6)
	if err != nil {
		return c, err
	}
	etcdPort, peerPort, apiPort, cmPort, schedPort, kwokPort := ports[0], ports[1], ports[2], ports[3], ports[4], ports[5]
	etcdURL := fmt.Sprintf("http://127.0.0.1:%d", etcdPort)
	peerURL := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	apiURL := fmt.Sprintf("https://127.0.0.1:%d", apiPort)

	// etcd
	t0 = time.Now()
	etcd, err := c.start(ctx, "etcd",
		"--name=e2e", "--data-dir="+filepath.Join(dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL, "--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=e2e="+peerURL,
		"--unsafe-no-fsync", "--log-level=warn")
	if err != nil {
		return c, err
	}
	if err := waitHTTP(ctx, etcd, etcdURL+"/health", nil, `"health":"true"`); err != nil {
		return c, err
	}
	c.Step("etcd healthy on "+etcdURL, t0)

	// kube-apiserver
	t0 = time.Now()
	api, err := c.start(ctx, "kube-apiserver",
		"--etcd-servers="+etcdURL,
		"--bind-address=127.0.0.1", "--advertise-address=127.0.0.1", fmt.Sprintf("--secure-port=%d", apiPort),
		"--cert-dir="+filepath.Join(dir, "certs"),
		"--tls-cert-file="+c.pki.ServingCert, "--tls-private-key-file="+c.pki.ServingKey,
		"--client-ca-file="+c.pki.CACert,
		"--service-account-key-file="+c.pki.SAPub,
		"--service-account-signing-key-file="+c.pki.SAKey,
		"--service-account-issuer=https://kubernetes.default.svc.cluster.local",
		"--service-cluster-ip-range=10.96.0.0/12",
		"--authorization-mode=Node,RBAC",
		"--endpoint-reconciler-type=none",
		// Pod logs are fetched from the node's InternalIP, where kwok serves them.
		"--kubelet-preferred-address-types=InternalIP",
		"--profiling=false")
	if err != nil {
		return c, err
	}
	if err := c.writeKubeconfig(apiURL); err != nil {
		return c, err
	}
	admin, err := c.adminTLS()
	if err != nil {
		return c, err
	}
	if err := waitHTTP(ctx, api, apiURL+"/readyz", admin, "ok"); err != nil {
		return c, err
	}
	c.Step("kube-apiserver ready on "+apiURL, t0)

	// kube-controller-manager and kube-scheduler
	t0 = time.Now()
	kc := []string{"--kubeconfig=" + c.Kubeconfig, "--authentication-kubeconfig=" + c.Kubeconfig,
		"--authorization-kubeconfig=" + c.Kubeconfig, "--bind-address=127.0.0.1", "--leader-elect=false"}
	cm, err := c.start(ctx, "kube-controller-manager", append(kc,
		fmt.Sprintf("--secure-port=%d", cmPort),
		"--cert-dir="+filepath.Join(dir, "certs"),
		"--service-account-private-key-file="+c.pki.SAKey,
		"--root-ca-file="+c.pki.CACert,
		"--cluster-signing-cert-file="+c.pki.CACert, "--cluster-signing-key-file="+c.pki.CAKey,
		"--use-service-account-credentials=false")...)
	if err != nil {
		return c, err
	}
	sched, err := c.start(ctx, "kube-scheduler", append(kc, fmt.Sprintf("--secure-port=%d", schedPort))...)
	if err != nil {
		return c, err
	}
	// Their /healthz is served to anyone (--authorization-always-allow-paths).
	if err := waitHTTP(ctx, cm, fmt.Sprintf("https://127.0.0.1:%d/healthz", cmPort), insecureTLS(), "ok"); err != nil {
		return c, err
	}
	if err := waitHTTP(ctx, sched, fmt.Sprintf("https://127.0.0.1:%d/healthz", schedPort), insecureTLS(), "ok"); err != nil {
		return c, err
	}
	c.Step("kube-controller-manager and kube-scheduler healthy", t0)

	// kwok and its node
	t0 = time.Now()
	stages, err := c.kwokStages()
	if err != nil {
		return c, err
	}
	kwok, err := c.start(ctx, "kwok",
		"--kubeconfig="+c.Kubeconfig, "--config="+stages,
		"--manage-all-nodes=true", "--node-ip=127.0.0.1",
		// Without a KwokConfiguration the lease duration defaults to 0: no
		// node lease, so the node lifecycle controller finds the node's
		// status stale after its grace period, marks it not Ready and taints
		// it until kwok's node-initialize Stage resets it.
		"--node-lease-duration-seconds=40",
		// The node's kubelet port is kwok's server, which answers log
		// requests from the ClusterLogs in the config.
		fmt.Sprintf("--node-port=%d", kwokPort),
		fmt.Sprintf("--server-address=127.0.0.1:%d", kwokPort))
	if err != nil {
		return c, err
	}
	if c.Client, err = kubernetes.NewForConfig(c.Config); err != nil {
		return c, err
	}
	if err := c.createStorageClass(ctx); err != nil {
		return c, err
	}
	if err := c.createNode(ctx); err != nil {
		return c, err
	}
	if err := c.waitNodeReady(ctx, kwok); err != nil {
		return c, err
	}
	// kwok's server (pod logs) starts after its controllers.
	if err := waitHTTP(ctx, kwok, fmt.Sprintf("https://127.0.0.1:%d/healthz", kwokPort), insecureTLS(), ""); err != nil {
		return c, err
	}
	c.Step("kwok node Ready", t0)
	// The version stamp matters: charts check .Capabilities.KubeVersion.
	v, err := c.Client.Discovery().ServerVersion()
	if err != nil {
		return c, fmt.Errorf("server version: %w", err)
	}
	fmt.Fprintf(report, "e2e [%6.1fs] Kubernetes %s\n", time.Since(c.started).Seconds(), v.GitVersion)
	return c, nil
}

// Stop ends the processes this Cluster started, in reverse order: SIGTERM,
// then SIGKILL after 10 s. Safe to call more than once and concurrently.
func (c *Cluster) Stop() {
	if c == nil {
		return
	}
	c.mu.Lock()
	procs := c.procs
	c.procs = nil
	c.mu.Unlock()
	if len(procs) == 0 {
		return
	}
	t0 := time.Now()
	for i := len(procs) - 1; i >= 0; i-- {
		p := procs[i]
		select {
		case <-p.exited:
			continue
		default:
		}
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.exited:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
		}
	}
	c.Step(fmt.Sprintf("stopped %d processes", len(procs)), t0)
}

// start runs bin/name with args, its output going to logs/name.log.
func (c *Cluster) start(ctx context.Context, name string, args ...string) (*process, error) {
	logPath := filepath.Join(c.Dir, "logs", name+".log")
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.Dir = c.Dir
	// Own process group: a Ctrl-C in the terminal reaches the test binary,
	// which stops the components in order. Pdeathsig kills a component if
	// the test binary dies without running its cleanup (go test -timeout,
	// a panic): the thread that forks is the locked main thread, see TestMain.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		f.Close()
		close(p.exited)
	}()
	c.mu.Lock()
	c.procs = append(c.procs, p)
	c.mu.Unlock()
	fmt.Fprintf(c.Report, "e2e [%6.1fs] started %s (pid %d)\n", time.Since(c.started).Seconds(), name, cmd.Process.Pid)
	return p, nil
}

// PIDs returns the process IDs the cluster started and that still run.
func (c *Cluster) PIDs() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for _, p := range c.procs {
		select {
		case <-p.exited:
		default:
			out[p.name] = p.cmd.Process.Pid
		}
	}
	return out
}

// LogTails returns the last n lines of every component's log.
func (c *Cluster) LogTails(n int) string {
	var b strings.Builder
	names, _ := filepath.Glob(filepath.Join(c.Dir, "logs", "*.log"))
	sort.Strings(names)
	for _, path := range names {
		lines := tail(path, n)
		fmt.Fprintf(&b, "----- last %d lines of %s -----\n%s\n", len(lines), path, strings.Join(lines, "\n"))
	}
	return b.String()
}

func tail(path string, n int) []string {
	f, err := os.Open(path)
	if err != nil {
		return []string{err.Error()}
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > 4*n {
			lines = lines[len(lines)-n:]
		}
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines
}

func freePorts(n int) ([]int, error) {
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("find a free port: %w", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func (c *Cluster) writeKubeconfig(server string) error {
	read := func(p string) string {
		b, _ := os.ReadFile(p)
		return base64.StdEncoding.EncodeToString(b)
	}
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: e2e
  cluster:
    server: %s
    certificate-authority-data: %s
users:
- name: e2e-admin
  user:
    client-certificate-data: %s
    client-key-data: %s
contexts:
- name: e2e
  context:
    cluster: e2e
    user: e2e-admin
current-context: e2e
`, server, read(c.pki.CACert), read(c.pki.AdminCert), read(c.pki.AdminKey))
	c.Kubeconfig = filepath.Join(c.Dir, "kubeconfig")
	if err := os.WriteFile(c.Kubeconfig, []byte(kc), 0o600); err != nil {
		return err
	}
	ca, _ := os.ReadFile(c.pki.CACert)
	cert, _ := os.ReadFile(c.pki.AdminCert)
	key, _ := os.ReadFile(c.pki.AdminKey)
	c.Config = &rest.Config{
		Host:            server,
		TLSClientConfig: rest.TLSClientConfig{CAData: ca, CertData: cert, KeyData: key},
		QPS:             100,
		Burst:           200,
	}
	return nil
}

func (c *Cluster) adminTLS() (*tls.Config, error) {
	return rest.TLSConfigFor(c.Config)
}

func insecureTLS() *tls.Config { return &tls.Config{InsecureSkipVerify: true} }

// waitHTTP polls url until it answers 200 with a body containing want, the
// process exits (an error with its log), or 60 s pass.
func waitHTTP(ctx context.Context, p *process, url string, tlsConf *tls.Config, want string) error {
	client := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConf}}
	deadline := time.Now().Add(60 * time.Second)
	var last string
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := client.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(want)) {
				return nil
			}
			last = fmt.Sprintf("HTTP %d: %.300s", resp.StatusCode, body)
		} else {
			last = err.Error()
		}
		if err := p.alive(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready after 60s at %s: %s", p.name, url, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (p *process) alive() error {
	select {
	case <-p.exited:
		return fmt.Errorf("%s exited: %v (log: %s)", p.name, p.err, p.log)
	default:
		return nil
	}
}

// createStorageClass makes kwok's StorageClass the cluster default, so
// claims without a class get one kwok provisions.
func (c *Cluster) createStorageClass(ctx context.Context) error {
	data, err := os.ReadFile(filepath.Join(c.bin, "kwok-stages", "volume", "fast", "storage-class.yaml"))
	if err != nil {
		return fmt.Errorf("kwok StorageClass: %w (rebuild with hack/e2e/build.sh)", err)
	}
	var sc storagev1.StorageClass
	if err := yaml.UnmarshalStrict(data, &sc); err != nil {
		return fmt.Errorf("kwok StorageClass: %w", err)
	}
	if _, err := c.Client.StorageV1().StorageClasses().Create(ctx, &sc, metav1.CreateOptions{}); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create StorageClass: %w", err)
	}
	return nil
}

// kwokStages writes kwok's configuration: the Stage objects the kwok module
// ships (the binary has none built in). Pods owned by a Job go Running then
// Succeeded; a pod labelled pod-container-running-failed.stage.kwok.x-k8s.io
// "true" fails instead, which is how a test makes a hook fail.
func (c *Cluster) kwokStages() (string, error) {
	files := []string{
		"node/fast/node-initialize.yaml",
		"pod/fast/pod-ready.yaml",
		"pod/fast/pod-complete.yaml",
		"pod/fast/pod-delete.yaml",
		"pod/chaos/pod-container-running-failed.yaml",
		// PersistentVolumeClaims of the kwok-volume StorageClass (the
		// default, see createStorageClass) are provisioned and bound, so a
		// backup hook's claim lets its pod schedule.
		"volume/fast/pvc-provision.yaml",
		"volume/fast/pv-bind.yaml",
		"volume/fast/pvc-delete.yaml",
		"volume/fast/pv-delete.yaml",
	}
	var b bytes.Buffer
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(c.bin, "kwok-stages", f))
		if err != nil {
			return "", fmt.Errorf("kwok stage %s: %w (rebuild with hack/e2e/build.sh)", f, err)
		}
		b.WriteString("---\n")
		b.Write(data)
		if !bytes.HasSuffix(data, []byte("\n")) {
			b.WriteByte('\n')
		}
	}
	b.WriteString(nodeHeartbeat)
	// Every container "logs" ContainerLog, so a test can see Helm fetch and
	// print a hook's logs (the hook-output-log-policy annotation).
	logFile := filepath.Join(c.Dir, "container.log")
	// kwok parses the file as the kubelet would: CRI log format.
	cri := "2026-01-01T00:00:00.000000000Z stdout F " + ContainerLog + "\n"
	if err := os.WriteFile(logFile, []byte(cri), 0o600); err != nil {
		return "", err
	}
	fmt.Fprintf(&b, "---\napiVersion: kwok.x-k8s.io/v1alpha1\nkind: ClusterLogs\nmetadata:\n  name: all-containers\nspec:\n  logs:\n  - logsFile: %q\n    follow: false\n", logFile)
	path := filepath.Join(c.Dir, "kwok.yaml")
	return path, os.WriteFile(path, b.Bytes(), 0o600)
}

// nodeHeartbeat is kwok's node-heartbeat-with-lease Stage (v0.8.0) with the
// node's addresses written out: the API server reaches the node (kwok's
// server) for pod logs through its InternalIP, and with the shipped Stages
// the addresses were found empty about a minute in ("no preferred addresses
// found"). The Hostname address, which createNode also sets, keeps kwok's
// node-initialize Stage from ever writing an empty address list.
const nodeHeartbeat = `---
apiVersion: kwok.x-k8s.io/v1alpha1
kind: Stage
metadata:
  name: node-heartbeat-with-lease
spec:
  resourceRef:
    apiGroup: v1
    kind: Node
  selector:
    matchExpressions:
    - key: '.status.phase'
      operator: 'In'
      values:
      - 'Running'
    - key: '.status.conditions.[] | select( .type == "Ready" ) | .status'
      operator: 'In'
      values:
      - 'True'
  delay:
    durationMilliseconds: 600000
    jitterDurationMilliseconds: 610000
  next:
    statusTemplate: |
      {{ $now := Now }}
      {{ $lastTransitionTime := or .metadata.creationTimestamp $now }}
      conditions:
      {{ range NodeConditions }}
      - lastHeartbeatTime: {{ $now | Quote }}
        lastTransitionTime: {{ $lastTransitionTime | Quote }}
        message: {{ .message | Quote }}
        reason: {{ .reason | Quote }}
        status: {{ .status | Quote }}
        type: {{ .type | Quote }}
      {{ end }}
      addresses:
      - address: "127.0.0.1"
        type: InternalIP
      - address: {{ .metadata.name | Quote }}
        type: Hostname
      {{ with NodePort }}
      daemonEndpoints:
        kubeletEndpoint:
          Port: {{ . }}
      {{ end }}
`

const nodeName = "kwok-node-0"

// ContainerLog is the log every container on the fake node has.
const ContainerLog = "hookgen-e2e: this is the container log kwok serves for every pod"

func (c *Cluster) createNode(ctx context.Context) error {
	q := resource.MustParse
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name:        nodeName,
			Annotations: map[string]string{"kwok.x-k8s.io/node": "fake", "node.alpha.kubernetes.io/ttl": "0"},
			Labels: map[string]string{"type": "kwok", "kubernetes.io/hostname": nodeName,
				"kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64"},
		},
		Status: corev1.NodeStatus{
			Addresses: []corev1.NodeAddress{
				{Type: corev1.NodeInternalIP, Address: "127.0.0.1"},
				{Type: corev1.NodeHostName, Address: nodeName},
			},
			Capacity:    corev1.ResourceList{corev1.ResourceCPU: q("32"), corev1.ResourceMemory: q("256Gi"), corev1.ResourcePods: q("110")},
			Allocatable: corev1.ResourceList{corev1.ResourceCPU: q("32"), corev1.ResourceMemory: q("256Gi"), corev1.ResourcePods: q("110")},
		},
	}
	_, err := c.Client.CoreV1().Nodes().Create(ctx, node, metav1.CreateOptions{})
	if err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("create node: %w", err)
	}
	return nil
}

func (c *Cluster) waitNodeReady(ctx context.Context, kwok *process) error {
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := c.Client.CoreV1().Nodes().Get(ctx, nodeName, metav1.GetOptions{})
		if err == nil {
			for _, cond := range n.Status.Conditions {
				if cond.Type == corev1.NodeReady && cond.Status == corev1.ConditionTrue {
					return nil
				}
			}
		}
		if err := kwok.alive(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return errors.New("node " + nodeName + " not Ready after 60s")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
