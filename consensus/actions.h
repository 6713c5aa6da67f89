// The outputs of consensus::Core. The driver must carry them out IN ORDER: in particular a
// PersistSafety must be durable before any later action of the same vector is delivered, and a Commit
// must be applied before a later ValidatePayload is answered (see docs/consensus.md, driver contract).
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "consensus/types.h"

namespace docket::consensus {

enum class MessageKind { proposal, vote, timeout };
const char* message_kind_name(MessageKind k);

// Send bytes to one validator of the current epoch (by index).
struct SendTo {
  ValidatorIndex to = 0;
  MessageKind kind = MessageKind::vote;
  Bytes bytes;
};
// Store a block this replica is about to vote for (with its height, for pruning once committed or
// abandoned), durably, before the vote leaves: a QC's block must stay available from its honest voters
// across crashes. Pass the stored blocks back to the Core constructor on restart.
struct PersistBlock {
  BlockId id{};
  Height height = 0;
  Bytes block;
};
// Send bytes to every other validator of the current epoch (and observers, if the driver likes).
struct Broadcast {
  MessageKind kind = MessageKind::proposal;
  Bytes bytes;
};
// Write SafetyState bytes durably (replace the previous record) before delivering anything after it.
struct PersistSafety {
  Bytes state;
};
struct CommittedBlock {
  Bytes block;  // pb::Block bytes
  BlockId id{};
  Height height = 0;
  Round round = 0;
  Epoch epoch = 0;
  Bytes qc;     // the QC certifying this block (a commit certificate for its header, state_root included)
};
// Blocks that are now final, in height order, each extending the previous committed block. proof (a
// pb::CommitProof of the last block or of a later one) should be kept with the tip and passed back in
// CommittedTip::commit_proof on restart: it is how a replica proves its commits to replicas behind it,
// whose applications refuse proposals carrying a state they have not executed yet.
struct Commit {
  std::vector<CommittedBlock> blocks;
  Bytes proof;
};
// Ask validator `from` for the block with this id (pb::BlockRequest); feed the answer back as BlockFetched.
// A replica answers with Core::block_for_peer(id), else from its committed or persisted blocks.
struct FetchBlock {
  BlockId id{};
  ValidatorIndex from = 0;
};
// This replica leads `round`: ask the application for a payload on top of parent_id (at `height`).
// When must_be_empty, the epoch is ending and the block may carry no transactions.
struct RequestPayload {
  Round round = 0;
  BlockId parent_id{};
  Height height = 0;
  bool must_be_empty = false;
};
// Before voting: ask the application whether the payload and the header's exec_height / state_root
// match its own executed state; answer with PayloadVerdict.
struct ValidatePayload {
  BlockId block_id{};
  Bytes block;
};
// A new epoch began after committing the block at height start_after. epoch_proof (a pb::CommitProof
// of that block) must be kept for the whole epoch and passed back in CommittedTip::epoch_proof on
// restart: the core re-sends it to replicas still in the previous epoch.
struct EpochStarted {
  Epoch epoch = 0;
  ValidatorSet validators;
  Height start_after = 0;
  Bytes epoch_proof;
};
// Why input was dropped, or a notable event (equivocation, round change). For logs and the simulator's trace.
struct Diagnostic {
  enum class Level { debug, info, warn } level = Level::debug;
  std::string message;
};

using Action = std::variant<SendTo, Broadcast, PersistSafety, PersistBlock, Commit, FetchBlock, RequestPayload, ValidatePayload,
                            EpochStarted, Diagnostic>;

}  // namespace docket::consensus
