#include "support/http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <utility>

namespace essor::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

std::string HttpResult::header(const std::string& name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

std::vector<std::string> HttpResult::set_cookies() const {
  std::vector<std::string> out;
  const auto [first, last] = headers.equal_range("set-cookie");
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

std::string HttpResult::cookie(const std::string& name) const {
  for (const auto& line : set_cookies()) {
    if (line.rfind(name + "=", 0) == 0) {
      const auto end = line.find(';');
      return line.substr(name.size() + 1, end - name.size() - 1);
    }
  }
  return "";
}

nlohmann::json HttpResult::json() const {
  return nlohmann::json::parse(body);
}

HttpResult HttpClient::request(const std::string& method, const std::string& target,
                               const std::string& body,
                               const std::map<std::string, std::string>& headers) const {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  if (req.method() == http::verb::unknown) req.method_string(method);
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  for (const auto& [name, value] : headers) req.set(name, value);
  req.body() = body;
  req.prepare_payload();
  beast::error_code write_ec;
  // A server may answer (413) before it has read the whole body: read the
  // answer even when writing failed.
  http::write(stream, req, write_ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == "HEAD") parser.skip(true);
  beast::error_code ec;
  http::read(stream, buffer, parser, ec);
  if (ec && ec != http::error::end_of_stream) throw beast::system_error(ec);
  auto res = parser.release();
  HttpResult result;
  result.status = static_cast<int>(res.result_int());
  result.body = res.body();
  for (const auto& field : res) {
    std::string name(field.name_string().data(), field.name_string().size());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    result.headers.emplace(name, std::string(field.value().data(), field.value().size()));
  }
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  return result;
}

HttpResult HttpClient::json(const std::string& method, const std::string& target,
                            const nlohmann::json& body, const std::string& token) const {
  std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return request(method, target, body.dump(), headers);
}

HttpResult HttpClient::json(const std::string& method, const std::string& target,
                            const std::string& token) const {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return request(method, target, "", headers);
}

}  // namespace essor::testing
