// The simulator's event queue: message deliveries, ticks, crashes, restarts, partitions and the
// replicas' local events, ordered by simulated time and then by scheduling order (so runs are
// deterministic). Owned by one World; not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <vector>

#include "consensus/actions.h"
#include "consensus/events.h"

namespace docket::sim {

// What travels between replicas: the core's messages plus the driver's block requests and answers.
enum class MsgType { proposal, vote, timeout, block_request, block_response };
const char* msg_name(MsgType t);
MsgType from_kind(consensus::MessageKind k);

struct Msg {
  MsgType type = MsgType::vote;
  size_t from_replica = 0;
  consensus::ValidatorIndex from_validator = 0;
  Bytes bytes;
};

enum class EvKind { deliver, tick, crash, restart, partition, heal, local, end_faults, inject };

struct SimEvent {
  uint64_t time = 0;
  uint64_t seq = 0;           // set by EventQueue::push: ties in time go in scheduling order
  EvKind kind = EvKind::tick;
  size_t replica = 0;
  uint64_t incarnation = 0;   // local events die with the replica incarnation that caused them
  Msg msg;                    // deliver
  std::optional<consensus::Event> local;  // local
  std::vector<int> sides;     // partition: each replica's side
  bool asymmetric = false;    // partition: only side 0 -> side 1 is cut
};

class EventQueue {
 public:
  void push(SimEvent ev) {
    ev.seq = seq_++;
    queue_.push(std::make_unique<SimEvent>(std::move(ev)));
  }
  bool empty() const { return queue_.empty(); }
  const SimEvent& top() const { return *queue_.top(); }
  // Removes and returns the earliest event. REQUIRES: !empty().
  SimEvent pop() {
    SimEvent ev = std::move(*queue_.top());
    queue_.pop();
    return ev;
  }

 private:
  struct Later {
    bool operator()(const std::unique_ptr<SimEvent>& a, const std::unique_ptr<SimEvent>& b) const {
      return a->time != b->time ? a->time > b->time : a->seq > b->seq;
    }
  };
  std::priority_queue<std::unique_ptr<SimEvent>, std::vector<std::unique_ptr<SimEvent>>, Later> queue_;
  uint64_t seq_ = 0;
};

}  // namespace docket::sim
