// Line diffs on known inputs; the expected texts are what GNU diff -u
// prints for the same files (with --label old --label new).
#include "core/diff.hpp"

#include <gtest/gtest.h>

#include <random>

namespace essor::core {
namespace {

const char* kOld = "Titre\nun\ndeux\ntrois\nquatre\ncinq\nsix\nsept\nhuit\nneuf\ndix\n";
const char* kNew = "Titre\nun\nDEUX\ntrois\nquatre\ncinq\nsix\nsept\nhuit\nneuf\ndix\nonze\n";

TEST(DiffTest, SplitLinesKeepsALastLineWithoutEndingAndIgnoresCarriageReturns) {
  EXPECT_EQ(split_lines("a\r\nb\nc"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(split_lines("a\n\nb\n"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_TRUE(split_lines("").empty());
}

TEST(DiffTest, UnifiedDiffAsGnuDiffPrintsIt) {
  EXPECT_EQ(unified_diff(kOld, kNew, "old", "new"),
            "--- old\n+++ new\n"
            "@@ -1,6 +1,6 @@\n Titre\n un\n-deux\n+DEUX\n trois\n quatre\n cinq\n"
            "@@ -9,3 +9,4 @@\n huit\n neuf\n dix\n+onze\n");
}

TEST(DiffTest, ReorderedLinesRemoveBeforeTheyAdd) {
  EXPECT_EQ(unified_diff("a\nb\nc\n", "c\nb\na\n", "old", "new"),
            "--- old\n+++ new\n@@ -1,3 +1,3 @@\n-a\n-b\n c\n+b\n+a\n");
}

TEST(DiffTest, EmptySidesAndSameTexts) {
  EXPECT_EQ(unified_diff("", "x\ny\n", "old", "new"),
            "--- old\n+++ new\n@@ -0,0 +1,2 @@\n+x\n+y\n");
  EXPECT_EQ(unified_diff("x\n", "", "old", "new"), "--- old\n+++ new\n@@ -1 +0,0 @@\n-x\n");
  EXPECT_EQ(unified_diff("same\ntext", "same\ntext\n", "old", "new"), "");
}

TEST(DiffTest, SideBySidePairsAChangesLines) {
  const auto rows = side_by_side(diff_lines({"a", "b", "c", "d"}, {"a", "B", "c", "d", "e"}));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_TRUE(rows[0].has_left && rows[0].has_right);
  EXPECT_EQ(rows[1].left, "b");
  EXPECT_EQ(rows[1].left_op, DiffOp::removed);
  EXPECT_EQ(rows[1].right, "B");
  EXPECT_EQ(rows[1].right_op, DiffOp::added);
  EXPECT_FALSE(rows[4].has_left);
  EXPECT_EQ(rows[4].right, "e");
  EXPECT_EQ(rows[4].right_no, 5);
}

// Property: applying the diff to the old text gives the new one, and the
// kept lines are a common subsequence as long as any (checked against a
// plain dynamic programme on small random texts).
TEST(DiffTest, RandomTextsRebuildAndKeepTheLongestCommonSubsequence) {
  std::mt19937 random(17);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::string> a, b;
    const int na = static_cast<int>(random() % 12), nb = static_cast<int>(random() % 12);
    for (int k = 0; k < na; ++k) a.push_back(std::string(1, static_cast<char>('a' + random() % 4)));
    for (int k = 0; k < nb; ++k) b.push_back(std::string(1, static_cast<char>('a' + random() % 4)));
    std::vector<std::string> rebuilt_old, rebuilt_new;
    std::size_t kept = 0;
    for (const auto& line : diff_lines(a, b)) {
      if (line.op != DiffOp::added) rebuilt_old.push_back(line.text);
      if (line.op != DiffOp::removed) rebuilt_new.push_back(line.text);
      if (line.op == DiffOp::same) ++kept;
    }
    EXPECT_EQ(rebuilt_old, a);
    EXPECT_EQ(rebuilt_new, b);
    std::vector<std::vector<std::size_t>> lcs(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 1; i <= a.size(); ++i)
      for (std::size_t j = 1; j <= b.size(); ++j)
        lcs[i][j] =
            a[i - 1] == b[j - 1] ? lcs[i - 1][j - 1] + 1 : std::max(lcs[i - 1][j], lcs[i][j - 1]);
    EXPECT_EQ(kept, lcs[a.size()][b.size()]);
  }
}

}  // namespace
}  // namespace essor::core
