// Test helper: n cores wired by a perfect, instantaneous in-memory network with a simple app
// (sim::AppModel), optional message filters, and a record of every action vector. Test-only.
#pragma once

#include <deque>
#include <functional>
#include <memory>

#include "consensus/core.h"
#include "ledger/crypto/sha256.h"
#include "sim/app_model.h"
#include "sim/sim_crypto.h"

namespace docket::consensus::testing {

// The test chain: an id and a genesis hash (genesis "A"), as every digest binds both.
inline const crypto::ChainBinding kTestChain{"test-chain", crypto::sha256(as_bytes("test-chain genesis A"))};

inline std::vector<crypto::PublicKey> test_keys(size_t n) {
  std::vector<crypto::PublicKey> k;
  for (size_t i = 0; i < n; ++i) k.push_back(sim::sim_fast_public_key(i));
  return k;
}

inline BlockId test_genesis() { return crypto::sha256(as_bytes("test genesis")); }

inline Config test_config(const ValidatorSet& set, std::optional<ValidatorIndex> self) {
  Config c;
  c.chain = kTestChain;
  c.validators = set;
  c.self = self;
  c.timeout_base_ms = 1000;
  c.timeout_cap_ms = 8000;
  c.verbose = true;
  return c;
}

inline std::unique_ptr<Signer> test_signer(size_t i) {
  return std::make_unique<sim::FastSigner>(sim::sim_fast_public_key(i));
}

struct Wire {
  size_t from = 0;
  size_t to = 0;
  MessageKind kind = MessageKind::vote;
  Bytes bytes;
};

class Cluster {
 public:
  explicit Cluster(size_t n, FaultyRules faulty = {}) : set(test_keys(n)) {
    for (size_t i = 0; i < n; ++i) {
      Config c = test_config(set, static_cast<ValidatorIndex>(i));
      c.faulty = faulty;
      cores.push_back(std::make_unique<Core>(std::move(c), SafetyState::fresh(0), CommittedTip::genesis(test_genesis(), 0),
                                             verifier, test_signer(i)));
      apps.emplace_back();
      committed.emplace_back();
      safety.emplace_back();
    }
    for (size_t i = 0; i < n; ++i) apply(i, cores[i]->start());
  }

  // Delivers queued messages (those `filter` lets through) until none are left or `max` were delivered.
  void run(size_t max = 10000) {
    for (size_t k = 0; k < max && !queue.empty(); ++k) {
      Wire w = std::move(queue.front());
      queue.pop_front();
      if (filter && !filter(w)) continue;
      const ValidatorIndex from = static_cast<ValidatorIndex>(w.from);
      switch (w.kind) {
        case MessageKind::proposal: feed(w.to, ProposalReceived{from, w.bytes}); break;
        case MessageKind::vote: feed(w.to, VoteReceived{from, w.bytes}); break;
        case MessageKind::timeout: feed(w.to, TimeoutReceived{from, w.bytes}); break;
      }
    }
  }

  void tick_all(uint64_t now) {
    for (size_t i = 0; i < cores.size(); ++i) feed(i, Tick{now});
  }

  void feed(size_t i, const Event& e) { apply(i, cores[i]->handle(e)); }

  void apply(size_t i, std::vector<Action> actions) {
    log.push_back({i, actions});
    for (Action& a : actions) {
      if (auto* x = std::get_if<SendTo>(&a)) {
        queue.push_back(Wire{i, node_of(i, x->to), x->kind, x->bytes});
      } else if (auto* x = std::get_if<Broadcast>(&a)) {
        for (size_t j = 0; j < cores.size(); ++j) {
          if (j != i) queue.push_back(Wire{i, j, x->kind, x->bytes});
        }
      } else if (auto* x = std::get_if<PersistSafety>(&a)) {
        safety[i] = x->state;
      } else if (auto* x = std::get_if<RequestPayload>(&a)) {
        if (payloads) feed(i, apps[i].make_payload(x->round, static_cast<uint32_t>(i), salt++, x->must_be_empty));
      } else if (auto* x = std::get_if<ValidatePayload>(&a)) {
        feed(i, PayloadVerdict{x->block_id, apps[i].validate(x->block, kTestChain, limits())});
      } else if (auto* x = std::get_if<Commit>(&a)) {
        for (const CommittedBlock& b : x->blocks) {
          committed[i].push_back(b);
          apps[i].execute(b.height, b.block);
        }
      } else if (auto* x = std::get_if<FetchBlock>(&a)) {
        // Served directly from the peer's core: the tests' network never loses a fetch.
        if (auto b = cores[node_of(i, x->from)]->block_for_peer(x->id)) feed(i, BlockFetched{x->from, *b});
      }
    }
  }

  // Node holding the key that replica i's current epoch calls validator v (epochs may reorder keys).
  size_t node_of(size_t i, ValidatorIndex v) const {
    const crypto::PublicKey& key = cores[i]->validators().key(v);
    for (size_t j = 0; j < cores.size(); ++j) {
      if (sim::sim_fast_public_key(j) == key) return j;
    }
    return 0;
  }

  Limits limits() const {
    Limits l;
    l.validators = set.size();
    return l;
  }

  ValidatorSet set;
  sim::FastVerifier verifier;
  std::vector<std::unique_ptr<Core>> cores;
  std::vector<sim::AppModel> apps;
  std::vector<std::vector<CommittedBlock>> committed;
  std::vector<Bytes> safety;
  std::deque<Wire> queue;
  std::function<bool(const Wire&)> filter;
  std::vector<std::pair<size_t, std::vector<Action>>> log;
  bool payloads = true;
  uint64_t salt = 0;
};

}  // namespace docket::consensus::testing
