#include "ledger/storage/disk_space.h"

#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace docket::storage {

namespace fs = std::filesystem;

namespace {

std::string mib(uint64_t bytes) {
  // One decimal, rounded up for the needed figure's sake: "0.1 MiB" rather than "0 MiB" for a few KiB.
  const uint64_t tenths = (bytes * 10 + (uint64_t{1} << 20) - 1) >> 20;
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " MiB";
}

}  // namespace

std::optional<uint64_t> free_bytes(const std::string& dir) {
  struct statvfs vfs{};
  if (::statvfs(dir.c_str(), &vfs) != 0) return std::nullopt;
  return static_cast<uint64_t>(vfs.f_bavail) * static_cast<uint64_t>(vfs.f_frsize);
}

Result<DiskSpace> disk_space(const std::string& dir) {
  std::error_code ec;
  fs::path probe = dir;
  while (!probe.empty() && !fs::exists(probe, ec)) {
    if (probe == probe.parent_path()) break;
    probe = probe.parent_path();
  }
  if (probe.empty()) probe = ".";
  struct statvfs vfs{};
  if (::statvfs(probe.c_str(), &vfs) != 0)
    return make_error(Errc::io_error, "cannot query the free space of '" + probe.string() + "': " + std::strerror(errno));
  DiskSpace out;
  out.free_bytes = static_cast<uint64_t>(vfs.f_bavail) * static_cast<uint64_t>(vfs.f_frsize);
  uint64_t logs = 0;
  if (fs::is_directory(dir, ec)) {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (e.path().extension() != ".log") continue;
      const auto size = e.file_size(ec);
      if (!ec) logs += size;
    }
  }
  out.needed_bytes = logs + kOpenHeadroomBytes;
  return out;
}

std::string disk_full_message(const std::string& dir, const DiskSpace& space) {
  return "disk full: '" + dir + "' has " + mib(space.free_bytes) + " free, at least " + mib(space.needed_bytes) +
         " are needed (free space on that filesystem or move data_dir)";
}

Status check_free_space(const std::string& dir) {
  auto space = disk_space(dir);
  if (!space) return space.error();
  if (space->free_bytes < space->needed_bytes) return make_error(Errc::io_error, disk_full_message(dir, *space));
  return ok_status();
}

}  // namespace docket::storage
