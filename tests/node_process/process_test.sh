#!/usr/bin/env bash
# Real docketd processes on loopback, started with testnet/up. Usage:
#   process_test.sh basic  [--dir DIR] [--base-port P]   4 nodes commit; kill -9 one, the others go on;
#                                                        restart it, it catches up; garbage on the p2p
#                                                        and API ports is refused; no fork.
#   process_test.sh quorum [--dir DIR] [--base-port P]   two stopped: no commits, no fork; one back:
#                                                        commits resume; all back: all agree.
#   process_test.sh epochs [--dir DIR] [--base-port P]   admins add a 5th validator with docket member
#                                                        propose/vote; it syncs across the epoch change
#                                                        and takes part; a document issued after it
#                                                        verifies offline from the genesis alone; a
#                                                        validator is removed; no fork.
# Needs build/bin/docketd and build/bin/docket (or DOCKET_BIN). Exit 0 on success.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
SCENARIO="${1:?scenario: basic, quorum or epochs}"; shift
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
  for i in 0 1 2 3 4; do [ -f "$DIR/node$i/node.log" ] || continue; echo "--- node$i (last lines)" >&2; tail -n 15 "$DIR/node$i/node.log" >&2; done
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

# Epoch boundaries every 10 blocks in the epochs scenario (a change still waits 128 blocks: the
# consensus margin), the testnet's default elsewhere.
EPOCH_ARGS=()
[ "$SCENARIO" = epochs ] && EPOCH_ARGS=(--epoch-length 10)
step "testnet/up: 4 validators in $DIR, ports from $BASE"
"$REPO/testnet/up" --dir "$DIR" --base-port "$BASE" "${EPOCH_ARGS[@]}" >/dev/null || fail "testnet/up failed"

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
epochs)
  export DOCKET_PASSPHRASE="$(cat "$DIR/wallet/passphrase")" DOCKET_KEYSTORE="$DIR/wallet"
  epoch_of() { curl -fsS --max-time 2 "$(api_url "$1")/v1/status" | grep -o '"epoch":[0-9]*' | grep -o '[0-9]*$'; }
  validators_of() { curl -fsS --max-time 2 "$(api_url "$1")/v1/status" | grep -o '"validators":\[[^]]*\]' | grep -o '[0-9a-f]\{64\}' | wc -l; }
  wait_epoch() {  # node, epoch, timeout
    local deadline=$((SECONDS + $3))
    while [ $SECONDS -lt $deadline ]; do [ "$(epoch_of "$1" 2>/dev/null)" = "$2" ] && return 0; sleep 0.5; done
    fail "node $1 did not reach epoch $2 within ${3}s (epoch $(epoch_of "$1" 2>/dev/null), height $(height "$1"))"
  }
  # docket against node 0; prints its output; fails the test on a non-zero exit.
  wallet() { "$DOCKET" "$@" --node "$(api_url 0)" > "$DIR/out.txt" 2>&1 || { cat "$DIR/out.txt" >&2; fail "docket $*"; }; cat "$DIR/out.txt"; }
  proposal_id() { grep -o 'proposal [0-9]* created' "$DIR/out.txt" | grep -o '[0-9]*'; }

  step "a fifth node: its own home and key, peers = the four validators"
  p2p4=$((BASE + 104)); api4=$((BASE + 4))
  "$DOCKETD" init --home "$DIR/node4" --name node4 --p2p-listen "127.0.0.1:$p2p4" --api-listen "127.0.0.1:$api4" >/dev/null
  key4="$("$DOCKETD" key --home "$DIR/node4")"
  cp "$DIR/genesis.json" "$DIR/node4/genesis.json"
  for j in 0 1 2 3; do
    printf '\n[[p2p.peers]]\naddress = "127.0.0.1:%s"\npublic_key = "%s"\n' $((BASE + 100 + j)) "$("$DOCKETD" key --home "$DIR/node$j")" >> "$DIR/node4/config.toml"
  done
  echo "4 $api4 $p2p4" >> "$DIR/ports"
  start_node 4

  step "admins propose and vote (docket member propose/vote) to add it as a validator run by the bank"
  wallet member propose add-validator bank --node-key "$key4" -d "second bank site" --key customs
  id="$(proposal_id)"; [ -n "$id" ] || fail "no proposal id printed"
  wallet member vote "$id" --yes --key chamber
  wallet member vote "$id" --yes --key carrier
  grep -q "the proposal passed" "$DIR/out.txt" || fail "the third yes vote did not pass the proposal"
  decided="$(grep -o 'committed in block [0-9]*' "$DIR/out.txt" | grep -o '[0-9]*$')"
  boundary=$(( (decided + 128 + 9) / 10 * 10 ))

  step "kill -9 node 2 as it reaches the epoch's last block $boundary (decided at $decided), restart it"
  deadline=$((SECONDS + 240))
  while [ $SECONDS -lt $deadline ]; do
    h="$(height 2)"; [ "$h" != down ] && [ "$h" -ge $((boundary - 1)) ] && break
    sleep 0.05
  done
  stop_node 2 kill
  echo "   killed at height $h (status before the kill)"
  start_node 2

  step "epoch 1 starts after height $boundary; node 4 syncs across it and becomes a validator"
  for i in 0 1 2 3 4; do wait_epoch "$i" 1 240; done
  [ "$(validators_of 0)" = 5 ] || fail "epoch 1 does not have 5 validators"
  curl -fsS "$(api_url 4)/v1/status" | grep -q '"is_validator":true' || fail "node 4 is not a validator of epoch 1"

  step "commits continue in epoch 1 with node 4 taking part"
  h="$(height 0)"
  for i in 0 1 2 3 4; do wait_height "$i" $((h + 10)) 90; done
  stop_node 1 term  # with node 1 down, no quorum of 4 out of 5 without node 4
  h="$(height 0)"
  for i in 0 2 3 4; do wait_height "$i" $((h + 5)) 90; done
  start_node 1

  step "a certificate issued in epoch 1 verifies offline from the genesis alone"
  mkdir -p "$DIR/docs"
  cp "$REPO/docs/examples/certificate-of-origin.json" "$DIR/docs/coo.json"
  "$DOCKET" wrap "$DIR/docs/coo.json" --out "$DIR/wrapped" >/dev/null || fail "docket wrap"
  wallet issue "$DIR/wrapped/coo.json" --key chamber
  # A header certifies the state of an earlier height: wait until one carries the issuing block.
  issued="$(grep -o 'committed in block [0-9]*' "$DIR/out.txt" | grep -o '[0-9]*$')"
  wait_height 0 $((issued + 4)) 30
  wallet proof export "$DIR/wrapped/coo.json" --out "$DIR/bundle.json"
  grep -q '"epochs": \[$' "$DIR/bundle.json" || fail "the bundle carries no validator-set changes"
  "$DOCKET" verify "$DIR/wrapped/coo.json" --bundle "$DIR/bundle.json" --genesis "$DIR/genesis.json" > "$DIR/out.txt" 2>&1 \
    || { cat "$DIR/out.txt" >&2; fail "offline verification failed"; }
  grep -q VALID "$DIR/out.txt" || fail "offline verification did not say VALID"
  grep -q "epoch 1" "$DIR/out.txt" || fail "offline verification does not name the epoch"
  # One altered hex digit inside the epoch chain: refused with a reason.
  python3 - "$DIR/bundle.json" "$DIR/bad.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
e = b["epochs"][0]
i = len(e) // 2
b["epochs"][0] = e[:i] + ("0" if e[i] != "0" else "1") + e[i + 1:]
json.dump(b, open(sys.argv[2], "w"))
PY
  if "$DOCKET" verify "$DIR/wrapped/coo.json" --bundle "$DIR/bad.json" --genesis "$DIR/genesis.json" > "$DIR/out.txt" 2>&1; then
    fail "an altered epoch record verified"
  fi
  grep -q "validator-set change to epoch 1" "$DIR/out.txt" || { cat "$DIR/out.txt" >&2; fail "no reason for the altered epoch record"; }

  step "remove node 0's validator: epoch 2 with 4 validators; commits continue"
  key0="$("$DOCKETD" key --home "$DIR/node0")"
  wallet member propose remove-validator --node-key "$key0" --key chamber
  id="$(proposal_id)"
  wallet member vote "$id" --yes --key carrier
  wallet member vote "$id" --yes --key bank
  for i in 1 2 3 4; do wait_epoch "$i" 2 240; done
  [ "$(validators_of 1)" = 4 ] || fail "epoch 2 does not have 4 validators"
  h="$(height 1)"
  for i in 1 2 3 4; do wait_height "$i" $((h + 5)) 90; done
  "$DOCKET" proof export "$DIR/wrapped/coo.json" --out "$DIR/bundle2.json" --node "$(api_url 4)" >/dev/null || fail "proof export from node 4"
  "$DOCKET" verify "$DIR/wrapped/coo.json" --bundle "$DIR/bundle2.json" --genesis "$DIR/genesis.json" > "$DIR/out.txt" 2>&1 \
    || { cat "$DIR/out.txt" >&2; fail "offline verification across two changes failed"; }
  grep -q "epoch 2" "$DIR/out.txt" || fail "the second bundle is not certified in epoch 2"
  check_no_fork 1 2 3 4 0
  ;;
*) echo "unknown scenario $SCENARIO" >&2; exit 2 ;;
esac
echo "PASS: $SCENARIO"
