#!/usr/bin/env bash
# Configures and builds Docket with CMake + Ninja (+ ccache) into build/ (or build-<variant>/).
# Usage: scripts/build.sh [--sanitize] [--build-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=build
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --sanitize) build_dir=build-asan; extra+=(-DDOCKET_ASAN=ON -DDOCKET_UBSAN=ON -DDOCKET_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug) ;;
    --build-dir) build_dir="$2"; shift ;;
    *) echo "build.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
export CCACHE_DIR="${CCACHE_DIR:-$HOME/.cache/ccache}"
export CCACHE_BASEDIR="$PWD"
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-5G}"
cmake -S . -B "$build_dir" -G Ninja "${extra[@]}" >/dev/null
cmake --build "$build_dir" -j2
