// A fresh directory under /tmp for one benchmark's database, removed with everything in it when the
// object goes out of scope. Shared by the bench/*_bench.cpp files.
#pragma once

#include <stdlib.h>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace docket::bench {

class BenchDir {
 public:
  explicit BenchDir(const std::string& name = "docket-bench") {
    std::string tmpl = "/tmp/" + name + "-XXXXXX";
    if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~BenchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  BenchDir(const BenchDir&) = delete;
  BenchDir& operator=(const BenchDir&) = delete;

  const std::string& path() const { return path_; }

  // Bytes of the regular files in the directory whose names end with `suffix` (all files if empty).
  uint64_t file_bytes(const std::string& suffix = "") const {
    uint64_t total = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(path_)) {
      const std::string name = e.path().filename().string();
      if (e.is_regular_file() && name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        total += e.file_size();
    }
    return total;
  }

 private:
  std::string path_;
};

}  // namespace docket::bench
