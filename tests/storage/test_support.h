// Helpers shared by the storage tests: temporary directories under /tmp, opening a RocksStore that
// must open, and a real write failure (a file size limit) for the error paths.
#pragma once

#include <sys/resource.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "ledger/storage/rocksdb_store.h"

namespace docket::storage::test {

// A fresh directory under /tmp, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/docket-storage-test-XXXXXX";
    char* p = ::mkdtemp(tmpl.data());
    REQUIRE(p != nullptr);
    path_ = p;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline std::unique_ptr<RocksStore> open_rocks(const std::string& dir, const RocksOptions& options = {}) {
  auto s = RocksStore::open(dir, options);
  if (!s) FAIL("opening " << dir << ": " << s.error().to_string());
  return std::move(s.value());
}

// While alive, no file of this process may grow beyond `bytes`: a write past it fails with EFBIG, as a
// full disk fails with ENOSPC, through the same system call path. SIGXFSZ is ignored meanwhile.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved_) == 0);
    old_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit capped = saved_;
    capped.rlim_cur = bytes;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &capped) == 0);
  }
  ~FileSizeLimit() {
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*old_handler_)(int) = SIG_DFL;
};

inline Bytes b(std::string_view s) { return to_bytes(s); }

// Writes one key, synced, and requires it to succeed.
inline void put_one(KvStore& kv, Column c, ByteView key, ByteView value) {
  WriteBatch batch;
  batch.put(c, key, value);
  REQUIRE(kv.write(batch, true).ok());
}

}  // namespace docket::storage::test
