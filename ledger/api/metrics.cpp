#include "ledger/api/metrics.h"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "ledger/common/assert.h"

namespace docket::metrics {

namespace {

bool valid_name(const std::string& n, bool label) {
  if (n.empty()) return false;
  for (size_t i = 0; i < n.size(); ++i) {
    const char c = n[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!label && c == ':');
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string escape(const std::string& v, bool help) {
  std::string out;
  for (char c : v) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && !help) out += "\\\"";
    else out += c;
  }
  return out;
}

// {a="1",b="2"}, or "" for no labels.
std::string render_labels(const Labels& labels) {
  if (labels.empty()) return "";
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    DOCKET_ASSERT_MSG(valid_name(k, true), "invalid metric label name");
    if (out.size() > 1) out += ",";
    out += k + "=\"" + escape(v, false) + "\"";
  }
  return out + "}";
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A label set rendered with le="..." spliced in before the closing brace.
std::string with_le(const std::string& labels, const std::string& le) {
  const std::string item = "le=\"" + le + "\"";
  if (labels.empty()) return "{" + item + "}";
  return labels.substr(0, labels.size() - 1) + "," + item + "}";
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  DOCKET_ASSERT(!bounds_.empty());
  for (size_t i = 1; i < bounds_.size(); ++i) DOCKET_ASSERT(bounds_[i - 1] < bounds_[i]);
  for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0);
}

void Histogram::observe(double v) {
  size_t i = 0;
  while (i < bounds_.size() && v > bounds_[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(v, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  s.bounds = bounds_;
  uint64_t total = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    s.cumulative.push_back(total);
  }
  // The count is the +Inf bucket, so the exposition is consistent even while observations race.
  s.count = total;
  s.sum = sum_.load(std::memory_order_relaxed);
  return s;
}

std::vector<double> latency_buckets_seconds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, Type type) {
  DOCKET_ASSERT_MSG(valid_name(name, false), "invalid metric name");
  auto [it, inserted] = families_.try_emplace(name);
  if (inserted) {
    it->second.type = type;
    it->second.help = help;
  }
  DOCKET_ASSERT_MSG(it->second.type == type, "one metric name registered with two types");
  return it->second;
}

Counter& Registry::counter(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Family& f = family(name, help, Type::counter);
  Counter*& c = f.counters[render_labels(labels)];
  if (!c) c = &counters_.emplace_back();
  return *c;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, const Labels& labels) {
  std::lock_guard lock(mu_);
  Family& f = family(name, help, Type::gauge);
  Gauge*& g = f.gauges[render_labels(labels)];
  if (!g) g = &gauges_.emplace_back();
  return *g;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help, const std::vector<double>& bounds,
                               const Labels& labels) {
  std::lock_guard lock(mu_);
  Family& f = family(name, help, Type::histogram);
  Histogram*& h = f.histograms[render_labels(labels)];
  if (!h) h = histograms_.emplace_back(std::make_unique<Histogram>(bounds)).get();
  return *h;
}

void Registry::gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn,
                        const Labels& labels) {
  DOCKET_ASSERT(fn != nullptr);
  std::lock_guard lock(mu_);
  family(name, help, Type::gauge).fns[render_labels(labels)] = std::move(fn);
}

void Registry::counter_fn(const std::string& name, const std::string& help, std::function<double()> fn,
                          const Labels& labels) {
  DOCKET_ASSERT(fn != nullptr);
  std::lock_guard lock(mu_);
  family(name, help, Type::counter).fns[render_labels(labels)] = std::move(fn);
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::ostringstream out;
  for (const auto& [name, f] : families_) {
    static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
    out << "# HELP " << name << " " << escape(f.help, true) << "\n";
    out << "# TYPE " << name << " " << kTypes[static_cast<int>(f.type)] << "\n";
    for (const auto& [labels, c] : f.counters) out << name << labels << " " << c->value() << "\n";
    for (const auto& [labels, g] : f.gauges) out << name << labels << " " << number(g->value()) << "\n";
    for (const auto& [labels, fn] : f.fns) out << name << labels << " " << number(fn()) << "\n";
    for (const auto& [labels, h] : f.histograms) {
      const auto s = h->snapshot();
      for (size_t i = 0; i < s.bounds.size(); ++i)
        out << name << "_bucket" << with_le(labels, number(s.bounds[i])) << " " << s.cumulative[i] << "\n";
      out << name << "_bucket" << with_le(labels, "+Inf") << " " << s.cumulative.back() << "\n";
      out << name << "_sum" << labels << " " << number(s.sum) << "\n";
      out << name << "_count" << labels << " " << s.count << "\n";
    }
  }
  return out.str();
}

}  // namespace docket::metrics
