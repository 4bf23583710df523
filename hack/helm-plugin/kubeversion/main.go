// Command helm-hookgen-kube-version prints the Kubernetes version of the
// cluster Helm's settings select (HELM_KUBECONTEXT, KUBECONFIG,
// HELM_KUBEAPISERVER, HELM_KUBETOKEN, HELM_KUBECAFILE, ...), the version Helm
// itself renders .Capabilities.KubeVersion with on install. The Helm plugin's
// wrapper passes it to hookgen as --kube-version. It is a separate binary so
// that client-go stays out of hookgen (see DESIGN: start-up cost).
package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"k8s.io/client-go/discovery"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

func main() {
	v, err := serverVersion()
	if err != nil {
		fmt.Fprintf(os.Stderr, "helm hookgen: cannot read the cluster's Kubernetes version: %v\n", err)
		os.Exit(1)
	}
	fmt.Println(v)
}

// serverVersion reads /version with the same precedence of settings as
// Helm's pkg/cli EnvSettings (kubeconfig, then the HELM_KUBE* overrides).
func serverVersion() (string, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	o := &clientcmd.ConfigOverrides{CurrentContext: os.Getenv("HELM_KUBECONTEXT")}
	o.ClusterInfo.Server = os.Getenv("HELM_KUBEAPISERVER")
	o.ClusterInfo.CertificateAuthority = os.Getenv("HELM_KUBECAFILE")
	o.ClusterInfo.TLSServerName = os.Getenv("HELM_KUBETLS_SERVER_NAME")
	o.ClusterInfo.InsecureSkipTLSVerify = os.Getenv("HELM_KUBEINSECURE_SKIP_TLS_VERIFY") == "true"
	o.AuthInfo = clientcmdapi.AuthInfo{Token: os.Getenv("HELM_KUBETOKEN"), Impersonate: os.Getenv("HELM_KUBEASUSER")}
	if g := os.Getenv("HELM_KUBEASGROUPS"); g != "" {
		o.AuthInfo.ImpersonateGroups = strings.Split(g, ",")
	}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, o).ClientConfig()
	if err != nil {
		return "", err
	}
	cfg.Timeout = 10 * time.Second
	dc, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		return "", err
	}
	info, err := dc.ServerVersion()
	if err != nil {
		return "", err
	}
	return info.GitVersion, nil
}
