// The high-water mark: a small file beside the node's database recording how far this validator has
// durably gone (epoch, last round it voted or timed out in, committed height), written before every
// vote or timeout leaves the node. RocksDB keeps the same facts, but a damaged write-ahead log can
// lose a synced suffix of them without a word (a log cut short looks like a torn last record); the
// mark, in its own file, tells the node on start that its store is behind what it once reached. Such
// a node must not vote: its safety state (last voted round, lock) may be older than what it signed.
// It follows the chain without voting until its committed tip is past the mark (driver.cpp).
//
// File format (64 bytes, integers big-endian): "DHWM" | u32 version (1) | u64 epoch | u64 voted_round |
// u64 committed_height | tagged_hash("docket/high-water-mark/v1", the 32 bytes before it).
// Written atomically: temporary file, fsync, rename, fsync of the directory.
//
// Thread safety: HighWaterMarkFile is used by one thread at a time (the driver thread, or start-up).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "consensus/safety_state.h"
#include "ledger/common/bytes.h"
#include "ledger/common/result.h"
#include "ledger/storage/kv_store.h"

namespace docket::node {

// File name of the mark inside the data directory (RocksStore ignores it: RocksOptions::ignored_files).
inline constexpr const char* kHighWaterMarkFile = "hwm";
// Key of the consensus safety state in storage::Column::safety (written by the driver).
inline constexpr uint8_t kSafetyStateKey[] = {'s'};

struct HighWaterMark {
  static constexpr uint32_t kVersion = 1;
  static constexpr size_t kSize = 64;

  uint64_t epoch = 0;
  uint64_t voted_round = 0;       // highest round of `epoch` with a vote or timeout signed
  uint64_t committed_height = 0;  // committed height when that vote or timeout left

  Bytes encode() const;
  // Errc::corruption for a wrong size, magic or checksum; Errc::version_mismatch for another version.
  static Result<HighWaterMark> decode(ByteView bytes);
  // This mark raised to a vote or timeout in (epoch, round) at committed height `height`; never lower.
  HighWaterMark advanced(uint64_t epoch, uint64_t round, uint64_t height) const;
  bool operator==(const HighWaterMark&) const = default;
  std::string to_string() const;
};

class HighWaterMarkFile {
 public:
  explicit HighWaterMarkFile(std::filesystem::path data_dir);
  ~HighWaterMarkFile();
  HighWaterMarkFile(const HighWaterMarkFile&) = delete;
  HighWaterMarkFile& operator=(const HighWaterMarkFile&) = delete;

  const std::filesystem::path& path() const { return file_; }
  // nullopt: no mark. Errc::corruption (damaged), Errc::version_mismatch, Errc::io_error.
  Result<std::optional<HighWaterMark>> read() const;
  // Durable when it returns ok (Errc::io_error otherwise; the old mark is then still in place).
  Status write(const HighWaterMark& mark);

 private:
  std::filesystem::path dir_, file_, tmp_;
  int dir_fd_ = -1;  // kept open: one fsync of the directory per write, no open()
};

// The same three figures as the store holds them: the stored epoch, the safety state's last voted round
// (0 when it belongs to an earlier epoch or is absent), the last committed height.
struct StorePosition {
  uint64_t epoch = 0;
  uint64_t voted_round = 0;
  uint64_t committed_height = 0;
};
Result<StorePosition> store_position(const storage::KvStore& kv);

// The start-up check of a store against its mark.
struct MarkCheck {
  HighWaterMark mark;     // in force from now on (read, or written from the store)
  StorePosition store;
  bool behind = false;    // the store lost what the mark covers: no voting until recovered()
  bool created = false;   // no mark was there (a node from before marks existed): one was written
  std::string message;    // the one log line when behind or created
};
// Errors: a damaged or unreadable mark (refuse to start; the message names the file and what to do),
// an unreadable store, a failed write of a new mark.
Result<MarkCheck> check_high_water_mark(const storage::KvStore& kv, HighWaterMarkFile& file);

// Whether a node that started behind `mark` may vote again: its committed tip (height, round, epoch of
// the tip block) is above the marked height and, in the marked epoch, past the marked round (or the
// node is in a later epoch). Past that round every block it can vote for extends a committed block
// newer than any lock it may have lost.
bool recovered(const HighWaterMark& mark, uint64_t epoch, uint64_t tip_height, uint64_t tip_round, uint64_t tip_epoch);

// The safety state a core of a node that started behind `mark` runs with: in the marked epoch it never
// votes or times out in a round at or below the marked one.
consensus::SafetyState at_least_mark(consensus::SafetyState s, const HighWaterMark& mark);

}  // namespace docket::node
