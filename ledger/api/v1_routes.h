// The /v1 routes of docketd and /metrics: request validation (hex, hashes, keys, heights, JSON
// bodies), calls into the node's NodeApi, and the JSON of each answer (docs/api.md).
#pragma once

#include <chrono>

#include "ledger/api/metrics.h"
#include "ledger/api/node_api.h"
#include "ledger/api/router.h"

#include <nlohmann/json.hpp>

namespace docket::api {

struct V1Options {
  size_t max_tx_bytes = 64u << 10;              // a larger "tx" gets 413; docketd sets primitives::kMaxTxBytes
  std::chrono::milliseconds max_wait{60000};    // timeout_ms above this is lowered to it
  std::chrono::milliseconds default_wait{10000};  // with wait and no timeout_ms (capped by max_wait)
  size_t max_proof_key_bytes = 1024;
};

// Registers GET /v1/status, POST /v1/transactions, POST /v1/transactions/check,
// GET /v1/transactions/{id}, GET /v1/accounts/{pubkey}, GET /v1/documents/{hash},
// GET /v1/documents/{hash}/history, GET /v1/bl/{id}, GET /v1/bl/{id}/history, GET /v1/members,
// GET /v1/members/{id},
// GET /v1/blocks/{height} and GET /v1/proofs/{key}. The node must outlive the router.
void add_v1_routes(Router& router, NodeApi& node, const V1Options& options);

// Registers GET /metrics, the registry's Prometheus text. The registry must outlive the router.
void add_metrics_route(Router& router, const metrics::Registry& registry);

// The JSON forms of the answers, exposed for tests and for the wallet's fixtures.
nlohmann::json to_json(const NodeStatus& s);
nlohmann::json to_json(const SubmitResult& r);
nlohmann::json to_json(const CheckResult& r);
nlohmann::json to_json(const TxInfo& t);
nlohmann::json to_json(const AccountInfo& a);
nlohmann::json to_json(const HistoryEvent& e);
nlohmann::json to_json(const DocumentInfo& d);
nlohmann::json to_json(const BillOfLading& b);
nlohmann::json to_json(const HistoryPage& p);  // {"events", "total", "next"}
nlohmann::json to_json(const MemberInfo& m);
nlohmann::json to_json(const BlockInfo& b);
nlohmann::json to_json(const StateProof& p);

// HTTP status of a submission: 200 committed, 202 pending, 503 rejected for lack of room, 422 rejected.
int submit_http_status(const SubmitResult& r);

}  // namespace docket::api
