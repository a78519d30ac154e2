// Markdown to HTML through cmark (CommonMark's reference implementation) in
// safe mode: raw HTML and javascript: links never pass.
#pragma once

#include <string>

namespace essor::web {

std::string markdown_to_html(const std::string& markdown);

}  // namespace essor::web
