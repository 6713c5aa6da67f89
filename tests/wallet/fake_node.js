// A stand-in for docketd's HTTP API, for the wallet's end-to-end CLI test without a running chain.
// Routes, JSON field names and status codes follow ledger/api/v1_routes.cpp (docs/api.md); the rules
// are a small subset of docs/contracts.md (roles, issuers, bill owner/holder/carrier checks), enough
// to tell a correct wallet from a wrong one. It decodes the protobuf transactions docket sends by field
// numbers of ledger/proto/transaction.proto and operations.proto, checks chain id and nonce, and keeps
// state in memory. It does not check signatures (tests/wallet/node_client_test.cpp checks those
// through ledger/primitives) nor revocation proofs (Keccak-256 is not in node's crypto).
// Members are read from MEMBERS_FILE (JSON [{member_id, name, country, roles, keys}]) on every request,
// so a test can create its keys first. Prints its port on stdout, then serves until killed.
// Usage: node fake_node.js CHAIN_ID MEMBERS_FILE
"use strict";
const http = require("http");
const fs = require("fs");
const crypto = require("crypto");
const chainId = process.argv[2] || "docket-test";
const membersFile = process.argv[3];
// The genesis hash the wallet signs for; FAKE_NODE_NO_GENESIS=1 plays a node that does not report one.
const genesisHash = process.env.FAKE_NODE_NO_GENESIS === "1" ? undefined : "33".repeat(32);

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
const str = (b) => (b ? Buffer.from(b).toString("utf8") : "");
const num = (v) => Number(v || 0n);

let height = 1;
const nonces = {}, docs = {}, revs = {}, bls = {}, history = {}, proposals = [];
let events = [];  // events of the transaction being applied (the submit answer's "events")
const members = () => JSON.parse(fs.readFileSync(membersFile, "utf8"));
const memberOfKey = (key) => members().find((m) => m.keys.includes(key));
const member = (id) => members().find((m) => m.member_id === id);
const hasRole = (id, role) => { const m = member(id); return !!m && m.roles.includes(role); };
const REASONS = ["", "REVOCATION_ISSUED_IN_ERROR", "REVOCATION_FRAUD", "REVOCATION_CANCELLED", "REVOCATION_REPLACED", "REVOCATION_OTHER"];
const BL_ACTIONS = { 1: "nominated", 2: "holder_transferred", 3: "endorsed", 4: "owners_transferred", 5: "holder_rejected",
  6: "owner_rejected", 7: "owners_rejected", 8: "surrendered", 9: "surrender_accepted", 10: "surrender_rejected" };

function event(key, kind, actor, details) {
  (history[key] = history[key] || []).push({ kind, height, time_ms: Date.now(), tx_id: "00".repeat(32), actor_member: actor.member_id,
    actor_key: actor.key, details });
}

// repeated PublicField {name = 1, value = 2} -> {name: value}
const publicFields = (list) => Object.fromEntries((list || []).map((b) => { const f = decode(b); return [str(one(f, 1)), str(one(f, 2))]; }));

// GovAction (operations.proto) decoded to {kind, fields} by field numbers, for GET /v1/fake/proposals.
const GOV_KINDS = { 1: "add_member", 2: "remove_member", 3: "grant_role", 4: "revoke_role", 5: "rotate_key", 6: "add_validator",
  7: "remove_validator", 8: "change_param" };
function govAction(buf) {
  const a = decode(buf), kinds = Object.keys(a);
  if (kinds.length !== 1 || !GOV_KINDS[kinds[0]]) return null;
  const f = decode(one(a, kinds[0])), kind = GOV_KINDS[kinds[0]];
  switch (kind) {
    case "add_member": return { kind, id: str(one(f, 1)), name: str(one(f, 2)), country: str(one(f, 3)),
      keys: (f[4] || []).map(hex), roles: (f[5] || []).map(str) };
    case "remove_member": return f[2] ? { kind, member_id: str(one(f, 1)), successor: str(one(f, 2)) } : { kind, member_id: str(one(f, 1)) };
    case "grant_role": case "revoke_role": return { kind, member_id: str(one(f, 1)), role: str(one(f, 2)) };
    case "rotate_key": return { kind, member_id: str(one(f, 1)), old_key: hex(one(f, 2)), new_key: hex(one(f, 3)) };
    case "add_validator": return { kind, member_id: str(one(f, 1)), node_key: hex(one(f, 2)) };
    case "remove_validator": return { kind, node_key: hex(one(f, 1)) };
    default: return { kind, name: str(one(f, 1)), value: num(one(f, 2)) };
  }
}

// A proposal passes when more than 2/3 of the admins voted yes (docs/contracts.md).
function tryPass(p) {
  const admins = members().filter((m) => m.roles.includes("admin")).map((m) => m.member_id);
  const yes = Object.entries(p.votes).filter(([id, v]) => v && admins.includes(id)).length;
  if (p.status === "open" && 3 * yes > 2 * admins.length) {
    p.status = "passed";
    events.push({ kind: "gov.passed", subject: "gov/proposal/" + String(p.id).padStart(20, "0"), attributes: {} });
  }
}

// Applies one operation; returns null or a contracts reason name.
function apply(body, actor) {
  const who = actor.member_id;
  if (body[30]) {
    if (!hasRole(who, "admin")) return "missing_role";
    const op = decode(one(body, 30)), action = govAction(one(op, 1) || Buffer.alloc(0));
    if (!action) return "malformed";
    const p = { id: proposals.length, proposer: who, action, description: str(one(op, 2)), votes: { [who]: true }, status: "open" };
    proposals.push(p);
    events.push({ kind: "gov.proposed", subject: "gov/proposal/" + String(p.id).padStart(20, "0"),
      attributes: { id: String(p.id), proposer: who } });
    tryPass(p);
  } else if (body[31]) {
    if (!hasRole(who, "admin")) return "missing_role";
    const op = decode(one(body, 31)), p = proposals[num(one(op, 1))];
    if (!p) return "not_found";
    if (p.status !== "open") return "invalid_state";
    if (who in p.votes) return "already_voted";
    p.votes[who] = num(one(op, 2)) === 1;
    events.push({ kind: "gov.voted", subject: "gov/proposal/" + String(p.id).padStart(20, "0"),
      attributes: { member: who, approve: p.votes[who] ? "yes" : "no" } });
    tryPass(p);
  } else if (body[10]) {
    const op = decode(one(body, 10)), root = hex(one(op, 1)), type = str(one(op, 2));
    if (!hasRole(who, "issuer:" + type)) return "missing_role";
    if (docs[root]) return "already_exists";
    docs[root] = { merkle_root: root, status: "issued", document_type: type, issuer_member: who, issuer_key: actor.key,
      height, time_ms: Date.now(), tx_id: "00".repeat(32), public_fields: publicFields(op[3]), revoked_height: null, revoke_reason: null, superseded_by: null };
    event("doc/" + root, "issued", actor, { document_type: type, issuer: who });
  } else if (body[11]) {
    const op = decode(one(body, 11)), root = hex(one(op, 1)), hash = hex(one(op, 2)), proof = op[3] || [], reason = num(one(op, 4));
    const d = docs[root];
    if (!d) return "not_found";
    if (d.issuer_member !== who) return "not_issuer";
    if (reason < 1 || reason > 5) return "malformed";
    if ((hash === root) !== (proof.length === 0)) return "proof_mismatch";
    if (hash === root) {
      if (d.status === "revoked") return "already_exists";
      Object.assign(d, { status: "revoked", revoked_height: height, revoke_reason: reason });
    } else {
      if (revs[hash + "/" + root]) return "already_exists";
      revs[hash + "/" + root] = { root, reason, height };
      event("rev/" + hash + "/" + root, "revoked", actor, { root, reason: REASONS[reason] });
    }
    event("doc/" + root, "revoked", actor, { hash, reason: REASONS[reason] });
  } else if (body[12]) {
    const op = decode(one(body, 12)), oldRoot = hex(one(op, 1)), newRoot = hex(one(op, 2));
    const old = docs[oldRoot];
    if (!old) return "not_found";
    if (old.issuer_member !== who) return "not_issuer";
    if (old.status !== "issued") return "invalid_state";
    if (docs[newRoot]) return "already_exists";
    Object.assign(old, { status: "superseded", superseded_by: newRoot });
    docs[newRoot] = { ...old, merkle_root: newRoot, status: "issued", superseded_by: null, height, time_ms: Date.now() };
    event("doc/" + oldRoot, "superseded", actor, { superseded_by: newRoot });
    event("doc/" + newRoot, "issued", actor, { supersedes: oldRoot });
  } else if (body[20]) {
    const op = decode(one(body, 20)), id = hex(one(op, 1)), owner = str(one(op, 3)), holder = str(one(op, 4));
    if (!hasRole(who, "carrier")) return "missing_role";
    if (bls[id]) return "already_exists";
    if (!hasRole(owner, "trader") || !hasRole(holder, "trader")) return "invalid_party";
    bls[id] = { id, status: "active", issuer_member: who, owner, holder, nominee: null, bl_type: ["", "negotiable", "straight", "sea-waybill"][num(one(op, 2))], height, time_ms: Date.now() };
    event("bl/" + id, "issued", actor, { owner, holder });
  } else if (body[21]) {
    const op = decode(one(body, 21)), id = hex(one(op, 1)), action = num(one(op, 2));
    const newOwner = str(one(op, 3)), newHolder = str(one(op, 4));
    const bl = bls[id];
    if (!bl) return "not_found";
    if (bl.status === "accomplished") return "invalid_state";
    if ((bl.status === "surrendered") !== (action === 9 || action === 10)) return "invalid_state";
    const isOwner = bl.owner === who, isHolder = bl.holder === who;
    if ((newOwner && !hasRole(newOwner, "trader")) || (newHolder && !hasRole(newHolder, "trader"))) return "invalid_party";
    switch (action) {
      case 1: if (!isOwner) return "not_owner"; bl.nominee = newOwner; break;
      case 2: if (!isHolder) return "not_holder"; bl.holder = newHolder; break;
      case 3: if (!isHolder) return "not_holder"; bl.owner = newOwner; bl.nominee = null; break;
      case 4: if (!isHolder) return "not_holder"; bl.owner = newOwner; bl.holder = newHolder; bl.nominee = null; break;
      case 8: if (!isOwner || !isHolder) return "not_owner_and_holder"; bl.status = "surrendered"; break;
      case 9: if (bl.issuer_member !== who) return "not_carrier"; bl.status = "accomplished"; break;
      case 10: if (bl.issuer_member !== who) return "not_carrier"; bl.status = "active"; break;
      default: return "nothing_to_reject";
    }
    event("bl/" + id, BL_ACTIONS[action], actor, { owner: bl.owner, holder: bl.holder, status: bl.status, remark: str(one(op, 5)) });
  } else {
    return "malformed";
  }
  return null;
}

// Root-scoped, as the node: only a registered root has a status of its own; revocations of the hash
// under other roots are listed as other_root_claims.
function otherRootClaims(hash, root) {
  return Object.keys(revs).filter((k) => k.startsWith(hash + "/") && k !== hash + "/" + root)
    .map((k) => ({ merkle_root: revs[k].root, issuer_member: (docs[revs[k].root] || {}).issuer_member || "", revoke_reason: revs[k].reason,
                   note: "", height: revs[k].height, time_ms: 0, tx_id: "00".repeat(32) }));
}
function documentInfo(hash) {
  return docs[hash] ? { hash, ...docs[hash], other_root_claims: otherRootClaims(hash, hash) } : null;
}

const send = (res, status, obj) => { res.writeHead(status, { "content-type": "application/json" }); res.end(JSON.stringify(obj)); };
const notFound = (res, what) => send(res, 404, { error: { code: "not_found", message: what } });
const server = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const url = req.url;
    let m;
    if (req.method === "GET" && url === "/v1/status") {
      return send(res, 200, { chain_id: chainId, genesis_hash: genesisHash, node_key: "11".repeat(32), version: "fake", height, block_hash: "22".repeat(32), round: height,
        epoch: 0, sync: { state: "synced", target_height: height }, peers: [], validators: [], is_validator: true, mempool: { txs: 0, bytes: 0 } });
    }
    if (req.method === "GET" && (m = url.match(/^\/v1\/accounts\/([0-9a-f]{64})$/))) {
      const mem = memberOfKey(m[1]);
      return send(res, 200, { pubkey: m[1], nonce: nonces[m[1]] || 0, member_id: mem ? mem.member_id : null, roles: mem ? mem.roles : [] });
    }
    if (req.method === "GET" && (m = url.match(/^\/v1\/documents\/([0-9a-f]{64})\?root=([0-9a-f]{64})$/))) {
      const d = docs[m[2]], r = revs[m[1] + "/" + m[2]];
      if (!d) return notFound(res, "no document registered under this root");
      const claims = { other_root_claims: otherRootClaims(m[1], m[2]) };
      return send(res, 200, m[1] === m[2] || !r ? { ...d, ...claims } : { ...d, ...claims, hash: m[1], status: "revoked", revoked_height: r.height, revoke_reason: r.reason });
    }
    if (req.method === "GET" && (m = url.match(/^\/v1\/documents\/([0-9a-f]{64})$/))) {
      const d = documentInfo(m[1]);
      return d ? send(res, 200, d) : notFound(res, "no document registered under this hash");
    }
    if (req.method === "GET" && (m = url.match(/^\/v1\/documents\/([0-9a-f]{64})\/history$/))) {
      const d = documentInfo(m[1]);
      if (!d) return notFound(res, "no document registered under this hash");
      const events = (history["doc/" + d.merkle_root] || []).slice();
      return send(res, 200, { hash: m[1], events });
    }
    if (req.method === "GET" && (m = url.match(/^\/v1\/bl\/([0-9a-f]{64})$/))) {
      return bls[m[1]] ? send(res, 200, { ...bls[m[1]], history: history["bl/" + m[1]] }) : notFound(res, "no bill of lading with this id");
    }
    if (req.method === "GET" && url === "/v1/members") {
      return send(res, 200, { members: members().map(({ member_id, name, country, roles, keys }) =>
        ({ member_id, name, country, roles, keys, validator_key: null })) });
    }
    if (req.method === "GET" && (m = url.match(/^\/v1\/members\/([a-z0-9][a-z0-9_-]{0,63})$/))) {
      const mem = member(m[1]);
      return mem ? send(res, 200, { ...mem, validator_key: null, removed: false }) : notFound(res, "no member " + m[1]);
    }
    if (req.method === "GET" && url === "/v1/fake/proposals") return send(res, 200, { proposals });
    if (req.method === "POST" && url === "/v1/transactions") {
      let parsed;
      try { parsed = JSON.parse(body); } catch (e) { return send(res, 400, { error: { code: "invalid_argument", message: "malformed JSON" } }); }
      const t = decode(Buffer.from(parsed.tx, "hex"));
      const b = decode(one(t, 1));
      const id = crypto.createHash("sha256").update(one(t, 1)).digest("hex");
      const sender = hex(one(b, 2));
      const reject = (code, message) => send(res, 422, { id, status: "rejected", height: null, code, message });
      if (str(one(b, 1)) !== chainId) return reject("wrong_chain", "other chain");
      if (hex(one(t, 2)).length !== 128) return reject("bad_signature", "no signature");
      const mem = memberOfKey(sender);
      if (!mem) return reject("unknown_sender", "the key belongs to no member");
      if (num(one(b, 3)) !== (nonces[sender] || 0)) return reject("bad_nonce", "nonce");
      const expiry = num(one(b, 4));
      if (expiry < height + 1 || expiry > height + 1 + 600) return reject("expired", "expiry out of range");
      height += 1;
      nonces[sender] = (nonces[sender] || 0) + 1;  // consumed whether the operation applies or not
      events = [];
      const reason = apply(b, { member_id: mem.member_id, key: sender });
      return send(res, 200, { id, status: "committed", height, code: reason || "ok", message: reason ? "refused: " + reason : "",
        events: reason ? [] : events });
    }
    notFound(res, "no route " + url);
  });
});
server.listen(0, "127.0.0.1", () => console.log(server.address().port));
