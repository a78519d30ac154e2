// Courses (spec "Courses (distance learning)"): lessons, their quizzes and
// what completes a course. The rules on quizzes (a question has choices and
// at least one right answer; a single-choice question exactly one), the
// scoring of an attempt, and the video players a lesson may embed. Pure.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essor::core {

struct QuizQuestion {
  std::string text;
  std::vector<std::string> choices;
  std::vector<int> correct;  // indexes into choices
  bool multiple = false;     // several answers may be right
};

inline constexpr std::size_t kMaxQuizQuestions = 50;
inline constexpr std::size_t kMaxQuizChoices = 10;

// Problems with a quiz, by field ("questions[0].correct"…); empty: valid.
std::map<std::string, std::string> check_quiz(const std::vector<QuizQuestion>& questions,
                                              std::int64_t pass_pct);

struct QuizScore {
  std::int64_t score_pct = 0;  // questions answered exactly right, in whole percent (floor)
  bool passed = false;
  std::vector<bool> right;  // per question
};

// Problems with the answers given (one list of indexes per question, in
// range, one index for a single-choice question), by field; empty: valid.
std::map<std::string, std::string> check_answers(const std::vector<QuizQuestion>& questions,
                                                 const std::vector<std::vector<int>>& answers);
// A question is right when the indexes chosen are exactly its right ones
// (order and repeats aside). Answers checked first.
QuizScore score_quiz(const std::vector<QuizQuestion>& questions,
                     const std::vector<std::vector<int>>& answers, std::int64_t pass_pct);

// A lesson's video: the player to embed for the allowed hosts (YouTube,
// shown from youtube-nocookie.com, and Vimeo), nothing for any other
// address (the page shows it as a link).
std::optional<std::string> video_embed_url(std::string_view url);
// An address a lesson may link a video to: https, a host, no spaces.
bool is_video_url(std::string_view url);

// A lesson's attached document: a PDF (its bytes start "%PDF-") of at most
// kMaxAttachmentBytes, named "….pdf" (1–120 characters, no path, no quote,
// no control character).
inline constexpr std::size_t kMaxAttachmentBytes = 5 * 1024 * 1024;
bool is_pdf(std::string_view bytes);
std::optional<std::string> check_attachment_name(std::string_view name);

}  // namespace essor::core
