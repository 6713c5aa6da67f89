// A small consortium on an in-memory store, driven through the same BlockExecutor the node uses:
// transactions go through execute_block and the returned batch is committed, block by block.
#pragma once

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "contracts/genesis.h"
#include "contracts/queries.h"
#include "ledger/crypto/sha256.h"
#include "ledger/state/execution.h"
#include "ledger/storage/memory_store.h"

namespace docket::test {

inline crypto::SecretKey key_for(const std::string& name) {
  // Deterministic keys: sha256 of the name is below the curve order with overwhelming probability.
  auto sk = crypto::SecretKey::from_bytes(crypto::sha256(as_bytes("test-key/" + name)));
  DOCKET_ASSERT(sk.ok());
  return std::move(*sk);
}

inline Hash32 h(std::string_view s) { return crypto::sha256(as_bytes(s)); }
inline std::string field(const Hash32& x) { return std::string(x.begin(), x.end()); }

// Members: admin1..admin4 (admin), chamber (issuer:certificate_of_origin), carrier, carrier2
// (carrier), t1..t5 (trader), customs (verifier), v1 and v2 (validator); v1 runs the only validator.
inline std::string genesis_json(int admins = 4) {
  std::string members;
  auto add = [&](const std::string& id, const std::string& roles) {
    if (!members.empty()) members += ",";
    members += R"({"id":")" + id + R"(","name":"Org )" + id + R"(","country":"SG","keys":[")" +
               to_hex(key_for(id).public_key()) + R"("],"roles":[)" + roles + "]}";
  };
  for (int i = 1; i <= admins; ++i) add("admin" + std::to_string(i), R"("admin")");
  add("chamber", R"("issuer:certificate_of_origin")");
  add("carrier", R"("carrier")");
  add("carrier2", R"("carrier")");
  for (int i = 1; i <= 5; ++i) add("t" + std::to_string(i), R"("trader")");
  add("customs", R"("verifier")");
  add("v1", R"("validator")");
  add("v2", R"("validator")");
  return R"({"chain_id":"docket-test","genesis_time_ms":1700000000000,"members":[)" + members +
         R"(],"validators":[{"member":"v1","node_key":")" + to_hex(key_for("node-v1").public_key()) +
         R"("}],"params":{"proposal_ttl_blocks":10,"max_tx_ttl_blocks":100,"max_members":64}})";
}

class Chain {
 public:
  explicit Chain(int admins = 4) : Chain(genesis_json(admins)) {}
  explicit Chain(const std::string& genesis) : exec_(store_) {
    auto g = contracts::parse_genesis(genesis);
    REQUIRE(g.ok());
    auto eb = exec_.init_state(*g);
    REQUIRE(eb.ok());
    REQUIRE(store_.write(eb->batch, true).ok());
    roots_.push_back(eb->state_root);
  }

  // A transaction from `who` (a member name; its key from key_for) with its next nonce.
  contracts::ContractTx tx(const std::string& who, pb::TxBody body) {
    contracts::ContractTx t;
    t.sender = key_for(who).public_key();
    t.nonce = nonces_[who];
    t.expiry_height = height() + 10;
    body.set_chain_id("docket-test");
    body.set_sender(field(t.sender));
    body.set_nonce(t.nonce);
    body.set_expiry_height(t.expiry_height);
    t.body = std::move(body);
    t.id = crypto::sha256(as_bytes(t.body.SerializeAsString()));
    return t;
  }

  // Executes and commits one block; tracks the nonces the block consumed.
  std::vector<contracts::TxReceipt> block(const std::vector<contracts::ContractTx>& txs) {
    auto eb = exec_.execute_block(height() + 1, 1700000000000 + 1000 * (height() + 1), txs);
    REQUIRE(eb.ok());
    REQUIRE(store_.write(eb->batch, true).ok());
    roots_.push_back(eb->state_root);
    last_validator_change_ = eb->validator_change;
    for (size_t i = 0; i < txs.size(); ++i)
      for (auto& [who, n] : nonces_)
        if (key_for(who).public_key() == txs[i].sender && eb->receipts[i].nonce_consumed) ++n;
    return eb->receipts;
  }

  contracts::TxReceipt run(const std::string& who, pb::TxBody body) {
    nonces_.try_emplace(who, 0);
    return block({tx(who, std::move(body))}).at(0);
  }

  uint64_t height() const { return roots_.size() - 1; }
  state::TreeStateReader state() const { return exec_.reader(height()); }
  state::BlockExecutor& exec() { return exec_; }
  storage::MemoryStore& store() { return store_; }
  const std::vector<Hash32>& roots() const { return roots_; }
  const std::optional<pb::ValidatorSet>& last_validator_change() const { return last_validator_change_; }
  void set_nonce(const std::string& who, uint64_t n) { nonces_[who] = n; }
  uint64_t nonce(const std::string& who) { return nonces_[who]; }

 private:
  storage::MemoryStore store_;
  state::BlockExecutor exec_;
  std::vector<Hash32> roots_;
  std::map<std::string, uint64_t> nonces_;
  std::optional<pb::ValidatorSet> last_validator_change_;
};

// Operation builders.
inline pb::TxBody issue_doc(const Hash32& root, const std::string& type = "certificate_of_origin") {
  pb::TxBody b;
  auto* op = b.mutable_document_issue();
  op->set_merkle_root(field(root));
  op->set_document_type(type);
  auto* f = op->add_public_fields();
  f->set_name("certificate_number");
  f->set_value("CO-2024-0001");
  return b;
}

inline pb::TxBody revoke_doc(const Hash32& root, const Hash32& hash, const std::vector<Hash32>& proof,
                             pb::RevocationReason reason = pb::REVOCATION_ISSUED_IN_ERROR) {
  pb::TxBody b;
  auto* op = b.mutable_document_revoke();
  op->set_merkle_root(field(root));
  op->set_hash(field(hash));
  for (const auto& p : proof) op->add_proof(field(p));
  op->set_reason(reason);
  return b;
}

inline pb::TxBody supersede_doc(const Hash32& old_root, const Hash32& new_root) {
  pb::TxBody b;
  b.mutable_document_supersede()->set_old_root(field(old_root));
  b.mutable_document_supersede()->set_new_root(field(new_root));
  return b;
}

inline pb::TxBody issue_bl(const Hash32& id, const std::string& owner, const std::string& holder,
                           pb::BlType type = pb::BL_NEGOTIABLE) {
  pb::TxBody b;
  auto* op = b.mutable_bl_issue();
  op->set_record_id(field(id));
  op->set_bl_type(type);
  op->set_owner(owner);
  op->set_holder(holder);
  return b;
}

inline pb::TxBody bl_act(const Hash32& id, pb::BlActionKind action, const std::string& new_owner = "",
                         const std::string& new_holder = "") {
  pb::TxBody b;
  auto* op = b.mutable_bl_action();
  op->set_record_id(field(id));
  op->set_action(action);
  op->set_new_owner(new_owner);
  op->set_new_holder(new_holder);
  return b;
}

inline pb::TxBody propose(const pb::GovAction& action) {
  pb::TxBody b;
  *b.mutable_gov_propose()->mutable_action() = action;
  return b;
}

inline pb::TxBody vote(uint64_t id, bool approve) {
  pb::TxBody b;
  b.mutable_gov_vote()->set_proposal_id(id);
  b.mutable_gov_vote()->set_approve(approve);
  return b;
}

}  // namespace docket::test
