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
}  // namespace

void Driver::note_peer_height(uint64_t height) { sync_.target = std::max(sync_.target, height); }

void Driver::maybe_sync(uint64_t now_ms) {
  if (sync_.outstanding && now_ms - sync_.sent_ms < kSyncTimeoutMs) return;
  sync_.outstanding = false;
  const bool behind = sync_.target > tip_.height + kSyncLag;
  const bool stalled = now_ms - last_commit_ms_ > kStallProbeMs && now_ms - sync_.last_probe_ms > kStallProbeMs;
  if (!behind && !stalled) return;
  auto peers = d_.network.connected_peers();
  if (peers.empty()) return;
  std::uniform_int_distribution<size_t> pick(0, peers.size() - 1);
  if (stalled && !behind) sync_.last_probe_ms = now_ms;
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
  note_peer_height(resp.tip_height());
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
  if (sync_.target > tip_.height + 1) request_sync(peer, now_ms_);
}

}  // namespace docket::node
