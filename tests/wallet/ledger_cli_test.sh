#!/usr/bin/env bash
# End-to-end: docket against a stand-in node (fake_node.js: the routes and JSON of ledger/api/v1_routes.cpp
# with a subset of the contracts' rules): keys, wrap, issue, verify VALID, revoke one document of a
# batch (merkle_root + hash + proof), supersede, bills of lading by member id, history, refusals.
# Usage: ledger_cli_test.sh DOCKET EXAMPLES_DIR WORK_DIR
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
docket="$1"; examples="$2"; work="$3"
command -v node >/dev/null || { echo "ledger_cli_test: node is required" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work"; cd "$work"
echo '[]' > members.json
node "$here/fake_node.js" docket-test "$work/members.json" > port.txt &
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
for k in carrier exporter bank importer; do expect 0 "keys new $k" -- "$docket" keys new $k --chain-id docket-test; done
pub() { "$docket" keys show "$1" | awk '/^public key/ {print $3}'; }
cat > members.json <<JSON
[{"member_id":"chamber","name":"Vietnam Chamber of Commerce and Industry","country":"VN","roles":["admin","issuer:certificate_of_origin"],"keys":["$(pub chamber)"]},
 {"member_id":"carrier","name":"Mekong Ocean Lines JSC","country":"VN","roles":["admin","carrier"],"keys":["$(pub carrier)"]},
 {"member_id":"exporter","name":"Test Exporter","country":"VN","roles":["trader"],"keys":["$(pub exporter)"]},
 {"member_id":"bank","name":"Test Bank","country":"NL","roles":["trader"],"keys":["$(pub bank)"]},
 {"member_id":"importer","name":"Test Importer","country":"NL","roles":["trader"],"keys":["$(pub importer)"]}]
JSON
mkdir raw && cp "$examples/certificate-of-origin.json" raw/a.json
sed 's/04182/04183/' "$examples/certificate-of-origin.json" > raw/b.json
sed 's/04182/04184/' "$examples/certificate-of-origin.json" > raw/c.json
expect 0 "wrap batch" -- "$docket" wrap raw --out w --schema coo
expect 1 "verify before issue" -- "$docket" verify w/a.json
contains out.txt "was never issued" "unknown document"
expect 2 "issue with a key for another chain" -- "$docket" issue w/a.json w/b.json w/c.json --key stranger
contains err.txt 'is for chain "other-chain", not "docket-test"' "wrong chain"
expect 2 "issue with a malformed public field" -- "$docket" issue w/a.json w/b.json w/c.json --key chamber --public Number=1
contains err.txt "must be 1..64 characters of a-z, 0-9, _" "public field name checked"
expect 2 "issue with a public field twice" -- "$docket" issue w/a.json w/b.json w/c.json --key chamber --public n=1 --public n=2
expect 0 "issue" -- "$docket" issue w/a.json w/b.json w/c.json --key chamber --public certificate_number=VN-1 --public issuing_country=VN
contains out.txt "committed in block" "issue prints the block"
# The stand-in has no POST /v1/transactions/check (an older node): warned, then sent unchecked.
contains err.txt "warning: the node has no /v1/transactions/check" "older node: a warning, and the issue was sent"
expect 0 "verify issued" -- "$docket" verify w/b.json
contains out.txt "VALID" "verify valid"
contains out.txt "issuer     Vietnam Chamber of Commerce and Industry (VN), member chamber" "issuer and country printed"
contains out.txt "issued  by chamber" "history printed"
expect 0 "verify --json" -- "$docket" verify --json w/b.json
contains out.txt '"valid": true' "json valid"
contains out.txt '"status": "issued"' "json status"
expect 2 "revoke with an unknown reason" -- "$docket" revoke w/a.json --key chamber --reason bored
expect 1 "revoke by another member is refused" -- "$docket" revoke w/a.json --key carrier --reason fraud
contains err.txt "not_issuer" "refusal code shown"
expect 0 "revoke one document" -- "$docket" revoke w/a.json --key chamber --reason cancelled
contains out.txt "under root" "revoked under its root"
expect 1 "verify revoked" -- "$docket" verify w/a.json
contains out.txt "NOT VALID: revoked (hash" "revoked reason"
contains out.txt "REVOCATION_CANCELLED" "revocation reason name"
expect 0 "others in the batch stay valid" -- "$docket" verify w/c.json
sed 's/04182/04190/' "$examples/certificate-of-origin.json" > amended.json
expect 0 "wrap amended" -- "$docket" wrap amended.json --out w2
expect 0 "supersede" -- "$docket" supersede w/c.json w2/amended.json --key chamber
expect 1 "verify superseded" -- "$docket" verify w/c.json
contains out.txt "superseded" "superseded reason"
expect 0 "verify amended" -- "$docket" verify w2/amended.json
expect 0 "history" -- "$docket" history w/c.json
contains out.txt 'superseded  by chamber  superseded_by=' "history shows supersession"
contains out.txt '{"certificate_number":"VN-1","issuing_country":"VN"}' "history shows the public fields"

# Bills of lading: parties are member ids
expect 0 "wrap bl" -- "$docket" wrap "$examples/bill-of-lading.json" --out wbl --schema bl
expect 1 "bl without record is not valid" -- "$docket" verify wbl/bill-of-lading.json
contains out.txt "no bill of lading record" "bl unknown"
expect 2 "bl issue with a key as party" -- "$docket" bl issue wbl/bill-of-lading.json --owner "$(pub exporter)x" --holder exporter --key carrier
expect 1 "bl issue by a non-carrier" -- "$docket" bl issue wbl/bill-of-lading.json --owner exporter --holder exporter --key chamber
contains err.txt "missing_role" "non-carrier refused"
expect 0 "bl issue" -- "$docket" bl issue wbl/bill-of-lading.json --owner exporter --holder exporter --key carrier
expect 0 "bl valid" -- "$docket" verify wbl/bill-of-lading.json
contains out.txt "bill       active, owner exporter, holder exporter" "bl active"
contains out.txt "Mekong Ocean Lines JSC" "carrier shown as issuer"
expect 1 "transfer by a non-holder" -- "$docket" bl transfer-owners wbl/bill-of-lading.json --new-owner bank --new-holder bank --key bank
contains err.txt "not_holder" "non-holder refused"
expect 0 "transfer owners to the bank" -- "$docket" bl transfer-owners wbl/bill-of-lading.json --new-owner bank --new-holder bank --key exporter --remark "documentary credit"
expect 0 "bank endorses to the importer" -- "$docket" bl transfer-owners wbl/bill-of-lading.json --new-owner importer --new-holder importer --key bank
expect 0 "bl show" -- "$docket" bl show wbl/bill-of-lading.json
contains out.txt "owner           importer" "new owner"
contains out.txt "owners_transferred  by bank" "endorsement chain"
expect 0 "bl show --json" -- "$docket" bl show --json wbl/bill-of-lading.json
contains out.txt '"holder": "importer"' "json holder"
expect 0 "surrender (--force: no check asked)" -- "$docket" bl surrender wbl/bill-of-lading.json --key importer --force
! grep -qF "warning" err.txt || { echo "FAIL: --force still asked for the check" >&2; cat err.txt >&2; fails=$((fails + 1)); }
expect 0 "accept surrender" -- "$docket" bl accept-surrender wbl/bill-of-lading.json --key carrier
expect 1 "accomplished bl is no longer valid title" -- "$docket" verify wbl/bill-of-lading.json
contains out.txt "not active" "inactive bl reason"
expect 0 "member list" -- "$docket" member list
contains out.txt "Vietnam Chamber" "members"
grep -E -q '^bank +NL +trader +Test Bank$' out.txt || { echo "FAIL: member list line of bank" >&2; cat out.txt >&2; fails=$((fails + 1)); }
expect 0 "member list --json" -- "$docket" member list --json
contains out.txt '"country": "NL"' "json country"

# Governance: every proposal kind is encoded as operations.proto says (the fake node decodes it back).
proposals() { node -e 'require("http").get(process.argv[1] + "/v1/fake/proposals", (r) => { let b = ""; r.on("data", (c) => b += c);
  r.on("end", () => { const p = JSON.parse(b).proposals[Number(process.argv[2])]; console.log(JSON.stringify(p.action) + " " + p.status); }); })' "$DOCKET_NODE" "$1"; }
node_key="$(pub importer)"
expect 0 "propose add-validator" -- "$docket" member propose add-validator carrier --node-key "$node_key" -d "a second site" --key chamber
contains out.txt "proposal 0 created in block" "proposal id and height"
proposals 0 > p.txt
contains p.txt "{\"kind\":\"add_validator\",\"member_id\":\"carrier\",\"node_key\":\"$node_key\"} open" "add-validator encoded, still open"
expect 1 "vote by a non-admin" -- "$docket" member vote 0 --yes --key bank
contains err.txt "missing_role" "non-admin vote refused"
expect 0 "second admin votes yes" -- "$docket" member vote 0 --yes --key carrier
contains out.txt "the proposal passed" "passing vote reported"
contains "$(proposals 0 > p.txt; echo p.txt)" "} passed" "proposal passed"
expect 1 "vote on a decided proposal" -- "$docket" member vote 0 --no --key chamber
expect 1 "propose by a non-admin" -- "$docket" member propose remove-member bank --key exporter
contains err.txt "missing_role" "non-admin proposal refused"
expect 0 "propose remove-validator" -- "$docket" member propose remove-validator --node-key "$node_key" --key chamber
contains "$(proposals 1 > p.txt; echo p.txt)" "{\"kind\":\"remove_validator\",\"node_key\":\"$node_key\"}" "remove-validator encoded"
k1="$(pub bank)"; k2="$(pub exporter)"
expect 0 "propose add-member" -- "$docket" member propose add-member --id shipper-2 --name "Second Shipper" --country SG \
  --member-key "$k1" --member-key "$k2" --role trader --role admin --key chamber
sorted="$(printf '%s\n%s\n' "$k1" "$k2" | sort | paste -sd, | sed 's/,/","/')"
contains "$(proposals 2 > p.txt; echo p.txt)" "{\"kind\":\"add_member\",\"id\":\"shipper-2\",\"name\":\"Second Shipper\",\"country\":\"SG\",\"keys\":[\"$sorted\"],\"roles\":[\"admin\",\"trader\"]}" "add-member encoded with sorted keys and roles"
expect 0 "propose remove-member" -- "$docket" member propose remove-member bank --key chamber
contains "$(proposals 3 > p.txt; echo p.txt)" '{"kind":"remove_member","member_id":"bank"}' "remove-member encoded"
expect 0 "propose grant-role" -- "$docket" member propose grant-role bank verifier --key chamber
contains "$(proposals 4 > p.txt; echo p.txt)" '{"kind":"grant_role","member_id":"bank","role":"verifier"}' "grant-role encoded"
expect 0 "propose revoke-role" -- "$docket" member propose revoke-role bank trader --key chamber
contains "$(proposals 5 > p.txt; echo p.txt)" '{"kind":"revoke_role","member_id":"bank","role":"trader"}' "revoke-role encoded"
expect 0 "propose rotate-key" -- "$docket" member propose rotate-key bank --old-key "$k1" --new-key "$node_key" --key chamber
contains "$(proposals 6 > p.txt; echo p.txt)" "{\"kind\":\"rotate_key\",\"member_id\":\"bank\",\"old_key\":\"$k1\",\"new_key\":\"$node_key\"}" "rotate-key encoded"
expect 0 "propose change-param" -- "$docket" member propose change-param epoch_length_blocks 50 --key chamber
contains "$(proposals 7 > p.txt; echo p.txt)" '{"kind":"change_param","name":"epoch_length_blocks","value":50}' "change-param encoded"
expect 0 "propose remove-member with a successor" -- "$docket" member propose remove-member bank --successor exporter --key chamber
contains "$(proposals 8 > p.txt; echo p.txt)" '{"kind":"remove_member","member_id":"bank","successor":"exporter"}' "successor encoded"
expect 2 "member as its own successor" -- "$docket" member propose remove-member bank --successor bank --key chamber
contains err.txt "own successor" "own successor refused"
expect 2 "unknown parameter" -- "$docket" member propose change-param block_size 5 --key chamber
contains err.txt "unknown parameter" "parameter named"
expect 2 "bad country" -- "$docket" member propose add-member --id x --name X --country XX --member-key "$k1" --key chamber
expect 2 "bad node key" -- "$docket" member propose add-validator carrier --node-key abcd --key chamber
contains err.txt "is not a 32-byte x-only public key" "bad key named"
expect 2 "bad role" -- "$docket" member propose grant-role bank emperor --key chamber
expect 2 "same old and new key" -- "$docket" member propose rotate-key bank --old-key "$k1" --new-key "$k1" --key chamber
expect 1 "unknown history" -- "$docket" history 0000000000000000000000000000000000000000000000000000000000000000

# A node that does not report its genesis hash: the wallet cannot know what it would sign for, so it refuses.
FAKE_NODE_NO_GENESIS=1 node "$here/fake_node.js" docket-test "$work/members.json" > port2.txt &
old_node_pid=$!
trap 'kill $node_pid $old_node_pid 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s port2.txt ] && break; sleep 0.1; done
expect 2 "issue on a node without a genesis hash" -- env DOCKET_NODE="http://127.0.0.1:$(cat port2.txt)" "$docket" issue w/a.json --key chamber
contains err.txt 'has no "genesis_hash"' "refuses to sign without the genesis"

if [ "$fails" != 0 ]; then echo "ledger_cli_test: $fails failure(s)" >&2; exit 1; fi
echo "ledger_cli_test: all checks passed"
