#!/usr/bin/env bash
# Installs the pinned @govtechsg/open-attestation (package-lock.json) into DEST/node_modules with
# `npm ci`, for the interop tests and the benchmark. Re-installs only when the lock file changed.
# Fails loudly (non-zero) when node/npm are missing or the registry cannot be reached: the interop
# tests must never pass by skipping.
# Usage: setup.sh DEST
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${1:?usage: setup.sh DEST}"
command -v node >/dev/null || { echo "setup.sh: node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup.sh: npm is not installed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$dest"
stamp="$dest/.lock.sha256"
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -d "$dest/node_modules/@govtechsg/open-attestation" ]; then
  exit 0
fi
cp "$here/package.json" "$here/package-lock.json" "$dest/"
if ! (cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error); then
  echo "setup.sh: npm ci failed: is the npm registry reachable? The OpenAttestation interop tests cannot run." >&2
  exit 1
fi
node -e 'require(process.argv[1] + "/node_modules/@govtechsg/open-attestation")' "$dest"
echo "$want" > "$stamp"
