#include "ledger/node/file_io.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace docket::node {

namespace {
Error os_error(const std::string& what, const std::filesystem::path& file, int err) {
  return make_error(Errc::io_error, what + " " + file.string() + ": " + std::strerror(err));
}
}  // namespace

Status write_file_synced(const std::filesystem::path& file, std::string_view data, mode_t mode, bool exclusive) {
  const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC);
  const int fd = ::open(file.c_str(), flags, mode);
  if (fd < 0) {
    if (errno == EEXIST) return make_error(Errc::already_exists, file.string() + " already exists; not overwriting it");
    return os_error("cannot create", file, errno);
  }
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : EIO;
      ::close(fd);
      return os_error("cannot write", file, err);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int err = errno;
    ::close(fd);
    return os_error("cannot sync", file, err);
  }
  if (::close(fd) != 0) return os_error("cannot close", file, errno);
  return ok_status();
}

Status replace_file_atomically(const std::filesystem::path& file, std::string_view data, mode_t mode) {
  const std::filesystem::path tmp = file.string() + ".tmp";
  if (auto st = write_file_synced(tmp, data, mode, false); !st) {
    ::unlink(tmp.c_str());
    return st;
  }
  if (::rename(tmp.c_str(), file.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return os_error("cannot rename a temporary file onto", file, err);
  }
  return ok_status();
}

}  // namespace docket::node
