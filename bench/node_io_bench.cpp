// Figures of the node's IO layers: mempool admission and proposal selection, p2p frame coding,
// p2p message throughput between two Networks on loopback, and /metrics rendering.
#include <benchmark/benchmark.h>

#include <atomic>
#include <thread>

#include "ledger/api/metrics.h"
#include "ledger/crypto/sha256.h"
#include "ledger/node/mempool.h"
#include "ledger/p2p/frame.h"
#include "ledger/p2p/network.h"

using namespace docket;

namespace {

node::VerifiedTx make_tx(uint32_t sender, uint64_t nonce, size_t size) {
  node::VerifiedTx t;
  t.sender[0] = static_cast<uint8_t>(sender);
  t.sender[1] = static_cast<uint8_t>(sender >> 8);
  t.nonce = nonce;
  t.expiry_height = 1u << 30;
  t.raw = Bytes(size, 0x42);
  t.id[0] = static_cast<uint8_t>(sender);
  t.id[1] = static_cast<uint8_t>(sender >> 8);
  t.id[2] = static_cast<uint8_t>(nonce);
  t.id[3] = static_cast<uint8_t>(nonce >> 8);
  return t;
}

Status accept_all(const node::VerifiedTx&) { return ok_status(); }

}  // namespace

// Admission of 10k transactions (1000 senders x 10 nonces, 300 bytes) into an empty pool.
static void BM_MempoolAdd10k(benchmark::State& st) {
  std::vector<node::VerifiedTx> txs;
  for (uint64_t n = 0; n < 10; ++n)
    for (uint32_t s = 0; s < 1000; ++s) txs.push_back(make_tx(s, n, 300));
  for (auto _ : st) {
    st.PauseTiming();
    node::Mempool mp(node::MempoolLimits{}, accept_all);
    auto copy = txs;
    st.ResumeTiming();
    for (auto& t : copy) benchmark::DoNotOptimize(mp.add(std::move(t)).ok());
  }
  st.SetItemsProcessed(st.iterations() * static_cast<int64_t>(txs.size()));
}
BENCHMARK(BM_MempoolAdd10k)->Unit(benchmark::kMillisecond);

// Selecting a 2000-transaction proposal from a pool of 10k.
static void BM_MempoolSelect2000of10k(benchmark::State& st) {
  node::Mempool mp(node::MempoolLimits{}, accept_all);
  for (uint64_t n = 0; n < 10; ++n)
    for (uint32_t s = 0; s < 1000; ++s) (void)mp.add(make_tx(s, n, 300));
  auto next = [](const crypto::PublicKey&) { return uint64_t{0}; };
  for (auto _ : st) benchmark::DoNotOptimize(mp.select(2000, 4u << 20, 1, next));
  st.SetItemsProcessed(st.iterations() * 2000);
}
BENCHMARK(BM_MempoolSelect2000of10k)->Unit(benchmark::kMicrosecond);

static void BM_FrameEncodeDecode1KiB(benchmark::State& st) {
  pb::Envelope env;
  env.mutable_message()->set_type(pb::VOTE);
  env.mutable_message()->set_payload(std::string(1024, 'v'));
  for (auto _ : st) {
    Bytes frame = p2p::encode_frame(env);
    benchmark::DoNotOptimize(p2p::decode_envelope(ByteView(frame).subspan(p2p::kFrameHeaderBytes)).ok());
  }
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_FrameEncodeDecode1KiB);

namespace {
class CountingHandler : public p2p::NetworkHandler {
 public:
  std::atomic<uint64_t> received{0};
  std::atomic<bool> up{false};
  void on_peer_up(const p2p::PeerKey&) override { up = true; }
  void on_peer_down(const p2p::PeerKey&, p2p::DisconnectReason) override { up = false; }
  void on_message(const p2p::PeerKey&, p2p::MessageType, Bytes) override { received++; }
};
}  // namespace

// One-way message rate between two Networks on loopback (each with its own io thread), for
// payloads of st.range(0) bytes, sent in bursts of 1000 that fit the send queue.
static void BM_P2pLoopbackMessages(benchmark::State& st) {
  auto ka = crypto::SecretKey::generate(), kb = crypto::SecretKey::generate();
  const auto pa = ka.public_key(), pb_key = kb.public_key();
  CountingHandler ha, hb;
  p2p::NetworkConfig ca, cb;
  ca.chain = cb.chain = crypto::ChainBinding{"bench", crypto::sha256(as_bytes("bench genesis"))};
  ca.allowed_keys = cb.allowed_keys = {pa, pb_key};
  p2p::Network b(cb, std::move(kb), hb);
  if (!b.start().ok()) return st.SkipWithError("listen failed");
  ca.peers = {p2p::PeerAddress{"127.0.0.1", b.listen_port(), pb_key}};
  ca.listen = false;
  p2p::Network a(ca, std::move(ka), ha);
  if (!a.start().ok()) return st.SkipWithError("start failed");
  while (!ha.up) std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const Bytes payload(static_cast<size_t>(st.range(0)), 0x33);
  uint64_t sent = 0;
  for (auto _ : st) {
    for (int i = 0; i < 1000; ++i) (void)a.send(pb_key, p2p::MessageType::vote, payload);
    sent += 1000;
    while (hb.received < sent) std::this_thread::yield();
  }
  st.SetItemsProcessed(static_cast<int64_t>(sent));
  st.SetBytesProcessed(static_cast<int64_t>(sent * payload.size()));
}
BENCHMARK(BM_P2pLoopbackMessages)->Arg(128)->Arg(4096)->Unit(benchmark::kMillisecond)->UseRealTime();

// Rendering /metrics for a registry the size of a node's (about 60 series, 10 histograms).
static void BM_MetricsRender(benchmark::State& st) {
  metrics::Registry r;
  for (int i = 0; i < 50; ++i) r.counter("docket_c_total", "c", {{"i", std::to_string(i)}}).inc(static_cast<uint64_t>(i));
  for (int i = 0; i < 10; ++i)
    r.histogram("docket_h_seconds", "h", metrics::latency_buckets_seconds(), {{"route", std::to_string(i)}}).observe(0.01 * i);
  for (auto _ : st) benchmark::DoNotOptimize(r.render());
  st.SetItemsProcessed(st.iterations());
}
BENCHMARK(BM_MetricsRender)->Unit(benchmark::kMicrosecond);
