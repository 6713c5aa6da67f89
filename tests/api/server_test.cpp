// The HTTP server on a loopback socket: keep-alive, limits, timeouts, malformed requests, and
// asynchronous replies; after each abuse it still serves.
#include "ledger/api/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <atomic>
#include <thread>

#include "ledger/api/v1_routes.h"
#include "test_node_api.h"

using namespace docket;
using namespace docket::api;
using namespace std::chrono_literals;

namespace {

// A blocking HTTP/1.1 client on a raw socket, reading responses by Content-Length.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{3, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // No Catch2 assertions in here: clients also run on helper threads. A failed connect or send
    // shows up as a missing response.
    (void)::connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  ~Client() { ::close(fd_); }

  bool send(const std::string& s) { return ::send(fd_, s.data(), s.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(s.size()); }

  struct Reply {
    int status = 0;
    std::string head, body;
  };
  // nullopt when the connection closes (or times out) before a whole response.
  std::optional<Reply> read_response() {
    size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return std::nullopt;
    Reply r;
    r.head = buf_.substr(0, end);
    r.status = std::stoi(r.head.substr(9, 3));
    size_t length = 0;
    if (auto p = r.head.find("Content-Length: "); p != std::string::npos) length = std::stoul(r.head.substr(p + 16));
    while (buf_.size() < end + 4 + length)
      if (!fill()) return std::nullopt;
    r.body = buf_.substr(end + 4, length);
    buf_.erase(0, end + 4 + length);
    return r;
  }
  bool closed_by_server() {
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno == ECONNRESET);
  }

 private:
  bool fill() {
    char tmp[4096];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  int fd_;
  std::string buf_;
};

std::string get(const std::string& target, const std::string& extra = "") {
  return "GET " + target + " HTTP/1.1\r\nHost: x\r\n" + extra + "\r\n";
}
std::string post(const std::string& target, const std::string& body) {
  return "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct Server {
  test::TestNodeApi node;
  Router router;
  std::unique_ptr<HttpServer> http;
  explicit Server(ServerConfig cfg = {}) {
    cfg.listen_host = "127.0.0.1";
    cfg.listen_port = 0;
    add_v1_routes(router, node, V1Options{});
    http = std::make_unique<HttpServer>(cfg, router);
    REQUIRE(http->start().ok());
  }
  uint16_t port() const { return http->listen_port(); }
  bool serves() {
    Client c(port());
    c.send(get("/v1/status"));
    auto r = c.read_response();
    return r && r->status == 200;
  }
};

ServerConfig small_limits() {
  ServerConfig c;
  c.max_body_bytes = 1024;
  c.max_header_bytes = 1024;
  c.request_timeout = 300ms;
  return c;
}

}  // namespace

TEST_CASE("keep-alive serves several requests on one connection", "[api][server]") {
  Server s;
  Client c(s.port());
  c.send(get("/v1/status"));
  auto r1 = c.read_response();
  REQUIRE(r1);
  REQUIRE(r1->status == 200);
  REQUIRE_THAT(r1->head, Catch::Contains("Content-Type: application/json"));
  c.send(get("/v1/nowhere") + get("/v1/status"));  // pipelined
  auto r2 = c.read_response();
  auto r3 = c.read_response();
  REQUIRE(r2);
  REQUIRE(r2->status == 404);
  REQUIRE_THAT(r2->body, Catch::Contains("\"code\":\"not_found\""));
  REQUIRE(r3);
  REQUIRE(r3->status == 200);

  c.send(get("/v1/status", "Connection: close\r\n"));
  REQUIRE(c.read_response()->status == 200);
  REQUIRE(c.closed_by_server());
}

TEST_CASE("an oversized body gets 413 and the server keeps serving", "[api][server]") {
  Server s(small_limits());
  Client c(s.port());
  c.send(post("/v1/transactions", "{\"tx\":\"" + std::string(2000, 'a') + "\"}"));
  auto r = c.read_response();
  REQUIRE(r);
  REQUIRE(r->status == 413);
  REQUIRE_THAT(r->body, Catch::Contains("payload_too_large"));
  REQUIRE(c.closed_by_server());
  REQUIRE(s.serves());
}

TEST_CASE("oversized headers get 431", "[api][server]") {
  Server s(small_limits());
  Client c(s.port());
  c.send(get("/v1/status", "X-Junk: " + std::string(4000, 'j') + "\r\n"));
  auto r = c.read_response();
  REQUIRE(r);
  REQUIRE(r->status == 431);
  REQUIRE(s.serves());
}

TEST_CASE("malformed HTTP gets 400", "[api][server]") {
  Server s(small_limits());
  for (const std::string& bad : {std::string("NOT HTTP AT ALL\r\n\r\n"), std::string("GET /v1/status HTTP/9.9\r\n\r\n"),
                                std::string("GET /v1/status HTTP/1.1\r\nContent-Length: x\r\n\r\n")}) {
    INFO(bad);
    Client c(s.port());
    c.send(bad);
    auto r = c.read_response();
    REQUIRE(r);
    REQUIRE(r->status == 400);
    REQUIRE_THAT(r->body, Catch::Contains("\"error\""));
  }
  REQUIRE(s.serves());
}

TEST_CASE("a slow or idle client is disconnected after the request timeout", "[api][server]") {
  Server s(small_limits());
  Client idle(s.port());
  Client slow(s.port());
  slow.send("GET /v1/sta");  // never finishes
  REQUIRE(idle.closed_by_server());
  REQUIRE(slow.closed_by_server());
  REQUIRE(s.serves());
}

TEST_CASE("a waiting submission is answered asynchronously while others are served", "[api][server]") {
  Server s;
  s.node.commit_delay = 400ms;
  Client waiter(s.port());
  waiter.send(post("/v1/transactions", R"({"tx":"0a","wait":true,"timeout_ms":2000})"));
  // The io thread is free meanwhile.
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(s.serves());
  REQUIRE(std::chrono::steady_clock::now() - start < 400ms);
  auto r = waiter.read_response();
  REQUIRE(r);
  REQUIRE(r->status == 200);
  REQUIRE_THAT(r->body, Catch::Contains("\"status\":\"committed\""));
}

TEST_CASE("Expect: 100-continue is answered before the body is sent", "[api][server]") {
  Server s;
  Client c(s.port());
  const std::string body = R"({"tx":"0a0b"})";
  c.send("POST /v1/transactions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n"
         "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  auto cont = c.read_response();
  REQUIRE(cont);
  REQUIRE(cont->status == 100);
  c.send(body);
  auto r = c.read_response();
  REQUIRE(r);
  REQUIRE(r->status == 202);
}

TEST_CASE("several io threads serve concurrent keep-alive clients", "[api][server]") {
  ServerConfig cfg;
  cfg.threads = 2;
  Server s(cfg);
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&] {
      Client c(s.port());
      for (int i = 0; i < 25; ++i) {
        c.send(i % 2 ? get("/v1/status") : post("/v1/transactions", R"({"tx":"0a"})"));
        auto r = c.read_response();
        if (r && (r->status == 200 || r->status == 202)) ok++;
      }
    });
  for (auto& c : clients) c.join();
  REQUIRE(ok == 100);
}

TEST_CASE("connections above the limit are closed", "[api][server]") {
  ServerConfig cfg;
  cfg.max_connections = 2;
  Server s(cfg);
  Client a(s.port()), b(s.port());
  a.send(get("/v1/status"));
  b.send(get("/v1/status"));
  REQUIRE(a.read_response());
  REQUIRE(b.read_response());
  Client c(s.port());
  REQUIRE(c.closed_by_server());
}

TEST_CASE("start fails clearly when the port is taken", "[api][server]") {
  Server s;
  Router r;
  ServerConfig cfg;
  cfg.listen_host = "127.0.0.1";
  cfg.listen_port = s.port();
  HttpServer second(cfg, r);
  auto st = second.start();
  REQUIRE_FALSE(st.ok());
  REQUIRE(st.error().code == Errc::unavailable);
  cfg.listen_host = "localhost";
  HttpServer third(cfg, r);
  REQUIRE(third.start().error().code == Errc::invalid_argument);
}
