#include "adapters/qr_svg.hpp"

#include <qrencode.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace essor::adapters {
namespace {

class QrSvg final : public app::QrEncoder {
 public:
  // Pages show the same few codes again and again (a campaign's address):
  // the last ones drawn are kept, up to kCached of them.
  std::optional<std::string> svg(const std::string& text) const override {
    {
      std::lock_guard lock(mutex_);
      if (auto it = cache_.find(text); it != cache_.end()) return it->second;
    }
    auto drawn = draw(text);
    std::lock_guard lock(mutex_);
    if (cache_.size() >= kCached) cache_.clear();
    cache_.emplace(text, drawn);
    return drawn;
  }

 private:
  static constexpr std::size_t kCached = 1024;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, std::optional<std::string>> cache_;  // GUARDED_BY(mutex_)

  static std::optional<std::string> draw(const std::string& text) {
    // libqrencode is thread-safe when built with pthreads (Debian's is).
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) return std::nullopt;
    const int width = code->width;
    const int size = width + 8;
    std::string path;
    for (int y = 0; y < width; ++y) {
      for (int x = 0; x < width; ++x) {
        if (code->data[y * width + x] & 1) {
          path += "M" + std::to_string(x + 4) + " " + std::to_string(y + 4) + "h1v1h-1z";
        }
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(size) + " " +
           std::to_string(size) + "\" shape-rendering=\"crispEdges\"><rect width=\"" +
           std::to_string(size) + "\" height=\"" + std::to_string(size) +
           "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
  }
};

}  // namespace

std::unique_ptr<app::QrEncoder> make_qr_encoder() {
  return std::make_unique<QrSvg>();
}

}  // namespace essor::adapters
