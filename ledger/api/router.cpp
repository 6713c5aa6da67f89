#include "ledger/api/router.h"

#include <atomic>
#include <chrono>
#include <memory>

#include "ledger/api/errors.h"

namespace docket::api {

const char* method_name(Method m) {
  switch (m) {
    case Method::get: return "GET";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::del: return "DELETE";
    case Method::head: return "HEAD";
    case Method::patch: return "PATCH";
    case Method::options: return "OPTIONS";
    case Method::other: return "OTHER";
  }
  return "OTHER";
}

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;  // path starts with '/'
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool is_param(const std::string& seg) { return seg.size() > 2 && seg.front() == '{' && seg.back() == '}'; }

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return make_error(Errc::invalid_argument, "truncated %-escape");
      const int hi = hex_digit(s[i + 1]), lo = hex_digit(s[i + 2]);
      if (hi < 0 || lo < 0) return make_error(Errc::invalid_argument, "malformed %-escape");
      c = static_cast<char>(hi * 16 + lo);
      if (c == '\0') return make_error(Errc::invalid_argument, "%00 is not allowed");
      i += 2;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    out.push_back(c);
  }
  return out;
}

void Router::add(Method method, const std::string& pattern, Handler handler) {
  DOCKET_ASSERT(!pattern.empty() && pattern.front() == '/');
  std::vector<std::string> segments;
  for (auto s : split_path(pattern)) segments.emplace_back(s);
  routes_.push_back(Route{method, pattern, std::move(segments), std::move(handler)});
}

Reply Router::instrument(const std::string& route, Method method, Reply reply) const {
  // Whatever the handler does, the client gets one reply and the metrics count it once.
  struct State {
    std::atomic<bool> done{false};
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  };
  auto state = std::make_shared<State>();
  metrics::Registry* reg = metrics_;
  return [state, reply = std::move(reply), reg, route, method](Response r) {
    if (state->done.exchange(true)) return;
    if (reg) {
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - state->start).count();
      reg->counter("docket_api_requests_total", "HTTP API requests by route, method and status",
                   {{"route", route}, {"method", method_name(method)}, {"status", std::to_string(r.status)}})
          .inc();
      reg->histogram("docket_api_request_duration_seconds", "HTTP API request latency by route",
                     metrics::latency_buckets_seconds(), {{"route", route}})
          .observe(secs);
    }
    reply(std::move(r));
  };
}

void Router::dispatch(const Request& request, Reply reply) const {
  std::string_view target = request.target;
  const size_t q = target.find('?');
  const std::string_view path = target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);

  if (path.empty() || path.front() != '/') {
    return instrument("unmatched", request.method, std::move(reply))(
        error_response(400, "invalid_argument", "request target must be an absolute path"));
  }
  const auto segments = split_path(path);

  const Route* found = nullptr;
  std::string allowed;
  for (const auto& r : routes_) {
    if (r.segments.size() != segments.size()) continue;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i)
      match = is_param(r.segments[i]) ? !segments[i].empty() : r.segments[i] == segments[i];
    if (!match) continue;
    if (r.method == request.method) {
      found = &r;
      break;
    }
    allowed += (allowed.empty() ? "" : ", ") + std::string(method_name(r.method));
  }
  if (!found) {
    if (!allowed.empty()) {
      Response resp = error_response(405, "method_not_allowed",
                                     std::string(method_name(request.method)) + " is not allowed here; use " + allowed);
      resp.headers.emplace_back("Allow", allowed);
      return instrument("unmatched", request.method, std::move(reply))(std::move(resp));
    }
    return instrument("unmatched", request.method, std::move(reply))(
        error_response(404, "not_found", "no such route: " + std::string(path.substr(0, 200))));
  }

  Reply done = instrument(found->pattern, request.method, std::move(reply));
  Call call{request, {}, {}};
  for (size_t i = 0; i < segments.size(); ++i) {
    if (!is_param(found->segments[i])) continue;
    auto v = percent_decode(segments[i], false);
    if (!v) return done(error_response(400, "invalid_argument", "path: " + v.error().message));
    call.params[found->segments[i].substr(1, found->segments[i].size() - 2)] = std::move(*v);
  }
  size_t start = 0;
  while (start < query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view item = query.substr(start, amp - start);
    start = amp + 1;
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    auto key = percent_decode(item.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : item.substr(eq + 1), true);
    if (!key || !value) return done(error_response(400, "invalid_argument", "malformed query string"));
    if (!call.query.emplace(std::move(*key), std::move(*value)).second)
      return done(error_response(400, "invalid_argument", "repeated query parameter"));
  }
  found->handler(call, std::move(done));
}

}  // namespace docket::api
