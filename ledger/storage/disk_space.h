// Free space on the filesystem of a database directory, and the space a node needs there to open its
// database and keep writing. A node that starts (or runs) on a full disk is told so in one line that
// names the directory and both figures, instead of failing somewhere inside RocksDB.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ledger/common/result.h"

namespace docket::storage {

// Headroom beyond the logs a reopen replays (and the reserve a write must leave free): a new preallocated write-ahead log (about 18 MiB with our
// 16 MiB column memtables), a new MANIFEST and OPTIONS file, and the info log.
inline constexpr uint64_t kOpenHeadroomBytes = uint64_t{32} << 20;

struct DiskSpace {
  uint64_t free_bytes = 0;    // available to this (unprivileged or not) process: statvfs f_bavail
  uint64_t needed_bytes = 0;  // the write-ahead logs in `dir` (a reopen may flush them into tables) + headroom
};

// Errc::io_error when the filesystem cannot be queried. `dir` or, when it does not exist yet, its
// nearest existing parent is measured.
Result<DiskSpace> disk_space(const std::string& dir);

// Bytes available on the filesystem of `dir` (one statvfs); nullopt when it cannot be queried.
std::optional<uint64_t> free_bytes(const std::string& dir);

// ok when `dir` has at least its needed space free; otherwise Errc::io_error with the one-line message
// "disk full: '<dir>' has N MiB free, at least M MiB are needed ...".
Status check_free_space(const std::string& dir);

// The same message for a failure that already happened (a write at run time that hit a full disk).
std::string disk_full_message(const std::string& dir, const DiskSpace& space);

}  // namespace docket::storage
