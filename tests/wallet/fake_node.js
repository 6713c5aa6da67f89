// A stand-in for docketd's HTTP API (the contract in docs/wallet.md), for the wallet's end-to-end
// test before the real node exists. It decodes the protobuf transactions docket sends (by hand:
// field numbers of ledger/proto/transaction.proto and operations.proto), checks chain id and nonce,
// and keeps documents and bills of lading in memory. It does not check signatures (the C++ tests
// check those against ledger/crypto). Prints its port on stdout, then serves until killed.
// Usage: node fake_node.js CHAIN_ID
"use strict";
const http = require("http");
const crypto = require("crypto");
const chainId = process.argv[2] || "docket-test";

// Minimal protobuf reader: returns {field: [values]} with varints as BigInt and bytes as Buffer.
function decode(buf) {
  const out = {};
  let i = 0;
  const varint = () => {
    let r = 0n, s = 0n;
    for (;;) { const b = buf[i++]; r |= BigInt(b & 0x7f) << s; s += 7n; if (!(b & 0x80)) return r; }
  };
  while (i < buf.length) {
    const key = Number(varint()), field = key >> 3, wire = key & 7;
    let v;
    if (wire === 0) v = varint();
    else if (wire === 2) { const n = Number(varint()); v = buf.subarray(i, i + n); i += n; }
    else throw new Error("unsupported wire type " + wire);
    (out[field] = out[field] || []).push(v);
  }
  return out;
}
const one = (m, f) => (m[f] ? m[f][0] : undefined);
const hex = (b) => (b ? Buffer.from(b).toString("hex") : "");

let height = 1;
const nonces = {}, docs = {}, bls = {};
const issuer = { member_id: "m-chamber", name: "Test Chamber of Commerce", country: "VN" };

function apply(body) {
  const sender = hex(one(body, 2));
  const record = (h) => (docs[h] = docs[h] || { hash: h, status: "unknown", history: [] });
  const event = (r, action) => r.history.push({ action, height, by: sender });
  if (body[10]) {
    const op = decode(one(body, 10));
    const r = record(hex(one(op, 1)));
    Object.assign(r, { status: "issued", document_type: one(op, 2).toString(), issuer, height, time_ms: Date.now() });
    event(r, "issued");
  } else if (body[11]) {
    const op = decode(one(body, 11));
    const r = record(hex(one(op, 1)));
    Object.assign(r, { status: "revoked", revocation_reason: String(one(op, 2) || 0n) });
    event(r, "revoked");
  } else if (body[12]) {
    const op = decode(one(body, 12));
    const old = record(hex(one(op, 1))), neu = record(hex(one(op, 2)));
    Object.assign(old, { status: "superseded", superseded_by: neu.hash });
    Object.assign(neu, { status: "issued", document_type: one(op, 3).toString(), issuer, height });
    event(old, "superseded"); event(neu, "issued");
  } else if (body[20]) {
    const op = decode(one(body, 20));
    const id = hex(one(op, 1));
    bls[id] = { record_id: id, status: "active", owner: hex(one(op, 2)), holder: hex(one(op, 3)), history: [] };
    bls[id].history.push({ action: "issued", height });
  } else if (body[21]) {
    const op = decode(one(body, 21));
    const bl = bls[hex(one(op, 1))];
    if (!bl) return { code: "not_found", message: "no such bill of lading" };
    const action = Number(one(op, 2));
    if (action === 3) bl.holder = hex(one(op, 4));
    if (action === 6) bl.status = "surrendered";
    if (action === 7) bl.status = "accomplished";
    bl.history.push({ action, height });
  } else {
    return { code: "invalid_argument", message: "unsupported operation" };
  }
  return null;
}

const send = (res, status, obj) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(obj)); };
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const url = req.url;
    if (req.method === "GET" && url === "/v1/status") return send(res, 200, { chain_id: chainId, height });
    let m;
    if (req.method === "GET" && (m = url.match(/^\/v1\/accounts\/([0-9a-f]{64})$/))) {
      return m[1] in nonces ? send(res, 200, { nonce: nonces[m[1]] }) : send(res, 404, { error: { code: "not_found", message: "no account" } });
    }
    if (req.method === "GET" && (m = url.match(/^\/v1\/documents\/([0-9a-f]{64})$/))) {
      return docs[m[1]] ? send(res, 200, docs[m[1]]) : send(res, 404, { error: { code: "not_found", message: "unknown hash" } });
    }
    if (req.method === "GET" && (m = url.match(/^\/v1\/bl\/([0-9a-f]{64})$/))) {
      return bls[m[1]] ? send(res, 200, bls[m[1]]) : send(res, 404, { error: { code: "not_found", message: "unknown record" } });
    }
    if (req.method === "GET" && url === "/v1/members") return send(res, 200, { members: [issuer] });
    if (req.method === "POST" && url === "/v1/transactions") {
      const { tx } = JSON.parse(body);
      const t = decode(Buffer.from(tx, "hex"));
      const b = decode(one(t, 1));
      const id = crypto.createHash("sha256").update(one(t, 1)).digest("hex");
      const sender = hex(one(b, 2));
      if (one(b, 1).toString() !== chainId) return send(res, 200, { id, status: "rejected", code: "wrong_chain", message: "other chain" });
      if (Number(one(b, 3) || 0n) !== (nonces[sender] || 0)) return send(res, 200, { id, status: "rejected", code: "bad_nonce", message: "nonce" });
      if (hex(one(t, 2)).length !== 128) return send(res, 200, { id, status: "rejected", code: "bad_signature", message: "no signature" });
      height += 1;
      const err = apply(b);
      if (err) return send(res, 200, { id, status: "rejected", ...err });
      nonces[sender] = (nonces[sender] || 0) + 1;
      return send(res, 200, { id, status: "committed", height });
    }
    send(res, 404, { error: { code: "not_found", message: "no route " + url } });
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
