#!/usr/bin/env bash
# A short testnet/bench run (labels long, process): the bench starts its own testnet, drives load for a
# few seconds and tears everything down; its last line must be the summary with tps > 0, and no node of
# its testnet may be left running.
#   bench_smoke.sh [--base-port P] [--duration S]
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
BASE=31600
DURATION=10
while [ $# -gt 0 ]; do
  case "$1" in
    --base-port) BASE="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
WORK="$(mktemp -d "${TMPDIR:-/tmp}/docket-bench-smoke.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

"$REPO/testnet/bench" --dir "$WORK/testnet" --base-port "$BASE" --duration "$DURATION" --warmup 2 \
  --senders 8 --window 4 --max-tps 500 > "$WORK/out.txt" || { cat "$WORK/out.txt"; fail "testnet/bench failed"; }
cat "$WORK/out.txt"
last="$(tail -n 1 "$WORK/out.txt")"
num='[0-9]+(\.[0-9]+)?'
[[ "$last" =~ ^tps=($num)\ p50_ms=$num\ p99_ms=$num\ verify_per_s=$num\ bytes_per_doc=$num$ ]] ||
  fail "last line is not the summary: $last"
tps="${BASH_REMATCH[1]}"
awk -v t="$tps" 'BEGIN { exit !(t > 0) }' || fail "tps is $tps"
grep -q '^node 3: cpu_s=' "$WORK/out.txt" || fail "no per-node line for node 3"
if pgrep -f "docketd start --home $WORK/testnet/" >/dev/null; then fail "a node of the bench testnet is still running"; fi
echo "PASS: $last"
