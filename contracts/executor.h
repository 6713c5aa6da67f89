// The contract executor: the two calls the node makes.
//
// check_tx: mempool admission against the state at the tip (sender is a member key, nonce not used
// yet, expiry in range, payload well-formed and within limits, the sender holds the role the operation
// needs). Cheap and read-only; passing it does not guarantee the transaction applies in a block.
//
// execute_block: applies a block's transactions in order to an overlay of the state at the parent
// height, with the block's height and time as the only clock. Deterministic: the same state, block
// context and transactions give the same writes, receipts and validator change on every node.
// A transaction refused by the rules does not abort the block: its receipt carries the reason.
//
// Nonces (docs/contracts.md, "Nonces"): the envelope checks come first (sender is a member key, nonce
// equals the account's next nonce, block height <= expiry_height <= height + max_tx_ttl_blocks). A
// transaction failing them changes nothing and consumes no nonce; it is not the sender's next action.
// A transaction passing them consumes its nonce whether its operation is applied or refused, so a
// refused transaction can never be replayed later, when the state might let it through, and the
// sender's following transactions stay valid.
//
// Pure functions of their arguments; thread-safe if the readers are.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "contracts/context.h"
#include "contracts/reason.h"
#include "contracts/state_access.h"

namespace docket::contracts {

// Future nonces the mempool may hold per sender beyond the next one.
inline constexpr uint64_t kMaxNonceAhead = 64;

struct TxReceipt {
  Hash32 tx_id{};
  Reason reason = Reason::ok;
  std::string message;
  std::vector<pb::Event> events;
  bool nonce_consumed = false;
  std::string sender_member;  // the member that sent it, empty if the key belongs to none
  bool ok() const { return reason == Reason::ok; }
};

// One event appended to a record's history: entry is the exact encoding of its pb::HistoryEntry,
// which the node stores and whose hash chain head the block's writes carry (history_chain.h).
struct HistoryAppend {
  std::string record_key;
  uint32_t tx_index = 0;
  uint16_t event_index = 0;
  Bytes entry;
};

struct BlockOutcome {
  Writes writes;                                   // record key -> new value / deletion, for the state tree
  std::vector<TxReceipt> receipts;                 // one per transaction, in block order
  std::vector<HistoryAppend> history;              // every event of the block, in order
  std::optional<pb::ValidatorSet> validator_change; // the new set, if governance changed it in this block
};

// Stateless: the op is present, well-formed and within limits. nullopt = fine.
std::optional<Rejection> check_operation(const pb::TxBody& body);

// tip_height: height of the state `tip` reflects; the transaction would go in tip_height + 1 or later.
TxResult check_tx(const StateReader& tip, uint64_t tip_height, const ContractTx& tx);

// An error only when the state could not be read; then nothing may be committed.
Result<BlockOutcome> execute_block(const StateReader& parent_state, const BlockContext& block,
                                   std::span<const ContractTx> txs);

pb::Receipt to_proto(const TxReceipt& r, uint64_t height, uint32_t index);

}  // namespace docket::contracts
