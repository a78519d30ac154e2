#include "core/course.hpp"

#include <algorithm>
#include <set>

#include "core/validation.hpp"

namespace essor::core {

std::map<std::string, std::string> check_quiz(const std::vector<QuizQuestion>& questions,
                                              std::int64_t pass_pct) {
  std::map<std::string, std::string> problems;
  if (questions.empty() || questions.size() > kMaxQuizQuestions)
    problems["questions"] = "from 1 to " + std::to_string(kMaxQuizQuestions) + " questions";
  if (pass_pct < 0 || pass_pct > 100) problems["pass_pct"] = "must be from 0 to 100";
  for (std::size_t q = 0; q < questions.size() && q < kMaxQuizQuestions; ++q) {
    const auto& question = questions[q];
    const std::string at = "questions[" + std::to_string(q) + "]";
    if (auto p = check_text(question.text, 1000)) problems[at + ".text"] = *p;
    if (question.choices.size() < 2 || question.choices.size() > kMaxQuizChoices)
      problems[at + ".choices"] = "from 2 to " + std::to_string(kMaxQuizChoices) + " choices";
    for (std::size_t c = 0; c < question.choices.size(); ++c) {
      if (auto p = check_text(question.choices[c], 300))
        problems[at + ".choices[" + std::to_string(c) + "]"] = *p;
    }
    const std::set<int> right(question.correct.begin(), question.correct.end());
    if (right.empty()) {
      problems[at + ".correct"] = "at least one right answer";
    } else if (*right.begin() < 0 || *right.rbegin() >= static_cast<int>(question.choices.size())) {
      problems[at + ".correct"] = "an index out of the choices";
    } else if (right.size() != question.correct.size()) {
      problems[at + ".correct"] = "an index given twice";
    } else if (!question.multiple && right.size() != 1) {
      problems[at + ".correct"] = "a single-choice question has exactly one right answer";
    }
  }
  return problems;
}

std::map<std::string, std::string> check_answers(const std::vector<QuizQuestion>& questions,
                                                 const std::vector<std::vector<int>>& answers) {
  std::map<std::string, std::string> problems;
  if (answers.size() != questions.size()) {
    problems["answers"] = "one answer per question (" + std::to_string(questions.size()) + ")";
    return problems;
  }
  for (std::size_t q = 0; q < questions.size(); ++q) {
    const std::string at = "answers[" + std::to_string(q) + "]";
    const auto& chosen = answers[q];
    const auto count = static_cast<int>(questions[q].choices.size());
    if (std::any_of(chosen.begin(), chosen.end(), [&](int c) { return c < 0 || c >= count; }))
      problems[at] = "an index out of the choices";
    else if (!questions[q].multiple && chosen.size() != 1)
      problems[at] = "one choice for this question";
    else if (chosen.empty())
      problems[at] = "at least one choice";
  }
  return problems;
}

QuizScore score_quiz(const std::vector<QuizQuestion>& questions,
                     const std::vector<std::vector<int>>& answers, std::int64_t pass_pct) {
  QuizScore score;
  std::int64_t right = 0;
  for (std::size_t q = 0; q < questions.size(); ++q) {
    const std::set<int> want(questions[q].correct.begin(), questions[q].correct.end());
    const bool ok =
        q < answers.size() && std::set<int>(answers[q].begin(), answers[q].end()) == want;
    score.right.push_back(ok);
    if (ok) ++right;
  }
  const auto total = static_cast<std::int64_t>(questions.size());
  score.score_pct = total == 0 ? 0 : right * 100 / total;
  score.passed = score.score_pct >= pass_pct;
  return score;
}

namespace {

bool id_chars(std::string_view id) {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_';
  });
}

// The part of url after prefix, up to ?, # or /.
std::optional<std::string_view> after(std::string_view url, std::string_view prefix) {
  if (!url.starts_with(prefix)) return std::nullopt;
  auto rest = url.substr(prefix.size());
  return rest.substr(0, rest.find_first_of("?#/&"));
}

}  // namespace

bool is_pdf(std::string_view bytes) {
  return bytes.starts_with("%PDF-");
}

std::optional<std::string> check_attachment_name(std::string_view name) {
  if (name.empty() || name.size() > 120) return "from 1 to 120 characters";
  if (name.size() < 5 || name.substr(name.size() - 4) != ".pdf") return "a name ending in .pdf";
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '/' || c == '\\' || c == '"' || c == 0x7F)
      return "no path, quote or control character";
  }
  return std::nullopt;
}

bool is_video_url(std::string_view url) {
  if (url.size() > 500 || !url.starts_with("https://") || url.size() <= 8) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '"' || c == '<' || c == '>' || c == '\\';
  });
}

std::optional<std::string> video_embed_url(std::string_view url) {
  if (!is_video_url(url)) return std::nullopt;
  for (std::string_view host : {"https://www.youtube.com/watch?v=", "https://youtube.com/watch?v=",
                                "https://m.youtube.com/watch?v="}) {
    if (auto id = after(url, host); id && id_chars(*id))
      return "https://www.youtube-nocookie.com/embed/" + std::string(*id);
  }
  if (auto id = after(url, "https://youtu.be/"); id && id_chars(*id))
    return "https://www.youtube-nocookie.com/embed/" + std::string(*id);
  for (std::string_view host : {"https://vimeo.com/", "https://www.vimeo.com/"}) {
    if (auto id = after(url, host);
        id && !id->empty() &&
        std::all_of(id->begin(), id->end(), [](char c) { return c >= '0' && c <= '9'; }))
      return "https://player.vimeo.com/video/" + std::string(*id);
  }
  return std::nullopt;
}

}  // namespace essor::core
