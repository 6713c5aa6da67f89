#!/usr/bin/env bash
# Interop between docket and @govtechsg/open-attestation (installed by setup.sh into NODE_DIR):
#  1. documents the package wraps (single, batch, obfuscated) pass `docket verify --offline`;
#  2. every single-change tampered copy fails it with exit code 1;
#  3. envelope changes no hash covers (version, signature.type, extra fields), which the package
#     accepts, fail it with exit code 1 and the field named;
#  4. documents docket wraps (single, batch, obfuscated; the fixtures and docs/examples) pass the
#     package's verifySignature, with salts byte-identical to what the package would write.
# Usage: interop.sh DOCKET NODE_DIR WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
docket="$1"; node_dir="$2"; work="$3"
examples="$here/../../../docs/examples"
export NODE_PATH="$node_dir/node_modules"
[ -d "$NODE_PATH/@govtechsg/open-attestation" ] || { echo "interop: package missing in $node_dir (setup.sh failed?)" >&2; exit 1; }
rm -rf "$work"; mkdir -p "$work"
node "$here/oa_wrap.js" "$work"

fails=0
expect() {  # expect CODE FILE
  local want="$1" f="$2" got=0
  "$docket" verify --offline "$f" >"$work/last.out" 2>&1 || got=$?
  if [ "$got" != "$want" ]; then
    echo "FAIL: docket verify $f exited $got, expected $want" >&2; cat "$work/last.out" >&2; fails=$((fails + 1))
  fi
}
n=0
for f in "$work"/oa-single/*.json "$work"/oa-batch/*.json "$work"/oa-obfuscated/*.json; do expect 0 "$f"; n=$((n + 1)); done
echo "interop: docket verified $n package-wrapped documents"
t=0
for f in "$work"/tampered/*.json; do expect 1 "$f"; t=$((t + 1)); done
echo "interop: docket rejected $t tampered documents"

# docket wraps, the package verifies.
mkdir -p "$work/dk-single" "$work/dk-obf"
for f in "$work"/raw/*.json; do "$docket" wrap "$f" > "$work/dk-single/$(basename "$f")"; done
"$docket" wrap "$work/raw" --out "$work/dk-batch" >/dev/null
"$docket" wrap "$examples/certificate-of-origin.json" "$examples/bill-of-lading.json" --out "$work/dk-examples" >/dev/null
"$docket" obfuscate "$work/dk-batch/unicode.json" -f exporter.city -f ключ -f lone -o "$work/dk-obf/unicode.json"
"$docket" obfuscate "$work/dk-batch/numbers.json" -f exponents -f quantity.value -o "$work/dk-obf/numbers.json"
"$docket" obfuscate "$work/dk-batch/nested.json" -f items.0.weight -f deep -o "$work/dk-obf/nested.json"
"$docket" obfuscate "$work/dk-examples/certificate-of-origin.json" -f consignee -f goodsItems.0.fobValue \
  -o "$work/dk-obf/certificate-of-origin.json"
cp "$examples"/*.json "$work/raw/"
node "$here/oa_verify.js" "$work/raw" "$work"/dk-single/*.json "$work"/dk-batch/*.json "$work"/dk-examples/*.json \
  "$work"/dk-obf/*.json || fails=$((fails + 1))

# Same merkleRoot across a docket batch, and the package agrees on each document's proof.
roots=$(for f in "$work"/dk-batch/*.json; do node -e 'console.log(require(process.argv[1]).signature.merkleRoot)' "$f"; done | sort -u | wc -l)
[ "$roots" = 1 ] || { echo "FAIL: docket batch has $roots merkleRoots" >&2; fails=$((fails + 1)); }

# Random documents, both directions (DOCKET_OA_SEEDS picks other seeds; each run is reproducible).
for seed in ${DOCKET_OA_SEEDS:-1 2 3}; do
  r="$work/random-$seed"
  node "$here/random_docs.js" "$seed" 60 "$r"
  for f in "$r"/oa-batch/*.json "$r"/oa-obfuscated/*.json; do expect 0 "$f"; done
  "$docket" wrap "$r/raw" --out "$r/dk" >/dev/null || { echo "FAIL: docket wrap of random seed $seed" >&2; fails=$((fails + 1)); }
  node "$here/oa_verify.js" "$r/raw" "$r"/dk/*.json || fails=$((fails + 1))
done

# flatley gives a top-level empty key's children top-level paths and keeps only the last of two equal
# paths: the package then leaves a field unhashed (tampering it goes unnoticed there). docket refuses.
node -e '
  const oa = require("@govtechsg/open-attestation"); const { issuers } = require(process.argv[1]);
  process.stdout.write(JSON.stringify(oa.wrapDocument({ issuers, "": { x: 1 }, x: 2 })));' "$here/fixtures.js" > "$work/collision.json"
expect 2 "$work/collision.json"
grep -q "two fields flatten to the path" "$work/last.out" || { echo "FAIL: collision not explained" >&2; fails=$((fails + 1)); }

# The envelope: fields no hash covers. The package's verifySignature still accepts a document whose
# version, signature type or extra fields were changed; docket refuses it (wallet/oa/integrity.h),
# naming the field. A document wrapped with the package's externalSchemaId option carries "schema",
# which docket does not use, and is refused the same way.
mkdir -p "$work/envelope"
node -e '
  const oa = require("@govtechsg/open-attestation"); const fs = require("fs");
  const { issuers } = require(process.argv[1]); const out = process.argv[2];
  const w = oa.wrapDocuments([{ issuers, n: 1 }, { issuers, n: 2 }, { issuers, n: 3 }])[0];
  const ob = oa.obfuscateDocument(w, ["n"]);
  const variants = {
    "version-garbage": (t) => { t.version = "garbage"; },
    "version-missing": (t) => { delete t.version; },
    "version-number": (t) => { t.version = 2; },
    "type-foo": (t) => { t.signature.type = "Foo"; },
    "extra-top": (t) => { t.issuedBy = "someone else"; },
    "extra-signature": (t) => { t.signature.note = "x"; },
    "extra-privacy": (t) => { t.privacy.note = "x"; },
  };
  for (const [name, change] of Object.entries(variants)) {
    const t = JSON.parse(JSON.stringify(ob));
    change(t);
    if (!oa.verifySignature(t)) throw new Error("the package no longer accepts envelope change " + name);
    fs.writeFileSync(out + "/" + name + ".json", JSON.stringify(t, null, 2));
  }
  const ext = oa.wrapDocument({ issuers, n: 4 }, { externalSchemaId: "https://example.com/schema.json" });
  fs.writeFileSync(out + "/external-schema.json", JSON.stringify(ext, null, 2));
  fs.writeFileSync(out + "/ok-obfuscated.json", JSON.stringify(ob, null, 2));' "$here/fixtures.js" "$work/envelope"
expect 0 "$work/envelope/ok-obfuscated.json"
envelope_refused() {  # envelope_refused NAME REASON-TEXT
  expect 1 "$work/envelope/$1.json"
  grep -qF -- "$2" "$work/last.out" || { echo "FAIL: envelope $1: \"$2\" not in the report" >&2; cat "$work/last.out" >&2; fails=$((fails + 1)); }
}
envelope_refused version-garbage '"version" is not https://schema.openattestation.com/2.0/schema.json'
envelope_refused version-missing 'no "version"'
envelope_refused version-number '"version" is not'
envelope_refused type-foo 'signature.type is not SHA3MerkleProof'
envelope_refused extra-top 'unknown field "issuedBy"'
envelope_refused extra-signature 'unknown field "note" in "signature"'
envelope_refused extra-privacy 'unknown field "note" in "privacy"'
envelope_refused external-schema 'unknown field "schema"'
echo "interop: docket refused 8 envelope changes the package's verifySignature accepts"

if [ "$fails" != 0 ]; then echo "interop: $fails failure(s)" >&2; exit 1; fi
echo "interop: all checks passed"
