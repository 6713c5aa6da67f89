#include "sim/twins.h"

#include <deque>
#include <map>
#include <memory>
#include <ostream>

#include "consensus/core.h"
#include "ledger/crypto/sha256.h"
#include "sim/app_model.h"
#include "sim/sim_crypto.h"

namespace docket::sim {

using namespace consensus;

namespace {

const crypto::ChainBinding kChain{"docket-twins", crypto::sha256(as_bytes("docket-twins genesis"))};
constexpr uint64_t kWaveMs = 250;     // one message delay
constexpr uint64_t kTimeoutMs = 1000; // a round without progress ends after four waves

struct Node {
  uint32_t key = 0;
  bool honest = true;
  std::unique_ptr<Core> core;
  AppModel app;
  std::vector<BlockId> committed;  // committed[h - 1]
  std::map<BlockId, Bytes> blocks;  // every block seen committed, for fetch answers
  uint64_t salt = 0;
};

struct Wire {
  size_t from = 0;
  size_t to = 0;
  int type = 0;  // 0 proposal, 1 vote, 2 timeout, 3 block request, 4 block response
  Bytes bytes;
};

class TwinsRun {
 public:
  explicit TwinsRun(const TwinsScenario& s) : s_(s) {
    const size_t n = s.validators;
    for (size_t i = 0; i < n; ++i) keys_.push_back(sim_fast_public_key(i));
    set_ = ValidatorSet(keys_);
    auto faulty = parse_faulty_rule(s.faulty_rule);
    DOCKET_ASSERT(faulty.ok());
    const BlockId genesis = crypto::sha256(as_bytes("twins genesis"));
    for (size_t i = 0; i <= n; ++i) {
      auto node = std::make_unique<Node>();
      node->key = static_cast<uint32_t>(i == n ? 0 : i);
      node->honest = node->key != 0;
      node->salt = i * 1000;
      Config c;
      c.chain = kChain;
      c.validators = set_;
      c.self = node->key;
      c.timeout_base_ms = kTimeoutMs;
      c.timeout_cap_ms = kTimeoutMs;
      c.fetch_retry_ms = kTimeoutMs / 2;
      c.faulty = *faulty;
      c.verbose = s.trace != nullptr;
      node->core = std::make_unique<Core>(std::move(c), SafetyState::fresh(0), CommittedTip::genesis(genesis, 0), verifier_,
                                          std::make_unique<FastSigner>(keys_[node->key]));
      nodes_.push_back(std::move(node));
    }
    for (size_t i = 0; i < nodes_.size(); ++i) apply(i, nodes_[i]->core->start());
  }

  TwinsResult run() {
    size_t waves = 0;
    for (const Partition& p : s_.rounds) {
      for (int w = 0; w < 2 && !result_.safety_violation; ++w, ++waves) wave(p, waves);
    }
    std::vector<uint64_t> before;
    for (auto& n : nodes_) before.push_back(n->committed.size());
    uint64_t frontier = 0;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i]->honest) frontier = std::max<uint64_t>(frontier, before[i]);
    }
    for (size_t r = 0; r < s_.heal_rounds && !result_.safety_violation; ++r) {
      for (int w = 0; w < 2; ++w, ++waves) wave({}, waves);
    }
    result_.honest_height = UINT64_MAX;
    for (auto& n : nodes_) {
      if (!n->honest) continue;
      result_.honest_height = std::min<uint64_t>(result_.honest_height, n->committed.size());
      if (!result_.safety_violation && n->committed.size() <= frontier) {
        result_.liveness_failure = true;
        if (result_.violation.empty()) result_.violation = "no progress after the partitions healed";
      }
    }
    return result_;
  }

 private:
  void wave(const Partition& p, size_t index) {
    now_ += kWaveMs;
    for (size_t i = 0; i < nodes_.size(); ++i) feed(i, Tick{now_});
    std::deque<Wire> batch;
    batch.swap(queue_);
    for (Wire& m : batch) {
      if (!p.empty() && p[m.from] != p[m.to]) continue;
      deliver(m);
      if (result_.safety_violation) return;
    }
    (void)index;
  }

  void deliver(const Wire& m) {
    const ValidatorIndex from = nodes_[m.from]->key;
    switch (m.type) {
      case 0: feed(m.to, ProposalReceived{from, m.bytes}); break;
      case 1: feed(m.to, VoteReceived{from, m.bytes}); break;
      case 2: feed(m.to, TimeoutReceived{from, m.bytes}); break;
      case 3: {
        auto id = decode_block_request(m.bytes);
        if (!id) return;
        Node& n = *nodes_[m.to];
        std::optional<Bytes> answer = n.core->block_for_peer(*id);
        if (!answer) {
          if (auto it = n.blocks.find(*id); it != n.blocks.end()) answer = it->second;
        }
        if (answer) queue_.push_back(Wire{m.to, m.from, 4, *answer});
        break;
      }
      case 4: feed(m.to, BlockFetched{from, m.bytes}); break;
    }
  }

  void feed(size_t i, const Event& e) { apply(i, nodes_[i]->core->handle(e)); }

  void send(size_t from, ValidatorIndex to_key, int type, const Bytes& bytes) {
    for (size_t j = 0; j < nodes_.size(); ++j) {
      if (j != from && nodes_[j]->key == to_key) queue_.push_back(Wire{from, j, type, bytes});
    }
  }

  void apply(size_t i, std::vector<Action> actions) {
    Node& n = *nodes_[i];
    for (Action& a : actions) {
      if (s_.trace) {
        if (auto* d = std::get_if<Diagnostic>(&a)) *s_.trace << "t=" << now_ << " n" << i << " " << d->message << "\n";
        if (auto* c = std::get_if<Commit>(&a)) *s_.trace << "t=" << now_ << " n" << i << " commits up to " << c->blocks.back().height << "\n";
      }
      if (auto* x = std::get_if<SendTo>(&a)) {
        send(i, x->to, static_cast<int>(x->kind), x->bytes);
      } else if (auto* x = std::get_if<Broadcast>(&a)) {
        for (ValidatorIndex v = 0; v < set_.size(); ++v) send(i, v, static_cast<int>(x->kind), x->bytes);
      } else if (auto* x = std::get_if<FetchBlock>(&a)) {
        send(i, x->from, 3, encode_block_request(x->id));
      } else if (auto* x = std::get_if<RequestPayload>(&a)) {
        feed(i, n.app.make_payload(x->round, n.key, n.salt++, x->must_be_empty));
      } else if (auto* x = std::get_if<ValidatePayload>(&a)) {
        feed(i, PayloadVerdict{x->block_id, n.app.validate(x->block, kChain, limits())});
      } else if (auto* x = std::get_if<Commit>(&a)) {
        for (const CommittedBlock& b : x->blocks) commit(i, b);
      }
    }
  }

  void commit(size_t i, const CommittedBlock& b) {
    Node& n = *nodes_[i];
    n.committed.push_back(b.id);
    n.app.execute(b.height, b.block);
    n.blocks[b.id] = encode_certified_block(b.block, b.qc);
    if (!n.honest) return;
    if (b.height != n.committed.size()) violation("replica " + std::to_string(i) + " skipped a height");
    for (auto& o : nodes_) {
      if (o->honest && o->committed.size() >= b.height && o->committed[b.height - 1] != b.id) {
        violation("conflicting commits at height " + std::to_string(b.height));
      }
    }
  }

  void violation(const std::string& what) {
    if (!result_.safety_violation) result_.violation = what;
    result_.safety_violation = true;
  }

  Limits limits() const {
    Limits l;
    l.validators = set_.size();
    return l;
  }

  const TwinsScenario& s_;
  FastVerifier verifier_;
  std::vector<crypto::PublicKey> keys_;
  ValidatorSet set_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::deque<Wire> queue_;
  uint64_t now_ = 1000;
  TwinsResult result_;
};

}  // namespace

TwinsResult run_twins(const TwinsScenario& s) {
  TwinsRun run(s);
  return run.run();
}

std::vector<Partition> twins_partitions(size_t validators) {
  std::vector<Partition> out;
  out.push_back({});
  const size_t nodes = validators + 1;
  // Node 0 on side 0, the twin (node n) on side 1; every other node on either side.
  for (uint64_t mask = 0; mask < (uint64_t{1} << (validators - 1)); ++mask) {
    Partition p(nodes, 0);
    p[validators] = 1;
    for (size_t k = 1; k < validators; ++k) p[k] = static_cast<int>((mask >> (k - 1)) & 1);
    out.push_back(std::move(p));
  }
  return out;
}

std::string describe(const Partition& p) {
  if (p.empty()) return "{all}";
  std::string a = "{", b = "{";
  for (size_t i = 0; i < p.size(); ++i) {
    std::string name = i + 1 == p.size() ? "0'" : std::to_string(i);
    (p[i] == 0 ? a : b) += (a.size() > 1 && p[i] == 0) || (b.size() > 1 && p[i] == 1) ? "," + name : name;
  }
  return a + "}|" + b + "}";
}

}  // namespace docket::sim
