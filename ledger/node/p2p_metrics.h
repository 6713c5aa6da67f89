// Exposes a p2p Network's counters in a metrics registry (computed at scrape time from
// Network::stats(), so the p2p layer needs no metrics dependency).
#pragma once

#include "ledger/api/metrics.h"
#include "ledger/p2p/network.h"

namespace docket::node {

// REQUIRES: the network outlives the registry's last scrape.
void register_p2p_metrics(metrics::Registry& registry, const p2p::Network& network);

}  // namespace docket::node
