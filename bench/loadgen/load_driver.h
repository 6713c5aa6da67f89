// The closed-loop load: every sender keeps up to `window` registrations in flight against one node's
// API (sender i talks to node i mod N, as a client talks to its consortium's node), each as a
// POST /v1/transactions with "wait": true on its own keep-alive connection, so the answer arrives when
// the block holding it is durable on that node. Submit-to-commit latency is measured from the first
// time a transaction is sent to that answer.
//
// Phases: warm-up (load runs, nothing counted), the measured window (commits answered in it count
// towards the rate; transactions first sent in it give the latencies), then the drain (no new
// transactions; those in flight are awaited until they commit or the drain time ends).
//
// Answers: 200 committed (ok, or a contract reason: counted apart), 202 pending (the wait ended before
// the commit: the same transaction is sent again, which re-attaches to it), 503 (mempool full: back off
// 20 ms doubling up to 1 s, then resend), 422 and other errors (counted by code; the sender stops,
// since its later nonces could never commit), connection failures (reconnect with the same back-off).
//
// Runs an Asio event loop on the calling thread; not thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "bench/loadgen/workload.h"
#include "wallet/net/http_client.h"

namespace docket::loadgen {

struct LoadConfig {
  std::vector<wallet::net::Url> nodes;
  size_t window = 8;  // transactions in flight per sender
  std::chrono::milliseconds warmup{5000};
  std::chrono::milliseconds duration{60000};
  std::chrono::milliseconds drain{30000};
  // Called on the loop thread when the measured window opens and closes (to sample the nodes).
  std::function<void()> on_window_start;
  std::function<void()> on_window_end;
};

struct LoadResult {
  double window_s = 0;
  bool window_complete = false;      // false when every sender stopped before the window closed
  uint64_t sent = 0;                 // transactions sent at least once
  uint64_t committed_ok = 0;         // committed and executed: a document registered
  uint64_t committed_failed = 0;     // committed with a contract reason (by code in `failures`)
  uint64_t committed_in_window = 0;  // commits answered inside the measured window
  uint64_t mempool_full = 0;         // 503 answers (each followed by a back-off and a resend)
  uint64_t wait_expired = 0;         // 202 answers after a wait (resent)
  uint64_t connection_errors = 0;
  uint64_t unfinished = 0;           // still in flight when the drain ended
  uint64_t senders_exhausted = 0;    // senders that used all their pre-signed transactions
  uint64_t senders_stopped = 0;      // senders stopped by a refusal
  std::map<std::string, uint64_t> failures;  // contract reasons of committed failures, refusal codes
  std::vector<double> latencies_ms;  // of transactions first sent in the window, that committed
};

LoadResult run_load(const std::vector<SenderPlan>& plans, const LoadConfig& cfg);

}  // namespace docket::loadgen
