// app::QrEncoder over libqrencode: SVG drawn with one path, a four-module
// quiet zone, error correction level M (what EPC069-12 asks for).
#pragma once

#include <memory>

#include "app/ports.hpp"

namespace essor::adapters {

std::unique_ptr<app::QrEncoder> make_qr_encoder();

}  // namespace essor::adapters
