#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs the whole default test suite with ctest.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: a separate ASan+UBSan build in build-asan/)
# Long simulations and soak tests carry the CTest label "long" and run only with DOCKET_LONG_TESTS=1.
# Tests that start real docketd processes carry the label "process".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir=build
if [ "${1:-}" = "--sanitize" ]; then build_dir=build-asan; fi
bash scripts/build.sh "$@"
label_args=(-LE long)
if [ "${DOCKET_LONG_TESTS:-0}" = "1" ]; then label_args=(); fi
# Under the sanitizers, multi-process tests (label "process") are left out: they start several
# instrumented daemons on a 2-core machine and would test timing more than memory safety.
if [ "$build_dir" = build-asan ]; then label_args=(-LE 'long|process'); fi
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
cd "$build_dir"
ctest --output-on-failure -j2 --timeout 900 "${label_args[@]}"
