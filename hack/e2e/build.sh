#!/usr/bin/env bash
# Builds the pinned binaries the end-to-end suite needs (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok, helm v3 and v4) from Go modules
# into a cache directory outside the repository, once. A binary is rebuilt only
# when it is missing or its pinned version changed.
#
# The Kubernetes and etcd modules cannot be `go install`ed (their go.mod files
# carry replace directives), so each is built from a scratch module under the
# cache directory; nothing is added to hookgen's go.mod.
#
# Usage: hack/e2e/build.sh            (prints the bin directory on the last line)
# Env:   HOOKGEN_E2E_CACHE  cache directory (default ~/.cache/hookgen-e2e)
set -euo pipefail

ETCD_VERSION=v3.6.16
K8S_VERSION=v1.36.3
KWOK_VERSION=v0.8.0
HELM3_VERSION=v3.22.0
HELM4_VERSION=v4.3.1

CACHE=${HOOKGEN_E2E_CACHE:-$HOME/.cache/hookgen-e2e}
BIN=$CACHE/bin
SRC=$CACHE/src
mkdir -p "$BIN" "$SRC"

# Scratch modules must not see hookgen's go.work or be disturbed by GOFLAGS.
export GOWORK=off GOFLAGS=-buildvcs=false

log() { printf '[build %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# fresh NAME VERSION: true when $BIN/NAME was built from VERSION.
fresh() { [[ -x $BIN/$1 && "$(cat "$BIN/.$1.version" 2>/dev/null)" == "$2" ]]; }
stamp() { echo "$2" >"$BIN/.$1.version"; }

timed() {
	local what=$1 start=$SECONDS
	shift
	log "building $what"
	"$@"
	log "built $what in $((SECONDS - start))s"
}

# scratch DIR: an empty module at $SRC/DIR (recreated each time, so a half
# finished earlier attempt cannot leave a broken go.mod behind).
scratch() {
	rm -rf "${SRC:?}/$1"
	mkdir -p "$SRC/$1"
	(cd "$SRC/$1" && go mod init "hookgen-e2e/$1" >/dev/null 2>&1)
}

build_etcd() {
	scratch etcd
	cd "$SRC/etcd"
	go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
	printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' >tools.go
	go mod tidy
	go build -trimpath -ldflags '-s -w' -o "$BIN/etcd" go.etcd.io/etcd/server/v3
	stamp etcd "$ETCD_VERSION"
}

build_k8s() {
	scratch k8s
	cd "$SRC/k8s"
	local gomod minor=${K8S_VERSION#v1.}
	minor=${minor%%.*}
	gomod=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
	[[ -f $gomod ]] || { log "cannot find go.mod of k8s.io/kubernetes@$K8S_VERSION"; return 1; }
	# Each staging module (k8s.io/api => ./staging/src/k8s.io/api) is published
	# on the proxy as the same path at v0.<minor>.<patch>.
	local staging=v0.${K8S_VERSION#v1.}
	local n=0
	while read -r mod; do
		go mod edit -replace="$mod=$mod@$staging"
		n=$((n + 1))
	done < <(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/.*#\1#p' "$gomod")
	[[ $n -gt 0 ]] || { log "no staging replaces found in $gomod"; return 1; }
	log "replaced $n staging modules with their $staging releases"
	go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
	cat >tools.go <<'EOF'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
)
EOF
	go mod tidy
	# Without the version stamp the apiserver reports v0.0.0-master and charts'
	# .Capabilities.KubeVersion checks fail.
	local ld="-s -w" p
	for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
		ld+=" -X $p.gitVersion=$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
	done
	local out
	out=$(mktemp -d "$SRC/k8s-out.XXXX")
	go build -trimpath -ldflags "$ld" -o "$out/" \
		k8s.io/kubernetes/cmd/kube-apiserver \
		k8s.io/kubernetes/cmd/kube-controller-manager \
		k8s.io/kubernetes/cmd/kube-scheduler
	for p in kube-apiserver kube-controller-manager kube-scheduler; do
		mv "$out/$p" "$BIN/$p"
		stamp "$p" "$K8S_VERSION"
	done
	rmdir "$out"
}

build_kwok() {
	local tmp
	tmp=$(mktemp -d "$SRC/kwok.XXXX")
	GOBIN=$tmp go install -trimpath -ldflags '-s -w' "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
	# The kwok binary has no built-in stages; the module ships them as YAML.
	local dir
	dir=$(go mod download -json "sigs.k8s.io/kwok@$KWOK_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	rm -rf "$BIN/kwok-stages"
	mkdir -p "$BIN/kwok-stages"
	cp -r "$dir/kustomize/stage/." "$BIN/kwok-stages/"
	chmod -R u+w "$BIN/kwok-stages"
	mv "$tmp/kwok" "$BIN/kwok"
	rmdir "$tmp"
	stamp kwok "$KWOK_VERSION"
}

# build_helm NAME MODULE VERSION
build_helm() {
	local tmp
	tmp=$(mktemp -d "$SRC/$1.XXXX")
	GOBIN=$tmp go install -trimpath \
		-ldflags "-s -w -X $2/internal/version.version=$3 -X $2/internal/version.gitTreeState=clean" \
		"$2/cmd/helm@$3"
	mv "$tmp/helm" "$BIN/$1"
	rmdir "$tmp"
	stamp "$1" "$3"
}

total=$SECONDS
fresh etcd "$ETCD_VERSION" || timed "etcd $ETCD_VERSION" build_etcd
if ! { fresh kube-apiserver "$K8S_VERSION" && fresh kube-controller-manager "$K8S_VERSION" && fresh kube-scheduler "$K8S_VERSION"; }; then
	timed "kube-apiserver, kube-controller-manager, kube-scheduler $K8S_VERSION" build_k8s
fi
{ fresh kwok "$KWOK_VERSION" && [[ -d $BIN/kwok-stages ]]; } || timed "kwok $KWOK_VERSION" build_kwok
fresh helm3 "$HELM3_VERSION" || timed "helm $HELM3_VERSION" build_helm helm3 helm.sh/helm/v3 "$HELM3_VERSION"
fresh helm4 "$HELM4_VERSION" || timed "helm $HELM4_VERSION" build_helm helm4 helm.sh/helm/v4 "$HELM4_VERSION"
log "all binaries ready in $BIN ($((SECONDS - total))s)"
echo "$BIN"
