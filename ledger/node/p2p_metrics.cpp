#include "ledger/node/p2p_metrics.h"

namespace docket::node {

void register_p2p_metrics(metrics::Registry& registry, const p2p::Network& network) {
  const p2p::Network* net = &network;
  registry.gauge_fn("docket_p2p_peers", "Peers with a live authenticated session",
                    [net] { return static_cast<double>(net->stats().peers_connected); });
  auto counter = [&](const char* name, const char* help, uint64_t p2p::NetworkStats::*field) {
    registry.counter_fn(name, help, [net, field] { return static_cast<double>(net->stats().*field); });
  };
  counter("docket_p2p_frames_received_total", "Frames received from peers", &p2p::NetworkStats::frames_in);
  counter("docket_p2p_frames_sent_total", "Frames sent to peers", &p2p::NetworkStats::frames_out);
  counter("docket_p2p_bytes_received_total", "Bytes received from peers", &p2p::NetworkStats::bytes_in);
  counter("docket_p2p_bytes_sent_total", "Bytes sent to peers", &p2p::NetworkStats::bytes_out);
  counter("docket_p2p_dropped_queue_full_total", "Messages dropped because a peer's send queue was full",
          &p2p::NetworkStats::dropped_queue_full);
  counter("docket_p2p_dropped_not_connected_total", "Messages dropped because the peer had no live session",
          &p2p::NetworkStats::dropped_not_connected);
  counter("docket_p2p_dial_failures_total", "Failed dials to configured peers", &p2p::NetworkStats::dial_failures);
  for (size_t i = 0; i < p2p::kDisconnectReasonCount; ++i) {
    const auto reason = static_cast<p2p::DisconnectReason>(i);
    registry.counter_fn("docket_p2p_disconnects_total", "Closed peer connections by reason",
                        [net, reason] { return static_cast<double>(net->stats().disconnects_for(reason)); },
                        {{"reason", p2p::disconnect_reason_name(reason)}});
  }
}

}  // namespace docket::node
