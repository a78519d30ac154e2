#include "core/image.hpp"

#include <array>

namespace essor::core {

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int value_of(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace

std::optional<std::string> detect_image_type(std::string_view b) {
  if (b.size() >= 3 && b.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) return "image/jpeg";
  if (b.size() >= 8 && b.substr(0, 8) == std::string_view("\x89PNG\r\n\x1A\n", 8))
    return "image/png";
  if (b.size() >= 12 && b.substr(0, 4) == "RIFF" && b.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t idx = 0; idx < bytes.size(); idx += 3) {
    const auto b0 = static_cast<unsigned char>(bytes[idx]);
    const auto b1 = idx + 1 < bytes.size() ? static_cast<unsigned char>(bytes[idx + 1]) : 0u;
    const auto b2 = idx + 2 < bytes.size() ? static_cast<unsigned char>(bytes[idx + 2]) : 0u;
    out += kAlphabet[b0 >> 2];
    out += kAlphabet[((b0 & 3) << 4) | (b1 >> 4)];
    out += idx + 1 < bytes.size() ? kAlphabet[((b1 & 15) << 2) | (b2 >> 6)] : '=';
    out += idx + 2 < bytes.size() ? kAlphabet[b2 & 63] : '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t idx = 0; idx < text.size(); idx += 4) {
    std::array<int, 4> v{};
    int padding = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = text[idx + k];
      if (c == '=' && idx + 4 == text.size() && k >= 2) {
        v[k] = 0;
        ++padding;
      } else if (padding > 0 || (v[k] = value_of(c)) < 0) {
        return std::nullopt;
      }
    }
    // Canonical only: the bits a padded group leaves unused must be zero
    // ("202=" and "2029" would otherwise both decode to the same bytes).
    if ((padding == 2 && (v[1] & 15) != 0) || (padding == 1 && (v[2] & 3) != 0))
      return std::nullopt;
    out += static_cast<char>((v[0] << 2) | (v[1] >> 4));
    if (padding < 2) out += static_cast<char>(((v[1] & 15) << 4) | (v[2] >> 2));
    if (padding < 1) out += static_cast<char>(((v[2] & 3) << 6) | v[3]);
  }
  return out;
}

}  // namespace essor::core
