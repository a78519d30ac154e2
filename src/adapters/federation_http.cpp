#include "adapters/federation_http.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>

#include <cstring>
#include <memory>

namespace essor::adapters {

namespace {

constexpr std::size_t kMaxAnswer = 1024 * 1024;

struct Exchange {
  std::string body;
  bool too_big = false;
  bool allow_private = false;
  bool refused = false;
};

std::size_t on_data(char* data, std::size_t size, std::size_t count, void* user) {
  auto* exchange = static_cast<Exchange*>(user);
  const std::size_t bytes = size * count;
  if (exchange->body.size() + bytes > kMaxAnswer) {
    exchange->too_big = true;
    return 0;  // curl stops
  }
  exchange->body.append(data, bytes);
  return bytes;
}

// Called once connected, before the request is sent: the address is
// the one the bytes would go to.
int before_request(void* user, char* primary_ip, char* /*local_ip*/, int /*primary_port*/,
                   int /*local_port*/) {
  auto* exchange = static_cast<Exchange*>(user);
  if (!exchange->allow_private && is_private_address(primary_ip)) {
    exchange->refused = true;
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

struct CurlFree {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

core::Error failure(const std::string& message) {
  return core::Error{core::ErrorKind::unavailable, "remote_unavailable", message, {}};
}

}  // namespace

bool is_private_address(const std::string& ip) {
  unsigned char v4[4];
  if (inet_pton(AF_INET, ip.c_str(), v4) == 1) {
    return v4[0] == 0 || v4[0] == 10 || v4[0] == 127 || (v4[0] == 100 && (v4[1] & 0xC0) == 64) ||
           (v4[0] == 169 && v4[1] == 254) || (v4[0] == 172 && (v4[1] & 0xF0) == 16) ||
           (v4[0] == 192 && v4[1] == 168) || (v4[0] == 192 && v4[1] == 0 && v4[2] == 0) ||
           (v4[0] == 198 && (v4[1] & 0xFE) == 18) || v4[0] >= 224;
  }
  unsigned char v6[16];
  if (inet_pton(AF_INET6, ip.c_str(), v6) == 1) {
    static const unsigned char zero[16] = {};
    if (std::memcmp(v6, zero, 15) == 0 && (v6[15] == 0 || v6[15] == 1)) return true;  // :: and ::1
    if ((v6[0] & 0xFE) == 0xFC) return true;                   // fc00::/7 unique local
    if (v6[0] == 0xFE && (v6[1] & 0xC0) == 0x80) return true;  // fe80::/10 link local
    if (v6[0] == 0xFF) return true;                            // multicast
    // ::ffff:a.b.c.d, an IPv4 address written as IPv6.
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(v6, mapped, 12) == 0) {
      return is_private_address(std::to_string(v6[12]) + "." + std::to_string(v6[13]) + "." +
                                std::to_string(v6[14]) + "." + std::to_string(v6[15]));
    }
    return false;
  }
  return true;  // not an address: never trusted
}

core::Result<app::FederationClient::Response> FederationHttp::exchange(
    const std::string& method, const std::string& url,
    const std::map<std::string, std::string>& headers, const std::string* body) const {
  if (!url.starts_with("https://") && !url.starts_with("http://"))
    return failure("only http and https addresses are fetched");
  std::unique_ptr<CURL, CurlFree> curl(curl_easy_init());
  if (!curl) return failure("no HTTP client");
  Exchange state;
  state.allow_private = allow_private_;
  std::unique_ptr<curl_slist, ListFree> list;
  for (const auto& [name, value] : headers) {
    if (name == "Host" || name == "host") continue;  // curl writes the same from the address
    list.reset(curl_slist_append(list.release(), (name + ": " + value).c_str()));
  }
  // curl would add "Expect: 100-continue" to a large POST.
  list.reset(curl_slist_append(list.release(), "Expect:"));
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 10'000L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5'000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent_.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(c, CURLOPT_PREREQFUNCTION, before_request);
  curl_easy_setopt(c, CURLOPT_PREREQDATA, &state);
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxAnswer));
  if (method == "POST" && body) {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body->size()));
  }
  const CURLcode done = curl_easy_perform(c);
  if (state.refused) return failure("a private or loopback address is never fetched");
  if (state.too_big) return failure("the answer is over 1 MiB");
  if (done != CURLE_OK)
    return failure(std::string("the server did not answer: ") + curl_easy_strerror(done));
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return Response{static_cast<int>(status), std::move(state.body)};
}

core::Result<app::FederationClient::Response> FederationHttp::get(
    const std::string& url, const std::map<std::string, std::string>& headers) const {
  return exchange("GET", url, headers, nullptr);
}

core::Result<app::FederationClient::Response> FederationHttp::post(
    const std::string& url, const std::map<std::string, std::string>& headers,
    const std::string& body) const {
  return exchange("POST", url, headers, &body);
}

}  // namespace essor::adapters
