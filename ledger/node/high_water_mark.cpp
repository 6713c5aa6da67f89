#include "ledger/node/high_water_mark.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include "ledger/crypto/sha256.h"
#include "ledger/crypto/tags.h"
#include "ledger/node/driver.h"
#include "ledger/node/file_io.h"
#include "ledger/storage/block_store.h"
#include "ledger/storage/disk_space.h"
#include "ledger/storage/meta_store.h"

namespace docket::node {

namespace fs = std::filesystem;

namespace {

constexpr uint8_t kMagic[4] = {'D', 'H', 'W', 'M'};
constexpr size_t kBodySize = 32;

void append_u32_be(Bytes& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

uint64_t read_be(ByteView b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | b[at + i];
  return v;
}

}  // namespace

Bytes HighWaterMark::encode() const {
  Bytes out(kMagic, kMagic + 4);
  append_u32_be(out, kVersion);
  append_u64_be(out, epoch);
  append_u64_be(out, voted_round);
  append_u64_be(out, committed_height);
  const Hash32 sum = crypto::tagged_hash(crypto::tags::kHighWaterMark, out);
  out.insert(out.end(), sum.begin(), sum.end());
  return out;
}

Result<HighWaterMark> HighWaterMark::decode(ByteView bytes) {
  if (bytes.size() != kSize)
    return make_error(Errc::corruption, std::to_string(bytes.size()) + " bytes instead of " + std::to_string(kSize));
  if (!std::equal(kMagic, kMagic + 4, bytes.begin())) return make_error(Errc::corruption, "not a high-water mark file");
  const Hash32 sum = crypto::tagged_hash(crypto::tags::kHighWaterMark, bytes.subspan(0, kBodySize));
  if (!std::equal(sum.begin(), sum.end(), bytes.begin() + kBodySize)) return make_error(Errc::corruption, "checksum mismatch");
  const auto version = static_cast<uint32_t>(read_be(bytes, 4, 4));
  if (version != kVersion)
    return make_error(Errc::version_mismatch, "version " + std::to_string(version) + ", this node reads version " +
                                                  std::to_string(kVersion));
  HighWaterMark m;
  m.epoch = read_be(bytes, 8, 8);
  m.voted_round = read_be(bytes, 16, 8);
  m.committed_height = read_be(bytes, 24, 8);
  return m;
}

HighWaterMark HighWaterMark::advanced(uint64_t e, uint64_t round, uint64_t height) const {
  HighWaterMark m = *this;
  if (e > m.epoch) {
    m.epoch = e;
    m.voted_round = round;
  } else if (e == m.epoch) {
    m.voted_round = std::max(m.voted_round, round);
  }
  m.committed_height = std::max(m.committed_height, height);
  return m;
}

std::string HighWaterMark::to_string() const {
  return "epoch " + std::to_string(epoch) + ", voted round " + std::to_string(voted_round) + ", committed height " +
         std::to_string(committed_height);
}

// -------------------------------------------------------------------------------------------- file

HighWaterMarkFile::HighWaterMarkFile(fs::path data_dir)
    : dir_(std::move(data_dir)), file_(dir_ / kHighWaterMarkFile), tmp_(dir_ / (std::string(kHighWaterMarkFile) + ".tmp")) {}

HighWaterMarkFile::~HighWaterMarkFile() {
  if (dir_fd_ >= 0) ::close(dir_fd_);
}

Result<std::optional<HighWaterMark>> HighWaterMarkFile::read() const {
  std::error_code ec;
  if (!fs::exists(file_, ec)) {
    if (ec) return make_error(Errc::io_error, "cannot access " + file_.string() + ": " + ec.message());
    return std::optional<HighWaterMark>{};
  }
  std::ifstream in(file_, std::ios::binary);
  if (!in) return make_error(Errc::io_error, "cannot read " + file_.string() + ": " + std::strerror(errno));
  Bytes bytes;
  char c;
  // Read at most one byte past the expected size: enough to tell a wrong length, bounded for any file.
  while (bytes.size() <= HighWaterMark::kSize && in.get(c)) bytes.push_back(static_cast<uint8_t>(c));
  if (in.bad()) return make_error(Errc::io_error, "cannot read " + file_.string());
  auto m = HighWaterMark::decode(bytes);
  if (!m) return make_error(m.error().code, file_.string() + ": " + m.error().message);
  return std::optional<HighWaterMark>{*m};
}

Status HighWaterMarkFile::write(const HighWaterMark& mark) {
  if (dir_fd_ < 0) {
    dir_fd_ = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd_ < 0) return make_error(Errc::io_error, "cannot open directory " + dir_.string() + ": " + std::strerror(errno));
  }
  const Bytes bytes = mark.encode();
  const std::string_view data(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (Status st = write_file_synced(tmp_, data, 0600, /*exclusive=*/false); !st.ok()) {
    ::unlink(tmp_.c_str());
    auto space = storage::disk_space(dir_.string());
    if (space && space->free_bytes < space->needed_bytes)
      return make_error(Errc::io_error, "cannot write " + file_.string() + ": " + storage::disk_full_message(dir_.string(), *space));
    return st;
  }
  if (::rename(tmp_.c_str(), file_.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    return make_error(Errc::io_error, "cannot rename " + tmp_.string() + " onto " + file_.string() + ": " + std::strerror(err));
  }
  // The rename is durable only once the directory is.
  if (::fsync(dir_fd_) != 0)
    return make_error(Errc::io_error, "cannot sync directory " + dir_.string() + ": " + std::strerror(errno));
  return ok_status();
}

// ------------------------------------------------------------------------------------------- check

Result<StorePosition> store_position(const storage::KvStore& kv) {
  StorePosition p;
  storage::MetaStore meta(kv);
  auto epoch = meta.get_u64(meta_keys::kEpoch);
  if (!epoch) return epoch.error();
  p.epoch = epoch->value_or(0);
  auto s = kv.get(storage::Column::safety, kSafetyStateKey);
  if (!s) return s.error();
  if (*s) {
    auto decoded = consensus::SafetyState::decode(**s);
    if (!decoded) return make_error(Errc::corruption, "the stored safety state does not decode: " + decoded.error().message);
    if (decoded->epoch == p.epoch) p.voted_round = decoded->last_voted_round;
  }
  storage::BlockStore blocks(kv);
  auto h = blocks.latest_height();
  if (!h) return h.error();
  p.committed_height = h->value_or(0);
  return p;
}

Result<MarkCheck> check_high_water_mark(const storage::KvStore& kv, HighWaterMarkFile& file) {
  MarkCheck out;
  auto store = store_position(kv);
  if (!store) return store.error();
  out.store = *store;
  auto read = file.read();
  if (!read) {
    return make_error(read.error().code,
                      "the high-water mark " + read.error().message +
                          "; refusing to start, because the node cannot tell whether its store lost votes it signed. "
                          "If the store is known to be intact, remove " + file.path().string() +
                          " (a new mark is written from the store); otherwise rebuild the store from peers "
                          "(docs/operator.md)");
  }
  if (!*read) {
    out.mark = HighWaterMark{}.advanced(store->epoch, store->voted_round, store->committed_height);
    if (Status st = file.write(out.mark); !st.ok()) return st.error();
    out.created = store->committed_height > 0 || store->voted_round > 0 || store->epoch > 0;
    if (out.created)
      out.message = "no high-water mark in " + file.path().string() + "; wrote one from the store (" + out.mark.to_string() +
                    "): a loss of data before this start cannot be detected";
    return out;
  }
  out.mark = **read;
  const HighWaterMark& m = out.mark;
  std::vector<std::string> why;
  if (store->committed_height < m.committed_height)
    why.push_back("committed " + std::to_string(store->committed_height) + " < " + std::to_string(m.committed_height));
  if (store->epoch < m.epoch) {
    why.push_back("epoch " + std::to_string(store->epoch) + " < " + std::to_string(m.epoch));
  } else if (store->epoch == m.epoch && store->voted_round < m.voted_round) {
    why.push_back("voted round " + std::to_string(store->voted_round) + " < " + std::to_string(m.voted_round));
  }
  if (why.empty()) return out;
  out.behind = true;
  std::string list;
  for (const auto& w : why) list += (list.empty() ? "" : ", ") + w;
  out.message = "store is behind its high-water mark (" + list + "): not voting until re-synced past height " +
                std::to_string(m.committed_height) + (m.voted_round ? " and round " + std::to_string(m.voted_round) : "") +
                " of epoch " + std::to_string(m.epoch) + " from certified blocks";
  return out;
}

bool recovered(const HighWaterMark& mark, uint64_t epoch, uint64_t tip_height, uint64_t tip_round, uint64_t tip_epoch) {
  if (tip_height <= mark.committed_height) return false;
  if (epoch != mark.epoch) return epoch > mark.epoch;
  return tip_epoch == mark.epoch && tip_round > mark.voted_round;
}

consensus::SafetyState at_least_mark(consensus::SafetyState s, const HighWaterMark& mark) {
  if (s.epoch != mark.epoch || s.last_voted_round > mark.voted_round) return s;
  // Round mark + 1 too: the mark does not say whether a timeout was signed in the marked round, and a
  // second, different timeout there must not be signed. The messages kept for resending belong to
  // rounds now passed.
  s.last_voted_round = mark.voted_round + 1;
  s.last_vote.clear();
  s.last_timeout.clear();
  s.round_tc.clear();
  return s;
}

}  // namespace docket::node
