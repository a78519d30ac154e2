// HTTP Signatures as the fediverse uses them (draft-cavage-http-signatures,
// rsa-sha256): the Signature header's parameters, the string a signature
// covers, HTTP dates, and an organisation's handle. Pure; the keys and the
// RSA arithmetic are an adapter's (adapters/openssl_signatures.cpp).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace essor::core {

struct SignatureParams {
  std::string key_id;
  std::string algorithm;             // rsa-sha256 (hs2019 taken as the same for an RSA key)
  std::vector<std::string> headers;  // lower case, in order; "(request-target)" among them
  std::string signature;             // base64
};

// keyId="…",algorithm="…",headers="…",signature="…" (order free; headers
// defaults to "date" as the draft says). Nothing when malformed.
std::optional<SignatureParams> parse_signature(std::string_view header);

// The lines the signature covers: "(request-target): post /path", then
// "name: value" for each header, joined by "\n". Nothing when a named
// header is missing. value_of(name) gives a header's value (lower-case name).
std::optional<std::string> signing_string(
    const std::vector<std::string>& headers, std::string_view method, std::string_view target,
    const std::function<std::optional<std::string>(const std::string&)>& value_of);

// "Thu, 03 Dec 2026 10:00:00 GMT" (RFC 9110's IMF-fixdate).
std::string http_date(TimestampMs instant);
std::optional<TimestampMs> parse_http_date(std::string_view text);

// A fediverse user name for an organisation's name: lower-case ASCII
// letters, digits and "_" (French accents folded), at most 30 characters;
// "org" when nothing is left.
std::string handle_of(std::string_view name);

}  // namespace essor::core
