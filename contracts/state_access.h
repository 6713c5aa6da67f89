// How contracts see state: a StateReader (the node implements it over the state tree at one version)
// and a StateOverlay that collects writes on top of a reader without touching it. Contracts never see
// storage, so the same code runs in the node, the tests and the benchmarks.
//
// A StateOverlay is owned by one execution and used by one thread; the reader it wraps must outlive it.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "ledger/common/bytes.h"

namespace docket::contracts {

// Record key -> new value, or nullopt to delete. The same type as state::StateChanges.
using Writes = std::map<std::string, std::optional<Bytes>, std::less<>>;

class StateReader {
 public:
  virtual ~StateReader() = default;
  // The value of a record, nullopt when absent; an error only when the underlying store fails.
  virtual Result<std::optional<Bytes>> get(std::string_view key) const = 0;
  // Visits the records whose key starts with prefix, in key order, until visit returns false.
  using Visitor = std::function<bool(std::string_view key, ByteView value)>;
  virtual Status scan(std::string_view prefix, const Visitor& visit) const = 0;
};

class StateOverlay final : public StateReader {
 public:
  explicit StateOverlay(const StateReader& base) : base_(base) {}

  Result<std::optional<Bytes>> get(std::string_view key) const override;
  Status scan(std::string_view prefix, const Visitor& visit) const override;

  void put(std::string_view key, Bytes value) { writes_[std::string(key)] = std::move(value); }
  void del(std::string_view key) { writes_[std::string(key)] = std::nullopt; }
  // Takes over the writes of a nested overlay (one transaction's, once it is applied).
  void apply(const Writes& w);

  const Writes& writes() const { return writes_; }

 private:
  const StateReader& base_;
  Writes writes_;
};

}  // namespace docket::contracts
