#include "ledger/node/node_key.h"

#include "ledger/node/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace docket::node {

namespace {
constexpr size_t kMaxKeyFileBytes = 4096;

Error io_error(const std::filesystem::path& file, const std::string& what) {
  return make_error(Errc::io_error, what + " " + file.string() + ": " + std::strerror(errno));
}
}  // namespace

Status write_node_key(const std::filesystem::path& file, const crypto::SecretKey& key) {
  nlohmann::json j = {{"public_key", to_hex(key.public_key())}, {"secret_key", to_hex(key.secret_bytes())}};
  const std::string text = j.dump(2) + "\n";
  return write_file_synced(file, text, 0600, /*exclusive=*/true);
}

Result<crypto::SecretKey> load_node_key(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    if (errno == ENOENT)
      return make_error(Errc::not_found, "node key file " + file.string() + " does not exist (run `docketd init`)");
    return io_error(file, "cannot stat node key file");
  }
  if (!S_ISREG(st.st_mode)) return make_error(Errc::invalid_argument, "node key file " + file.string() + " is not a regular file");
  if ((st.st_mode & 0077) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return make_error(Errc::unauthorized, "node key file " + file.string() + " has mode " + mode +
                                              "; others must not access it (chmod 600)");
  }
  if (static_cast<size_t>(st.st_size) > kMaxKeyFileBytes)
    return make_error(Errc::invalid_argument, "node key file " + file.string() + " is too large to be a key file");
  std::ifstream in(file, std::ios::binary);
  if (!in) return io_error(file, "cannot open node key file");
  std::stringstream ss;
  ss << in.rdbuf();

  const std::string where = "node key file " + file.string();
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::invalid_argument, where + " is not a JSON object");
  for (const auto& [k, v] : j.items())
    if (k != "public_key" && k != "secret_key") return make_error(Errc::invalid_argument, where + ": unknown field '" + k + "'");
  if (!j.contains("secret_key") || !j["secret_key"].is_string() || !j.contains("public_key") || !j["public_key"].is_string())
    return make_error(Errc::invalid_argument, where + " needs string fields public_key and secret_key");
  auto secret = hash_from_hex(j["secret_key"].get<std::string>());
  if (!secret) return make_error(Errc::invalid_argument, where + ": secret_key: " + secret.error().message);
  auto key = crypto::SecretKey::from_bytes(*secret);
  if (!key) return make_error(Errc::invalid_argument, where + ": secret_key: " + key.error().message);
  auto pub = crypto::public_key_from_hex(j["public_key"].get<std::string>());
  if (!pub) return make_error(Errc::invalid_argument, where + ": public_key: " + pub.error().message);
  if (*pub != key->public_key())
    return make_error(Errc::invalid_argument, where + ": public_key does not belong to secret_key");
  return std::move(key).value();
}

}  // namespace docket::node
