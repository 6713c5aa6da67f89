#include "wallet/cli/common.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace docket::wallet::cli {

void fail(int code, const std::string& message) { throw ExitError{code, message}; }

void check(const Status& s, const std::string& context) {
  if (s.ok()) return;
  std::string msg = context.empty() ? s.error().message : context + ": " + s.error().message;
  fail(s.error().code == Errc::unavailable ? kUnreachable : kUsage, msg);
}

Status write_file(const std::string& path, const std::string& text, unsigned mode, bool sync) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return make_error(Errc::io_error, path + ": " + std::strerror(errno));
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return make_error(Errc::io_error, path + ": " + std::strerror(e));
    }
    off += static_cast<size_t>(n);
  }
  if ((sync && ::fsync(fd) != 0) || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return make_error(Errc::io_error, path + ": cannot sync file");
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    return make_error(Errc::io_error, path + ": " + std::strerror(e));
  }
  return ok_status();
}

Status sync_directory(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return make_error(Errc::io_error, dir + ": " + std::strerror(errno));
  int rc = ::syncfs(fd);
  ::close(fd);
  if (rc != 0) return make_error(Errc::io_error, dir + ": cannot sync the written files");
  return ok_status();
}

void add_node_option(CLI::App& cmd, NodeOptions& opts) {
  const char* env = std::getenv("DOCKET_NODE");
  opts.url = env && *env ? env : "http://127.0.0.1:26657";
  cmd.add_option("--node", opts.url, "Node HTTP API URL (default $DOCKET_NODE or http://127.0.0.1:26657)");
}

}  // namespace docket::wallet::cli
