#include "contracts/executor.h"

#include "contracts/bills.h"
#include "contracts/documents.h"
#include "contracts/governance.h"
#include "contracts/history_chain.h"
#include "contracts/records.h"

namespace docket::contracts {

namespace {

struct Sender {
  pb::Account account;
  pb::Member member;
};

Result<pb::Params> load_params(const StateReader& state) {
  auto p = load<pb::Params>(state, kParamsKey);
  if (!p) return p.error();
  if (!*p) return make_error(Errc::corruption, "no params record (state without genesis?)");
  return std::move(**p);
}

// The sender's account and member, or why the key may not send.
TxResult load_sender(const StateReader& state, const crypto::PublicKey& key, Sender& out) {
  auto a = load<pb::Account>(state, account_key(key));
  if (!a) return a.error();
  if (!*a || (*a)->member_id().empty()) return rejected(Reason::unknown_sender, "key " + to_hex(key) + " belongs to no member");
  out.account = std::move(**a);
  auto m = load<pb::Member>(state, member_key(out.account.member_id()));
  if (!m) return m.error();
  if (!*m) return make_error(Errc::corruption, "account names a missing member");
  out.member = std::move(**m);
  return accepted();
}

// The role an operation needs whatever its target; finer checks happen when it runs.
std::optional<std::string> required_role(const pb::TxBody& body) {
  switch (body.op_case()) {
    case pb::TxBody::kDocumentIssue: return issuer_role(body.document_issue().document_type());
    case pb::TxBody::kBlIssue: return std::string(kRoleCarrier);
    case pb::TxBody::kGovPropose:
    case pb::TxBody::kGovVote: return std::string(kRoleAdmin);
    default: return std::nullopt;
  }
}

TxResult dispatch(TxContext& ctx) {
  const pb::TxBody& b = ctx.tx.body;
  switch (b.op_case()) {
    case pb::TxBody::kDocumentIssue: return document_issue(ctx, b.document_issue());
    case pb::TxBody::kDocumentRevoke: return document_revoke(ctx, b.document_revoke());
    case pb::TxBody::kDocumentSupersede: return document_supersede(ctx, b.document_supersede());
    case pb::TxBody::kBlIssue: return bl_issue(ctx, b.bl_issue());
    case pb::TxBody::kBlAction: return bl_action(ctx, b.bl_action());
    case pb::TxBody::kGovPropose: return gov_propose(ctx, b.gov_propose());
    case pb::TxBody::kGovVote: return gov_vote(ctx, b.gov_vote());
    case pb::TxBody::OP_NOT_SET: break;
  }
  return rejected(Reason::malformed, "transaction has no operation");
}

Result<TxReceipt> execute_tx(StateOverlay& block_state, const BlockContext& block, const pb::Params& params,
                             const ContractTx& tx) {
  TxReceipt receipt;
  receipt.tx_id = tx.id;
  auto refuse = [&](const Rejection& r) {
    receipt.reason = r.reason;
    receipt.message = r.message;
    return receipt;
  };
  Sender sender;
  auto s = load_sender(block_state, tx.sender, sender);
  if (!s) return s.error();
  if (s->has_value()) return refuse(**s);
  receipt.sender_member = sender.member.id();
  if (tx.nonce != sender.account.nonce())
    return refuse({Reason::bad_nonce, "nonce " + std::to_string(tx.nonce) + ", expected " + std::to_string(sender.account.nonce())});
  if (block.height > tx.expiry_height) return refuse({Reason::expired, "expired at height " + std::to_string(tx.expiry_height)});
  if (tx.expiry_height - block.height > params.max_tx_ttl_blocks())
    return refuse({Reason::expired, "expiry_height further ahead than max_tx_ttl_blocks"});

  // From here on the nonce is spent, whatever the operation's outcome.
  sender.account.set_nonce(sender.account.nonce() + 1);
  store(block_state, account_key(tx.sender), sender.account);
  receipt.nonce_consumed = true;

  if (auto r = check_operation(tx.body)) return refuse(*r);
  StateOverlay tx_state(block_state);
  TxContext ctx{block, tx, sender.member, params, tx_state, {}};
  auto r = dispatch(ctx);
  if (!r) return r.error();
  if (r->has_value()) return refuse(**r);
  block_state.apply(tx_state.writes());
  receipt.events = std::move(ctx.events);
  return receipt;
}

// Appends the receipt's events to their records' histories: the entries for the store, the new
// chain heads into the state.
Status append_history(StateOverlay& state, const BlockContext& block, const TxReceipt& r, uint32_t tx_index,
                      std::vector<HistoryAppend>& out) {
  for (size_t e = 0; e < r.events.size(); ++e) {
    pb::HistoryEntry h;
    h.set_tx_id(to_field(r.tx_id));
    h.set_height(block.height);
    h.set_time_ms(block.time_ms);
    h.set_sender_member(r.sender_member);
    *h.mutable_event() = r.events[e];
    HistoryAppend a{r.events[e].subject(), tx_index, static_cast<uint16_t>(e), encode_record(h)};
    const std::string key = history_head_key(a.record_key);
    auto head = load<pb::HistoryHead>(state, key);
    if (!head) return head.error();
    pb::HistoryHead next;
    Hash32 prev{};
    if (*head) {
      next.set_count((*head)->count());
      if ((*head)->head().size() != prev.size()) return make_error(Errc::corruption, "history head of the wrong size: " + key);
      prev = to_hash((*head)->head());
    }
    const Hash32 h2 = next_history_head(prev, a.entry);
    next.set_count(next.count() + 1);
    next.set_head(h2.data(), h2.size());
    store(state, key, next);
    out.push_back(std::move(a));
  }
  return ok_status();
}

}  // namespace

std::optional<Rejection> check_operation(const pb::TxBody& body) {
  Problem p;
  switch (body.op_case()) {
    case pb::TxBody::kDocumentIssue: p = check_document_issue(body.document_issue()); break;
    case pb::TxBody::kDocumentRevoke: p = check_document_revoke(body.document_revoke()); break;
    case pb::TxBody::kDocumentSupersede: p = check_document_supersede(body.document_supersede()); break;
    case pb::TxBody::kBlIssue: p = check_bl_issue(body.bl_issue()); break;
    case pb::TxBody::kBlAction: p = check_bl_action(body.bl_action()); break;
    case pb::TxBody::kGovPropose: p = check_gov_propose(body.gov_propose()); break;
    case pb::TxBody::kGovVote: break;
    case pb::TxBody::OP_NOT_SET: p = malformed("transaction has no operation"); break;
  }
  return p;
}

TxResult check_tx(const StateReader& tip, uint64_t tip_height, const ContractTx& tx) {
  auto params = load_params(tip);
  if (!params) return params.error();
  Sender sender;
  CONTRACT_TRY(load_sender(tip, tx.sender, sender));
  if (tx.nonce < sender.account.nonce())
    return rejected(Reason::bad_nonce, "nonce " + std::to_string(tx.nonce) + " already used");
  if (tx.nonce - sender.account.nonce() > kMaxNonceAhead)
    return rejected(Reason::bad_nonce, "nonce too far ahead of the account's next nonce");
  const uint64_t next = tip_height + 1;
  if (tx.expiry_height < next) return rejected(Reason::expired, "expired at height " + std::to_string(tx.expiry_height));
  if (tx.expiry_height - next > params->max_tx_ttl_blocks())
    return rejected(Reason::expired, "expiry_height further ahead than max_tx_ttl_blocks");
  if (auto r = check_operation(tx.body)) return std::optional<Rejection>{*r};
  if (auto role = required_role(tx.body); role && !has_role(sender.member, *role))
    return rejected(Reason::missing_role, "needs role " + *role);
  return accepted();
}

Result<BlockOutcome> execute_block(const StateReader& parent_state, const BlockContext& block,
                                   std::span<const ContractTx> txs) {
  StateOverlay state(parent_state);
  auto before = parent_state.get(kValidatorsKey);
  if (!before) return before.error();
  BlockOutcome out;
  out.receipts.reserve(txs.size());
  for (const auto& tx : txs) {
    // Parameters may change within the block (a passed proposal); each transaction sees the latest.
    auto params = load_params(state);
    if (!params) return params.error();
    auto r = execute_tx(state, block, *params, tx);
    if (!r) return r.error();
    DOCKET_TRY(append_history(state, block, *r, static_cast<uint32_t>(out.receipts.size()), out.history));
    out.receipts.push_back(std::move(*r));
  }
  auto after = state.get(kValidatorsKey);
  if (!after) return after.error();
  if (*after != *before && *after) {
    pb::ValidatorSet vs;
    if (!vs.ParseFromArray((*after)->data(), static_cast<int>((*after)->size())))
      return make_error(Errc::corruption, "validators record does not decode");
    out.validator_change = std::move(vs);
  }
  out.writes = state.writes();
  return out;
}

pb::Receipt to_proto(const TxReceipt& r, uint64_t height, uint32_t index) {
  pb::Receipt p;
  p.set_tx_id(to_field(r.tx_id));
  p.set_height(height);
  p.set_index(index);
  p.set_code(static_cast<uint32_t>(r.reason));
  if (!r.ok()) p.set_reason(reason_name(r.reason));
  p.set_message(r.message);
  for (const auto& e : r.events) *p.add_events() = e;
  p.set_nonce_consumed(r.nonce_consumed);
  return p;
}

}  // namespace docket::contracts
