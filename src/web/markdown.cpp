#include "web/markdown.hpp"

#include <cmark.h>

#include <cstdlib>
#include <memory>

namespace essor::web {

std::string markdown_to_html(const std::string& markdown) {
  // Safe is cmark's default since 0.29; CMARK_OPT_UNSAFE is never set here.
  std::unique_ptr<char, decltype(&std::free)> html(
      cmark_markdown_to_html(markdown.data(), markdown.size(), CMARK_OPT_DEFAULT | CMARK_OPT_SMART),
      &std::free);
  return html ? std::string(html.get()) : std::string();
}

}  // namespace essor::web
