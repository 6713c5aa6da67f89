#!/usr/bin/env bash
# End-to-end: docket against a stand-in node (fake_node.js, the HTTP contract of docs/wallet.md):
# keys, wrap, issue, verify VALID, revoke one document of a batch, supersede, bills of lading, history.
# Usage: ledger_cli_test.sh DOCKET EXAMPLES_DIR WORK_DIR
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
docket="$1"; examples="$2"; work="$3"
command -v node >/dev/null || { echo "ledger_cli_test: node is required" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work"; cd "$work"
node "$here/fake_node.js" docket-test > port.txt &
node_pid=$!
trap 'kill $node_pid 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s port.txt ] && break; sleep 0.1; done
export DOCKET_NODE="http://127.0.0.1:$(cat port.txt)"
export DOCKET_KEYSTORE="$work/keys" DOCKET_PASSPHRASE="ledger test passphrase"
fails=0
expect() {
  local want="$1" what="$2"; shift 3
  "$@" >out.txt 2>err.txt; local got=$?
  if [ "$got" != "$want" ]; then echo "FAIL: $what: exit $got, expected $want" >&2; cat out.txt err.txt >&2; fails=$((fails + 1)); fi
}
contains() { grep -qF -- "$2" "$1" || { echo "FAIL: $3: '$2' not in $1" >&2; cat "$1" >&2; fails=$((fails + 1)); }; }

expect 0 "status" -- "$docket" status
contains out.txt '"chain_id": "docket-test"' "status shows the chain"
expect 0 "keys new (chain id from the node)" -- "$docket" keys new chamber
contains out.txt "chain id    docket-test" "chain id learnt from the node"
expect 0 "keys new other chain" -- "$docket" keys new stranger --chain-id other-chain
mkdir raw && cp "$examples/certificate-of-origin.json" raw/a.json
sed 's/04182/04183/' "$examples/certificate-of-origin.json" > raw/b.json
sed 's/04182/04184/' "$examples/certificate-of-origin.json" > raw/c.json
expect 0 "wrap batch" -- "$docket" wrap raw --out w --schema coo
expect 1 "verify before issue" -- "$docket" verify w/a.json
contains out.txt "was never issued" "unknown document"
expect 2 "issue with a key for another chain" -- "$docket" issue w/a.json w/b.json w/c.json --key stranger
contains err.txt 'is for chain "other-chain", not "docket-test"' "wrong chain"
expect 0 "issue" -- "$docket" issue w/a.json w/b.json w/c.json --key chamber
contains out.txt "committed in block" "issue prints the block"
expect 0 "verify issued" -- "$docket" verify w/b.json
contains out.txt "VALID" "verify valid"
contains out.txt "Test Chamber of Commerce (VN)" "issuer printed"
expect 0 "verify --json" -- "$docket" verify --json w/b.json
contains out.txt '"valid": true' "json valid"
contains out.txt '"status": "issued"' "json status"
expect 0 "revoke one document" -- "$docket" revoke w/a.json --key chamber --reason 3
expect 1 "verify revoked" -- "$docket" verify w/a.json
contains out.txt "NOT VALID: revoked" "revoked reason"
expect 0 "others in the batch stay valid" -- "$docket" verify w/c.json
sed 's/04182/04190/' "$examples/certificate-of-origin.json" > amended.json
expect 0 "wrap amended" -- "$docket" wrap amended.json --out w2
expect 0 "supersede" -- "$docket" supersede w/c.json w2/amended.json --key chamber
expect 1 "verify superseded" -- "$docket" verify w/c.json
contains out.txt "superseded" "superseded reason"
expect 0 "verify amended" -- "$docket" verify w2/amended.json
expect 0 "history" -- "$docket" history w/c.json
contains out.txt '"superseded_by"' "history shows supersession"

# Bills of lading
expect 0 "keys new carrier" -- "$docket" keys new carrier --chain-id docket-test
expect 0 "keys new bank" -- "$docket" keys new bank --chain-id docket-test
expect 0 "wrap bl" -- "$docket" wrap "$examples/bill-of-lading.json" --out wbl --schema bl
expect 0 "issue bl document" -- "$docket" issue wbl/bill-of-lading.json --key carrier
expect 1 "bl without record is not valid" -- "$docket" verify wbl/bill-of-lading.json
expect 0 "bl issue" -- "$docket" bl issue wbl/bill-of-lading.json --owner carrier --holder carrier --key carrier
expect 0 "bl valid" -- "$docket" verify wbl/bill-of-lading.json
contains out.txt "bill       active" "bl active"
bank=$("$docket" keys show bank | awk '/public key/ {print $3}')
expect 0 "transfer holder" -- "$docket" bl transfer-holder wbl/bill-of-lading.json --new-holder bank --key carrier
expect 0 "bl show" -- "$docket" bl show wbl/bill-of-lading.json
contains out.txt "\"holder\": \"$bank\"" "new holder"
expect 0 "surrender" -- "$docket" bl surrender wbl/bill-of-lading.json --key bank
expect 0 "accept surrender" -- "$docket" bl accept-surrender wbl/bill-of-lading.json --key carrier
expect 1 "accomplished bl is no longer valid title" -- "$docket" verify wbl/bill-of-lading.json
contains out.txt "not active" "inactive bl reason"
expect 0 "member list" -- "$docket" member list
contains out.txt "Test Chamber" "members"
expect 1 "unknown history" -- "$docket" history 0000000000000000000000000000000000000000000000000000000000000000

if [ "$fails" != 0 ]; then echo "ledger_cli_test: $fails failure(s)" >&2; exit 1; fi
echo "ledger_cli_test: all checks passed"
