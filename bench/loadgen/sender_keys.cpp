#include "bench/loadgen/sender_keys.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace docket::loadgen {

Status write_sender_keys(const std::string& path, size_t count, const std::string& prefix) {
  std::string text;
  for (size_t i = 0; i < count; ++i) {
    auto key = crypto::SecretKey::generate();
    text += prefix + std::to_string(i) + " " + to_hex(key.secret_bytes()) + " " + to_hex(key.public_key()) + "\n";
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(Errc::io_error, "cannot create " + path + " (it must not exist yet)");
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n <= 0) {
      ::close(fd);
      return make_error(Errc::io_error, "cannot write " + path);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) return make_error(Errc::io_error, "cannot write " + path);
  return ok_status();
}

Result<std::vector<SenderKey>> read_sender_keys(const std::string& path) {
  std::ifstream in(path);
  if (!in) return make_error(Errc::not_found, "cannot read " + path);
  std::vector<SenderKey> out;
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    auto bad = [&](const std::string& why) { return make_error(Errc::invalid_argument, path + ":" + std::to_string(n) + ": " + why); };
    std::istringstream fields(line);
    std::string id, secret_hex, public_hex, extra;
    if (!(fields >> id >> secret_hex >> public_hex) || (fields >> extra)) return bad("expected <member id> <secret hex> <public hex>");
    auto secret = hash_from_hex(secret_hex);
    if (!secret) return bad("secret key: " + secret.error().message);
    auto key = crypto::SecretKey::from_bytes(*secret);
    if (!key) return bad("secret key: " + key.error().message);
    auto pub = crypto::public_key_from_hex(public_hex);
    if (!pub || *pub != key->public_key()) return bad("the public key does not belong to the secret key");
    out.push_back(SenderKey{id, std::move(*key), *pub});
  }
  if (out.empty()) return make_error(Errc::invalid_argument, path + ": no sender keys");
  return out;
}

}  // namespace docket::loadgen
