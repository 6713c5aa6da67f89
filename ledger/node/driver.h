// Driver: binds the pure consensus core to the node's network, clock and store. It owns the
// consensus::Core and every write to the database: it carries out the core's actions in order
// (safety state and voted blocks synced before anything after them, committed blocks executed through
// the contracts and stored in one synced batch with their certificates), answers payload requests
// from the mempool, judges proposals' payloads against its own executed state, serves block fetches,
// and catches up by block sync when it is behind (driver_sync.cpp).
//
// Thread safety: everything except status() runs on the one driver thread that the node dedicates
// to it (callbacks from the network and timers are posted there). status() may be called from any
// thread: it reads a snapshot published after each event.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <vector>

#include "consensus/core.h"
#include "contracts/genesis.h"
#include "ledger/api/metrics.h"
#include "ledger/node/config.h"
#include "ledger/node/high_water_mark.h"
#include "ledger/node/mempool.h"
#include "ledger/p2p/network.h"
#include "ledger/primitives/transaction.h"
#include "ledger/proto/p2p.pb.h"
#include "ledger/state/execution.h"
#include "ledger/storage/block_store.h"
#include "ledger/storage/meta_store.h"

namespace docket::node {

// A snapshot of the driver's state for the API (GET /v1/status) and metrics.
struct DriverStatus {
  uint64_t height = 0;
  Hash32 block_id{};
  uint64_t round = 0;
  uint64_t epoch = 0;
  std::vector<crypto::PublicKey> validators;
  bool is_validator = false;
  bool syncing = false;
  // The highest height whose certificate verified against its epoch's validators (a peer's tip, a
  // commit proof, a synced block), or the own height: never a bare header or a peer's claim.
  uint64_t sync_target = 0;
  // False while a validator whose store is behind its high-water mark follows without voting
  // (high_water_mark.h); recovering_to is then the marked height it must re-sync past, else 0.
  bool voting = false;
  uint64_t recovering_to = 0;
};

// Told about every committed block, on the driver thread, after it is durable.
class CommitListener {
 public:
  virtual ~CommitListener() = default;
  virtual void on_block_committed(uint64_t height, uint64_t time_ms, const std::vector<contracts::TxReceipt>& receipts) = 0;
};

// The meta names the driver keeps (Column::meta, MetaStore named values).
namespace meta_keys {
inline constexpr const char* kEpoch = "epoch/number";
inline constexpr const char* kEpochValidators = "epoch/validators";   // pb::ValidatorSet
inline constexpr const char* kEpochStartAfter = "epoch/start_after";
inline constexpr const char* kEpochProof = "epoch/proof";             // pb::CommitProof of start_after
// "epoch/change/<epoch>": pb::EpochChangeProof of every epoch since genesis (epoch_chain.h).
inline constexpr const char* kPendingSet = "epoch/pending_set";       // pb::ValidatorSet
inline constexpr const char* kPendingAfter = "epoch/pending_after";
// pb::CommitProof of the tip or a later block (consensus Commit::proof): after a restart the core still
// proves its commits to peers behind it, whose verdicts refuse headers carrying state they lack.
inline constexpr const char* kCommitProof = "commit/proof";
// "exec/<h>" -> height of the first committed block whose header carries the state root of height h.
std::string certified_by(uint64_t exec_height);
}  // namespace meta_keys

class Driver {
 public:
  struct Deps {
    const NodeConfig& config;
    const contracts::Genesis& genesis;
    Hash32 genesis_hash{};
    storage::KvStore& store;
    const state::BlockExecutor& executor;
    Mempool& mempool;
    p2p::Network& network;
    metrics::Registry& metrics;
    CommitListener& listener;
    std::function<void(const std::string&)> on_fatal;  // a write failed: the node must stop
  };

  Driver(Deps deps, crypto::SecretKey key);
  ~Driver();

  // Restores the safety state, epoch and committed tip from the store, checks the store against its
  // high-water mark (a store behind it starts without voting) and starts the core.
  Status start(uint64_t now_ms);

  // Driver thread only.
  void on_message(const p2p::PeerKey& peer, p2p::MessageType type, Bytes payload);
  void on_tick(uint64_t now_ms);

  DriverStatus status() const;

 private:
  struct InFlight {  // an uncommitted block we proposed, judged or fetched
    consensus::BlockId parent{};
    uint64_t height = 0;
    uint64_t exec_height = 0;
    std::vector<std::pair<crypto::PublicKey, uint64_t>> nonces;  // (sender, nonce) of its transactions
  };
  struct Payload {
    std::vector<primitives::VerifiedTx> txs;
    Hash32 root{};  // merkle root of the tx ids
  };
  // Only certified heights steer block sync and the reported status; an unverified claim (a peer's
  // tip_height it cannot prove to us, e.g. from a later epoch) only makes the driver ask now and then,
  // and is forgotten after a while. A certified target that stops being approached expires too.
  struct SyncState {
    bool outstanding = false;
    uint64_t request_id = 0;
    p2p::PeerKey peer{};
    uint64_t sent_ms = 0;
    uint64_t target = 0;          // highest certified height seen
    p2p::PeerKey target_peer{};   // who showed it (asked first)
    uint64_t target_ms = 0;       // when it was last raised
    uint64_t hint = 0;            // a peer's unverified tip claim
    p2p::PeerKey hint_peer{};
    uint64_t hint_ms = 0;         // when it was heard
    uint64_t last_probe_ms = 0;
  };

  // Events and actions.
  void feed(consensus::Event event);
  void drain();
  void carry_out(std::vector<consensus::Action> actions);
  void act(consensus::SendTo& a);
  void act(consensus::Broadcast& a);
  void act(consensus::PersistSafety& a);
  void act(consensus::PersistBlock& a);
  void act(consensus::Commit& a);
  void act(consensus::FetchBlock& a);
  void act(consensus::RequestPayload& a);
  void answer_payload(const consensus::RequestPayload& a);
  uint64_t empty_block_delay_ms() const;
  void act(consensus::ValidatePayload& a);
  void act(consensus::EpochStarted& a);
  void act(consensus::Diagnostic& a);

  // Committing.
  // epoch_commit_proof: the CommitProof of this block when it ends an epoch and the caller has it
  // (block sync); consensus hands it over later with EpochStarted. commit_proof: consensus
  // Commit::proof, stored with the block when given (the last block of a consensus Commit).
  Status apply_block(const Bytes& block, const consensus::BlockId& id, uint64_t height, const Bytes& qc,
                     const Bytes* epoch_commit_proof = nullptr, const Bytes* commit_proof = nullptr);
  uint64_t next_boundary(uint64_t decided_height) const;
  Status record_epoch_change(storage::WriteBatch& batch, const consensus::BlockView& last, const Bytes& qc,
                             const Bytes* commit_proof);
  void enter_epoch(uint64_t epoch, consensus::ValidatorSet validators, uint64_t start_after);
  Result<Payload> decode_payload(ByteView block_bytes) const;
  // The payload of a block about to be applied: the one verified when this node voted for exactly
  // these block bytes, or else decoded (and every signature checked) now.
  Result<Payload> payload_for_commit(const Bytes& block, const consensus::BlockId& id);
  bool verdict_for(const consensus::ValidatePayload& a);
  void record_in_flight(const consensus::BlockId& id, const consensus::BlockView& b, const std::vector<primitives::VerifiedTx>* txs);
  std::map<crypto::PublicKey, uint64_t> in_flight_nonces(consensus::BlockId from) const;

  // Restoring and re-creating the core (start, and after a block sync).
  Status restore();
  void make_core();
  std::vector<Bytes> stored_voted_blocks() const;
  consensus::Limits limits() const;
  Status write_synced(const storage::WriteBatch& batch, const char* what);
  // High-water mark: the start-up check, the write before a vote or timeout leaves, the end of recovery.
  Status check_mark();
  void raise_mark(ByteView safety_state);
  void maybe_end_recovery();

  // Serving peers.
  void serve_fetch(const p2p::PeerKey& peer, ByteView payload);
  void on_fetched(const p2p::PeerKey& peer, Bytes payload);

  // Block sync (driver_sync.cpp).
  void maybe_sync(uint64_t now_ms);
  void request_sync(const p2p::PeerKey& peer, uint64_t now_ms);
  void serve_sync(const p2p::PeerKey& peer, ByteView payload);
  void on_sync_response(const p2p::PeerKey& peer, ByteView payload);
  // A header and the QC on it (CommitProof format): its height, if the QC verifies against the
  // current epoch's validators and certifies exactly that header.
  std::optional<uint64_t> certified_height(ByteView commit_proof) const;
  void note_certified(uint64_t height, const p2p::PeerKey& peer);
  void note_claim(uint64_t height, const p2p::PeerKey& peer);
  void note_commit_proof(ByteView proof, const p2p::PeerKey& peer);
  Bytes tip_proof() const;  // our tip's header and QC, for SyncResponse::tip_proof

  void publish_status();
  void send(const p2p::PeerKey& peer, p2p::MessageType type, ByteView bytes);

  Deps d_;
  const crypto::ChainBinding chain_id_;  // the chain id and the genesis hash: what every digest binds
  crypto::SecretKey key_;
  const crypto::PublicKey self_key_;
  consensus::SchnorrVerifier verifier_;
  storage::BlockStore blocks_;
  storage::MetaStore meta_;

  consensus::Config ccfg_;
  consensus::SafetyState safety_;
  consensus::CommittedTip tip_;
  uint64_t tip_exec_height_ = 0;      // exec_height in the tip's header
  uint64_t last_certified_exec_ = 0;  // highest exec_height indexed under meta_keys::certified_by
  std::optional<consensus::EpochChange> pending_change_;
  std::map<uint64_t, uint64_t> epoch_starts_;  // start_after height -> epoch, for every stored epoch change
  std::unique_ptr<consensus::Core> core_;

  HighWaterMarkFile hwm_file_;
  HighWaterMark mark_;                       // as last written
  std::optional<HighWaterMark> recovering_;  // started behind this mark: the core runs without a signer
  std::optional<HighWaterMark> floor_;       // the same mark, kept: every later core's safety is raised to it

  std::deque<consensus::Event> events_;
  bool running_ = false;
  bool change_to_feed_ = false;
  std::optional<consensus::RequestPayload> deferred_payload_;  // an empty proposal held back
  uint64_t deferred_since_ms_ = 0;  // a committed block scheduled a validator-set change
  bool failed_ = false;
  uint64_t now_ms_ = 0;
  uint64_t last_commit_ms_ = 0;
  std::map<consensus::BlockId, uint64_t> voted_;      // persisted voted blocks -> height
  std::map<consensus::BlockId, InFlight> in_flight_;
  // Payloads checked by verdict_for, kept until their block commits so that each transaction's
  // signature is verified once rather than twice per node. Only a few blocks are between vote and
  // commit; the bound keeps a leader that proposes many blocks from growing it.
  struct VerifiedPayload {
    consensus::BlockId id{};
    Hash32 block_hash{};  // sha256 of the block bytes: signatures are not covered by the block id
    Payload payload;
  };
  std::deque<VerifiedPayload> verified_payloads_;
  SyncState sync_;
  std::mt19937_64 rng_;

  metrics::Gauge& m_height_;
  metrics::Gauge& m_round_;
  metrics::Gauge& m_epoch_;
  metrics::Counter& m_commits_;
  metrics::Counter& m_committed_txs_;
  metrics::Counter& m_proposals_;
  metrics::Counter& m_timeouts_;
  metrics::Counter& m_synced_blocks_;
  metrics::Histogram& m_commit_seconds_;
  metrics::Histogram& m_mark_write_seconds_;

  mutable std::mutex status_mu_;
  DriverStatus status_;
};

}  // namespace docket::node
