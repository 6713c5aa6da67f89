#include "wallet/keys/keystore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

#include "ledger/crypto/random.h"
#include "wallet/oa/js_format.h"

namespace docket::wallet::keys {
namespace {

constexpr int kFormat = 1;
constexpr size_t kSaltLen = 32, kIvLen = 12, kTagLen = 16, kKeyLen = 32;
// Bounds on parameters read from a file: enough for any sane setting, small enough that a hostile
// file cannot make us allocate gigabytes.
constexpr uint64_t kMinN = 1u << 10, kMaxN = 1u << 20;
constexpr uint32_t kMaxR = 32, kMaxP = 16;
constexpr uint64_t kMaxMem = 1ull << 30;
constexpr uintmax_t kMaxFileBytes = 64 * 1024;  // a keystore file is under 1 KB

// A byte buffer wiped on destruction.
struct SecretBuf {
  explicit SecretBuf(size_t n) : b(n) {}
  ~SecretBuf() { OPENSSL_cleanse(b.data(), b.size()); }
  Bytes b;
};

Result<void> scrypt(const Passphrase& pass, ByteView salt, const ScryptParams& p, SecretBuf& out) {
  if (EVP_PBE_scrypt(pass.str().data(), pass.str().size(), salt.data(), salt.size(), p.n, p.r, p.p, kMaxMem,
                     out.b.data(), out.b.size()) != 1)
    return make_error(Errc::internal, "scrypt failed (parameters n=" + std::to_string(p.n) + " r=" +
                                          std::to_string(p.r) + " p=" + std::to_string(p.p) + ")");
  return {};
}

std::string aad(const std::string& name, const std::string& chain_id, const crypto::PublicKey& pk,
                const ScryptParams& p, ByteView salt) {
  // Length-prefixed fields, so no two different headers give the same bytes.
  std::string out = "docket-keystore/v1";
  for (const std::string& f : {name, chain_id, to_hex(pk), std::to_string(p.n), std::to_string(p.r),
                               std::to_string(p.p), to_hex(salt)}) {
    out += '|';
    out += std::to_string(f.size());
    out += ':';
    out += f;
  }
  return out;
}

// AES-256-GCM. decrypt returns false when the tag does not verify.
bool gcm(bool encrypt, const SecretBuf& key, ByteView iv, const std::string& aad_text, ByteView in, uint8_t* out,
         uint8_t* tag) {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx) return false;
  int len = 0;
  bool ok = EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr, encrypt ? 1 : 0) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr) == 1 &&
            EVP_CipherInit_ex(ctx, nullptr, nullptr, key.b.data(), iv.data(), encrypt ? 1 : 0) == 1 &&
            EVP_CipherUpdate(ctx, nullptr, &len, reinterpret_cast<const uint8_t*>(aad_text.data()),
                             static_cast<int>(aad_text.size())) == 1 &&
            EVP_CipherUpdate(ctx, out, &len, in.data(), static_cast<int>(in.size())) == 1;
  if (ok && !encrypt) ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTagLen, tag) == 1;
  if (ok) ok = EVP_CipherFinal_ex(ctx, out + len, &len) == 1;
  if (ok && encrypt) ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTagLen, tag) == 1;
  EVP_CIPHER_CTX_free(ctx);
  return ok;
}

std::string now_utc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Error corrupt(const std::string& what) { return make_error(Errc::corruption, "corrupt keystore: " + what); }

Result<Bytes> hex_field(const oa::Json& obj, const char* key, size_t len) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return corrupt(std::string("\"") + key + "\" is missing");
  auto b = from_hex(it->get_ref<const std::string&>());
  if (!b.ok() || b->size() != len)
    return corrupt(std::string("\"") + key + "\" is not " + std::to_string(len) + " bytes of hex");
  return b;
}

Result<uint64_t> uint_field(const oa::Json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number() || it->get<double>() < 0 || it->get<double>() > 4294967296.0 ||
      it->get<double>() != static_cast<double>(static_cast<uint64_t>(it->get<double>())))
    return corrupt(std::string("\"") + key + "\" is not a whole number");
  return static_cast<uint64_t>(it->get<double>());
}

struct Parsed {
  KeyInfo info;
  Bytes salt, iv, ciphertext, tag;
};

Result<Parsed> parse(const std::string& text) {
  auto j = oa::parse_json(text);
  if (!j.ok()) return corrupt(j.error().message + " (truncated or edited file?)");
  if (!j->is_object()) return corrupt("not a JSON object");
  auto fmt = j->find("docket_keystore");
  if (fmt == j->end() || !fmt->is_number()) return corrupt("not a docket keystore file");
  if (fmt->get<double>() != kFormat)
    return make_error(Errc::version_mismatch, "keystore format " + oa::js_stringify(*fmt) + " is not supported");
  Parsed p;
  auto str = [&](const char* k) -> Result<std::string> {
    auto it = j->find(k);
    if (it == j->end() || !it->is_string()) return corrupt(std::string("\"") + k + "\" is missing");
    return it->get<std::string>();
  };
  auto name = str("name");
  if (!name.ok()) return name.error();
  p.info.name = *name;
  auto chain = str("chain_id");
  if (!chain.ok()) return chain.error();
  p.info.chain_id = *chain;
  auto created = str("created");
  p.info.created = created.ok() ? *created : "";
  auto pk = hex_field(*j, "public_key", 32);
  if (!pk.ok()) return pk.error();
  std::copy(pk->begin(), pk->end(), p.info.public_key.begin());
  auto kdf = j->find("kdf");
  auto cipher = j->find("cipher");
  if (kdf == j->end() || !kdf->is_object()) return corrupt("\"kdf\" is missing");
  if (cipher == j->end() || !cipher->is_object()) return corrupt("\"cipher\" is missing");
  if (!kdf->contains("name") || (*kdf)["name"] != "scrypt") return corrupt("kdf is not scrypt");
  if (!cipher->contains("name") || (*cipher)["name"] != "aes-256-gcm") return corrupt("cipher is not aes-256-gcm");
  auto n = uint_field(*kdf, "n"), r = uint_field(*kdf, "r"), pp = uint_field(*kdf, "p");
  if (!n.ok()) return n.error();
  if (!r.ok()) return r.error();
  if (!pp.ok()) return pp.error();
  if (*n < kMinN || *n > kMaxN || (*n & (*n - 1)) != 0 || *r < 1 || *r > kMaxR || *pp < 1 || *pp > kMaxP)
    return corrupt("scrypt parameters out of range");
  p.info.scrypt = {*n, static_cast<uint32_t>(*r), static_cast<uint32_t>(*pp)};
  auto salt = hex_field(*kdf, "salt", kSaltLen);
  auto iv = hex_field(*cipher, "iv", kIvLen);
  auto ct = hex_field(*cipher, "ciphertext", kKeyLen);
  auto tag = hex_field(*cipher, "tag", kTagLen);
  for (auto* x : {&salt, &iv, &ct, &tag})
    if (!x->ok()) return x->error();
  p.salt = *salt;
  p.iv = *iv;
  p.ciphertext = *ct;
  p.tag = *tag;
  return p;
}

}  // namespace

Passphrase::~Passphrase() { OPENSSL_cleanse(s_.data(), s_.size()); }

Status check_key_name(const std::string& name) {
  bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
  if (!ok) return make_error(Errc::invalid_argument, "key name must be 1-64 letters, digits, '_' or '-'");
  return ok_status();
}

Result<std::string> encrypt_key(const crypto::SecretKey& key, const std::string& name, const std::string& chain_id,
                                const Passphrase& pass, const ScryptParams& params) {
  DOCKET_TRY(check_key_name(name));
  if (chain_id.empty()) return make_error(Errc::invalid_argument, "a key needs a chain id");
  if (pass.str().size() < kMinPassphraseChars)
    return make_error(Errc::invalid_argument,
                      "the passphrase must have at least " + std::to_string(kMinPassphraseChars) + " characters");
  Bytes salt(kSaltLen), iv(kIvLen);
  crypto::random_bytes(salt.data(), salt.size());
  crypto::random_bytes(iv.data(), iv.size());
  SecretBuf dk(kKeyLen);
  DOCKET_TRY(scrypt(pass, salt, params, dk));
  auto pk = key.public_key();
  Bytes ct(kKeyLen);
  uint8_t tag[kTagLen];
  const auto& sk = key.secret_bytes();
  if (!gcm(true, dk, iv, aad(name, chain_id, pk, params, salt), ByteView(sk.data(), sk.size()), ct.data(), tag))
    return make_error(Errc::internal, "AES-256-GCM encryption failed");
  oa::Json j = oa::Json::object();
  j["docket_keystore"] = kFormat;
  j["name"] = name;
  j["chain_id"] = chain_id;
  j["public_key"] = to_hex(pk);
  j["created"] = now_utc();
  oa::Json kdf = oa::Json::object();
  kdf["name"] = "scrypt";
  kdf["n"] = params.n;
  kdf["r"] = params.r;
  kdf["p"] = params.p;
  kdf["salt"] = to_hex(salt);
  j["kdf"] = kdf;
  oa::Json cipher = oa::Json::object();
  cipher["name"] = "aes-256-gcm";
  cipher["iv"] = to_hex(iv);
  cipher["ciphertext"] = to_hex(ct);
  cipher["tag"] = to_hex(ByteView(tag, kTagLen));
  j["cipher"] = cipher;
  return oa::js_stringify_pretty(j) + "\n";
}

Result<KeyInfo> read_key_info(const std::string& text) {
  auto p = parse(text);
  if (!p.ok()) return p.error();
  return p->info;
}

Result<crypto::SecretKey> decrypt_key(const std::string& text, const Passphrase& pass,
                                      const std::string& expected_chain_id) {
  auto p = parse(text);
  if (!p.ok()) return p.error();
  if (!expected_chain_id.empty() && p->info.chain_id != expected_chain_id)
    return make_error(Errc::wrong_chain, "key \"" + p->info.name + "\" is for chain \"" + p->info.chain_id +
                                             "\", not \"" + expected_chain_id + "\"");
  SecretBuf dk(kKeyLen);
  DOCKET_TRY(scrypt(pass, p->salt, p->info.scrypt, dk));
  SecretBuf plain(kKeyLen);
  if (!gcm(false, dk, p->iv, aad(p->info.name, p->info.chain_id, p->info.public_key, p->info.scrypt, p->salt),
           p->ciphertext, plain.b.data(), p->tag.data()))
    return make_error(Errc::bad_signature, "wrong passphrase for key \"" + p->info.name +
                                               "\" (or the keystore file was altered)");
  auto sk = crypto::SecretKey::from_bytes(plain.b);
  if (!sk.ok()) return corrupt("decrypted key is not a valid secp256k1 key");
  if (sk->public_key() != p->info.public_key) return corrupt("decrypted key does not match the public key");
  return sk;
}

std::string Keystore::default_dir() {
  if (const char* env = std::getenv("DOCKET_KEYSTORE"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.docket/keys";
}

Status Keystore::save(const std::string& name, const std::string& text) const {
  DOCKET_TRY(check_key_name(name));
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return make_error(Errc::io_error, dir_ + ": " + ec.message());
  ::chmod(dir_.c_str(), 0700);
  std::string path = path_of(name);
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return make_error(Errc::io_error, tmp + ": " + std::strerror(errno));
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  // link() refuses to replace an existing key, unlike rename().
  if (ok && ::link(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    ::unlink(tmp.c_str());
    if (e == EEXIST) return make_error(Errc::already_exists, "a key named \"" + name + "\" already exists in " + dir_);
    return make_error(Errc::io_error, path + ": " + std::strerror(e));
  }
  ::unlink(tmp.c_str());
  if (!ok) return make_error(Errc::io_error, path + ": cannot write keystore file");
  return ok_status();
}

Result<std::string> Keystore::load_text(const std::string& name) const {
  DOCKET_TRY(check_key_name(name));
  std::ifstream in(path_of(name), std::ios::binary);
  if (!in) return make_error(Errc::not_found, "no key named \"" + name + "\" in " + dir_);
  std::error_code ec;
  auto size = std::filesystem::file_size(path_of(name), ec);
  if (ec || size > kMaxFileBytes) return corrupt(path_of(name) + " is not a keystore file (too large)");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text;
}

Result<KeyInfo> Keystore::info(const std::string& name) const {
  auto text = load_text(name);
  if (!text.ok()) return text.error();
  auto info = read_key_info(*text);
  if (!info.ok()) return make_error(info.error().code, path_of(name) + ": " + info.error().message);
  info->path = path_of(name);
  return info;
}

std::vector<KeyInfo> Keystore::list(std::vector<std::string>* problems) const {
  std::vector<KeyInfo> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir_, ec)) {
    if (!e.is_regular_file() || e.path().extension() != ".json") continue;
    auto i = info(e.path().stem().string());
    if (i.ok()) {
      out.push_back(*i);
    } else if (problems) {
      problems->push_back(i.error().message);
    }
  }
  std::sort(out.begin(), out.end(), [](const KeyInfo& a, const KeyInfo& b) { return a.name < b.name; });
  return out;
}

}  // namespace docket::wallet::keys
