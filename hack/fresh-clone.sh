#!/usr/bin/env bash
# Proves that `make test` passes on a fresh clone with nothing beside it:
# clones the committed HEAD into an empty temporary directory (so there is no
# ../shared next to the copy), and runs make test there with no shared-chart
# location set. Uncommitted changes are not part of the copy.
#
# Usage: hack/fresh-clone.sh [make target...]   (default: test)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=$(git -C "$repo" rev-parse HEAD)
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
git clone --quiet --no-checkout "$(git -C "$repo" rev-parse --path-format=absolute --git-common-dir)" "$tmp/hookgen"
git -C "$tmp/hookgen" checkout --quiet --detach "$rev"
echo "fresh clone of $rev in $tmp/hookgen; beside it: $(ls -A "$tmp" | tr '\n' ' ')"
cd "$tmp/hookgen"
env -u HOOKGEN_SHARED -u HOOKGEN_CORPUS -u HOOKGEN_WIDE make "${@:-test}"
