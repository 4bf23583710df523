#!/bin/sh
# Builds hookgen from this checkout with the Go toolchain (nothing prebuilt is
# downloaded), into bin/ of the checkout, with the small helper that reads the
# cluster's Kubernetes version for the plugin. Helm runs it on
# `helm plugin install` and `helm plugin update`; the wrapper runs it when
# bin/hookgen is missing.
set -eu
dir=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v go >/dev/null 2>&1; then
	echo "helm hookgen: building hookgen needs the Go toolchain (1.26 or later) on PATH: https://go.dev/dl/" >&2
	exit 1
fi
cd "$dir"
version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
go build -trimpath -ldflags "-s -w -X main.version=$version" -o bin/hookgen ./cmd/hookgen
go build -trimpath -ldflags "-s -w" -o bin/helm-hookgen-kube-version ./hack/helm-plugin/kubeversion
echo "helm hookgen: built $dir/bin/hookgen ($version)"
