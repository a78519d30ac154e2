// Images that come from outside, checked by their content (never by the name
// or the type a browser claims), and base64 for storing bytes as text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace essor::core {

inline constexpr std::size_t kMaxCoverBytes = 5 * 1024 * 1024;

// "image/jpeg", "image/png" or "image/webp" from the file's signature;
// nothing for anything else.
std::optional<std::string> detect_image_type(std::string_view bytes);

std::string base64_encode(std::string_view bytes);
// Nothing when text is not canonical base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace essor::core
