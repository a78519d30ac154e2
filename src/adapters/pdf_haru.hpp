// PDF documents with libharu (Debian's libhpdf): A4, the standard Helvetica
// font in WinAnsiEncoding (French text, the euro sign), no embedded fonts.
#pragma once

#include <memory>

#include "app/ports.hpp"

namespace essor::adapters {

std::unique_ptr<app::PdfWriter> make_pdf_writer();

// UTF-8 to Windows-1252, the encoding of the standard PDF fonts; a
// character it lacks becomes '?'.
std::string to_cp1252(const std::string& utf8);

}  // namespace essor::adapters
