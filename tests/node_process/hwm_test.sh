#!/usr/bin/env bash
# A validator whose store lost data never votes (issue 14, point 6), with real docketd processes:
# 4 validators commit; node 3 is stopped cleanly, the newest RocksDB log in its data directory is cut in
# half (the blocks and safety state written since its start are lost without a word from RocksDB), and
# it is started again. It must say in one line that its store is behind its high-water mark, report
# "voting": false while it re-syncs, then say it votes again once past the mark, with no fork.
# Usage: hwm_test.sh [--dir DIR] [--base-port P]. Needs docketd and docket in build/bin (or DOCKET_BIN).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TEST_NAME=hwm-test
BASE=32500
source "$HERE/harness.sh" "$@"
[ ${#REST_ARGS[@]} -eq 0 ] || { echo "unknown option ${REST_ARGS[0]}" >&2; exit 2; }
on_fail() { for i in 0 3; do echo "--- node$i (last lines)" >&2; tail -n 15 "$DIR/node$i/node.log" >&2 || true; done; }
wait_height() { wait_for_height "$2" "$3" "$1" || fail "node $1 did not reach height $2 within $3 s (at $(node_height "$1"))"; }
status_field() { curl -fsS --max-time 2 "$(api_url "$1")/v1/status" 2>/dev/null | grep -o "\"$2\":[^,}]*" | cut -d: -f2; }

echo "== testnet/up: 4 validators in $DIR, ports from $BASE"
"$REPO/testnet/up" --dir "$DIR" --base-port "$BASE" >/dev/null || fail "testnet/up failed"
wait_height 3 30 90
[ "$(status_field 3 voting)" = true ] || fail "node 3 does not vote"

echo "== stop node 3, cut its newest log in half, start it"
stop_node 3
log="$(ls "$DIR/node3/data/"*.log | sort | tail -1)"
size="$(stat -c %s "$log")"
truncate -s $((size / 2)) "$log"
start_node 3
line=""
for _ in $(seq 1 50); do
  line="$(grep -m1 "store is behind its high-water mark" "$DIR/node3/node.log" || true)"
  [ -n "$line" ] && break
  sleep 0.2
done
[ -n "$line" ] || fail "node 3 did not say that its store is behind its high-water mark"
echo "   $line"
mark_height="$(echo "$line" | sed -E 's/.*re-synced past height ([0-9]+).*/\1/')"

echo "== it catches up without voting, then votes again past height $mark_height"
for _ in $(seq 1 600); do
  grep -q "re-synced past the high-water mark" "$DIR/node3/node.log" && break
  sleep 0.2
done
grep -q "re-synced past the high-water mark" "$DIR/node3/node.log" || fail "node 3 never left recovery"
# Before that line every start-up line of this run said "not voting".
grep -q "validator 3 (not voting)" "$DIR/node3/node.log" || fail "node 3 started as a voting validator"
[ "$(status_field 3 voting)" = true ] || fail "node 3 does not vote after recovery"
[ "$(status_field 3 recovering_to)" = null ] || fail "node 3 still reports recovering_to"
h="$(node_height 0)"
wait_height 3 $((h + 3)) 60
for ((k = 1; k <= h; k++)); do
  a="$(curl -fsS "$(api_url 0)/v1/blocks/$k" | grep -o '"id":"[0-9a-f]*"' | head -1)"
  b="$(curl -fsS "$(api_url 3)/v1/blocks/$k" | grep -o '"id":"[0-9a-f]*"' | head -1)"
  [ -n "$a" ] && [ "$a" = "$b" ] || fail "fork or gap at height $k: node 0 $a, node 3 $b"
done
echo "   same blocks on nodes 0 and 3 up to height $h"
echo "PASS"
