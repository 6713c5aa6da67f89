#!/usr/bin/env bash
# The wallet checks before it signs and sends, against a real 4-validator testnet (testnet/up):
#   a bill of lading endorsed by a member that is not its holder is refused locally with the
#   contract's reason code (not_holder) and nothing is sent: the sender's nonce does not move;
#   with --force it is sent, the chain refuses it in a block with the same code and the nonce is spent;
#   the holder's endorsement passes the check and commits; a governance vote by a non-admin is refused
#   locally (missing_role); POST /v1/transactions/check answers the same verdicts directly.
# Usage: wallet_check_test.sh [--dir DIR] [--base-port P]   (API on P..P+3, p2p on P+100..P+103)
# Needs build/bin/docketd and build/bin/docket (or DOCKET_BIN). Exit 0 on success.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
TEST_NAME=wallet-check-test
BASE=32400
source "$HERE/harness.sh" "$@"
[ ${#REST_ARGS[@]} -eq 0 ] || { echo "unknown option ${REST_ARGS[0]}" >&2; exit 2; }
on_fail() { for f in out.txt err.txt; do [ -f "$f" ] && { echo "--- $f" >&2; cat "$f" >&2; }; done; return 0; }
# expect CODE WHAT -- command...: runs it with stdout in out.txt and stderr in err.txt.
expect() {
  local want="$1" what="$2"; shift 3
  local got=0
  "$@" >out.txt 2>err.txt || got=$?
  [ "$got" = "$want" ] || fail "$what: exit $got, expected $want"
  echo "   ok: $what (exit $got)"
}
contains() { grep -qF -- "$2" "$1" || fail "$3: '$2' not in $1"; }
lacks() { ! grep -qF -- "$2" "$1" || fail "$3: '$2' in $1"; }

step "testnet/up: 4 validators in $DIR, ports from $BASE"
"$REPO/testnet/up" --dir "$DIR" --base-port "$BASE" >/dev/null || fail "testnet/up failed"
export DOCKET_NODE="$(api_url 0)"
export DOCKET_KEYSTORE="$DIR/wallet"
PASS=(--passphrase-file "$DIR/wallet/passphrase")
D="$DOCKET"
mkdir -p "$DIR/work" && cd "$DIR/work"

pub() { "$D" keys show "$1" | awk '/^public key/ {print $3}'; }
nonce_of() { curl -fsS --max-time 5 "$DOCKET_NODE/v1/accounts/$(pub "$1")" | grep -o '"nonce":[0-9]*' | cut -d: -f2; }

step "the carrier issues a bill of lading to the exporter (owner and holder)"
expect 0 "wrap the bill" -- "$D" wrap "$REPO/docs/examples/bill-of-lading.json" --schema bl --out wrapped
expect 0 "bl issue" -- "$D" bl issue wrapped/bill-of-lading.json --owner exporter --holder exporter --key carrier "${PASS[@]}"
contains out.txt "committed in block" "the bill is on the ledger"

step "the bank, not the holder, tries to endorse it: refused locally, nothing sent"
before="$(nonce_of bank)"
[ -n "$before" ] || fail "no nonce for the bank's key"
expect 1 "bl endorse by a non-holder" -- \
  "$D" bl endorse wrapped/bill-of-lading.json --new-owner importer --key bank "${PASS[@]}"
contains err.txt "refused: not_holder: " "the contract's reason code is printed"
contains err.txt "(nothing was sent; --force sends it anyway)" "the user is told nothing was sent"
lacks err.txt "refused by the ledger in block" "no block refused it: it was never sent"
[ "$(wc -l < err.txt)" = 1 ] || fail "the refusal is one line"
after="$(nonce_of bank)"
[ "$after" = "$before" ] || fail "the bank's nonce moved from $before to $after without a transaction"
echo "   ok: the bank's nonce is still $after"

step "with --force the transaction is sent, and the chain refuses it with the same code"
expect 1 "bl endorse --force by a non-holder" -- \
  "$D" bl endorse wrapped/bill-of-lading.json --new-owner importer --key bank "${PASS[@]}" --force
contains err.txt "refused by the ledger in block" "the chain refused it in a block"
contains err.txt "(not_holder)" "with the contract's code"
forced="$(nonce_of bank)"
[ "$forced" = $((before + 1)) ] || fail "after a refused transaction in a block the nonce is $forced, expected $((before + 1))"
echo "   ok: the refusal in a block spent the nonce ($before -> $forced)"

step "the holder's endorsement passes the check and commits"
expect 0 "bl endorse by the holder" -- \
  "$D" bl endorse wrapped/bill-of-lading.json --new-owner bank --key exporter "${PASS[@]}"
contains out.txt "committed in block" "the endorsement is committed"
lacks err.txt "warning" "the node has the check route: no warning"
expect 0 "bl show" -- "$D" bl show wrapped/bill-of-lading.json
contains out.txt "endorsed" "the endorsement is in the bill's history"

step "governance: a vote by a non-admin is refused locally"
before="$(nonce_of exporter)"
expect 1 "member vote by a trader" -- "$D" member vote 0 --yes --key exporter "${PASS[@]}"
contains err.txt "refused: missing_role: " "missing_role shown"
[ "$(nonce_of exporter)" = "$before" ] || fail "the exporter's nonce moved"
echo "   ok: the exporter's nonce is still $before"

step "POST /v1/transactions/check: malformed and foreign bodies"
code() { curl -s -o body.txt -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data "$1" "$DOCKET_NODE/v1/transactions/check"; }
[ "$(code '{"tx":"zz"}')" = 400 ] || fail "bad hex is not a 400: $(cat body.txt)"
[ "$(code '{"tx":"0a0b0c"}')" = 400 ] || fail "undecodable bytes are not a 400: $(cat body.txt)"
[ "$(code '{}')" = 400 ] || fail "missing tx is not a 400"
echo "   ok: 400 for bad bodies"
echo "wallet_check_test: all checks passed"
