#!/bin/sh
# `helm hookgen COMMAND ...` runs `hookgen COMMAND ...` with Helm's settings
# where they apply. Helm takes its global flags off the command line and
# passes them in the environment (Helm's pkg/cli EnvSettings.EnvVars):
#   HELM_NAMESPACE (-n)           plan's --namespace, unless given
#   HELM_KUBECONTEXT (--kube-context), HELM_KUBEAPISERVER, KUBECONFIG ...
#                                 when a context or API server is named, the
#                                 cluster's version is --kube-version of add,
#                                 init, remove, plan and lint, unless given (as
#                                 Helm renders .Capabilities on install)
#   HELM_DEBUG (--debug)          print the hookgen command line to stderr
set -eu
dir=$(cd "$(dirname "$0")/../.." && pwd)
bin=$dir/bin/hookgen
if [ ! -x "$bin" ]; then
	"$dir/hack/helm-plugin/build.sh" >&2
fi

debug() {
	case ${HELM_DEBUG:-} in 1 | true | TRUE | True) echo "helm hookgen: $*" >&2 ;; esac
}

# given LONG SHORT ARGS...: the flag is among the arguments (before any --).
given() {
	long=$1 short=$2
	shift 2
	for a in "$@"; do
		case $a in
		--) return 1 ;;
		"$long" | "$long"=*) return 0 ;;
		esac
		if [ -n "$short" ]; then
			case $a in "$short" | "$short"?*) return 0 ;; esac
		fi
	done
	return 1
}

sub=${1:-}
if [ "$sub" = plan ] && [ -n "${HELM_NAMESPACE:-}" ] && ! given --namespace -n "$@"; then
	set -- "$@" --namespace "$HELM_NAMESPACE"
fi
case $sub in
add | init | remove | plan | lint)
	if ! given --kube-version "" "$@" && { [ -n "${HELM_KUBECONTEXT:-}" ] || [ -n "${HELM_KUBEAPISERVER:-}" ]; }; then
		if v=$("$dir/bin/helm-hookgen-kube-version"); then
			debug "the cluster of ${HELM_KUBECONTEXT:-$HELM_KUBEAPISERVER} runs Kubernetes $v"
			set -- "$@" --kube-version "${v#v}"
		else
			echo "helm hookgen: warning: rendering for hookgen's default Kubernetes version instead (pass --kube-version to choose)" >&2
		fi
	fi
	;;
esac
debug "running $bin $*"
exec "$bin" "$@"
