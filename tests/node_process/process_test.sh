#!/usr/bin/env bash
# Real docketd processes on loopback, started with testnet/up. Usage:
#   process_test.sh basic  [--dir DIR] [--base-port P]   4 nodes commit; kill -9 one, the others go on;
#                                                        restart it, it catches up; garbage on the p2p
#                                                        and API ports is refused; no fork.
#   process_test.sh quorum [--dir DIR] [--base-port P]   two stopped: no commits, no fork; one back:
#                                                        commits resume; all back: all agree.
# Needs build/bin/docketd and build/bin/docket (or DOCKET_BIN). Exit 0 on success.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SCENARIO="${1:?scenario: basic or quorum}"; shift
DIR="/tmp/docket-process-test-$SCENARIO-$$"
BASE=31000
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) DIR="$2"; shift 2 ;;
    --base-port) BASE="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
export TESTNET_DIR="$DIR"
source "$REPO/testnet/lib.sh"
TESTNET_DIR="$DIR"

cleanup() {
  "$REPO/testnet/down" --dir "$DIR" >/dev/null 2>&1 || true
  if [ "${KEEP:-0}" != 1 ] && [ "${FAILED:-0}" != 1 ]; then rm -rf "$DIR"; fi
}
trap cleanup EXIT
FAILED=0
fail() {
  FAILED=1
  echo "FAIL: $*" >&2
  for i in 0 1 2 3; do echo "--- node$i (last lines)" >&2; tail -n 15 "$DIR/node$i/node.log" >&2 2>/dev/null || true; done
  echo "logs kept in $DIR" >&2
  exit 1
}
step() { echo "== $*"; }

height() { node_height "$1"; }
# Waits until node i reports a height >= target.
wait_height() {
  local i="$1" target="$2" timeout_s="$3"
  wait_for_height "$target" "$timeout_s" "$i" || fail "node $i did not reach height $target within ${timeout_s}s (at $(height "$i"))"
}
block_id() { curl -fsS --max-time 2 "$(api_url "$1")/v1/blocks/$2" 2>/dev/null | grep -o '"id":"[0-9a-f]*"' | head -1; }

# Every listed node reports the same block id at every height up to the lowest of their heights.
check_no_fork() {
  local nodes=("$@") min=-1
  for i in "${nodes[@]}"; do
    local h; h="$(height "$i")"
    [ "$h" = down ] && fail "node $i is down during the fork check"
    if [ "$min" -lt 0 ] || [ "$h" -lt "$min" ]; then min="$h"; fi
  done
  for ((h = 1; h <= min; h++)); do
    local ref; ref="$(block_id "${nodes[0]}" "$h")"
    [ -n "$ref" ] || fail "node ${nodes[0]} has no block at height $h"
    for i in "${nodes[@]:1}"; do
      local id; id="$(block_id "$i" "$h")"
      [ "$id" = "$ref" ] || fail "fork at height $h: node ${nodes[0]} has $ref, node $i has $id"
    done
  done
  echo "   same blocks on nodes ${nodes[*]} up to height $min"
}

step "testnet/up: 4 validators in $DIR, ports from $BASE"
"$REPO/testnet/up" --dir "$DIR" --base-port "$BASE" >/dev/null || fail "testnet/up failed"

case "$SCENARIO" in
basic)
  h="$(height 0)"
  wait_height 0 $((h + 5)) 30
  check_no_fork 0 1 2 3

  step "kill -9 node 2: the other three keep committing"
  stop_node 2 kill
  h="$(height 0)"
  for i in 0 1 3; do wait_height "$i" $((h + 5)) 60; done

  step "restart node 2: it catches up"
  start_node 2
  target="$(height 0)"
  wait_height 2 "$target" 60
  h="$(height 0)"
  wait_height 2 $((h + 3)) 60
  check_no_fork 0 1 2 3

  step "garbage, truncated and oversized frames, a wrong chain id and an unknown key on the p2p port"
  p2p=$((BASE + 100))
  rnd32() { head -c 32 /dev/urandom; }
  hello() {  # Envelope{hello{version 1, chain id $1, random key, random challenge}} in a frame
    local chain="$1" len=$((2 + 2 + ${#1} + 34 + 34))
    printf "\\x00\\x00\\x00\\x$(printf %02x $((len + 2)))\\x0a\\x$(printf %02x $len)\\x08\\x01\\x12\\x$(printf %02x ${#chain})%s\\x1a\\x20" "$chain"
    rnd32; printf '\x22\x20'; rnd32
  }
  for payload in garbage truncated oversized zero wrongchain unknownkey; do
    exec 3<>"/dev/tcp/127.0.0.1/$p2p" || fail "cannot connect to the p2p port"
    case "$payload" in
      garbage) head -c 2000 /dev/urandom >&3 ;;
      truncated) printf '\x00\x00\x01\x00' >&3; head -c 10 /dev/urandom >&3 ;;
      oversized) printf '\x7f\xff\xff\xff' >&3; head -c 100 /dev/urandom >&3 ;;
      zero) printf '\x00\x00\x00\x00' >&3 ;;
      wrongchain) hello "another-chain" >&3 ;;
      unknownkey) hello "$(cat "$DIR/chain_id")" >&3 ;;
    esac
    sleep 0.3
    exec 3>&- 3<&- || true
  done
  step "bad requests on the API port"
  api="$(api_url 0)"
  code() { curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$@"; }
  [ "$(code -X POST -H 'Content-Type: application/json' --data '{not json' "$api/v1/transactions")" = 400 ] || fail "malformed JSON not refused with 400"
  [ "$(code -X POST -H 'Content-Type: application/json' --data '{"tx":"00","bogus":1}' "$api/v1/transactions")" = 400 ] || fail "unknown field not refused with 400"
  [ "$(code -X POST -H 'Content-Type: application/json' --data '{"tx":"0a0b0c"}' "$api/v1/transactions")" = 422 ] || fail "undecodable transaction not refused with 422"
  [ "$(code "$api/v1/documents/xyz")" = 400 ] || fail "bad hash not refused with 400"
  [ "$(code "$api/v1/blocks/99999999")" = 404 ] || fail "missing block not 404"
  big="$(head -c 1200000 /dev/zero | tr '\0' 'a')"
  [ "$(printf '{"tx":"%s"}' "$big" | code -X POST -H 'Content-Type: application/json' --data-binary @- "$api/v1/transactions")" = 413 ] || fail "oversized body not refused with 413"
  printf 'GARBAGE\r\n\r\n' | timeout 3 bash -c "cat > /dev/tcp/127.0.0.1/$BASE" || true
  step "node 0 still serves and commits"
  h="$(height 0)"
  [ "$h" != down ] || fail "node 0 stopped serving"
  wait_height 0 $((h + 3)) 30
  [ "$(code "$api/metrics")" = 200 ] || fail "/metrics not served"
  check_no_fork 0 1 2 3
  ;;
quorum)
  step "stop nodes 2 and 3: no commits without a quorum"
  stop_node 2 term
  stop_node 3 kill
  sleep 3
  h0="$(height 0)"; h1="$(height 1)"
  sleep 8
  [ "$(height 0)" -le $((h0 + 1)) ] && [ "$(height 1)" -le $((h1 + 1)) ] || fail "commits without a quorum ($h0 -> $(height 0))"
  check_no_fork 0 1

  step "restart node 3: commits resume"
  start_node 3
  h="$(height 0)"
  for i in 0 1 3; do wait_height "$i" $((h + 3)) 90; done
  check_no_fork 0 1 3

  step "restart node 2: all four agree"
  start_node 2
  h="$(height 0)"
  wait_height 2 "$h" 90
  check_no_fork 0 1 2 3

  step "SIGTERM all, start all: they resume from the store"
  for i in 0 1 2 3; do stop_node "$i" term; done
  hs="$(for i in 0 1 2 3; do grep -o 'stopped at height [0-9]*' "$DIR/node$i/node.log" | tail -1 | grep -o '[0-9]*$'; done | sort -n | tail -1)"
  for i in 0 1 2 3; do start_node "$i"; done
  for i in 0 1 2 3; do wait_height "$i" $((hs + 3)) 90; done
  check_no_fork 0 1 2 3
  ;;
*) echo "unknown scenario $SCENARIO" >&2; exit 2 ;;
esac
echo "PASS: $SCENARIO"
