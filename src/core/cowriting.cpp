#include "core/cowriting.hpp"

#include <algorithm>
#include <vector>

#include "core/validation.hpp"
#include "core/words.hpp"

namespace essor::core {

std::string to_string(Visibility visibility) {
  switch (visibility) {
    case Visibility::public_:
      return "public";
    case Visibility::members:
      return "members";
  }
  return "members";
}

std::optional<Visibility> parse_visibility(std::string_view text) {
  return parse_word(text, {Visibility::public_, Visibility::members});
}

std::string to_string(AmendmentStatus status) {
  switch (status) {
    case AmendmentStatus::pending:
      return "pending";
    case AmendmentStatus::accepted:
      return "accepted";
    case AmendmentStatus::declined:
      return "declined";
  }
  return "pending";
}

std::optional<AmendmentStatus> parse_amendment_status(std::string_view text) {
  return parse_word(
      text, {AmendmentStatus::pending, AmendmentStatus::accepted, AmendmentStatus::declined});
}

std::string to_string(DocKind kind) {
  switch (kind) {
    case DocKind::draft:
      return "draft";
    case DocKind::page:
      return "page";
    case DocKind::proposal:
      return "proposal";
  }
  return "draft";
}

std::map<std::string, std::string> check_doc(std::string_view title, std::string_view body_md) {
  std::map<std::string, std::string> problems;
  if (auto p = check_name(std::string(title), kMaxTitleChars)) problems["title"] = *p;
  if (auto p = check_text(std::string(body_md), kMaxDocChars, false)) problems["body_md"] = *p;
  return problems;
}

namespace {

// Calls on_link(title, words) for each [[…]] outside code, on_text for the
// rest, in order.
void walk_links(std::string_view text, const std::function<void(std::string_view)>& on_text,
                const std::function<void(const std::string&, const std::string&)>& on_link) {
  std::size_t k = 0;
  bool fenced = false;
  while (k < text.size()) {
    // Fenced code blocks: a line starting with ``` opens or closes one.
    const bool line_start = k == 0 || text[k - 1] == '\n';
    if (line_start && text.substr(k, 3) == "```") fenced = !fenced;
    if (fenced) {
      const auto end = text.find('\n', k);
      const auto stop = end == std::string_view::npos ? text.size() : end + 1;
      on_text(text.substr(k, stop - k));
      k = stop;
      continue;
    }
    if (text[k] == '`') {
      const auto close = text.find('`', k + 1);
      const auto stop = close == std::string_view::npos ? text.size() : close + 1;
      on_text(text.substr(k, stop - k));
      k = stop;
      continue;
    }
    if (text.substr(k, 2) == "[[") {
      const auto close = text.find("]]", k + 2);
      const auto newline = text.find('\n', k + 2);
      if (close != std::string_view::npos &&
          (newline == std::string_view::npos || close < newline)) {
        std::string inner(text.substr(k + 2, close - k - 2));
        std::string words = inner;
        if (const auto bar = inner.find('|'); bar != std::string::npos) {
          words = trim(inner.substr(bar + 1));
          inner = inner.substr(0, bar);
        }
        const std::string title = trim(inner);
        if (!title.empty()) {
          on_link(title, words.empty() ? title : trim(words));
          k = close + 2;
          continue;
        }
      }
    }
    on_text(text.substr(k, 1));
    ++k;
  }
}

// Markdown's punctuation in a link's words, escaped.
std::string escaped_words(const std::string& words) {
  std::string out;
  for (char c : words) {
    if (c == '[' || c == ']' || c == '\\' || c == '*' || c == '_' || c == '`') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

std::string link_pages(std::string_view body_md,
                       const std::function<std::optional<std::string>(const std::string&)>& find) {
  std::string out;
  out.reserve(body_md.size());
  walk_links(
      body_md, [&](std::string_view text) { out += text; },
      [&](const std::string& title, const std::string& words) {
        if (auto path = find(title))
          out += "[" + escaped_words(words) + "](" + *path + ")";
        else
          out += escaped_words(words);
      });
  return out;
}

std::vector<std::string> linked_titles(std::string_view body_md) {
  std::vector<std::string> titles;
  walk_links(
      body_md, [](std::string_view) {},
      [&](const std::string& title, const std::string&) {
        if (std::find(titles.begin(), titles.end(), title) == titles.end()) titles.push_back(title);
      });
  return titles;
}

}  // namespace essor::core
