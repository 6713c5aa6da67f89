// A small metrics registry with Prometheus text exposition (format 0.0.4): counters, gauges
// (settable or computed at scrape time) and histograms, each optionally with labels.
//
// Metrics are created once (at start-up, or lazily for a bounded label set such as route x status)
// and then updated lock-free from any thread. The registry owns them; references stay valid for its
// lifetime. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace docket::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

class Gauge {
 public:
  void set(double v) { v_.store(v, std::memory_order_relaxed); }
  void add(double d) { v_.fetch_add(d, std::memory_order_relaxed); }
  double value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> v_{0};
};

// Cumulative buckets with upper bounds (plus +Inf), a sum and a count, as Prometheus expects.
class Histogram {
 public:
  // REQUIRES: bounds strictly increasing and not empty.
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);

  struct Snapshot {
    std::vector<double> bounds;
    std::vector<uint64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // bounds_.size() + 1, not cumulative
  std::atomic<double> sum_{0};
  std::atomic<uint64_t> count_{0};
};

// Latency buckets in seconds from 1 ms to 30 s.
std::vector<double> latency_buckets_seconds();

class Registry {
 public:
  // The metric with this name and labels, created on first use. Names are [a-zA-Z_:][a-zA-Z0-9_:]*;
  // one name has one type and one help text. REQUIRES (asserted): valid names, consistent types.
  Counter& counter(const std::string& name, const std::string& help, const Labels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const Labels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, const std::vector<double>& bounds,
                       const Labels& labels = {});
  // A gauge computed when scraped (e.g. the mempool size). fn runs on the scraping thread, under the
  // registry's lock: it must be thread-safe and must not use the registry. Replaces an earlier function of the same name and labels.
  void gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn, const Labels& labels = {});
  // The same for a counter kept elsewhere (e.g. the p2p layer's own counters); fn must not decrease.
  void counter_fn(const std::string& name, const std::string& help, std::function<double()> fn, const Labels& labels = {});

  // The Prometheus text exposition of every metric, families sorted by name.
  std::string render() const;

 private:
  enum class Type { counter, gauge, histogram };
  struct Family {
    Type type;
    std::string help;
    std::map<std::string, Counter*> counters;      // by rendered label set
    std::map<std::string, Gauge*> gauges;
    std::map<std::string, std::function<double()>> fns;  // computed at scrape time
    std::map<std::string, Histogram*> histograms;
  };
  Family& family(const std::string& name, const std::string& help, Type type);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
  std::deque<Counter> counters_;
  std::deque<Gauge> gauges_;
  std::deque<std::unique_ptr<Histogram>> histograms_;
};

}  // namespace docket::metrics
