// Writes the fixtures and what @govtechsg/open-attestation makes of them, for docket to verify:
//   OUT/raw/*.json          the raw documents (docket wraps these too)
//   OUT/oa-single/*.json    each wrapped alone (wrapDocument)
//   OUT/oa-batch/*.json     all wrapped as one batch (wrapDocuments)
//   OUT/oa-obfuscated/*.json  batch documents with fields hidden (obfuscateDocument)
//   OUT/tampered/*.json     single-change tampered copies: every leaf value, every salt, every proof
//                           entry, targetHash, merkleRoot and hidden-field hash. Each must fail.
// Usage: node oa_wrap.js OUT
"use strict";
const fs = require("fs");
const path = require("path");
const oa = require("@govtechsg/open-attestation");
const { docs, literalDocs } = require("./fixtures");

const out = process.argv[2];
for (const d of ["raw", "oa-single", "oa-batch", "oa-obfuscated", "tampered"]) fs.mkdirSync(path.join(out, d), { recursive: true });
const write = (dir, name, obj) => fs.writeFileSync(path.join(out, dir, name), JSON.stringify(obj, null, 2));

const raw = docs();
for (const n of Object.keys(raw)) write("raw", n, raw[n]);
for (const [n, text] of Object.entries(literalDocs())) {
  fs.writeFileSync(path.join(out, "raw", n), text);
  raw[n] = JSON.parse(text);
}
const names = Object.keys(raw);
for (const n of names) {
  const w = oa.wrapDocument(raw[n]);
  if (!oa.verifySignature(w)) throw new Error("package does not verify its own " + n);
  write("oa-single", n, w);
}
const batch = oa.wrapDocuments(names.map((n) => raw[n]));
batch.forEach((w, i) => write("oa-batch", names[i], w));

const hide = {
  "basic.json": ["certificateNumber"],
  "unicode.json": ["exporter.city", "ключ", "lone"],
  "numbers.json": ["exponents", "quantity.value"],
  "nested.json": ["items.0.weight", "deep", "matrix"],
  "empty.json": ["emptyObject", "emptyArray"],
  "literals.json": ["nothing", "mixed"],
  "literal-numbers.json": ["a", "h"],
  "literal-escapes.json": ["s4", "key"],
};
batch.forEach((w, i) => {
  const ob = oa.obfuscateDocument(w, hide[names[i]]);
  if (!oa.verifySignature(ob)) throw new Error("package does not verify its own obfuscated " + names[i]);
  write("oa-obfuscated", names[i], ob);
});

// Tampering: flip one character of one thing at a time.
const flip = (s, at) => {
  const i = at < 0 ? s.length + at : at;
  const c = s[i] === "a" ? "b" : s[i] === "0" ? "1" : s[i] === "1" ? "2" : "a";
  return s.slice(0, i) + c + s.slice(i + 1);
};
let count = 0;
const tamper = (label, doc, mutate) => {
  const t = JSON.parse(JSON.stringify(doc));
  mutate(t);
  if (oa.verifySignature(t)) throw new Error("package itself misses tamper " + label);
  write("tampered", `${String(count++).padStart(4, "0")}-${label}.json`, t);
};
const leaves = (obj, prefix, outList) => {
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    const p = prefix.concat([k]);
    if (typeof v === "string") outList.push(p);
    else if (v && typeof v === "object") leaves(v, p, outList);
  }
  return outList;
};
const at = (obj, p) => p.slice(0, -1).reduce((o, k) => o[k], obj);
for (const [dir, list] of [["batch", batch], ["obf", null]]) {
  const docsToTamper = list || names.map((n, i) => oa.obfuscateDocument(batch[i], hide[n]));
  docsToTamper.forEach((w, i) => {
    const base = `${dir}-${names[i].replace(".json", "")}`;
    for (const p of leaves(w.data, [], [])) {
      tamper(`${base}-salt-${p.join(".")}`, w, (t) => { const o = at(t.data, p); o[p[p.length - 1]] = flip(o[p[p.length - 1]], 0); });
      tamper(`${base}-value-${p.join(".")}`, w, (t) => { const o = at(t.data, p); o[p[p.length - 1]] = o[p[p.length - 1]] + "x"; });
    }
    w.signature.proof.forEach((_, j) => tamper(`${base}-proof-${j}`, w, (t) => { t.signature.proof[j] = flip(t.signature.proof[j], 10); }));
    tamper(`${base}-targetHash`, w, (t) => { t.signature.targetHash = flip(t.signature.targetHash, -1); });
    tamper(`${base}-merkleRoot`, w, (t) => { t.signature.merkleRoot = flip(t.signature.merkleRoot, 3); });
    tamper(`${base}-added-field`, w, (t) => { t.data.added = "1b5a4c8e-1b6e-4a52-9b1f-6c1e0f1e2d3c:string:x"; });
    const firstLeaf = leaves(w.data, [], []).find((p) => Object.keys(at(w.data, p)).length > 1);
    if (firstLeaf) tamper(`${base}-removed-${firstLeaf.join(".")}`, w, (t) => { delete at(t.data, firstLeaf)[firstLeaf[firstLeaf.length - 1]]; });
    if (w.signature.proof.length >= 2)
      tamper(`${base}-proof-swapped`, w, (t) => { const p = t.signature.proof; [p[0], p[1]] = [p[1], p[0]]; });
    if (w.signature.proof.length >= 1) tamper(`${base}-proof-dropped`, w, (t) => { t.signature.proof.pop(); });
    if (w.privacy && w.privacy.obfuscatedData) {
      w.privacy.obfuscatedData.forEach((_, j) => tamper(`${base}-hidden-${j}`, w, (t) => { t.privacy.obfuscatedData[j] = flip(t.privacy.obfuscatedData[j], 7); }));
    }
  });
}
console.log(`oa_wrap: ${names.length} documents, ${count} tampered copies`);
