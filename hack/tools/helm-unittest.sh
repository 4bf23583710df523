#!/usr/bin/env bash
# Builds the helm-unittest plugin binary (pinned) that runs the unit-test
# suites hookgen writes into charts (tests/hookgen-NAME_test.yaml), into a
# cache directory outside the repository, once. It renders with Helm v3, so
# the golden tests also prove the generated hooks render under Helm 3.
#
# helm-unittest's go.mod has a replace directive, so `go install` refuses it;
# it is built from a scratch module with the same replace. Nothing is added to
# hookgen's go.mod (its dependencies would change what hookgen's binary links).
#
# Usage: hack/tools/helm-unittest.sh    (prints the binary's path on the last line)
# Env:   HOOKGEN_TOOLS_CACHE  cache directory (default ~/.cache/hookgen-tools)
set -euo pipefail

VERSION=v1.1.2
CACHE=${HOOKGEN_TOOLS_CACHE:-$HOME/.cache/hookgen-tools}
BIN=$CACHE/bin/helm-unittest
export GOWORK=off GOFLAGS=-buildvcs=false

if [[ -x $BIN && "$(cat "$BIN.version" 2>/dev/null)" == "$VERSION" ]]; then
	echo "$BIN"
	exit 0
fi
src=$CACHE/src/helm-unittest
rm -rf "$src"
mkdir -p "$src" "$CACHE/bin"
cd "$src"
go mod init hookgen-tools/helm-unittest >/dev/null 2>&1
go mod edit -require="github.com/helm-unittest/helm-unittest@$VERSION" \
	-replace=github.com/vmware-labs/yaml-jsonpath@v0.3.2=github.com/helm-unittest/yaml-jsonpath@v0.4.0
printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/helm-unittest/helm-unittest/cmd/helm-unittest"\n' >tools.go
go mod tidy >&2
go build -trimpath -ldflags '-s -w' -o "$BIN" github.com/helm-unittest/helm-unittest/cmd/helm-unittest
echo "$VERSION" >"$BIN.version"
echo "$BIN"
