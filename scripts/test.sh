#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs the whole default test suite with ctest.
# Usage: scripts/test.sh [--sanitize | --long]
#   --sanitize  a separate ASan+UBSan build in build-asan/, same suite minus the multi-process tests
#   --long      only the tests labelled "long" (simulator soak runs), each bounded by its own budget
# Tests that start real docketd processes carry the label "process".
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
case "$mode" in
  ""|--sanitize|--long) ;;
  *) echo "usage: scripts/test.sh [--sanitize | --long]" >&2; exit 2 ;;
esac
bash scripts/install-deps.sh
build_dir=build
if [ "$mode" = "--sanitize" ]; then
  build_dir=build-asan
  bash scripts/build.sh --sanitize
else
  bash scripts/build.sh
fi
label_args=(-LE long)
if [ "${DOCKET_LONG_TESTS:-0}" = "1" ]; then label_args=(); fi
# Under the sanitizers, multi-process tests (label "process") are left out: they start several
# instrumented daemons on a 2-core machine and would test timing more than memory safety.
if [ "$mode" = --sanitize ]; then label_args=(-LE 'long|process'); fi
if [ "$mode" = --long ]; then label_args=(-L long); fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$build_dir"
ctest --output-on-failure -j2 --timeout 900 "${label_args[@]}"
