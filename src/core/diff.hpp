// Line diffs between two texts (drafts, shared pages, proposals): the
// lines both keep, those removed and those added, as a minimal edit (the
// longest common subsequence of lines), in the unified format of GNU diff
// and as rows side by side for the pages. Pure; no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace essor::core {

// A text's lines: "\r\n" and "\n" end a line, a last line without one
// counts, a final line ending adds no empty line.
std::vector<std::string> split_lines(std::string_view text);

enum class DiffOp { same, removed, added };

struct DiffLine {
  DiffOp op = DiffOp::same;
  std::string text;
  int old_no = 0;  // 1-based line in the old text; 0 for an added line
  int new_no = 0;  // 1-based line in the new text; 0 for a removed line
};

// Every line of both texts in order; within a change, removed lines come
// before added ones. Texts of more than kDiffMaxCells line pairs (after
// their common beginning and end) are compared as one change.
inline constexpr std::size_t kDiffMaxCells = 4'000'000;
std::vector<DiffLine> diff_lines(const std::vector<std::string>& old_lines,
                                 const std::vector<std::string>& new_lines);

// The unified format ("--- old_name", "+++ new_name", "@@ -a,b +c,d @@"
// hunks with `context` lines around each change); empty when both texts
// have the same lines.
std::string unified_diff(std::string_view old_text, std::string_view new_text,
                         std::string_view old_name, std::string_view new_name, int context = 3);

// One row of a side-by-side view: a kept line on both sides, or a change's
// removed line (left) next to its added line (right), either side empty
// when a change removes more lines than it adds or the other way round.
struct SideBySideRow {
  DiffOp left_op = DiffOp::same, right_op = DiffOp::same;
  bool has_left = false, has_right = false;
  std::string left, right;
  int left_no = 0, right_no = 0;
};
std::vector<SideBySideRow> side_by_side(const std::vector<DiffLine>& lines);

}  // namespace essor::core
