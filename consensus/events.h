// The inputs of consensus::Core. Message events carry the raw bytes received from a peer; the core
// decodes and validates them itself and drops invalid ones with a Diagnostic (never an assertion).
#pragma once

#include <variant>
#include <vector>

#include "consensus/types.h"

namespace docket::consensus {

// `from` is the validator index of the authenticated peer connection the bytes came from. It is only
// a hint (where to fetch missing blocks); authority always comes from signatures.
struct ProposalReceived {
  ValidatorIndex from = 0;
  Bytes bytes;  // pb::Proposal
};
struct VoteReceived {
  ValidatorIndex from = 0;
  Bytes bytes;  // pb::Vote
};
struct TimeoutReceived {
  ValidatorIndex from = 0;
  Bytes bytes;  // pb::TimeoutMsg
};
// The local clock. Drives round timeouts and fetch retries; must not go backwards (smaller values are ignored).
struct Tick {
  uint64_t now_ms = 0;
};
// The answer to a FetchBlock: a pb::CertifiedBlock (block + the QC certifying it if the peer has it; a
// block without QC is accepted only if it was asked for, since its id authenticates it).
struct BlockFetched {
  ValidatorIndex from = 0;
  Bytes bytes;
};
// The application's answer to RequestPayload. payload_hash, exec_height and state_root go into the
// header as they are; the QC on that header then certifies them.
struct PayloadReady {
  Round round = 0;
  std::vector<Bytes> transactions;
  Bytes payload_hash;
  Height exec_height = 0;
  Bytes state_root;
};
// The application's answer to ValidatePayload.
struct PayloadVerdict {
  BlockId block_id{};
  bool ok = false;
};
// The validator set of the next epoch, effective after the block at height `effective_after` commits.
// Must arrive while the core's committed height is below effective_after (see docs/consensus.md).
struct EpochChange {
  ValidatorSet next;
  Height effective_after = 0;
};

using Event = std::variant<ProposalReceived, VoteReceived, TimeoutReceived, Tick, BlockFetched, PayloadReady,
                           PayloadVerdict, EpochChange>;

}  // namespace docket::consensus
