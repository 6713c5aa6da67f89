#include "wallet/net/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace docket::wallet::net {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

Result<Url> parse_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0)
    return make_error(Errc::invalid_argument, "node URL must start with http:// (got \"" + url + "\")");
  std::string rest = url.substr(scheme.size());
  Url out;
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  if (slash != std::string::npos) out.base_path = rest.substr(slash);
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  size_t colon = hostport.rfind(':');
  if (colon != std::string::npos && hostport.find(']') == std::string::npos) {
    out.host = hostport.substr(0, colon);
    out.port = hostport.substr(colon + 1);
  } else {
    out.host = hostport;
    out.port = "80";
  }
  if (!out.host.empty() && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  if (out.host.empty() || out.port.empty() ||
      out.port.find_first_not_of("0123456789") != std::string::npos)
    return make_error(Errc::invalid_argument, "cannot read host and port from node URL \"" + url + "\"");
  return out;
}

Result<HttpResponse> HttpClient::request(const std::string& method, const std::string& path, const std::string& body) {
  boost::asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::error_code ec;
  std::string where = "node at http://" + url_.host + ":" + url_.port;
  tcp::resolver resolver(ioc);
  auto endpoints = resolver.resolve(url_.host, url_.port, ec);
  if (ec) return make_error(Errc::unavailable, "cannot resolve " + where + ": " + ec.message());
  stream.expires_after(timeout_);
  stream.connect(endpoints, ec);
  if (ec) return make_error(Errc::unavailable, "cannot reach " + where + ": " + ec.message());

  http::request<http::string_body> req{method == "POST" ? http::verb::post : http::verb::get,
                                        url_.base_path + path, 11};
  req.set(http::field::host, url_.host);
  req.set(http::field::user_agent, "docket-wallet");
  req.set(http::field::accept, "application/json");
  if (method == "POST") {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();
  stream.expires_after(timeout_);
  http::write(stream, req, ec);
  if (ec) return make_error(Errc::unavailable, "sending to " + where + ": " + ec.message());

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBytes);
  stream.expires_after(timeout_);
  http::read(stream, buffer, parser, ec);
  if (ec == http::error::body_limit)
    return make_error(Errc::too_large, "response from " + where + " is larger than the limit");
  if (ec) return make_error(Errc::unavailable, "reading from " + where + ": " + ec.message());
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
  HttpResponse out;
  out.status = static_cast<int>(parser.get().result_int());
  out.body = std::move(parser.get().body());
  return out;
}

}  // namespace docket::wallet::net
