#include "adapters/pdf_haru.hpp"

#include <hpdf.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace essor::adapters {

std::string to_cp1252(const std::string& utf8) {
  // The code points of 0x80–0x9F in Windows-1252; 0 where undefined.
  static constexpr char32_t kHigh[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string out;
  for (std::size_t idx = 0; idx < utf8.size();) {
    const auto byte = static_cast<unsigned char>(utf8[idx]);
    char32_t cp = 0;
    std::size_t len = 1;
    if (byte < 0x80) {
      cp = byte;
    } else if ((byte & 0xE0) == 0xC0) {
      cp = byte & 0x1F;
      len = 2;
    } else if ((byte & 0xF0) == 0xE0) {
      cp = byte & 0x0F;
      len = 3;
    } else if ((byte & 0xF8) == 0xF0) {
      cp = byte & 0x07;
      len = 4;
    } else {
      out.push_back('?');
      ++idx;
      continue;
    }
    bool valid = idx + len <= utf8.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      const auto next = static_cast<unsigned char>(utf8[idx + k]);
      if ((next & 0xC0) != 0x80) valid = false;
      cp = (cp << 6) | (next & 0x3F);
    }
    idx += valid ? len : 1;
    if (!valid) {
      out.push_back('?');
    } else if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) {
      out.push_back(static_cast<char>(cp == 0xA0 ? ' ' : cp));
    } else if (cp == 0x202F) {
      out.push_back(' ');  // the narrow no-break space of French amounts
    } else {
      char replacement = '?';
      for (int k = 0; k < 32; ++k) {
        if (kHigh[k] == cp) replacement = static_cast<char>(0x80 + k);
      }
      out.push_back(replacement);
    }
  }
  return out;
}

namespace {

constexpr float kMargin = 50;
constexpr float kWidth = 595.276f;  // A4 in points
constexpr float kHeight = 841.89f;

class Writer {
 public:
  Writer() : doc_(HPDF_New(nullptr, nullptr)) {
    if (!doc_) throw std::runtime_error("libharu could not create a document");
    HPDF_SetCompressionMode(doc_, HPDF_COMP_ALL);
    regular_ = HPDF_GetFont(doc_, "Helvetica", "WinAnsiEncoding");
    bold_ = HPDF_GetFont(doc_, "Helvetica-Bold", "WinAnsiEncoding");
    new_page();
  }
  ~Writer() { HPDF_Free(doc_); }
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void paragraph(const std::string& text, float size, bool bold, float after) {
    for (const auto& piece : wrapped(to_cp1252(text), size, bold, kWidth - 2 * kMargin)) {
      line(piece, kMargin, size, bold);
      y_ -= size * 1.35f;
    }
    y_ -= after;
  }

  // Columns of equal width; a cell too long for its column goes on as
  // many lines as it needs (never cut), and the row is as tall as its
  // tallest cell.
  void table(const std::vector<std::string>& header,
             const std::vector<std::vector<std::string>>& rows) {
    if (header.empty()) return;
    const float column = (kWidth - 2 * kMargin) / static_cast<float>(header.size());
    auto row = [&](const std::vector<std::string>& cells, bool bold) {
      std::vector<std::vector<std::string>> lines;
      std::size_t tallest = 1;
      for (std::size_t idx = 0; idx < cells.size() && idx < header.size(); ++idx) {
        lines.push_back(wrapped(to_cp1252(cells[idx]), 9, bold, column - 4));
        tallest = std::max(tallest, lines.back().size());
      }
      if (y_ - 12.f * static_cast<float>(tallest) < kMargin) new_page();
      const float top = y_;
      for (std::size_t idx = 0; idx < lines.size(); ++idx) {
        y_ = top;
        for (const auto& piece : lines[idx]) {
          line(piece, kMargin + column * static_cast<float>(idx), 9, bold);
          y_ -= 12;
        }
      }
      y_ = top - 12.f * static_cast<float>(tallest) - 2;
    };
    row(header, true);
    for (const auto& cells : rows) row(cells, false);
    y_ -= 10;
  }

  std::string bytes() {
    if (HPDF_SaveToStream(doc_) != HPDF_OK) throw std::runtime_error("libharu could not save");
    std::string out(HPDF_GetStreamSize(doc_), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    HPDF_ReadFromStream(doc_, reinterpret_cast<HPDF_BYTE*>(out.data()), &size);
    out.resize(size);
    return out;
  }

 private:
  void new_page() {
    page_ = HPDF_AddPage(doc_);
    HPDF_Page_SetSize(page_, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    y_ = kHeight - kMargin;
  }

  // Encoded text cut into lines no wider than width, at spaces when it
  // can, inside a word when one word is wider than the line.
  std::vector<std::string> wrapped(const std::string& encoded, float size, bool bold, float width) {
    std::vector<std::string> out;
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
    std::size_t start = 0;
    while (start < encoded.size()) {
      HPDF_REAL used = 0;
      std::size_t fits =
          HPDF_Page_MeasureText(page_, encoded.c_str() + start, width, HPDF_TRUE, &used);
      if (fits == 0)
        fits = HPDF_Page_MeasureText(page_, encoded.c_str() + start, width, HPDF_FALSE, &used);
      if (fits == 0) fits = encoded.size() - start;
      out.push_back(encoded.substr(start, fits));
      start += fits;
      while (start < encoded.size() && encoded[start] == ' ') ++start;
    }
    if (out.empty()) out.emplace_back();
    return out;
  }

  // One line of already encoded text at (x, y_), cut to max_width if given.
  void line(std::string text, float x, float size, bool bold, float max_width = 0) {
    if (y_ < kMargin) new_page();
    HPDF_Page_SetFontAndSize(page_, bold ? bold_ : regular_, size);
    if (max_width > 0) {
      HPDF_REAL used = 0;
      text.resize(HPDF_Page_MeasureText(page_, text.c_str(), max_width, HPDF_FALSE, &used));
    }
    HPDF_Page_BeginText(page_);
    HPDF_Page_TextOut(page_, x, y_ - size, text.c_str());
    HPDF_Page_EndText(page_);
  }

  HPDF_Doc doc_;
  HPDF_Page page_ = nullptr;
  HPDF_Font regular_ = nullptr;
  HPDF_Font bold_ = nullptr;
  float y_ = 0;
};

class HaruPdfWriter final : public app::PdfWriter {
 public:
  std::string pdf(const app::PlainDocument& document) const override {
    Writer writer;
    writer.paragraph(document.title, 16, true, 10);
    for (const auto& text : document.paragraphs) writer.paragraph(text, 10, false, 6);
    writer.table(document.table_header, document.table_rows);
    for (const auto& text : document.notes) writer.paragraph(text, 9, false, 4);
    return writer.bytes();
  }
};

}  // namespace

std::unique_ptr<app::PdfWriter> make_pdf_writer() {
  return std::make_unique<HaruPdfWriter>();
}

}  // namespace essor::adapters
