#!/usr/bin/env bash
# Builds the Helm v3 CLI (pinned) that the corpus tests render and lint
# with, so every real chart is proven under Helm 3 as well as the Helm 4 SDK
# hookgen links. The binary lands where hack/e2e/build.sh keeps its helm3
# (same version stamp), so either script reuses the other's build.
#
# Usage: hack/tools/helm3.sh    (prints the binary's path on the last line)
# Env:   HOOKGEN_E2E_CACHE  cache directory (default ~/.cache/hookgen-e2e)
set -euo pipefail

VERSION=v3.22.0 # keep equal to HELM3_VERSION in hack/e2e/build.sh
CACHE=${HOOKGEN_E2E_CACHE:-$HOME/.cache/hookgen-e2e}
BIN=$CACHE/bin
export GOWORK=off GOFLAGS=-buildvcs=false

if [[ -x $BIN/helm3 && "$(cat "$BIN/.helm3.version" 2>/dev/null)" == "$VERSION" ]]; then
	echo "$BIN/helm3"
	exit 0
fi
mkdir -p "$BIN" "$CACHE/src"
tmp=$(mktemp -d "$CACHE/src/helm3.XXXX")
GOBIN=$tmp go install -trimpath \
	-ldflags "-s -w -X helm.sh/helm/v3/internal/version.version=$VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean" \
	"helm.sh/helm/v3/cmd/helm@$VERSION" >&2
mv "$tmp/helm" "$BIN/helm3"
rmdir "$tmp"
echo "$VERSION" >"$BIN/.helm3.version"
echo "$BIN/helm3"
