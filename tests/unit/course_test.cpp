// Quizzes (checks and scoring), video players, and the links between
// shared pages, on known inputs.
#include "core/course.hpp"

#include <gtest/gtest.h>

#include "core/cowriting.hpp"

namespace essor::core {
namespace {

std::vector<QuizQuestion> sample() {
  return {{"Combien ?", {"un", "deux", "trois"}, {1}, false},
          {"Lesquels ?", {"a", "b", "c", "d"}, {0, 2}, true}};
}

TEST(QuizTest, AQuizNeedsRightAnswersInRange) {
  EXPECT_TRUE(check_quiz(sample(), 50).empty());
  auto quiz = sample();
  quiz[0].correct = {};
  EXPECT_TRUE(check_quiz(quiz, 50).count("questions[0].correct"));
  quiz = sample();
  quiz[1].correct = {0, 4};
  EXPECT_TRUE(check_quiz(quiz, 50).count("questions[1].correct"));
  quiz = sample();
  quiz[0].correct = {0, 1};  // single choice
  EXPECT_TRUE(check_quiz(quiz, 50).count("questions[0].correct"));
  quiz = sample();
  quiz[1].correct = {2, 2};
  EXPECT_TRUE(check_quiz(quiz, 50).count("questions[1].correct"));
  quiz = sample();
  quiz[0].choices = {"seul"};
  EXPECT_TRUE(check_quiz(quiz, 50).count("questions[0].choices"));
  EXPECT_TRUE(check_quiz({}, 50).count("questions"));
  EXPECT_TRUE(check_quiz(sample(), 101).count("pass_pct"));
  EXPECT_TRUE(check_quiz(sample(), -1).count("pass_pct"));
}

TEST(QuizTest, AnswersAreOnePerQuestionAndInRange) {
  EXPECT_TRUE(check_answers(sample(), {{1}, {0, 2}}).empty());
  EXPECT_TRUE(check_answers(sample(), {{1}}).count("answers"));
  EXPECT_TRUE(check_answers(sample(), {{3}, {0}}).count("answers[0]"));
  EXPECT_TRUE(check_answers(sample(), {{0, 1}, {0}}).count("answers[0]"));
  EXPECT_TRUE(check_answers(sample(), {{0}, {}}).count("answers[1]"));
  EXPECT_TRUE(check_answers(sample(), {{-1}, {0}}).count("answers[0]"));
}

TEST(QuizTest, AQuestionCountsWhenExactlyTheRightChoicesAreMade) {
  auto all = score_quiz(sample(), {{1}, {2, 0}}, 100);
  EXPECT_EQ(all.score_pct, 100);
  EXPECT_TRUE(all.passed);
  auto half = score_quiz(sample(), {{1}, {0}}, 60);
  EXPECT_EQ(half.score_pct, 50);
  EXPECT_FALSE(half.passed);
  EXPECT_EQ(half.right, (std::vector<bool>{true, false}));
  // Rounded down: one of three is 33 %.
  std::vector<QuizQuestion> three = {sample()[0], sample()[0], sample()[0]};
  EXPECT_EQ(score_quiz(three, {{1}, {0}, {0}}, 0).score_pct, 33);
  EXPECT_TRUE(score_quiz(three, {{0}, {0}, {0}}, 0).passed);  // a pass mark of 0
}

TEST(VideoTest, OnlyAllowedHostsAreEmbedded) {
  EXPECT_EQ(video_embed_url("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10"),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
  EXPECT_EQ(video_embed_url("https://youtu.be/dQw4w9WgXcQ"),
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ");
  EXPECT_EQ(video_embed_url("https://vimeo.com/76979871"),
            "https://player.vimeo.com/video/76979871");
  EXPECT_FALSE(video_embed_url("https://peertube.example/w/abc"));
  EXPECT_FALSE(video_embed_url("https://www.youtube.com/watch?v=a\"onload=x"));
  EXPECT_FALSE(video_embed_url("http://www.youtube.com/watch?v=abc"));
  EXPECT_TRUE(is_video_url("https://peertube.example/w/abc"));
  EXPECT_FALSE(is_video_url("javascript:alert(1)"));
  EXPECT_FALSE(is_video_url("https://a b"));
}

TEST(PageLinksTest, TitlesBecomeLinksOutsideCode) {
  auto find = [](const std::string& title) -> std::optional<std::string> {
    if (title == "Statuts") return "/pages/s1";
    return std::nullopt;
  };
  EXPECT_EQ(link_pages("Voir [[Statuts]] et [[Inconnue]].", find),
            "Voir [Statuts](/pages/s1) et Inconnue.");
  EXPECT_EQ(link_pages("Les [[Statuts|statuts votés]]", find), "Les [statuts votés](/pages/s1)");
  EXPECT_EQ(link_pages("`[[Statuts]]`\n```\n[[Statuts]]\n```\n", find),
            "`[[Statuts]]`\n```\n[[Statuts]]\n```\n");
  EXPECT_EQ(link_pages("[[a_b]]", find), "a\\_b");
  EXPECT_EQ(link_pages("[[Statuts\n]]", find), "[[Statuts\n]]");
  EXPECT_EQ(linked_titles("[[Statuts]] [[Autre]] [[Statuts|x]]"),
            (std::vector<std::string>{"Statuts", "Autre"}));
}

}  // namespace
}  // namespace essor::core
