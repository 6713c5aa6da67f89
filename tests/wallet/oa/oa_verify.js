// Checks documents that docket wrapped with @govtechsg/open-attestation:
//   - verifySignature(doc) is true;
//   - when RAW_DIR/<name> exists, every salted leaf is exactly "<uuid v4>:" + the package's own
//     primitiveToTypedString(original value) (so docket's String(n) and escaping match), and the
//     package's getData() gives back the raw document (fields hidden by obfuscation aside).
// Usage: node oa_verify.js RAW_DIR FILE...   (exit 1 when any check fails)
"use strict";
const fs = require("fs");
const path = require("path");
const oa = require("@govtechsg/open-attestation");

const [rawDir, ...files] = process.argv.slice(2);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}:/;
let failures = 0;
const failed = (f, msg) => { failures++; console.error(`FAIL ${f}: ${msg}`); };

function typed(v) {
  if (v === null) return "null:null";
  return `${typeof v}:${String(v)}`;
}
// Walks the salted data alongside the raw value; missing keys are fields hidden by obfuscation.
function compare(f, salted, raw, p) {
  if (Array.isArray(raw) || (raw !== null && typeof raw === "object")) {
    if (typeof salted !== "object" || salted === null) return failed(f, `${p}: container became ${typeof salted}`);
    if (Array.isArray(raw) !== Array.isArray(salted)) return failed(f, `${p}: array/object mismatch`);
    if (Array.isArray(raw) && raw.length !== salted.length) return failed(f, `${p}: array length differs`);
    for (const k of Object.keys(salted)) {
      if (!(k in raw)) return failed(f, `${p}.${k}: not in the raw document`);
      compare(f, salted[k], raw[k], p ? `${p}.${k}` : k);
    }
    return;
  }
  if (typeof salted !== "string" || !UUID.test(salted)) return failed(f, `${p}: not salted with a v4 uuid`);
  const want = typed(raw);
  if (salted.slice(37) !== want) failed(f, `${p}: salted as ${JSON.stringify(salted.slice(37))}, package says ${JSON.stringify(want)}`);
}

for (const f of files) {
  const doc = JSON.parse(fs.readFileSync(f, "utf8"));
  if (!oa.verifySignature(doc)) { failed(f, "verifySignature is false"); continue; }
  if (!oa.utils.isWrappedV2Document(doc)) failed(f, "not recognised as a wrapped v2 document");
  const rawPath = path.join(rawDir, path.basename(f));
  if (fs.existsSync(rawPath)) compare(f, doc.data, JSON.parse(fs.readFileSync(rawPath, "utf8")), "");
}
console.log(`oa_verify: ${files.length} documents checked, ${failures} failures`);
process.exit(failures ? 1 : 0);
