// Random documents for differential testing against @govtechsg/open-attestation: every run with the
// same seed writes the same documents, and another seed explores other shapes. Writes
//   OUT/raw/rN.json            the raw documents (docket wraps these; oa_verify.js checks the result)
//   OUT/oa-batch/rN.json       the package's wrapping, in batches of random sizes
//   OUT/oa-obfuscated/rN.json  some of those with random fields hidden by the package
// Usage: node random_docs.js SEED COUNT OUT
"use strict";
const fs = require("fs");
const path = require("path");
const oa = require("@govtechsg/open-attestation");
const { issuers } = require("./fixtures");

const [seedArg, countArg, out] = process.argv.slice(2);
let state = Number(seedArg) >>> 0;
// mulberry32: small, seedable, good enough to pick shapes.
function rand() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];

// Code points that stress escaping and UTF-8/UTF-16 handling, mixed with plain text.
const specials = [0x0, 0x7, 0x8, 0x9, 0xa, 0xc, 0xd, 0x1f, 0x22, 0x27, 0x2f, 0x3a, 0x5c, 0x7f, 0x80, 0xa0, 0xe9,
  0x301, 0x2028, 0x2029, 0x4e2d, 0xfeff, 0xfffd, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0x1f600, 0x1f6a2, 0x10ffff];
function text(max) {
  let s = "";
  const n = int(max + 1);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (r < 0.6) s += String.fromCharCode(0x20 + int(0x5f));
    else if (r < 0.9) s += String.fromCodePoint(pick(specials));
    else s += String.fromCodePoint(0xa1 + int(0x2000));
  }
  return s;
}
function key() {
  // Keys with "." are refused by docket (they would be ambiguous paths), so none here.
  const r = rand();
  if (r < 0.1) return String(int(12));  // looks like an array index
  if (r < 0.15) return "";
  return text(12).replace(/\./g, "_");
}
function number() {
  switch (int(9)) {
    case 0: return int(1000) - 500;
    case 1: return int(2 ** 31) * (rand() < 0.5 ? -1 : 1);
    case 2: return 2 ** 53 + int(1000);                  // beyond exact integers
    case 3: return (rand() - 0.5) * 10 ** (int(40) - 20); // wide exponents
    case 4: return Number((rand() * 1000).toFixed(int(8)));
    case 5: return rand() * 1e21 + 1e20;                   // around the 1e21 switch to exponent notation
    case 6: return rand() * 1e-6;                          // around the 1e-7 switch
    case 7: return pick([0, -0, 5e-324, 1.7976931348623157e308, 0.1, 0.2, 0.30000000000000004, 1e21, 1e-7]);
    default: return Math.round(rand() * 1e6) / 100;
  }
}
function value(depth) {
  const r = rand();
  if (depth > 4 || r < 0.35) return text(20);
  if (r < 0.55) return number();
  if (r < 0.62) return pick([true, false, null]);
  if (r < 0.8) {
    const a = [];
    for (let i = int(5); i > 0; i--) a.push(value(depth + 1));
    return a;
  }
  const o = {};
  for (let i = int(5); i > 0; i--) o[key()] = value(depth + 1);
  return o;
}
function documentOf(i) {
  const d = { issuers, documentType: "random", serial: `r${i}` };
  for (let n = 1 + int(8); n > 0; n--) {
    const k = key();
    const v = value(0);
    // A top-level empty key over a non-empty container gives its children top-level paths, which
    // can collide with real top-level fields; docket refuses those (interop.sh tests that apart).
    if (k === "" && v !== null && typeof v === "object" && Object.keys(v).length) continue;
    if (!(k in d)) d[k] = v;
  }
  return d;
}

// Leaf paths whose removal keeps the document verifiable: never an array element (that leaves a
// hole) and never the last field of an object (that leaves it empty).
function hideable(doc) {
  const paths = [];
  const walk = (salted, p) => {
    if (salted === null || typeof salted !== "object" || Array.isArray(salted)) return;
    const keys = Object.keys(salted);
    for (const k of keys) {
      const child = p ? `${p}.${k}` : k;
      const v = salted[k];
      if (typeof v === "string" && keys.length > 1 && p !== "" && k !== "") paths.push(child);
      else if (v && typeof v === "object" && !Array.isArray(v)) walk(v, child);
    }
  };
  walk(doc.data, "");
  // Top-level fields other than issuers may go too.
  for (const k of Object.keys(doc.data)) if (k !== "issuers" && k !== "" && typeof doc.data[k] === "string") paths.push(k);
  return paths.filter((p) => !p.split(".").some((seg) => seg === "" || /^\d+$/.test(seg)));
}

for (const d of ["raw", "oa-batch", "oa-obfuscated"]) fs.mkdirSync(path.join(out, d), { recursive: true });
const write = (dir, name, obj) => fs.writeFileSync(path.join(out, dir, name), JSON.stringify(obj));
const count = Number(countArg);
let hidden = 0;
for (let start = 0; start < count;) {
  const size = Math.min(count - start, 1 + int(7));
  const raws = [];
  for (let i = start; i < start + size; i++) {
    raws.push(documentOf(i));
    write("raw", `r${i}.json`, raws[raws.length - 1]);
  }
  const wrapped = oa.wrapDocuments(raws);
  wrapped.forEach((w, j) => {
    if (!oa.verifySignature(w)) throw new Error(`package does not verify its own r${start + j}`);
    write("oa-batch", `r${start + j}.json`, w);
    const candidates = hideable(w);
    if (candidates.length && rand() < 0.5) {
      const ob = oa.obfuscateDocument(w, [pick(candidates)]);
      if (oa.verifySignature(ob)) {
        write("oa-obfuscated", `r${start + j}.json`, ob);
        hidden++;
      }
    }
  });
  start += size;
}
console.log(`random_docs: seed ${seedArg}: ${count} documents, ${hidden} obfuscated`);
