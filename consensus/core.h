// consensus::Core: one replica's Jolteon (DiemBFT v4) consensus state machine. Chained blocks, 2-chain
// commit, round-robin leaders, votes to the next leader, timeout certificates, capped exponential
// backoff, block fetch, epochs. See docs/consensus.md for the protocol and the driver contract.
//
// Pure and deterministic: no IO, clock, threads or randomness. Feed it Events with handle(); carry
// out the returned Actions in order. Not thread-safe: one driver thread owns it. The Verifier must
// outlive the core; the core owns its Signer (absent for an observer).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "consensus/actions.h"
#include "consensus/block_tree.h"
#include "consensus/events.h"
#include "consensus/safety_rules.h"
#include "consensus/safety_state.h"
#include "consensus/verifier.h"

namespace docket::consensus {

struct Config {
  crypto::ChainBinding chain;               // chain id and genesis hash: every digest is bound to both
  Epoch epoch = 0;                          // the epoch the core starts in
  ValidatorSet validators;                  // that epoch's validators, in index order
  std::optional<ValidatorIndex> self;       // own index in `validators`; nullopt = observer (never signs)
  uint64_t timeout_base_ms = 1000;          // first round timeout
  uint64_t timeout_cap_ms = 30000;          // backoff never waits longer than this
  uint64_t fetch_retry_ms = 500;            // re-ask another validator for a missing block after this
  uint64_t max_clock_drift_ms = 30000;      // proposals stamped further ahead of our clock are not voted for
  size_t max_payload_bytes = 1 << 20;       // sum of transaction sizes per block
  size_t max_transactions = 10000;          // transactions per block
  Round max_future_rounds = 200;            // votes, timeouts and proposals further ahead are dropped
  size_t max_pending_blocks = 1024;         // uncommitted blocks kept in memory
  size_t max_commit_batch = 64;             // blocks per Commit action; an epoch change needs this much margin
  bool verbose = false;                     // emit debug Diagnostics for every dropped input
  FaultyRules faulty;                       // simulator only: disables safety rules (docket-sim --faulty-rule)
};

// The committed block the core starts from: genesis, or the last block the driver applied.
struct CommittedTip {
  BlockId id{};
  Height height = 0;
  Round round = 0;
  Epoch epoch = 0;           // epoch the block was proposed in (for genesis: the config epoch)
  uint64_t timestamp_ms = 0;
  Bytes qc;                  // the QC certifying it (from Commit); empty for genesis
  Bytes epoch_proof;         // from the latest EpochStarted (a pb::CommitProof of the previous epoch's last
                             // block); keep it for the whole epoch: replicas left in that epoch need it
  Bytes commit_proof;        // from the latest Commit::proof (takes precedence over epoch_proof when set)

  static CommittedTip genesis(const BlockId& id, Epoch epoch, uint64_t timestamp_ms = 0);
};

class Core {
 public:
  // stored_blocks: the blocks of PersistBlock actions not yet pruned (pb::Block bytes), on restart.
  Core(Config config, SafetyState safety, CommittedTip tip, const Verifier& verifier, std::unique_ptr<Signer> signer,
       std::vector<Bytes> stored_blocks = {});

  // Call once before any event: fetches what restart left missing and, for the leader, asks for a payload.
  std::vector<Action> start();
  std::vector<Action> handle(const Event& event);

  // Queries for the driver (answering block requests, metrics) and the simulator.
  Epoch epoch() const { return epoch_; }
  Round round() const { return round_; }
  Round high_qc_round() const { return eround(high_qc_); }
  Height committed_height() const { return tree_.root().height; }
  const BlockId& committed_id() const { return tree_.root().id; }
  const SafetyState& safety() const { return safety_; }
  const ValidatorSet& validators() const { return set_; }
  std::optional<ValidatorIndex> self() const { return self_; }
  // pb::CertifiedBlock bytes of an uncommitted block this core holds, with its QC if known (committed
  // blocks are the driver's to serve from its store), or of a block above the previous epoch's end.
  std::optional<Bytes> block_for_peer(const BlockId& id) const;

 private:
  using Out = std::vector<Action>;
  struct VoteRound {
    std::map<ValidatorIndex, BlockId> voted;
    std::map<BlockId, std::map<ValidatorIndex, crypto::Signature>> sigs;
    bool qc_formed = false;
  };
  struct TimeoutRound {
    std::map<ValidatorIndex, TimeoutShare> shares;
    Round best_round = 0;
    Bytes best_qc;
    bool tc_formed = false;
  };
  struct PendingVerdict {
    Round round = 0;
    std::optional<TcSummary> tc;
  };
  struct Fetch {
    ValidatorIndex from = 0;
    uint64_t asked_ms = 0;
    size_t attempts = 0;
    Bytes qc;  // the QC that made us fetch it, processed once the block arrives
    Round round = 0;  // that QC's round, when known
  };
  struct Waiting {  // a proposal or certified block whose parent is being fetched
    Round round = 0;
    Height height = 0;
    bool proposal = false;
    Bytes bytes;
  };

  void on(const ProposalReceived& e, Out& out);
  void on(const VoteReceived& e, Out& out);
  void on(const TimeoutReceived& e, Out& out);
  void on(const Tick& e, Out& out);
  void on(const BlockFetched& e, Out& out);
  void on(const PayloadReady& e, Out& out);
  void on(const PayloadVerdict& e, Out& out);
  void on(const EpochChange& e, Out& out);

  void process_proposal(ByteView bytes, ValidatorIndex from, bool own, Out& out);
  void process_certified_block(ByteView bytes, ValidatorIndex from, bool trusted, Out& out);
  void process_timeout(ByteView bytes, ValidatorIndex from, Out& out);
  void add_vote(const BlockId& block_id, Round round, ValidatorIndex voter, const crypto::Signature& sig, Out& out);

  void process_qc(const Qc& qc, ValidatorIndex from, Out& out);
  void process_tc(const Tc& tc, Out& out);
  // Enters round r (if above the current one). tc: the TC of r - 1 that justifies it; failed: entered
  // without progress (joining others' timeouts), so the backoff grows as after a TC.
  void advance_round(Round r, const Tc* tc, Out& out, bool failed = false);
  void maybe_propose(Out& out);
  void try_vote(const BlockId& id, const std::optional<TcSummary>& tc, Out& out);
  void local_timeout(Out& out);
  void forward_tc(const Tc& tc, Out& out);
  void check_commit(const BlockId& certified, Out& out);
  void drain_commits(Out& out);
  void start_next_epoch(Out& out);
  void keep_epoch_proof();
  void fetch(const BlockId& id, ValidatorIndex from, Out& out, const Bytes* qc = nullptr);
  void wait_for_parent(const BlockId& parent, Waiting w, Out& out);
  void retry_waiting(const BlockId& parent, Out& out);
  void prune_waiting();
  void process_commit_proof(ByteView proof, ValidatorIndex from, Out& out);
  std::optional<BlockId> commit_proof_child() const;  // block B of our commit proof (header + QC(B))
  void persist_then_send(SafetyState next, Action send, Out& out);

  Status validate_child(const BlockView& b, bool proposal) const;
  Round eround(const Qc& qc) const { return qc.epoch == epoch_ ? qc.round : 0; }
  Round parent_round(const BlockId& parent) const;
  uint64_t timeout_duration_ms() const;
  uint64_t retransmit_interval_ms() const;
  void resend_proposal(Out& out);
  void announce_epoch_end(Out& out);
  CertContext ctx() const;
  void drop(Out& out, const char* what, const std::string& why) const;
  void warn(Out& out, std::string message) const;

  Config cfg_;
  Limits limits_;
  const Verifier& verifier_;
  std::unique_ptr<Signer> signer_;
  std::optional<ValidatorIndex> self_;
  Epoch epoch_;
  ValidatorSet set_;
  SafetyState safety_;
  BlockTree tree_;
  Bytes root_qc_;              // trusted QC of the root the epoch (or this run) started from
  Bytes commit_proof_;         // pb::CommitProof of our latest commit (or of the previous epoch's end)
  Bytes epoch_proof_;          // pb::CommitProof of the previous epoch's last block, if known
  Bytes epoch_end_proof_;      // a pb::CommitProof of exactly this epoch's last block, once seen
  std::map<BlockId, Bytes> epoch_tail_;  // previous epoch's blocks above its last, up to epoch_proof_'s
  std::optional<uint64_t> announced_ms_;  // when we last announced the previous epoch's end
  Qc high_qc_;                 // highest QC whose block we hold: what we propose on
  Qc seen_qc_;                 // highest QC we verified, block held or not: what our timeouts carry
  Round round_ = 0;
  Bytes last_tc_;              // TC of round_ - 1 when the round was entered by timeout
  Round last_tc_round_ = 0;
  Round last_tc_high_qc_round_ = 0;
  std::vector<Bytes> restore_;  // stored blocks to re-insert in start()
  uint64_t now_ms_ = 0;
  bool clock_started_ = false;
  bool starting_ = false;           // inside start(): commits wait for the first event
  uint64_t deadline_ms_ = 0;
  uint32_t backoff_exp_ = 0;        // rounds in a row that ended by timeout
  uint32_t timeouts_in_round_ = 0;  // local timeouts fired in the current round
  bool timeout_sent_ = false;
  Round requested_round_ = 0;
  Round proposed_round_ = 0;
  Bytes own_proposal_;             // our proposal of proposed_round_, re-sent while that round lasts
  uint64_t proposal_resend_ms_ = 0;
  uint32_t proposal_resends_ = 0;
  std::optional<BlockId> commit_target_;
  Bytes last_commit_proof_;     // pb::CommitProof of commit_target_
  struct Proven {               // a block a peer proved committed, which we are still fetching
    BlockId id{};
    Height height = 0;
    Bytes proof;
  };
  std::optional<Proven> proven_;
  std::optional<Height> epoch_end_;
  ValidatorSet next_set_;

  std::map<Round, VoteRound> votes_;
  std::map<Round, TimeoutRound> timeouts_;
  std::map<BlockId, PendingVerdict> verdicts_;
  std::map<Round, BlockId> first_proposal_;        // for equivocation reports
  std::map<BlockId, Fetch> fetching_;
  std::map<BlockId, std::vector<Waiting>> waiting_;  // by the missing parent's id
  size_t waiting_count_ = 0;
};

}  // namespace docket::consensus
