#include "ledger/api/metrics.h"

#include <catch2/catch.hpp>

using namespace docket::metrics;
using Catch::Contains;

TEST_CASE("counters and gauges render in Prometheus text format", "[api][metrics]") {
  Registry r;
  r.counter("docket_commits_total", "Blocks committed").inc(3);
  r.counter("docket_api_requests_total", "Requests", {{"route", "/v1/status"}, {"status", "200"}}).inc();
  r.counter("docket_api_requests_total", "Requests", {{"route", "/v1/status"}, {"status", "200"}}).inc();
  r.gauge("docket_height", "Committed height").set(42);
  double mempool = 7;
  r.gauge_fn("docket_mempool_txs", "Mempool size", [&] { return mempool; });
  mempool = 8;

  const std::string text = r.render();
  CHECK_THAT(text, Contains("# HELP docket_commits_total Blocks committed\n# TYPE docket_commits_total counter\n"
                            "docket_commits_total 3\n"));
  CHECK_THAT(text, Contains("docket_api_requests_total{route=\"/v1/status\",status=\"200\"} 2\n"));
  CHECK_THAT(text, Contains("# TYPE docket_height gauge\ndocket_height 42\n"));
  CHECK_THAT(text, Contains("docket_mempool_txs 8\n"));
}

TEST_CASE("histograms have cumulative buckets, +Inf, sum and count", "[api][metrics]") {
  Registry r;
  auto& h = r.histogram("docket_latency_seconds", "Latency", {0.1, 1}, {{"route", "x"}});
  h.observe(0.05);
  h.observe(0.1);  // on the bound: counted in that bucket
  h.observe(0.5);
  h.observe(7);
  const std::string text = r.render();
  CHECK_THAT(text, Contains("# TYPE docket_latency_seconds histogram\n"));
  CHECK_THAT(text, Contains("docket_latency_seconds_bucket{route=\"x\",le=\"0.10000000000000001\"} 2\n"));
  CHECK_THAT(text, Contains("docket_latency_seconds_bucket{route=\"x\",le=\"1\"} 3\n"));
  CHECK_THAT(text, Contains("docket_latency_seconds_bucket{route=\"x\",le=\"+Inf\"} 4\n"));
  CHECK_THAT(text, Contains("docket_latency_seconds_sum{route=\"x\"} 7.6500000000000004\n"));
  CHECK_THAT(text, Contains("docket_latency_seconds_count{route=\"x\"} 4\n"));
}

TEST_CASE("label values and help texts are escaped", "[api][metrics]") {
  Registry r;
  r.counter("c", "line1\nline2 \\", {{"v", "a\"b\\c\nd"}}).inc();
  const std::string text = r.render();
  CHECK_THAT(text, Contains("# HELP c line1\\nline2 \\\\\n"));
  CHECK_THAT(text, Contains("c{v=\"a\\\"b\\\\c\\nd\"} 1\n"));
}

TEST_CASE("the same name and labels give the same metric", "[api][metrics]") {
  Registry r;
  Counter& a = r.counter("x_total", "x");
  Counter& b = r.counter("x_total", "x");
  REQUIRE(&a == &b);
  Counter& c = r.counter("x_total", "x", {{"k", "v"}});
  REQUIRE(&a != &c);
}
