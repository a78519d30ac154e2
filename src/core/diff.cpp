#include "core/diff.hpp"

#include <algorithm>
#include <cstdint>

namespace essor::core {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.emplace_back(line);
    start = end + 1;
  }
  return lines;
}

std::vector<DiffLine> diff_lines(const std::vector<std::string>& a,
                                 const std::vector<std::string>& b) {
  std::vector<DiffLine> out;
  std::size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  std::size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head &&
         a[a.size() - 1 - tail] == b[b.size() - 1 - tail])
    ++tail;
  int old_no = 0, new_no = 0;
  auto same = [&](const std::string& line) {
    out.push_back({DiffOp::same, line, ++old_no, ++new_no});
  };
  auto removed = [&](const std::string& line) {
    out.push_back({DiffOp::removed, line, ++old_no, 0});
  };
  auto added = [&](const std::string& line) { out.push_back({DiffOp::added, line, 0, ++new_no}); };
  for (std::size_t i = 0; i < head; ++i) same(a[i]);
  const std::size_t n = a.size() - head - tail, m = b.size() - head - tail;
  if (n > 0 && m > 0 && (n + 1) * (m + 1) <= kDiffMaxCells) {
    // lcs[i][j]: the longest common subsequence of a's and b's middles
    // from i and j on; walked from the start, it removes before it adds.
    std::vector<std::uint32_t> lcs((n + 1) * (m + 1), 0);
    auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return lcs[i * (m + 1) + j]; };
    for (std::size_t i = n; i-- > 0;) {
      for (std::size_t j = m; j-- > 0;) {
        at(i, j) = a[head + i] == b[head + j] ? at(i + 1, j + 1) + 1
                                              : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        same(a[head + i]);
        ++i;
        ++j;
      } else if (j == m || (i < n && at(i + 1, j) >= at(i, j + 1))) {
        removed(a[head + i++]);
      } else {
        added(b[head + j++]);
      }
    }
  } else {
    for (std::size_t i = 0; i < n; ++i) removed(a[head + i]);
    for (std::size_t j = 0; j < m; ++j) added(b[head + j]);
  }
  for (std::size_t i = a.size() - tail; i < a.size(); ++i) same(a[i]);
  return out;
}

namespace {

// "start,count" as GNU diff writes it: the count left out when it is 1,
// and an empty range named by the line before it.
std::string range(int first, int count) {
  if (count == 1) return std::to_string(first);
  return std::to_string(count == 0 ? first - 1 : first) + "," + std::to_string(count);
}

}  // namespace

std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_name, std::string_view new_name, int context) {
  const auto lines = diff_lines(split_lines(old_text), split_lines(new_text));
  std::vector<std::size_t> changes;
  for (std::size_t k = 0; k < lines.size(); ++k)
    if (lines[k].op != DiffOp::same) changes.push_back(k);
  if (changes.empty()) return {};
  const auto ctx = static_cast<std::size_t>(std::max(context, 0));
  std::string out = "--- " + std::string(old_name) + "\n+++ " + std::string(new_name) + "\n";
  std::size_t c = 0;
  while (c < changes.size()) {
    // A hunk: changes whose kept lines between them are at most twice the
    // context, with the context around.
    std::size_t last = c;
    while (last + 1 < changes.size() && changes[last + 1] - changes[last] - 1 <= 2 * ctx) ++last;
    const std::size_t from = changes[c] >= ctx ? changes[c] - ctx : 0;
    const std::size_t to = std::min(lines.size(), changes[last] + ctx + 1);
    int old_first = 0, new_first = 0, old_count = 0, new_count = 0;
    // The first line of each side in the hunk: the next line that side has.
    int old_seen = 0, new_seen = 0;
    for (std::size_t k = 0; k < from; ++k) {
      if (lines[k].op != DiffOp::added) ++old_seen;
      if (lines[k].op != DiffOp::removed) ++new_seen;
    }
    old_first = old_seen + 1;
    new_first = new_seen + 1;
    std::string body;
    for (std::size_t k = from; k < to; ++k) {
      const auto& line = lines[k];
      const char mark = line.op == DiffOp::same ? ' ' : line.op == DiffOp::removed ? '-' : '+';
      if (line.op != DiffOp::added) ++old_count;
      if (line.op != DiffOp::removed) ++new_count;
      body += mark;
      body += line.text;
      body += '\n';
    }
    out += "@@ -" + range(old_first, old_count) + " +" + range(new_first, new_count) + " @@\n";
    out += body;
    c = last + 1;
  }
  return out;
}

std::vector<SideBySideRow> side_by_side(const std::vector<DiffLine>& lines) {
  std::vector<SideBySideRow> rows;
  std::size_t k = 0;
  while (k < lines.size()) {
    if (lines[k].op == DiffOp::same) {
      SideBySideRow row;
      row.has_left = row.has_right = true;
      row.left = row.right = lines[k].text;
      row.left_no = lines[k].old_no;
      row.right_no = lines[k].new_no;
      rows.push_back(std::move(row));
      ++k;
      continue;
    }
    std::vector<const DiffLine*> gone, came;
    while (k < lines.size() && lines[k].op != DiffOp::same) {
      (lines[k].op == DiffOp::removed ? gone : came).push_back(&lines[k]);
      ++k;
    }
    for (std::size_t r = 0; r < std::max(gone.size(), came.size()); ++r) {
      SideBySideRow row;
      if (r < gone.size()) {
        row.has_left = true;
        row.left_op = DiffOp::removed;
        row.left = gone[r]->text;
        row.left_no = gone[r]->old_no;
      }
      if (r < came.size()) {
        row.has_right = true;
        row.right_op = DiffOp::added;
        row.right = came[r]->text;
        row.right_no = came[r]->new_no;
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace essor::core
