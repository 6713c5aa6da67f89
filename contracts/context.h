// What the contracts are given: the block context, the transaction, and (while one operation runs) a
// TxContext with the sender's member, the parameters, a state overlay and the events emitted so far.
#pragma once

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "contracts/state_access.h"
#include "ledger/crypto/schnorr.h"
#include "ledger/proto/operations.pb.h"
#include "ledger/proto/transaction.pb.h"

namespace docket::contracts {

// The only clock contracts know: the height and timestamp of the block being executed.
struct BlockContext {
  uint64_t height = 0;
  uint64_t time_ms = 0;
};

// A transaction as contracts take it. The node fills it from a verified transaction (signature,
// canonical encoding and chain id already checked): id, sender, body.nonce(), body.expiry_height(), body.
struct ContractTx {
  Hash32 id{};
  crypto::PublicKey sender{};
  uint64_t nonce = 0;
  uint64_t expiry_height = 0;
  pb::TxBody body;
};

struct TxContext {
  const BlockContext& block;
  const ContractTx& tx;
  const pb::Member& sender;  // the member that owns the sending key
  const pb::Params& params;
  StateOverlay& state;
  std::vector<pb::Event> events;

  using Attr = std::pair<std::string_view, std::string>;
  void emit(std::string_view kind, std::string_view subject, std::initializer_list<Attr> attrs = {}) {
    pb::Event& e = events.emplace_back();
    e.set_kind(std::string(kind));
    e.set_subject(std::string(subject));
    for (const auto& [k, v] : attrs) {
      auto* f = e.add_attributes();
      f->set_name(std::string(k));
      f->set_value(v);
    }
  }
};

}  // namespace docket::contracts
