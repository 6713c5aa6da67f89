#include "contracts/records.h"
#include "harness.h"
#include "ledger/state/proof.h"

using namespace docket;
using namespace docket::test;
using contracts::Reason;

TEST_CASE("nonces: envelope failures consume nothing, refused operations consume the nonce") {
  Chain c;
  // Wrong nonce: refused, not consumed.
  c.set_nonce("chamber", 5);
  auto r = c.run("chamber", issue_doc(h("a")));
  CHECK(r.reason == Reason::bad_nonce);
  CHECK_FALSE(r.nonce_consumed);
  c.set_nonce("chamber", 0);
  // Refused by the rules (missing role): consumed.
  r = c.run("chamber", issue_bl(h("b"), "t1", "t1"));
  CHECK(r.reason == Reason::missing_role);
  CHECK(r.nonce_consumed);
  CHECK(contracts::account(c.state(), key_for("chamber").public_key())->value().account.nonce() == 1);
  // Replaying the refused transaction (nonce 0) is now a bad nonce.
  c.set_nonce("chamber", 0);
  CHECK(c.run("chamber", issue_bl(h("b"), "t1", "t1")).reason == Reason::bad_nonce);
  c.set_nonce("chamber", 1);
  CHECK(c.run("chamber", issue_doc(h("a"))).ok());
  // Unknown key.
  CHECK(c.run("stranger", issue_doc(h("c"))).reason == Reason::unknown_sender);
}

TEST_CASE("expiry: refused above expiry_height and when too far ahead") {
  Chain c;
  auto t = c.tx("chamber", issue_doc(h("a")));
  t.expiry_height = c.height();  // the block will be height + 1
  auto r = c.block({t});
  CHECK(r[0].reason == Reason::expired);
  CHECK_FALSE(r[0].nonce_consumed);
  t = c.tx("chamber", issue_doc(h("a")));
  t.expiry_height = c.height() + 1 + 101;  // max_tx_ttl_blocks = 100
  CHECK(c.block({t})[0].reason == Reason::expired);
  t = c.tx("chamber", issue_doc(h("a")));
  t.expiry_height = c.height() + 1;
  CHECK(c.block({t})[0].ok());
}

TEST_CASE("check_tx admits plausible transactions and refuses the rest") {
  Chain c;
  auto t = c.tx("chamber", issue_doc(h("a")));
  auto r = c.exec().check_tx(t);
  REQUIRE(r.ok());
  CHECK_FALSE(r->has_value());
  t.nonce = 3;  // a future nonce may wait in the mempool
  CHECK_FALSE(c.exec().check_tx(t)->has_value());
  t.nonce = contracts::kMaxNonceAhead + 1;
  CHECK((*c.exec().check_tx(t))->reason == Reason::bad_nonce);
  t = c.tx("t1", issue_doc(h("a")));
  CHECK((*c.exec().check_tx(t))->reason == Reason::missing_role);
  t = c.tx("stranger", issue_doc(h("a")));
  CHECK((*c.exec().check_tx(t))->reason == Reason::unknown_sender);
  t = c.tx("chamber", pb::TxBody{});
  CHECK((*c.exec().check_tx(t))->reason == Reason::malformed);
  t = c.tx("chamber", issue_doc(h("a")));
  t.expiry_height = c.height();
  CHECK((*c.exec().check_tx(t))->reason == Reason::expired);
}

TEST_CASE("a block mixes applied and refused transactions; later ones see earlier ones") {
  Chain c;
  std::vector<contracts::ContractTx> txs;
  txs.push_back(c.tx("carrier", issue_bl(h("bl"), "t1", "t1")));
  txs.push_back(c.tx("t1", bl_act(h("bl"), pb::BL_TRANSFER_HOLDER, "", "t2")));
  txs.push_back(c.tx("t3", bl_act(h("bl"), pb::BL_TRANSFER_HOLDER, "", "t4")));  // not the holder
  txs.push_back(c.tx("t2", bl_act(h("bl"), pb::BL_REJECT_HOLDER)));
  auto r = c.block(txs);
  CHECK(r[0].ok());
  CHECK(r[1].ok());
  CHECK(r[2].reason == Reason::not_holder);
  CHECK(r[3].ok());
  CHECK(contracts::bill_of_lading(c.state(), h("bl"))->value().holder() == "t1");
  // Receipts are stored by transaction id.
  auto rec = c.exec().history().receipt(txs[2].id);
  REQUIRE(rec.ok());
  REQUIRE(rec->has_value());
  CHECK((*rec)->reason() == "not_holder");
  CHECK((*rec)->index() == 2);
}

TEST_CASE("execution is deterministic: two nodes, same blocks, same roots and batches") {
  Chain a, b;
  CHECK(a.roots() == b.roots());
  for (int i = 0; i < 5; ++i) {
    std::vector<contracts::ContractTx> ta, tb;
    ta.push_back(a.tx("chamber", issue_doc(h("doc" + std::to_string(i)))));
    tb.push_back(b.tx("chamber", issue_doc(h("doc" + std::to_string(i)))));
    ta.push_back(a.tx("carrier", issue_bl(h("bl" + std::to_string(i)), "t1", "t2")));
    tb.push_back(b.tx("carrier", issue_bl(h("bl" + std::to_string(i)), "t1", "t2")));
    auto ea = a.exec().execute_block(a.height() + 1, 42, ta);
    auto eb = b.exec().execute_block(b.height() + 1, 42, tb);
    REQUIRE(ea.ok());
    REQUIRE(eb.ok());
    CHECK(ea->state_root == eb->state_root);
    REQUIRE(ea->batch.size() == eb->batch.size());
    for (size_t j = 0; j < ea->batch.size(); ++j) {
      CHECK(ea->batch.ops()[j].key == eb->batch.ops()[j].key);
      CHECK(ea->batch.ops()[j].value == eb->batch.ops()[j].value);
    }
    a.block(ta);
    b.block(tb);
  }
  CHECK(a.roots() == b.roots());
}

TEST_CASE("records are provable against the state root with the storage-free verifier") {
  Chain c;
  Hash32 root = h("provable");
  REQUIRE(c.run("chamber", issue_doc(root)).ok());
  const auto& tree = c.exec().tree();
  for (const std::string& key : {contracts::document_key(root), contracts::document_key(h("absent")),
                                contracts::member_key("chamber"), contracts::account_key(key_for("t1").public_key()),
                                contracts::revocation_key(root, root)}) {
    auto pv = tree.prove(key, c.height());
    REQUIRE(pv.ok());
    CHECK(pv->root == c.roots().back());
    auto decoded = state::decode_proof(state::encode_proof(pv->proof));
    REQUIRE(decoded.ok());
    std::optional<ByteView> v;
    if (pv->value) v = ByteView(*pv->value);
    CHECK(state::verify_proof(c.roots().back(), key, v, *decoded).ok());
    CHECK_FALSE(state::verify_proof(c.roots()[c.roots().size() - 2], key, v, *decoded).ok());
  }
  // The document's record at the previous height is absent, provably.
  auto before = tree.prove(contracts::document_key(root), c.height() - 1);
  REQUIRE(before.ok());
  CHECK_FALSE(before->value);
  CHECK(state::verify_proof(c.roots()[c.roots().size() - 2], contracts::document_key(root), std::nullopt, before->proof).ok());
}

TEST_CASE("execute_block requires the next height") {
  Chain c;
  CHECK(c.exec().execute_block(c.height() + 2, 0, {}).error().code == Errc::invalid_state);
  CHECK(c.exec().execute_block(c.height(), 0, {}).error().code == Errc::invalid_state);
}

TEST_CASE("a state overlay reads through, hides deletions and merges scans in key order") {
  Chain c;
  auto base = c.state();
  contracts::StateOverlay ov(base);
  ov.put("member/aaa", to_bytes("new"));
  ov.del("member/t1");
  CHECK(ov.get("member/aaa")->value() == to_bytes("new"));
  CHECK_FALSE(ov.get("member/t1")->has_value());
  CHECK(ov.get("member/t2")->has_value());
  std::vector<std::string> keys;
  REQUIRE(ov.scan("member/", [&](std::string_view k, ByteView) {
    keys.emplace_back(k);
    return true;
  }).ok());
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  CHECK(keys.front() == "member/aaa");
  CHECK(std::find(keys.begin(), keys.end(), "member/t1") == keys.end());
  CHECK(keys.size() == 15);  // 15 genesis members, one added, one deleted
  // The base is untouched.
  CHECK(base.get("member/t1")->has_value());
}
