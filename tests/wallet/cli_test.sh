#!/usr/bin/env bash
# End-to-end checks of the docket CLI that need no node: exit codes of wrap/verify/obfuscate, the
# schema check, and the keystore commands (with the real, strong scrypt parameters).
# Usage: cli_test.sh DOCKET EXAMPLES_DIR WORK_DIR
set -uo pipefail
docket="$1"; examples="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"; cd "$work"
fails=0
expect() {  # expect CODE DESCRIPTION -- command...
  local want="$1" what="$2"; shift 3
  "$@" >out.txt 2>err.txt; local got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: $what: exit $got, expected $want" >&2; cat out.txt err.txt >&2; fails=$((fails + 1))
  fi
}
contains() {  # contains FILE TEXT DESCRIPTION
  grep -qF -- "$2" "$1" || { echo "FAIL: $3: '$2' not in $1" >&2; cat "$1" >&2; fails=$((fails + 1)); }
}

# Documents
expect 0 "wrap coo with schema" -- "$docket" wrap "$examples/certificate-of-origin.json" --schema coo --out w
expect 0 "wrap bl with schema" -- "$docket" wrap "$examples/bill-of-lading.json" --schema bl --out w
expect 2 "wrap refuses to overwrite" -- "$docket" wrap "$examples/bill-of-lading.json" --out w
contains err.txt "does not overwrite" "overwrite message"
expect 2 "bl against coo schema" -- "$docket" wrap "$examples/bill-of-lading.json" --schema coo --out x
contains err.txt "certificateNumber is missing" "schema names missing fields"
contains err.txt "exporter is missing" "schema names every missing field"
[ ! -e x ] || { echo "FAIL: nothing may be written when the schema check fails" >&2; fails=$((fails + 1)); }
expect 0 "verify offline" -- "$docket" verify --offline w/certificate-of-origin.json
expect 3 "verify without a node" -- "$docket" verify --node http://127.0.0.1:9 w/certificate-of-origin.json
contains out.txt "status not checked" "unreachable node is reported"
expect 3 "verify --json without a node" -- "$docket" verify --json --node http://127.0.0.1:9 w/certificate-of-origin.json
contains out.txt '"status": "not_checked"' "json status"
contains out.txt '"valid": false' "json valid"
sed 's/Hamburg/Hamborg/' w/certificate-of-origin.json > tampered.json
expect 1 "tampered document" -- "$docket" verify --offline tampered.json
contains out.txt "NOT VALID" "tampered output"
expect 1 "tampered document, with a node URL" -- "$docket" verify --node http://127.0.0.1:9 tampered.json
echo '{"a": 1, "a": 2}' > dup.json
expect 2 "duplicate keys" -- "$docket" wrap dup.json
contains err.txt 'duplicate key "a"' "duplicate key message"
echo '{"a": {"b.c": 1}}' > dot.json
expect 2 "dotted keys" -- "$docket" wrap dot.json
contains err.txt "dot.json" "dotted key names the file"
expect 2 "not a wrapped document" -- "$docket" verify --offline "$examples/certificate-of-origin.json"
expect 2 "missing file" -- "$docket" verify --offline nope.json
expect 2 "several documents need --out" -- "$docket" wrap "$examples/certificate-of-origin.json" "$examples/bill-of-lading.json"
expect 0 "obfuscate" -- "$docket" obfuscate w/certificate-of-origin.json -f consignee -f exporter.identifier -o ob.json
expect 0 "obfuscated verifies" -- "$docket" verify --offline ob.json
grep -q "Hanseatische" ob.json && { echo "FAIL: consignee still visible" >&2; fails=$((fails + 1)); }
expect 2 "obfuscate array element" -- "$docket" obfuscate w/certificate-of-origin.json -f goodsItems.1
expect 2 "obfuscate last field of an object" -- "$docket" obfuscate w/bill-of-lading.json -f placeOfIssue.UNLocationCode -f placeOfIssue.locationName
expect 3 "status without a node" -- "$docket" status --node http://127.0.0.1:9
expect 2 "bad --schema" -- "$docket" wrap "$examples/certificate-of-origin.json" --schema xyz

# Keys
export DOCKET_KEYSTORE="$work/keys"
export DOCKET_PASSPHRASE="test passphrase"
expect 2 "keys new needs a chain id" -- "$docket" keys new alice --node http://127.0.0.1:9
expect 2 "keys new refuses a short passphrase" -- env DOCKET_PASSPHRASE=short "$docket" keys new alice --chain-id docket-test
contains err.txt "at least 8 characters" "short passphrase message"
expect 0 "keys new" -- "$docket" keys new alice --chain-id docket-test
contains out.txt "chain id    docket-test" "keys new prints the chain"
[ "$(stat -c %a keys/alice.json)" = 600 ] || { echo "FAIL: keystore file mode" >&2; fails=$((fails + 1)); }
expect 2 "keys new refuses an existing name" -- "$docket" keys new alice --chain-id docket-test
expect 0 "keys list" -- "$docket" keys list
contains out.txt "alice" "keys list shows alice"
expect 0 "keys export --raw" -- "$docket" keys export alice --raw --out secret.hex
[ "$(stat -c %a secret.hex)" = 600 ] || { echo "FAIL: exported secret file mode" >&2; fails=$((fails + 1)); }
expect 2 "keys export --raw for another chain" -- "$docket" keys export alice --raw --chain-id other
contains err.txt 'is for chain "docket-test", not "other"' "wrong chain message"
DOCKET_PASSPHRASE="wrong passphrase" expect 2 "wrong passphrase" -- "$docket" keys export alice --raw
contains err.txt "wrong passphrase" "wrong passphrase message"
expect 0 "keys import raw" -- "$docket" keys import secret.hex --name alice2 --chain-id docket-test
pk1=$("$docket" keys show alice | awk '/public key/ {print $3}')
pk2=$("$docket" keys show alice2 | awk '/public key/ {print $3}')
[ -n "$pk1" ] && [ "$pk1" = "$pk2" ] || { echo "FAIL: imported key differs ($pk1 / $pk2)" >&2; fails=$((fails + 1)); }
expect 0 "keys export keystore" -- "$docket" keys export alice --out alice-backup.json
expect 0 "keys import keystore renamed" -- "$docket" keys import alice-backup.json --name alice3
head -c 200 keys/alice.json > keys/broken.json
expect 2 "truncated keystore" -- "$docket" keys export broken --raw
contains err.txt "corrupt keystore" "truncated keystore message"
printf 'file passphrase\n' > pass.txt
expect 0 "passphrase file" -- env -u DOCKET_PASSPHRASE "$docket" keys new bob --chain-id docket-test --passphrase-file pass.txt
expect 0 "passphrase file opens" -- env -u DOCKET_PASSPHRASE "$docket" keys export bob --raw --passphrase-file pass.txt
expect 2 "no passphrase source and no terminal" -- env -u DOCKET_PASSPHRASE setsid "$docket" keys export bob --raw

if [ "$fails" != 0 ]; then echo "cli_test: $fails failure(s)" >&2; exit 1; fi
echo "cli_test: all checks passed"
