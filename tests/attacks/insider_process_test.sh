#!/usr/bin/env bash
# The insider attacks that go through the node's API and the real `docket` CLI, on a real
# 4-validator testnet (docs/security.md, A1, A2, A6). As in issue 10's reproduction:
#   the admins grant the carrier the role issuer:certificate_of_origin; the carrier copies the
#   chamber's certificate, builds a decoy root over its targetHash, registers it and revokes the
#   chamber's hash under it. The chamber's certificate must stay VALID online and offline, with the
#   same valid/status/issuer in `docket verify --json` both ways; the chamber's own revocation must
#   make it NOT VALID both ways. A proof bundle exported right after `docket issue` must verify.
# Usage: insider_process_test.sh --base-port P --oa-modules DIR   (DIR: node_modules with js-sha3)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TEST_NAME=insider-test
BASE=32200
source "$REPO/tests/node_process/harness.sh" "$@"
set -- "${REST_ARGS[@]+"${REST_ARGS[@]}"}"
MODULES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --oa-modules) MODULES="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -d "$MODULES/js-sha3" ] || { echo "insider_process_test: js-sha3 not found in '$MODULES' (run the wallet_oa_setup test)" >&2; exit 2; }

step "testnet/up: 4 validators in $DIR, ports from $BASE"
"$REPO/testnet/up" --dir "$DIR" --base-port "$BASE" >/dev/null || fail "testnet/up failed"
export DOCKET_NODE="$(api_url 0)" DOCKET_KEYSTORE="$DIR/wallet"
PASS=(--passphrase-file "$DIR/wallet/passphrase")
D="$DOCKET"
W="$DIR/work"
mkdir -p "$W/raw" "$W/wrapped" "$W/batch"
cd "$W"

# run WANT_EXIT CMD...: runs the command, keeps its output in $OUT, checks the exit code.
run() {
  local want="$1"; shift
  set +e
  OUT="$("$@" 2>&1)"; local rc=$?
  set -e
  [ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want: $OUT"
}
# Field of a JSON document on stdin: json_get EXPR (python expression on d).
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print(json.dumps($1))"; }
# verify_both DOC WANT_EXIT: online and offline (fresh bundle + genesis) verdicts; both must exit
# WANT_EXIT and agree on valid, status and issuer.
verify_both() {
  local doc="$1" want="$2"
  run "$want" "$D" verify "$doc" --json
  ONLINE="$OUT"
  run 0 "$D" proof export "$doc" --out "$W/b.json"
  run "$want" env DOCKET_NODE=http://127.0.0.1:9 "$D" verify "$doc" --json --bundle "$W/b.json" --genesis "$DIR/genesis.json"
  OFFLINE="$OUT"
  local a b
  a="$(printf '%s' "$ONLINE" | json_get '[d["valid"], d["status"], (d["issuer"] or {}).get("member_id")]')"
  b="$(printf '%s' "$OFFLINE" | json_get '[d["valid"], d["status"], (d["issuer"] or {}).get("member_id")]')"
  [ "$a" = "$b" ] || fail "online $a and offline $b verdicts differ for $doc"
  echo "   $doc: $a (online and offline)"
}

step "the admins grant the carrier issuer:certificate_of_origin"
run 0 "$D" member propose grant-role carrier issuer:certificate_of_origin --key chamber "${PASS[@]}"
PID="$(printf '%s' "$OUT" | sed -n 's/^proposal \([0-9]*\) created.*/\1/p')"
[ -n "$PID" ] || fail "no proposal id in: $OUT"
for admin in customs bank carrier; do
  "$D" member vote "$PID" --yes --key "$admin" "${PASS[@]}" >/dev/null 2>&1 || true
done
run 0 "$D" member list --json
printf '%s' "$OUT" | grep -q 'issuer:certificate_of_origin' || fail "no issuer role granted"

step "the chamber issues a certificate wrapped alone and a batch of two; a bundle exported at once verifies (A6)"
sed 's|04182|05001|' "$REPO/docs/examples/certificate-of-origin.json" > raw/alone.json
run 0 "$D" wrap raw/alone.json --schema coo --out wrapped
run 0 "$D" issue wrapped/alone.json --key chamber "${PASS[@]}" --public certificate_number="VN-05001"
printf '%s' "$OUT" | grep -q "committed in block" || fail "issue not committed: $OUT"
run 0 "$D" proof export wrapped/alone.json --out "$W/at-once.json"
run 0 env DOCKET_NODE=http://127.0.0.1:9 "$D" verify wrapped/alone.json --bundle "$W/at-once.json" --genesis "$DIR/genesis.json"
sed 's|04182|05002|' "$REPO/docs/examples/certificate-of-origin.json" > raw/b1.json
sed 's|04182|05003|' "$REPO/docs/examples/certificate-of-origin.json" > raw/b2.json
run 0 "$D" wrap raw/b1.json raw/b2.json --schema coo --out batch
run 0 "$D" issue batch/b1.json batch/b2.json --key chamber "${PASS[@]}"
run 0 "$D" proof export batch/b1.json --out "$W/at-once2.json"
run 0 env DOCKET_NODE=http://127.0.0.1:9 "$D" verify batch/b1.json --bundle "$W/at-once2.json" --genesis "$DIR/genesis.json"

step "A1: the carrier's decoy root over the document wrapped alone; its revocation there is refused"
node "$HERE/decoy.js" "$MODULES" wrapped/alone.json decoy-alone.json
run 0 "$D" issue decoy-alone.json --key carrier "${PASS[@]}"
run 1 "$D" revoke decoy-alone.json --reason fraud --key carrier "${PASS[@]}"
printf '%s' "$OUT" | grep -q "not_issuer" || fail "the decoy revocation was not refused with not_issuer: $OUT"
verify_both wrapped/alone.json 0

step "A1: the carrier's decoy root over a document of the chamber's batch: accepted by the contract, ignored by the verdict"
node "$HERE/decoy.js" "$MODULES" batch/b1.json decoy-b1.json
run 0 "$D" issue decoy-b1.json --key carrier "${PASS[@]}"
run 0 "$D" revoke decoy-b1.json --reason fraud --key carrier "${PASS[@]}"
verify_both batch/b1.json 0
run 0 "$D" verify batch/b1.json
printf '%s' "$OUT" | grep -q "another member's claim, not counted: carrier revoked" || fail "the claim is not shown as another member's: $OUT"
printf '%s' "$OUT" | grep -q "revoked  by carrier" && fail "the carrier's revocation is in the chamber's history: $OUT"
ROOT="$(python3 -c "import json; print(json.load(open('batch/b1.json'))['signature']['merkleRoot'])")"
TARGET="$(python3 -c "import json; print(json.load(open('batch/b1.json'))['signature']['targetHash'])")"
API="$(curl -fsS "$DOCKET_NODE/v1/documents/$TARGET?root=$ROOT")"
[ "$(printf '%s' "$API" | json_get 'd["status"]')" = '"issued"' ] || fail "GET /v1/documents/{hash}?root= says: $API"
[ "$(printf '%s' "$API" | json_get 'len(d["other_root_claims"])')" = 1 ] || fail "the claim is not listed: $API"
code="$(curl -s -o /dev/null -w '%{http_code}' "$DOCKET_NODE/v1/documents/$TARGET")"
[ "$code" = 404 ] || fail "GET /v1/documents/{non-root hash} without ?root= answered $code, not 404"

step "A2: the decoy copy names the chamber but was registered by the carrier: NOT VALID both ways"
verify_both decoy-b1.json 1
printf '%s' "$ONLINE" | grep -q "issuer identity" || printf '%s' "$ONLINE" | grep -q "revoked" || fail "decoy verdict: $ONLINE"

step "the chamber's own revocation makes its document NOT VALID, online and offline"
run 0 "$D" revoke batch/b1.json --reason cancelled --key chamber "${PASS[@]}"
verify_both batch/b1.json 1
verify_both batch/b2.json 0
run 0 "$D" revoke wrapped/alone.json --reason issued-in-error --key chamber "${PASS[@]}"
verify_both wrapped/alone.json 1
echo "insider attacks: all verdicts as expected"
