#include "bench/loadgen/load_driver.h"

#include <algorithm>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include "ledger/common/assert.h"

namespace docket::loadgen {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kBackoffMin{20};
constexpr milliseconds kBackoffMax{1000};
constexpr milliseconds kConnectTimeout{10000};
constexpr size_t kMaxResponseBytes = 64u << 10;

struct SenderState {
  const SenderPlan* plan = nullptr;
  size_t node = 0;
  size_t next = 0;  // index of the next transaction to send
  bool stopped = false;
  std::vector<Clock::time_point> first_sent;  // per transaction
};

class Load;

// One connection of one sender: sends one transaction at a time and waits for its commit.
class Slot {
 public:
  Slot(Load& load, SenderState& sender, const tcp::endpoint& ep, const std::string& host, const std::string& target);
  void start() { next(); }
  void abort();  // the drain ended: close, so that pending handlers complete

 private:
  void next();
  void send();
  void connect();
  void write();
  void read();
  void on_response();
  void on_error();
  void retry_later();
  void finish();

  Load& load_;
  SenderState& s_;
  tcp::endpoint ep_;
  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buf_;
  http::request<http::string_body> req_;
  std::optional<http::response_parser<http::string_body>> parser_;
  milliseconds backoff_ = kBackoffMin;
  size_t tx_ = 0;
  bool has_tx_ = false;
  bool connected_ = false;
  bool done_ = false;
};

class Load {
 public:
  Load(const std::vector<SenderPlan>& plans, const LoadConfig& cfg) : cfg_(cfg), window_timer_(ioc_), drain_timer_(ioc_) {
    for (const auto& n : cfg.nodes) {
      tcp::resolver resolver(ioc_);
      auto eps = resolver.resolve(n.host, n.port);
      DOCKET_ASSERT(!eps.empty());
      endpoints_.push_back(*eps.begin());
    }
    senders_.resize(plans.size());
    for (size_t i = 0; i < plans.size(); ++i) {
      senders_[i].plan = &plans[i];
      senders_[i].node = i % cfg.nodes.size();
      senders_[i].first_sent.resize(plans[i].requests.size());
    }
  }

  LoadResult run() {
    for (auto& s : senders_) {
      const auto& url = cfg_.nodes[s.node];
      for (size_t w = 0; w < cfg_.window; ++w)
        slots_.push_back(std::make_unique<Slot>(*this, s, endpoints_[s.node], url.host, url.base_path + "/v1/transactions"));
    }
    const auto t0 = Clock::now();
    window_start_ = t0 + cfg_.warmup;
    window_end_ = window_start_ + cfg_.duration;
    window_timer_.expires_at(window_start_);
    // A cancelled timer means every slot finished early (all senders stopped or out of transactions).
    window_timer_.async_wait([this](const beast::error_code& ec) {
      if (ec) return;
      window_opened_ = true;
      if (cfg_.on_window_start) cfg_.on_window_start();
      window_timer_.expires_at(window_end_);
      window_timer_.async_wait([this](const beast::error_code& ec) {
        if (ec) return;
        stopping_ = true;
        window_closed_ = true;
        if (cfg_.on_window_end) cfg_.on_window_end();
        drain_timer_.expires_after(cfg_.drain);
        drain_timer_.async_wait([this](const beast::error_code& ec) {
          if (ec) return;
          aborted_ = true;
          for (auto& slot : slots_) slot->abort();
        });
      });
    });
    live_ = slots_.size();
    for (auto& slot : slots_) slot->start();
    ioc_.run();
    result_.window_s = std::chrono::duration<double>(cfg_.duration).count();
    result_.window_complete = window_opened_ && window_closed_;
    for (const auto& s : senders_) {
      result_.senders_stopped += s.stopped;
      result_.senders_exhausted += !s.stopped && s.next == s.plan->requests.size();
    }
    return std::move(result_);
  }

  // Called by slots.
  bool stopping() const { return stopping_; }
  bool aborted() const { return aborted_; }
  LoadResult& result() { return result_; }
  asio::io_context& ioc() { return ioc_; }
  void on_sent_first(SenderState& s, size_t tx) {
    s.first_sent[tx] = Clock::now();
    ++result_.sent;
  }
  void on_committed(SenderState& s, size_t tx, const std::string& code) {
    const auto now = Clock::now();
    if (code == "ok") {
      ++result_.committed_ok;
    } else {
      ++result_.committed_failed;
      ++result_.failures["committed:" + code];
    }
    if (now >= window_start_ && now < window_end_) ++result_.committed_in_window;
    const auto sent = s.first_sent[tx];
    if (sent >= window_start_ && sent < window_end_)
      result_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - sent).count());
  }
  void on_slot_done() {
    DOCKET_ASSERT(live_ > 0);
    if (--live_ == 0) {
      // Every slot is done before the timers fired (all senders stopped or exhausted).
      window_timer_.cancel();
      drain_timer_.cancel();
    }
  }

 private:
  const LoadConfig& cfg_;
  asio::io_context ioc_;
  std::vector<tcp::endpoint> endpoints_;
  std::vector<SenderState> senders_;
  std::vector<std::unique_ptr<Slot>> slots_;
  asio::steady_timer window_timer_;
  asio::steady_timer drain_timer_;
  Clock::time_point window_start_, window_end_;
  bool stopping_ = false;
  bool aborted_ = false;
  bool window_opened_ = false;
  bool window_closed_ = false;
  size_t live_ = 0;
  LoadResult result_;
};

Slot::Slot(Load& load, SenderState& sender, const tcp::endpoint& ep, const std::string& host, const std::string& target)
    : load_(load), s_(sender), ep_(ep), stream_(load.ioc()), timer_(load.ioc()) {
  req_.method(http::verb::post);
  req_.target(target);
  req_.version(11);
  req_.set(http::field::host, host);
  req_.set(http::field::content_type, "application/json");
  req_.keep_alive(true);
}

void Slot::abort() {
  if (done_) return;
  timer_.cancel();
  beast::error_code ec;
  stream_.socket().close(ec);
}

void Slot::next() {
  has_tx_ = false;
  if (load_.stopping() || s_.stopped) return finish();
  if (s_.next == s_.plan->requests.size()) return finish();
  tx_ = s_.next++;
  has_tx_ = true;
  load_.on_sent_first(s_, tx_);
  send();
}

void Slot::send() {
  if (load_.aborted()) return finish();
  if (connected_) return write();
  connect();
}

void Slot::connect() {
  stream_.expires_after(kConnectTimeout);
  stream_.async_connect(ep_, [this](const beast::error_code& ec) {
    if (ec) return on_error();
    connected_ = true;
    write();
  });
}

void Slot::write() {
  req_.body() = s_.plan->requests[tx_];
  req_.prepare_payload();
  // The node answers a wait within its timeout_ms (capped by its max_wait, 60 s by default).
  stream_.expires_after(std::chrono::seconds(75));
  http::async_write(stream_, req_, [this](const beast::error_code& ec, size_t) {
    if (ec) return on_error();
    read();
  });
}

void Slot::read() {
  parser_.emplace();
  parser_->body_limit(kMaxResponseBytes);
  http::async_read(stream_, buf_, *parser_, [this](const beast::error_code& ec, size_t) {
    if (ec) return on_error();
    on_response();
  });
}

void Slot::on_response() {
  auto& res = parser_->get();
  const unsigned status = res.result_int();
  if (!res.keep_alive()) {
    beast::error_code ec;
    stream_.socket().close(ec);
    connected_ = false;
  }
  backoff_ = kBackoffMin;
  const auto body = nlohmann::json::parse(res.body(), nullptr, false);
  std::string code = "http_" + std::to_string(status);
  if (body.is_object()) {
    if (body.contains("code") && body["code"].is_string()) {
      code = body["code"].get<std::string>();
    } else if (body.contains("error") && body["error"].is_object() && body["error"].contains("code") &&
               body["error"]["code"].is_string()) {
      code = body["error"]["code"].get<std::string>();
    }
  }
  if (status == 200 && body.is_object() && body.value("status", "") == "committed") {
    load_.on_committed(s_, tx_, code);
    return next();
  }
  if (status == 202) {  // the wait ended first: send it again, which waits on the same transaction
    ++load_.result().wait_expired;
    return send();
  }
  if (status == 503) {
    ++load_.result().mempool_full;
    return retry_later();
  }
  ++load_.result().failures["refused:" + code];
  s_.stopped = true;
  next();
}

void Slot::on_error() {
  if (load_.aborted()) return finish();
  ++load_.result().connection_errors;
  beast::error_code ec;
  stream_.socket().close(ec);
  connected_ = false;
  retry_later();
}

void Slot::retry_later() {
  timer_.expires_after(backoff_);
  backoff_ = std::min(backoff_ * 2, kBackoffMax);
  timer_.async_wait([this](const beast::error_code&) { send(); });
}

void Slot::finish() {
  if (done_) return;
  done_ = true;
  if (has_tx_) ++load_.result().unfinished;
  has_tx_ = false;
  beast::error_code ec;
  stream_.socket().close(ec);
  load_.on_slot_done();
}

}  // namespace

LoadResult run_load(const std::vector<SenderPlan>& plans, const LoadConfig& cfg) {
  DOCKET_ASSERT(!cfg.nodes.empty() && cfg.window > 0);
  Load load(plans, cfg);
  return load.run();
}

}  // namespace docket::loadgen
