#include "app/courses.hpp"

#include <algorithm>

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/image.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

Error no_course() {
  return Error::not_found("No course with this id.");
}
Error no_lesson() {
  return Error::not_found("No lesson with this id.");
}
Error not_enrolled() {
  return Error::conflict("not_enrolled", "Enrol in the course first.");
}

CourseProgress progress_in(ReadTx& tx, const core::CourseId& course_id, const core::UserId& user_id,
                           std::set<core::LessonId>* done_out = nullptr,
                           std::set<core::LessonId>* passed_out = nullptr) {
  CourseProgress progress;
  const auto lessons = tx.courses().lessons_of(course_id);
  const auto done_list = tx.courses().lessons_done(course_id, user_id);
  const auto passed_list = tx.courses().quizzes_passed(course_id, user_id);
  const std::set<core::LessonId> done(done_list.begin(), done_list.end());
  const std::set<core::LessonId> passed(passed_list.begin(), passed_list.end());
  for (const auto& lesson : lessons) {
    ++progress.lessons_total;
    if (done.count(lesson.id)) ++progress.lessons_done;
    if (lesson.has_quiz) {
      ++progress.quizzes_total;
      if (passed.count(lesson.id)) ++progress.quizzes_passed;
    }
  }
  progress.completed = progress.lessons_total > 0 &&
                       progress.lessons_done == progress.lessons_total &&
                       progress.quizzes_passed == progress.quizzes_total;
  if (done_out) *done_out = done;
  if (passed_out) *passed_out = passed;
  return progress;
}

// The lesson and its course, if the reader may read them.
struct LessonInCourse {
  LessonRecord lesson;
  CourseRecord course;
  std::optional<core::Role> role;
};

Result<LessonInCourse> readable_lesson(ReadTx& tx, const std::optional<Principal>& who,
                                       const core::LessonId& lesson_id) {
  auto lesson = tx.courses().lesson_by_id(lesson_id);
  if (!lesson) return no_lesson();
  auto course = tx.courses().course_by_id(lesson->course_id);
  if (!course) return no_lesson();
  const auto role = role_in(tx, course->org_id, who);
  if (!may_read(role, course->visibility)) return no_lesson();
  return LessonInCourse{std::move(*lesson), std::move(*course), role};
}

}  // namespace

Result<CourseRecord> Courses::create(const Principal& who, const core::OrgId& org_id,
                                     const std::string& title, const std::string& summary,
                                     const std::string& visibility) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(title, core::kMaxTitleChars)) problems["title"] = *p;
  if (auto p = core::check_text(summary, 2000, false)) problems["summary"] = *p;
  const auto seen = core::parse_visibility(visibility);
  if (!seen) problems["visibility"] = "must be public or members";
  const TimestampMs now = clock_.now();
  return write_result<CourseRecord>(store_, [&](Tx& tx) -> Result<CourseRecord> {
    auto org = tx.orgs().org_by_id(org_id);
    if (!org) return Error::not_found("No organisation with this id.");
    if (!course_allows(tx.orgs().member_role(org_id, who.user_id), core::Visibility::public_,
                       CourseAction::teach))
      return Error::forbidden("Only the organisation's admins publish courses.");
    if (!problems.empty()) return Error::validation(problems);
    CourseRecord course;
    course.id = core::CourseId{crypto_.random_id()};
    course.org_id = org_id;
    course.title = core::trim(title);
    course.summary = core::trim(summary);
    course.visibility = *seen;
    course.created_by = who.user_id;
    course.created_at = now;
    course.org_name = org->name;
    tx.courses().insert_course(course);
    return course;
  });
}

Result<LessonRecord> Courses::add_lesson(const Principal& who, const core::CourseId& course_id,
                                         const LessonInput& input) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(input.title, core::kMaxTitleChars)) problems["title"] = *p;
  if (auto p = core::check_text(input.body_md, core::kMaxDocChars, false)) problems["body_md"] = *p;
  if (input.video_url && !core::is_video_url(*input.video_url))
    problems["video_url"] = "must be an https:// address";
  if (input.position && (*input.position < 1 || *input.position > 1000))
    problems["position"] = "must be from 1 to 1000";
  const TimestampMs now = clock_.now();
  return write_result<LessonRecord>(store_, [&](Tx& tx) -> Result<LessonRecord> {
    auto course = tx.courses().course_by_id(course_id);
    if (!course) return no_course();
    const auto role = tx.orgs().member_role(course->org_id, who.user_id);
    if (!may_read(role, course->visibility)) return no_course();
    if (!course_allows(role, course->visibility, CourseAction::teach))
      return Error::forbidden("Only the organisation's admins write its courses.");
    if (input.event_id) {
      const auto event = tx.events().event_by_id(*input.event_id);
      if (!event || event->org_id != course->org_id)
        problems["event_id"] = "not an event of this organisation";
    }
    if (!problems.empty()) return Error::validation(problems);
    LessonRecord lesson;
    lesson.id = core::LessonId{crypto_.random_id()};
    lesson.course_id = course_id;
    lesson.title = core::trim(input.title);
    lesson.body_md = input.body_md;
    lesson.video_url = input.video_url;
    lesson.event_id = input.event_id;
    lesson.position = input.position.value_or(course->lessons_count + 1);
    lesson.created_at = now;
    tx.courses().insert_lesson(lesson);
    return lesson;
  });
}

Result<QuizRecord> Courses::put_quiz(const Principal& who, const core::LessonId& lesson_id,
                                     const std::vector<core::QuizQuestion>& questions,
                                     std::int64_t pass_pct) {
  auto problems = core::check_quiz(questions, pass_pct);
  const TimestampMs now = clock_.now();
  return write_result<QuizRecord>(store_, [&](Tx& tx) -> Result<QuizRecord> {
    auto found = readable_lesson(tx, who, lesson_id);
    if (!found) return found.error();
    if (!course_allows(found->role, found->course.visibility, CourseAction::teach))
      return Error::forbidden("Only the organisation's admins write its quizzes.");
    if (!problems.empty()) return Error::validation(problems);
    QuizRecord quiz{lesson_id, questions, pass_pct};
    for (auto& question : quiz.questions) {
      question.text = core::trim(question.text);
      for (auto& choice : question.choices) choice = core::trim(choice);
    }
    tx.courses().put_quiz(quiz, now);
    return quiz;
  });
}

std::vector<CourseRecord> Courses::list(const std::optional<Principal>& who, std::int64_t limit,
                                        std::int64_t offset) {
  return read_value<std::vector<CourseRecord>>(store_, [&](ReadTx& tx) {
    return tx.courses().list_courses(who ? std::optional<core::UserId>(who->user_id) : std::nullopt,
                                     limit, offset);
  });
}

std::vector<CourseRecord> Courses::of_learner(const Principal& who) {
  return read_value<std::vector<CourseRecord>>(store_, [&](ReadTx& tx) {
    auto courses = tx.courses().courses_of_learner(who.user_id);
    // A members-only course of an organisation the learner left is gone.
    std::erase_if(courses, [&](const CourseRecord& c) {
      return !may_read(tx.orgs().member_role(c.org_id, who.user_id), c.visibility);
    });
    return courses;
  });
}

Result<CourseView> Courses::get(const std::optional<Principal>& who, const core::CourseId& id) {
  return read_value<Result<CourseView>>(store_, [&](ReadTx& tx) -> Result<CourseView> {
    auto course = tx.courses().course_by_id(id);
    if (!course) return no_course();
    const auto role = role_in(tx, course->org_id, who);
    if (!may_read(role, course->visibility)) return no_course();
    CourseView view;
    view.may_teach = course_allows(role, course->visibility, CourseAction::teach);
    view.lessons = tx.courses().lessons_of(id);
    if (who) {
      view.enrolled = tx.courses().enrolled_at(id, who->user_id).has_value();
      view.may_enrol =
          !view.enrolled && course_allows(role, course->visibility, CourseAction::enrol);
      if (view.enrolled) {
        view.progress = progress_in(tx, id, who->user_id, &view.done, &view.passed);
        view.certificate = tx.courses().certificate_of(id, who->user_id);
      }
    }
    view.course = std::move(*course);
    return view;
  });
}

Result<LessonView> Courses::lesson(const std::optional<Principal>& who, const core::LessonId& id) {
  return read_value<Result<LessonView>>(store_, [&](ReadTx& tx) -> Result<LessonView> {
    auto found = readable_lesson(tx, who, id);
    if (!found) return found.error();
    LessonView view;
    view.may_teach = course_allows(found->role, found->course.visibility, CourseAction::teach);
    view.quiz = tx.courses().quiz_of(id);
    if (view.quiz && !view.may_teach) {
      for (auto& question : view.quiz->questions) question.correct.clear();
    }
    if (found->lesson.event_id)
      view.live_session = tx.events().event_by_id(*found->lesson.event_id);
    view.attachments = tx.courses().attachments_of(id);
    const auto lessons = tx.courses().lessons_of(found->course.id);
    view.lessons_total = static_cast<std::int64_t>(lessons.size());
    for (std::size_t k = 0; k < lessons.size(); ++k) {
      if (lessons[k].id != id) continue;
      view.number = static_cast<std::int64_t>(k) + 1;
      if (k > 0) view.previous_id = lessons[k - 1].id;
      if (k + 1 < lessons.size()) view.next_id = lessons[k + 1].id;
    }
    if (who) {
      view.enrolled = tx.courses().enrolled_at(found->course.id, who->user_id).has_value();
      if (view.enrolled) {
        const auto done = tx.courses().lessons_done(found->course.id, who->user_id);
        view.done = std::find(done.begin(), done.end(), id) != done.end();
        view.attempts = tx.courses().attempts(id, who->user_id);
        view.passed = std::any_of(view.attempts.begin(), view.attempts.end(),
                                  [](const AttemptRecord& a) { return a.passed; });
      }
    }
    view.lesson = std::move(found->lesson);
    view.course = std::move(found->course);
    return view;
  });
}

Result<CourseView> Courses::enrol(const Principal& who, const core::CourseId& course_id) {
  const TimestampMs now = clock_.now();
  auto enrolled = write_result<bool>(store_, [&](Tx& tx) -> Result<bool> {
    auto course = tx.courses().course_by_id(course_id);
    if (!course) return no_course();
    const auto role = tx.orgs().member_role(course->org_id, who.user_id);
    if (!may_read(role, course->visibility)) return no_course();
    if (!course_allows(role, course->visibility, CourseAction::enrol))
      return Error::forbidden("This course is for the organisation's members.");
    if (!tx.courses().enrol(course_id, who.user_id, now))
      return Error::conflict("already_enrolled", "You already follow this course.");
    return true;
  });
  if (!enrolled) return enrolled.error();
  return get(who, course_id);
}

Result<CourseProgress> Courses::complete(const Principal& who, const core::LessonId& lesson_id) {
  const TimestampMs now = clock_.now();
  return write_result<CourseProgress>(store_, [&](Tx& tx) -> Result<CourseProgress> {
    auto found = readable_lesson(tx, who, lesson_id);
    if (!found) return found.error();
    if (!tx.courses().enrolled_at(found->course.id, who.user_id)) return not_enrolled();
    // Done twice is still done: the answer is the same.
    (void)tx.courses().mark_done(lesson_id, who.user_id, now);
    return progress_in(tx, found->course.id, who.user_id);
  });
}

Result<AttemptResult> Courses::attempt(const Principal& who, const core::LessonId& lesson_id,
                                       const std::vector<std::vector<int>>& answers) {
  const TimestampMs now = clock_.now();
  return write_result<AttemptResult>(store_, [&](Tx& tx) -> Result<AttemptResult> {
    auto found = readable_lesson(tx, who, lesson_id);
    if (!found) return found.error();
    const auto quiz = tx.courses().quiz_of(lesson_id);
    if (!quiz) return Error::not_found("This lesson has no quiz.");
    if (!tx.courses().enrolled_at(found->course.id, who.user_id)) return not_enrolled();
    if (auto problems = core::check_answers(quiz->questions, answers); !problems.empty())
      return Error::validation(problems);
    const auto score = core::score_quiz(quiz->questions, answers, quiz->pass_pct);
    AttemptResult result;
    result.attempt = {crypto_.random_id(), lesson_id,    who.user_id, answers,
                      score.score_pct,     score.passed, now};
    result.right = score.right;
    tx.courses().insert_attempt(result.attempt);
    result.progress = progress_in(tx, found->course.id, who.user_id);
    return result;
  });
}

Result<CourseProgress> Courses::progress(const Principal& who, const core::CourseId& course_id) {
  return read_value<Result<CourseProgress>>(store_, [&](ReadTx& tx) -> Result<CourseProgress> {
    auto course = tx.courses().course_by_id(course_id);
    if (!course ||
        !may_read(tx.orgs().member_role(course->org_id, who.user_id), course->visibility))
      return no_course();
    if (!tx.courses().enrolled_at(course_id, who.user_id)) return not_enrolled();
    return progress_in(tx, course_id, who.user_id);
  });
}

Result<LearnersView> Courses::learners(const Principal& who, const core::CourseId& course_id) {
  return read_value<Result<LearnersView>>(store_, [&](ReadTx& tx) -> Result<LearnersView> {
    auto course = tx.courses().course_by_id(course_id);
    if (!course) return no_course();
    const auto role = tx.orgs().member_role(course->org_id, who.user_id);
    if (!may_read(role, course->visibility)) return no_course();
    if (!course_allows(role, course->visibility, CourseAction::teach))
      return Error::forbidden("Only the organisation's admins see the learners.");
    LearnersView view;
    for (const auto& lesson : tx.courses().lessons_of(course_id)) {
      ++view.lessons_total;
      if (lesson.has_quiz) ++view.quizzes_total;
    }
    view.learners = tx.courses().learners(course_id);
    view.course = std::move(*course);
    return view;
  });
}

Result<CertificateRecord> Courses::certificate(const Principal& who,
                                               const core::CourseId& course_id) {
  const TimestampMs now = clock_.now();
  return write_result<CertificateRecord>(store_, [&](Tx& tx) -> Result<CertificateRecord> {
    auto course = tx.courses().course_by_id(course_id);
    if (!course ||
        !may_read(tx.orgs().member_role(course->org_id, who.user_id), course->visibility))
      return no_course();
    if (!tx.courses().enrolled_at(course_id, who.user_id)) return not_enrolled();
    if (auto issued = tx.courses().certificate_of(course_id, who.user_id)) return *issued;
    const auto progress = progress_in(tx, course_id, who.user_id);
    if (!progress.completed) {
      return Error::conflict(
          "not_completed",
          "The certificate comes once every lesson is done and every quiz passed (" +
              std::to_string(progress.lessons_done) + "/" + std::to_string(progress.lessons_total) +
              " lessons, " + std::to_string(progress.quizzes_passed) + "/" +
              std::to_string(progress.quizzes_total) + " quizzes).");
    }
    CertificateRecord certificate;
    certificate.id = crypto_.random_id();
    certificate.course_id = course_id;
    certificate.user_id = who.user_id;
    certificate.issued_at = now;
    return tx.courses().issue_certificate(certificate);
  });
}

Result<AttachmentRecord> Courses::attach(const Principal& who, const core::LessonId& lesson_id,
                                         const std::string& name, const std::string& bytes) {
  if (bytes.size() > core::kMaxAttachmentBytes) {
    return Error{core::ErrorKind::payload_too_large,
                 "payload_too_large",
                 "A document is at most 5 MiB.",
                 {}};
  }
  std::map<std::string, std::string> problems;
  if (auto p = core::check_attachment_name(name)) problems["name"] = *p;
  if (!core::is_pdf(bytes)) problems["file"] = "must be a PDF document";
  const TimestampMs now = clock_.now();
  return write_result<AttachmentRecord>(store_, [&](Tx& tx) -> Result<AttachmentRecord> {
    auto found = readable_lesson(tx, who, lesson_id);
    if (!found) return found.error();
    if (!course_allows(found->role, found->course.visibility, CourseAction::teach))
      return Error::forbidden("Only the organisation's admins attach documents to lessons.");
    if (!problems.empty()) return Error::validation(problems);
    AttachmentRecord attachment{crypto_.random_id(),
                                lesson_id,
                                name,
                                static_cast<std::int64_t>(bytes.size()),
                                crypto_.sha256_hex(bytes),
                                now,
                                core::base64_encode(bytes)};
    tx.courses().insert_attachment(attachment);
    attachment.data_base64.clear();
    return attachment;
  });
}

Result<AttachmentRecord> Courses::attachment(const std::optional<Principal>& who,
                                             const core::LessonId& lesson_id,
                                             const std::string& id) {
  return read_value<Result<AttachmentRecord>>(store_, [&](ReadTx& tx) -> Result<AttachmentRecord> {
    auto found = readable_lesson(tx, who, lesson_id);
    if (!found) return found.error();
    auto attachment = tx.courses().attachment(id);
    if (!attachment || attachment->lesson_id != lesson_id)
      return Error::not_found("No such document in this lesson.");
    return *attachment;
  });
}

Result<CertificateRecord> Courses::verify(const std::string& certificate_id) {
  return read_value<Result<CertificateRecord>>(
      store_, [&](ReadTx& tx) -> Result<CertificateRecord> {
        auto certificate = tx.courses().certificate_by_id(certificate_id);
        if (!certificate) return Error::not_found("No certificate with this number.");
        return *certificate;
      });
}

}  // namespace essor::app
