// The benchmark's OpenAttestation side, doing what `docket wrap DIR --out OUT` and
// `docket verify --offline FILE` do: read every raw document, wrapDocuments as one batch, write each
// wrapped document; or read one wrapped document and verifySignature it. Prints in-process times.
// Usage: node bench_oa.js wrap DIR OUT | node bench_oa.js verify FILE
"use strict";
const fs = require("fs");
const path = require("path");
const oa = require("@govtechsg/open-attestation");
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;
const [mode, a, b] = process.argv.slice(2);
if (mode === "wrap") {
  const t0 = process.hrtime.bigint();
  const names = fs.readdirSync(a).filter((f) => f.endsWith(".json")).sort();
  const docs = names.map((f) => JSON.parse(fs.readFileSync(path.join(a, f), "utf8")));
  const t1 = process.hrtime.bigint();
  const wrapped = oa.wrapDocuments(docs);
  const wrapMs = ms(t1);
  fs.mkdirSync(b, { recursive: true });
  wrapped.forEach((w, i) => fs.writeFileSync(path.join(b, names[i]), JSON.stringify(w, null, 2) + "\n"));
  console.log(`node: wrapDocuments of ${docs.length} documents: ${wrapMs.toFixed(0)} ms in-process (${ms(t0).toFixed(0)} ms with file IO)`);
} else {
  const t0 = process.hrtime.bigint();
  const ok = oa.verifySignature(JSON.parse(fs.readFileSync(a, "utf8")));
  console.log(`node: verifySignature: ${ok} in ${ms(t0).toFixed(2)} ms in-process`);
  process.exit(ok ? 0 : 1);
}
