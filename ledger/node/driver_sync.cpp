// Block sync: how a driver that is behind (new, or restarted after a while) catches up with
// committed blocks from a peer, outside consensus, while the network keeps running.
//
// The requester asks one peer for committed blocks from its height + 1 (SyncRequest). It accepts a
// block only if it extends the previous one (height, parent id), its transactions are the ones its
// header commits to, and its certificate is a valid QC of the current epoch's validators on it. A
// certified block is not necessarily committed, so it applies block k only when block k + 1 of the
// answer is certified too and comes from the very next round (the 2-chain commit rule). An answer
// ends at an epoch's last block and then carries that block's commit proof (the child of the same
// epoch and its QC, which the store does not keep as a block): with it the requester commits the
// boundary block, which stores the new epoch as consensus would (apply_block), and goes on in the new
// epoch with its validators. After applying, the consensus core is re-created at the new tip, as after
// a restart, and the next batch is asked for.
//
// What steers it: the height the driver reports (/v1/status) and syncs toward is raised only by data
// whose QC verified against the current epoch's validators: a peer's tip proof (header + QC) in a
// SyncResponse, a commit proof in a proposal or timeout, the certified blocks of an answer. A
// proposal's header or a peer's tip_height is an unsigned claim: a claim the driver cannot verify (a
// peer already in a later epoch) only makes it ask that peer once per kStallProbeMs, is never
// reported, and is forgotten after kClaimTtlMs. A certified target that no commit approaches for
// kTargetTtlMs (a certified block the network then abandoned) expires as well.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "ledger/node/driver.h"
#include "ledger/node/epoch_chain.h"

namespace docket::node {

using namespace consensus;

namespace {
constexpr uint32_t kSyncBatch = 64;
constexpr size_t kSyncResponseBytes = 3u << 20;  // below the 4 MiB frame limit
constexpr uint64_t kSyncLag = 4;                  // heights behind a peer before syncing
constexpr uint64_t kSyncTimeoutMs = 3000;
constexpr uint64_t kStallProbeMs = 3000;          // no commit for this long: ask a peer how far it is
constexpr uint64_t kClaimTtlMs = 30000;           // an unverified tip claim is forgotten after this
constexpr uint64_t kTargetTtlMs = 60000;          // a certified target nothing approaches, after this
}  // namespace

std::optional<uint64_t> Driver::certified_height(ByteView proof) const {
  auto p = decode_commit_proof(proof, chain_id_, limits());
  if (!p || p->child.header.epoch != core_->epoch()) return std::nullopt;
  const ValidatorSet& set = core_->validators();
  const CertContext ctx{chain_id_, core_->epoch(), &set, &verifier_, {}};
  auto qc = verify_qc(p->qc, ctx);
  if (!qc || qc->block_id != p->child.id || qc->round != p->child.header.round) return std::nullopt;
  return p->child.header.height;
}

void Driver::note_certified(uint64_t height, const p2p::PeerKey& peer) {
  if (height <= sync_.target) return;
  sync_.target = height;
  sync_.target_peer = peer;
  sync_.target_ms = now_ms_;
}

void Driver::note_claim(uint64_t height, const p2p::PeerKey& peer) {
  if (height <= tip_.height) return;
  if (height > sync_.hint || now_ms_ - sync_.hint_ms >= kClaimTtlMs) {
    sync_.hint = height;
    sync_.hint_peer = peer;
    sync_.hint_ms = now_ms_;
  }
}

Bytes Driver::tip_proof() const {
  if (tip_.height == 0 || tip_.qc.empty()) return {};
  auto b = blocks_.block_by_height(tip_.height);
  if (!b.ok() || !*b) return {};
  auto v = decode_block((*b)->block, chain_id_, limits());
  if (!v) return {};
  return encode_commit_proof(v->header_bytes, tip_.qc);
}

void Driver::maybe_sync(uint64_t now_ms) {
  if (sync_.target > tip_.height && now_ms - std::max(sync_.target_ms, last_commit_ms_) >= kTargetTtlMs) {
    spdlog::warn("sync: no progress toward the certified height {} for {} s; forgetting it", sync_.target,
                 kTargetTtlMs / 1000);
    sync_.target = tip_.height;
  }
  if (sync_.hint > 0 && now_ms - sync_.hint_ms >= kClaimTtlMs) sync_.hint = 0;
  if (sync_.outstanding && now_ms - sync_.sent_ms < kSyncTimeoutMs) return;
  sync_.outstanding = false;
  const bool behind = sync_.target > tip_.height + kSyncLag;
  const bool probe_due = now_ms - sync_.last_probe_ms > kStallProbeMs;
  const bool stalled = now_ms - last_commit_ms_ > kStallProbeMs && probe_due;
  const bool claimed = sync_.hint > tip_.height + kSyncLag && probe_due;
  if (!behind && !stalled && !claimed) return;
  auto peers = d_.network.connected_peers();
  if (peers.empty()) return;
  if (!behind) sync_.last_probe_ms = now_ms;
  // Whom to ask: whoever showed the target (or made the claim) if still connected, else anyone.
  const p2p::PeerKey& preferred = behind ? sync_.target_peer : sync_.hint_peer;
  if (std::find(peers.begin(), peers.end(), preferred) != peers.end() && (behind || claimed)) {
    request_sync(preferred, now_ms);
    return;
  }
  std::uniform_int_distribution<size_t> pick(0, peers.size() - 1);
  request_sync(peers[pick(rng_)], now_ms);
}

void Driver::request_sync(const p2p::PeerKey& peer, uint64_t now_ms) {
  pb::SyncRequest req;
  req.set_request_id(++sync_.request_id);
  req.set_from_height(tip_.height + 1);
  req.set_max_blocks(kSyncBatch);
  sync_.outstanding = true;
  sync_.peer = peer;
  sync_.sent_ms = now_ms;
  const std::string bytes = req.SerializeAsString();
  send(peer, p2p::MessageType::block_request, as_bytes(bytes));
}

void Driver::serve_sync(const p2p::PeerKey& peer, ByteView payload) {
  pb::SyncRequest req;
  if (payload.size() > 64 || !req.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return;
  pb::SyncResponse resp;
  resp.set_request_id(req.request_id());
  resp.set_from_height(req.from_height());
  resp.set_tip_height(tip_.height);
  if (Bytes proof = tip_proof(); !proof.empty()) resp.set_tip_proof(std::string(proof.begin(), proof.end()));
  const uint64_t count = std::min<uint64_t>(std::max<uint32_t>(1, std::min(req.max_blocks(), kSyncBatch)), kSyncBatch);
  size_t bytes = 0;
  for (uint64_t h = req.from_height(); h >= 1 && h <= tip_.height && h < req.from_height() + count; ++h) {
    auto b = blocks_.block_by_height(h);
    if (!b.ok() || !*b) break;
    auto cert = blocks_.certificate((*b)->id);
    if (!cert.ok() || !*cert) break;
    bytes += (*b)->block.size() + (*cert)->size() + 16;
    if (bytes > kSyncResponseBytes && resp.blocks_size() > 0) break;
    pb::SyncedBlock* sb = resp.add_blocks();
    sb->set_block(std::string((*b)->block.begin(), (*b)->block.end()));
    sb->set_certificate(std::string((*cert)->begin(), (*cert)->end()));
    if (auto e = epoch_starts_.find(h); e != epoch_starts_.end()) {
      auto rec = meta_.get_bytes(epoch_change_key(e->second));
      pb::EpochChangeProof p;
      if (rec.ok() && *rec && p.ParseFromArray((*rec)->data(), static_cast<int>((*rec)->size()))) resp.set_commit_proof(p.commit_proof());
      break;  // the next block belongs to another epoch: the requester must cross first
    }
  }
  const std::string out = resp.SerializeAsString();
  send(peer, p2p::MessageType::block_response, as_bytes(out));
}

void Driver::on_sync_response(const p2p::PeerKey& peer, ByteView payload) {
  pb::SyncResponse resp;
  if (!resp.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return;
  if (!sync_.outstanding || peer != sync_.peer || resp.request_id() != sync_.request_id) return;
  sync_.outstanding = false;
  // The tip it proves (same epoch as ours) steers us; an unprovable tip_height is only a claim.
  std::optional<uint64_t> proven;
  if (!resp.tip_proof().empty() && resp.tip_proof().size() <= limits().commit_proof_bytes()) {
    proven = certified_height(as_bytes(resp.tip_proof()));
  }
  if (proven) {
    note_certified(*proven, peer);
  } else {
    note_claim(resp.tip_height(), peer);
  }
  if (resp.from_height() != tip_.height + 1 || resp.blocks_size() == 0) return;

  const ValidatorSet& set = core_->validators();
  const CertContext ctx{chain_id_, core_->epoch(), &set, &verifier_, {}};
  struct Checked {
    Bytes block;
    Bytes qc;
    BlockId id;
    Round round;
  };
  std::vector<Checked> chain;
  BlockId prev_id = tip_.id;
  uint64_t prev_height = tip_.height;
  for (const pb::SyncedBlock& sb : resp.blocks()) {
    Bytes block(sb.block().begin(), sb.block().end());
    auto v = decode_block(block, chain_id_, limits());
    if (!v) break;
    const Header& h = v->header;
    if (h.height != prev_height + 1 || h.parent_id != prev_id || h.epoch != core_->epoch()) break;
    Bytes qc_bytes(sb.certificate().begin(), sb.certificate().end());
    auto qc = verify_qc(qc_bytes, ctx);
    if (!qc || qc->block_id != v->id || qc->round != h.round) {
      spdlog::warn("sync: peer {} sent block {} with an invalid certificate", p2p::short_key(peer), h.height);
      break;
    }
    auto p = decode_payload(block);
    if (!p || Bytes(p->root.begin(), p->root.end()) != h.payload_hash) {
      spdlog::warn("sync: peer {} sent block {} whose transactions do not match its header", p2p::short_key(peer), h.height);
      break;
    }
    chain.push_back(Checked{std::move(block), std::move(qc_bytes), v->id, h.round});
    prev_id = v->id;
    prev_height = h.height;
  }
  note_certified(prev_height, peer);  // every block kept above carries a verified QC
  // Block i is committed when block i + 1 is certified and from the next round.
  size_t commit = 0;
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    if (chain[i + 1].round == chain[i].round + 1) commit = i + 1;
  }
  std::optional<Bytes> boundary_proof;
  if (pending_change_) {
    // The epoch's last block commits only with its commit proof; nothing after it in this epoch.
    const uint64_t end = pending_change_->effective_after;
    while (commit > 0 && tip_.height + commit >= end) --commit;
    if (end > tip_.height && end - tip_.height <= chain.size() && !resp.commit_proof().empty()) {
      const Checked& last = chain[end - tip_.height - 1];
      Bytes proof(resp.commit_proof().begin(), resp.commit_proof().end());
      auto cp = decode_commit_proof(proof, chain_id_, limits());
      const bool ok = cp.ok() && cp->child.header.parent_id == last.id && cp->child.header.round == last.round + 1 &&
                      cp->child.header.epoch == core_->epoch() && [&] {
                        auto qc = verify_qc(cp->qc, ctx);
                        return qc.ok() && qc->block_id == cp->child.id && qc->round == cp->child.header.round;
                      }();
      if (ok) {
        commit = end - tip_.height;
        boundary_proof = std::move(proof);
      } else {
        spdlog::warn("sync: peer {} sent an invalid commit proof for the last block of epoch {}", p2p::short_key(peer),
                     core_->epoch());
      }
    }
  }
  if (commit == 0) return;
  const uint64_t from = tip_.height + 1;
  for (size_t i = 0; i < commit; ++i) {
    const bool boundary = boundary_proof && i + 1 == commit;
    Status st = apply_block(chain[i].block, chain[i].id, tip_.height + 1, chain[i].qc, boundary ? &*boundary_proof : nullptr);
    if (!st.ok()) {
      spdlog::error("sync: cannot apply block {}: {}", tip_.height + 1, st.error().to_string());
      return;
    }
    m_synced_blocks_.inc();
  }
  spdlog::info("sync: applied heights {}..{} from peer {} (its tip {})", from, tip_.height, p2p::short_key(peer),
               resp.tip_height());
  if (failed_) return;
  make_core();
  // Go on while a certified height is ahead, or while this peer's claim is and its answers make progress.
  const bool claim_ahead = sync_.hint > tip_.height + 1 && sync_.hint_peer == peer && now_ms_ - sync_.hint_ms < kClaimTtlMs;
  if (sync_.target > tip_.height + 1 || claim_ahead) request_sync(peer, now_ms_);
}

}  // namespace docket::node
