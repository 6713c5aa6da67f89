#!/usr/bin/env bash
# Installs, from Debian's packages only, what Docket needs to build, test and run.
# Idempotent: installs only what is missing, so a second run takes a second or two.
set -euo pipefail

PKGS=(
  build-essential cmake ninja-build ccache pkg-config git
  librocksdb-dev libsecp256k1-dev libssl-dev
  libboost-dev libboost-system-dev
  libprotobuf-dev protobuf-compiler
  nlohmann-json3-dev catch2 libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev
  libbenchmark-dev
  curl procps psmisc
)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

# Node.js and npm are needed only by the OpenAttestation interoperability tests; the machine image may
# already ship a newer Node than Debian's, so install Debian's only when there is none at all.
if ! command -v node >/dev/null 2>&1; then missing+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
