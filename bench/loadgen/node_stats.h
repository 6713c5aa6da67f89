// What the bench reads about each node process and its data directory, from /proc and the file
// system: CPU seconds (user + system, /proc/PID/stat), resident and peak resident memory (VmRSS and
// VmHWM of /proc/PID/status), and the bytes of the data directory. Linux only. Free functions.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>

#include "ledger/common/result.h"

namespace docket::loadgen {

struct ProcSample {
  double cpu_s = 0;          // utime + stime since the process started
  uint64_t rss_bytes = 0;    // VmRSS
  uint64_t peak_rss_bytes = 0;  // VmHWM: the highest RSS since the process started
};

// Errc::not_found when the process is gone.
Result<ProcSample> read_proc(pid_t pid);
// The calling process (the load generator itself).
ProcSample read_self();

// Sizes of the regular files under a data directory, except RocksDB's info logs (LOG, LOG.old.*),
// which grow with time rather than with data. Files that vanish during the walk (a compaction
// deleting its inputs) are skipped.
struct DataBytes {
  uint64_t total = 0;
  uint64_t tables = 0;  // *.sst: flushed and compacted data
  uint64_t wal = 0;     // *.log: the write-ahead log of what is still only in memtables
};
DataBytes data_bytes(const std::filesystem::path& dir);

}  // namespace docket::loadgen
