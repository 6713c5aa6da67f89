#include "ledger/api/server.h"

#include <array>
#include <atomic>
#include <optional>
#include <shared_mutex>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "ledger/api/errors.h"

namespace docket::api {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace {

// Whether replies may still be posted to the io_context. Shared with every pending Reply, which
// can outlive the server: it is checked, and the post made, under the lock that stop() takes.
struct Liveness {
  std::shared_mutex mu;
  bool alive = true;
};

Method method_of(http::verb v) {
  switch (v) {
    case http::verb::get: return Method::get;
    case http::verb::post: return Method::post;
    case http::verb::put: return Method::put;
    case http::verb::delete_: return Method::del;
    case http::verb::head: return Method::head;
    case http::verb::patch: return Method::patch;
    case http::verb::options: return Method::options;
    default: return Method::other;
  }
}

// A reply to wait for at most this much longer than the longest allowed wait.
constexpr std::chrono::seconds kReplyGrace{5};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, const ServerConfig& config, const Router& router, std::shared_ptr<Liveness> live,
              std::atomic<size_t>& connections)
      : stream_(std::move(socket)),
        reply_timer_(stream_.get_executor()),
        config_(config),
        router_(router),
        live_(std::move(live)),
        connections_(connections) {
    connections_++;
  }
  ~HttpSession() { connections_--; }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

 private:
  void read() {
    parser_.emplace();
    parser_->body_limit(config_.max_body_bytes);
    parser_->header_limit(static_cast<uint32_t>(config_.max_header_bytes));
    stream_.expires_after(config_.request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
  }

  // Clients such as curl send "Expect: 100-continue" with larger bodies and wait (about a second)
  // for a 100 Continue before sending the body; answer it instead of making them wait.
  void on_header(error_code ec, size_t n) {
    if (ec) return on_read(ec, n);
    const auto expect = parser_->get()[http::field::expect];
    if (!beast::iequals(expect, "100-continue") || parser_->is_done()) return read_body();
    continue_ = {http::status::continue_, parser_->get().version()};
    http::async_write(stream_, continue_, [self = shared_from_this()](error_code e, size_t) {
      if (e) return self->close();
      self->read_body();
    });
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(error_code ec, size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == http::error::partial_message)
      return close();
    if (ec == http::error::body_limit)
      return respond(error_response(413, "payload_too_large",
                                    "body larger than " + std::to_string(config_.max_body_bytes) + " bytes"),
                     false);
    if (ec == http::error::header_limit)
      return respond(error_response(431, "header_too_large", "request headers too large"), false);
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_target).category())
        return respond(error_response(400, "invalid_argument", "malformed HTTP request: " + ec.message()), false);
      return close();  // a socket error: nobody to answer
    }

    const auto& msg = parser_->get();
    Request req;
    req.method = method_of(msg.method());
    req.target = std::string(msg.target());
    if (auto ct = msg.find(http::field::content_type); ct != msg.end()) req.content_type = std::string(ct->value());
    req.body = msg.body();
    keep_alive_ = msg.keep_alive();
    version_ = msg.version();

    const uint64_t seq = ++seq_;
    awaiting_ = true;
    // A handler that never replies must not hold the connection forever.
    reply_timer_.expires_after(config_.max_wait + kReplyGrace);
    reply_timer_.async_wait([self = shared_from_this(), seq](error_code e) {
      if (e || !self->awaiting_ || self->seq_ != seq) return;
      spdlog::error("api: no reply to a request within {} ms", (self->config_.max_wait + kReplyGrace).count());
      self->respond(error_response(504, "timeout", "the node did not answer in time"), false);
    });

    std::weak_ptr<HttpSession> weak = weak_from_this();
    router_.dispatch(req, [weak, live = live_, seq](Response r) {
      std::shared_lock lock(live->mu);
      if (!live->alive) return;
      auto self = weak.lock();
      if (!self) return;
      net::post(self->stream_.get_executor(), [self, seq, r = std::move(r)]() mutable {
        if (!self->awaiting_ || self->seq_ != seq) return;
        self->respond(std::move(r), self->keep_alive_);
      });
    });
  }

  void respond(Response r, bool keep_alive) {
    awaiting_ = false;
    reply_timer_.cancel();
    res_ = {};
    res_.version(version_ ? version_ : 11);
    res_.result(static_cast<unsigned>(r.status));
    res_.set(http::field::server, "docketd");
    res_.set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) res_.set(k, v);
    res_.keep_alive(keep_alive);
    res_.body() = std::move(r.body);
    res_.prepare_payload();
    stream_.expires_after(config_.write_timeout);
    http::async_write(stream_, res_, [self = shared_from_this(), keep_alive](error_code ec, size_t) {
      if (ec || !keep_alive) return self->close();
      self->read();
    });
  }

  // Lingering close: stop sending, then read and discard for up to a second before closing, so a
  // client still sending (an oversized body) reads our error response instead of a reset.
  void close() {
    if (closing_) return;
    closing_ = true;
    error_code ignored;
    reply_timer_.cancel();
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::seconds(1));  // for all the reads below together
    drain();
  }
  void drain() {
    stream_.async_read_some(net::buffer(drain_buf_), [self = shared_from_this()](error_code ec, size_t) {
      if (ec) return self->stream_.close();  // EOF, the deadline, or an error
      self->drain();
    });
  }

  beast::tcp_stream stream_;
  net::steady_timer reply_timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  http::response<http::empty_body> continue_;
  const ServerConfig& config_;
  const Router& router_;
  std::shared_ptr<Liveness> live_;
  std::atomic<size_t>& connections_;
  bool keep_alive_ = false;
  unsigned version_ = 11;
  uint64_t seq_ = 0;
  bool awaiting_ = false;
  bool closing_ = false;
  std::array<char, 4096> drain_buf_{};
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(ServerConfig config, const Router& router)
      : config_(std::move(config)), router_(router), acceptor_(io_), retry_(io_) {
    DOCKET_ASSERT(config_.threads > 0);
  }
  ~Impl() { stop(); }

  Status start() {
    DOCKET_ASSERT(!started_);
    started_ = true;
    error_code ec;
    const auto address = net::ip::make_address(config_.listen_host, ec);
    if (ec) return make_error(Errc::invalid_argument, "API listen address '" + config_.listen_host + "' is not an IP address");
    const tcp::endpoint ep(address, config_.listen_port);
    acceptor_.open(ep.protocol(), ec);
    if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor_.bind(ep, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec)
      return make_error(Errc::unavailable, "cannot listen for HTTP on " + config_.listen_host + ":" +
                                               std::to_string(config_.listen_port) + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    accept();
    work_.emplace(net::make_work_guard(io_));
    running_ = true;
    for (size_t i = 0; i < config_.threads; ++i) threads_.emplace_back([this] { io_.run(); });
    spdlog::info("api: listening on {}:{}", config_.listen_host, port_);
    return ok_status();
  }

  void stop() {
    if (!running_.exchange(false)) return;
    {
      std::unique_lock lock(live_->mu);
      live_->alive = false;
    }
    net::post(io_, [this] {
      error_code ignored;
      acceptor_.close(ignored);
      retry_.cancel();
      work_.reset();
      io_.stop();
    });
    for (auto& t : threads_) t.join();
    threads_.clear();
  }

  uint16_t listen_port() const { return port_; }
  size_t connections() const { return connections_; }

 private:
  void accept() {
    acceptor_.async_accept(net::make_strand(io_), [this](error_code ec, tcp::socket socket) {
      if (!acceptor_.is_open()) return;
      if (ec) {
        spdlog::warn("api: accept failed: {}", ec.message());
        retry_.expires_after(std::chrono::milliseconds(100));
        retry_.async_wait([this](error_code e) {
          if (!e) accept();
        });
        return;
      }
      if (connections_ >= config_.max_connections) {
        spdlog::warn("api: refusing a connection: {} open", connections_.load());
        error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<HttpSession>(std::move(socket), config_, router_, live_, connections_)->start();
      }
      accept();
    });
  }

  const ServerConfig config_;
  const Router& router_;
  net::io_context io_;  // destroyed after everything below that uses it
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::vector<std::thread> threads_;
  std::shared_ptr<Liveness> live_ = std::make_shared<Liveness>();
  std::atomic<size_t> connections_{0};
  uint16_t port_ = 0;
  bool started_ = false;
  std::atomic<bool> running_{false};
};

HttpServer::HttpServer(ServerConfig config, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(config), router)) {}
HttpServer::~HttpServer() = default;
Status HttpServer::start() { return impl_->start(); }
void HttpServer::stop() { impl_->stop(); }
uint16_t HttpServer::listen_port() const { return impl_->listen_port(); }
size_t HttpServer::connections() const { return impl_->connections(); }

}  // namespace docket::api
