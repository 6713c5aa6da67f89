// Writes N certificates of origin (docs/examples/certificate-of-origin.json with a distinct
// certificate number and invoice each, and an issuers block the package's schema accepts) to DIR.
// Usage: node bench_docs.js EXAMPLE.json N DIR
"use strict";
const fs = require("fs");
const path = require("path");
const { issuers } = require("./fixtures");
const [example, n, dir] = process.argv.slice(2);
const base = JSON.parse(fs.readFileSync(example, "utf8"));
fs.mkdirSync(dir, { recursive: true });
for (let i = 0; i < Number(n); i++) {
  const d = JSON.parse(JSON.stringify(base));
  d.issuers = issuers;
  d.certificateNumber = `VN-DE 24/01/HCM/${String(i).padStart(6, "0")}`;
  d.goodsItems[0].invoiceReferences[0].invoiceNumber = `SCR-INV-2024-${i}`;
  d.goodsItems[0].quantity.value = 19200 + i / 4;
  fs.writeFileSync(path.join(dir, `coo-${String(i).padStart(5, "0")}.json`), JSON.stringify(d, null, 2));
}
