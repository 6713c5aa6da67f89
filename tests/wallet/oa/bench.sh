#!/usr/bin/env bash
# Benchmark: wrap N (default 10,000) certificates of origin as one batch and verify one of them,
# with docket and with @govtechsg/open-attestation under node, in the same run on the same files.
# Wall times are whole processes (start-up, reading and writing files included) for both sides.
# Usage: tests/wallet/oa/bench.sh [N]      (after scripts/build.sh; installs the npm package)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
n="${1:-10000}"
docket="$root/build/bin/docket"
[ -x "$docket" ] || { echo "bench: build first (scripts/build.sh)" >&2; exit 1; }
node_dir="$root/build/oa-node"
bash "$here/setup.sh" "$node_dir"
export NODE_PATH="$node_dir/node_modules"
work="$(mktemp -d /tmp/docket-wallet-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
node "$here/bench_docs.js" "$root/docs/examples/certificate-of-origin.json" "$n" "$work/raw"
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
timeit() { local t0; t0=$(now_ms); "$@" >/dev/null; echo $(( $(now_ms) - t0 )); }

dk_wrap=$(timeit "$docket" wrap "$work/raw" --out "$work/dk")
t0=$(now_ms); node "$here/bench_oa.js" wrap "$work/raw" "$work/oa" > "$work/oa-wrap.txt"; oa_wrap=$(( $(now_ms) - t0 ))
one="coo-00000.json"
dk_verify=$(timeit "$docket" verify --offline "$work/dk/$one")
t0=$(now_ms); node "$here/bench_oa.js" verify "$work/oa/$one" > "$work/oa-verify.txt"; oa_verify=$(( $(now_ms) - t0 ))
# Cross-check: each side verifies one document of the other's batch.
"$docket" verify --offline "$work/oa/$one" >/dev/null
node "$here/oa_verify.js" "$work/raw" "$work/dk/$one" >/dev/null

echo "documents: $n certificates of origin ($(du -sh "$work/raw" | cut -f1) raw), one batch"
printf '%-34s %10s %10s %8s\n' "" "docket" "node+OA" "ratio"
printf '%-34s %8d ms %8d ms %7.1fx\n' "wrap $n as one batch (process)" "$dk_wrap" "$oa_wrap" "$(echo "$oa_wrap / $dk_wrap" | bc -l)"
printf '%-34s %8d ms %8d ms %7.1fx\n' "verify one document (process)" "$dk_verify" "$oa_verify" "$(echo "$oa_verify / ($dk_verify + 0.0001)" | bc -l)"
cat "$work/oa-wrap.txt" "$work/oa-verify.txt"
