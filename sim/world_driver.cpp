// World: the honest driver of each replica's core (carrying out its actions in order, as a node does)
// and the simulated network between replicas.
#include "sim/world.h"

#include <algorithm>
#include <ostream>

namespace docket::sim {

using namespace consensus;

const char* msg_name(MsgType t) {
  switch (t) {
    case MsgType::proposal: return "proposal";
    case MsgType::vote: return "vote";
    case MsgType::timeout: return "timeout";
    case MsgType::block_request: return "block-request";
    case MsgType::block_response: return "block-response";
  }
  return "?";
}

MsgType from_kind(MessageKind k) {
  switch (k) {
    case MessageKind::proposal: return MsgType::proposal;
    case MessageKind::vote: return MsgType::vote;
    case MessageKind::timeout: return MsgType::timeout;
  }
  return MsgType::vote;
}

void World::feed(Replica& r, const Event& e) {
  if (!r.up) return;
  auto actions = r.core->handle(e);
  apply(r, actions);
}

void World::apply(Replica& r, std::vector<Action>& actions) {
  std::optional<EpochChange> change;
  for (Action& a : actions) {
    if (!r.up) return;
    // Crash between actions: whatever follows is lost, exactly as on a real machine. Diagnostics
    // (more of them with --trace) draw no randomness, so tracing never changes a run.
    if (!std::holds_alternative<Diagnostic>(a) && opts_.crashes && net_.faults_enabled() &&
        rng_.chance(kCrashBetweenActions)) {
      crash(r);
      return;
    }
    std::visit([&](auto& x) { act(r, x, change); }, a);
  }
  if (change && r.up) feed(r, *change);
}

void World::act(Replica& r, SendTo& a, std::optional<EpochChange>&) {
  if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " send " << message_kind_name(a.kind) << " to v" << a.to
                                << "\n";
  if (r.role == Role::withhold && a.kind == MessageKind::vote) return;
  if (hiding(r, a.kind)) return;
  send_to_validator(r, a.to, from_kind(a.kind), a.bytes);
}

void World::act(Replica& r, Broadcast& a, std::optional<EpochChange>&) {
  if (opts_.trace) {
    *opts_.trace << "[" << now_ << "ms] r" << r.id << " broadcast " << message_kind_name(a.kind);
    if (a.kind == MessageKind::timeout) {
      if (auto t = decode_timeout(a.bytes, limits_for(r.core->validators()))) {
        *opts_.trace << " round " << t->round << " high_qc_round " << t->high_qc_round << (t->last_tc.empty() ? "" : " +tc");
      }
    } else if (a.kind == MessageKind::proposal) {
      if (auto p = decode_proposal(a.bytes, kChain, limits_for(r.core->validators())); p && !p->announcement) {
        *opts_.trace << " round " << p->block.header.round << " height " << p->block.header.height
                     << (p->tc.empty() ? "" : " +tc");
      }
    }
    *opts_.trace << "\n";
  }
  if (hiding(r, a.kind)) return;
  if (r.role == Role::equivocate && a.kind == MessageKind::proposal && r.core->self()) return equivocating_broadcast(r, a);
  for (ValidatorIndex v = 0; v < r.core->validators().size(); ++v) send_to_validator(r, v, from_kind(a.kind), a.bytes);
}

void World::act(Replica& r, PersistBlock& a, std::optional<EpochChange>&) { r.voted[a.id] = {a.height, a.block}; }

void World::act(Replica& r, PersistSafety& a, std::optional<EpochChange>&) {
  if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " persist safety state\n";
  r.safety = a.state;
}

void World::act(Replica& r, Commit& a, std::optional<EpochChange>& change) {
  for (const CommittedBlock& cb : a.blocks) {
    auto v = decode_block(cb.block, kChain, limits_for(epoch_sets_[0]));
    DOCKET_ASSERT_MSG(v.ok(), "core committed an undecodable block");
    const Header& h = v->header;
    if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " commits height " << cb.height << " round "
                                  << cb.round << " id " << to_hex(cb.id).substr(0, 12) << "\n";
    if (r.honest()) check_commit(r, cb, h);
    r.app.execute(cb.height, cb.block);
    r.tip.id = cb.id;
    r.tip.height = cb.height;
    r.tip.round = cb.round;
    r.tip.epoch = cb.epoch;
    r.tip.timestamp_ms = h.timestamp_ms;
    r.tip.qc = cb.qc;
    r.tip.commit_proof = a.proof;
    r.store.emplace(cb.id, encode_certified_block(cb.block, cb.qc));
    std::erase_if(r.voted, [&](const auto& kv) { return kv.second.first <= cb.height; });
    // The application schedules a validator-set change (here: rotate the order) every epoch_every heights.
    if (opts_.epoch_every > 0 && cb.height % opts_.epoch_every == 0 && !r.pending_change) {
      const Epoch next = r.core->epoch() + 1;
      while (epoch_sets_.size() <= next) {
        std::vector<crypto::PublicKey> k = epoch_sets_.back().keys();
        std::rotate(k.begin(), k.begin() + 1, k.end());
        epoch_sets_.emplace_back(std::move(k));
      }
      r.pending_change = EpochChange{epoch_sets_[next], cb.height + kEpochMargin};
      change = r.pending_change;
    }
  }
}

void World::act(Replica& r, FetchBlock& a, std::optional<EpochChange>&) {
  if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " fetch " << to_hex(a.id).substr(0, 12) << " from v" << a.from
                                << "\n";
  send_to_validator(r, a.from, MsgType::block_request, encode_block_request(a.id));
}

void World::act(Replica& r, RequestPayload& a, std::optional<EpochChange>&) {
  PayloadReady p = r.app.make_payload(a.round, r.key_id, r.salt++, a.must_be_empty);
  if (r.role == Role::bad_root) p.state_root = Bytes(32, 0xbd);
  schedule_local(r, std::move(p));
}

void World::act(Replica& r, ValidatePayload& a, std::optional<EpochChange>&) {
  const bool ok = r.app.validate(a.block, kChain, limits_for(r.core->validators()));
  schedule_local(r, PayloadVerdict{a.block_id, ok});
}

void World::act(Replica& r, EpochStarted& a, std::optional<EpochChange>&) {
  r.epoch = a.epoch;
  r.set = a.validators;
  r.tip.epoch_proof = a.epoch_proof;
  r.pending_change.reset();
  if (r.honest()) result_.epochs = std::max<uint64_t>(result_.epochs, a.epoch);
  if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " starts epoch " << a.epoch << "\n";
}

void World::act(Replica& r, Diagnostic& a, std::optional<EpochChange>&) {
  if (opts_.trace) *opts_.trace << "[" << now_ << "ms] r" << r.id << " " << a.message << "\n";
}

void World::send_to_validator(Replica& r, ValidatorIndex v, MsgType type, const Bytes& bytes, uint64_t extra_delay_ms) {
  const ValidatorSet& set = r.core->validators();
  if (v >= set.size()) return;
  if (type == MsgType::vote || type == MsgType::timeout) check_signed_send(r, type, bytes);
  const crypto::PublicKey& key = set.key(v);
  const ValidatorIndex from_v = r.core->self().value_or(0);
  for (auto& t : replicas_) {
    if (t->id == r.id || keys_[t->key_id] != key) continue;
    send(r, *t, type, from_v, bytes, extra_delay_ms);
  }
}

void World::send(Replica& from, Replica& to, MsgType type, ValidatorIndex from_v, const Bytes& bytes,
                 uint64_t extra_delay_ms) {
  if (type != MsgType::block_request && type != MsgType::block_response) {
    ++result_.messages;
    result_.bytes += bytes.size();
  }
  if (!net_.connected(from.id, to.id)) return;
  for (uint64_t delay : net_.deliveries(rng_)) {
    SimEvent ev;
    ev.time = now_ + delay + extra_delay_ms;
    ev.kind = EvKind::deliver;
    ev.replica = to.id;
    ev.msg = Msg{type, from.id, from_v, bytes};
    schedule(std::move(ev));
  }
}

void World::deliver(Replica& r, const Msg& m) {
  if (!r.up) return;
  if (opts_.trace) {
    *opts_.trace << "[" << now_ << "ms] r" << r.id << " <- " << msg_name(m.type) << " from r" << m.from_replica << " ("
                 << m.bytes.size() << " B)\n";
  }
  if (!r.honest() && m.type != MsgType::block_request && m.type != MsgType::block_response) {
    r.history.push_back(m);
    if (r.history.size() > 64) r.history.pop_front();
  }
  switch (m.type) {
    case MsgType::proposal:
      if (r.role == Role::equivocate || r.role == Role::withhold || r.role == Role::bad_root) byzantine_on_proposal(r, m);
      feed(r, ProposalReceived{m.from_validator, m.bytes});
      break;
    case MsgType::vote: feed(r, VoteReceived{m.from_validator, m.bytes}); break;
    case MsgType::timeout:
      if (r.role == Role::equivocate) byzantine_on_timeout(r, m);
      feed(r, TimeoutReceived{m.from_validator, m.bytes});
      break;
    case MsgType::block_request: {
      auto id = decode_block_request(m.bytes);
      if (!id) return;
      std::optional<Bytes> answer = r.core->block_for_peer(*id);
      if (!answer) {
        if (auto it = r.store.find(*id); it != r.store.end()) answer = it->second;
      }
      if (!answer) {
        if (auto it = r.voted.find(*id); it != r.voted.end()) answer = encode_certified_block(it->second.second, {});
      }
      if (answer) send(r, *replicas_[m.from_replica], MsgType::block_response, r.core->self().value_or(0), *answer);
      break;
    }
    case MsgType::block_response: feed(r, BlockFetched{m.from_validator, m.bytes}); break;
  }
}

}  // namespace docket::sim
