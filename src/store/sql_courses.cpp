// SqlCourses: courses, lessons, quizzes, learners.
#include "store/sql_courses.hpp"

#include <soci/soci.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/id.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {

namespace {

using Json = nlohmann::json;

#define ESSOR_COURSE_COLUMNS                                                               \
  "SELECT k.id, k.org_id, k.title, k.summary, k.visibility, k.created_by, k.created_at, "  \
  "o.name, (SELECT COUNT(*) FROM lessons l WHERE l.course_id = k.id) FROM courses k JOIN " \
  "orgs o ON o.id = k.org_id "

#define ESSOR_LESSON_COLUMNS                                                                \
  "SELECT l.id, l.course_id, l.title, l.body_md, l.video_url, l.position, l.event_id, "     \
  "l.created_at, CASE WHEN q.lesson_id IS NULL THEN 0 ELSE 1 END FROM lessons l LEFT JOIN " \
  "quizzes q ON q.lesson_id = l.id "

#define ESSOR_CERTIFICATE_COLUMNS                                                              \
  "SELECT c.id, c.course_id, c.user_id, c.issued_at, u.display_name, k.title, o.name FROM "    \
  "certificates c JOIN users u ON u.id = c.user_id JOIN courses k ON k.id = c.course_id JOIN " \
  "orgs o ON o.id = k.org_id "

app::CertificateRecord certificate_from_row(const NativeRow& row) {
  return {row.text(0), row.text(1), row.text(2), row.i64(3), row.text(4), row.text(5), row.text(6)};
}

app::CourseRecord course_from_row(const NativeRow& row) {
  app::CourseRecord c;
  c.id = row.text(0);
  c.org_id = row.text(1);
  c.title = row.text(2);
  c.summary = row.text(3);
  c.visibility = known(core::parse_visibility, row.text(4));
  c.created_by = row.text(5);
  c.created_at = row.i64(6);
  c.org_name = row.text(7);
  c.lessons_count = row.i64(8);
  return c;
}

app::LessonRecord lesson_from_row(const NativeRow& row) {
  app::LessonRecord l;
  l.id = row.text(0);
  l.course_id = row.text(1);
  l.title = row.text(2);
  l.body_md = row.text(3);
  l.video_url = row.opt(4);
  l.position = row.i64(5);
  l.event_id = row.opt(6);
  l.created_at = row.i64(7);
  l.has_quiz = row.i64(8) != 0;
  return l;
}

std::string questions_text(const std::vector<core::QuizQuestion>& questions) {
  Json out = Json::array();
  for (const auto& q : questions) {
    out.push_back({{"text", q.text},
                   {"choices", q.choices},
                   {"correct", q.correct},
                   {"multiple", q.multiple}});
  }
  return out.dump();
}

std::vector<core::QuizQuestion> questions_of(const std::string& text) {
  std::vector<core::QuizQuestion> out;
  for (const auto& q : Json::parse(text)) {
    core::QuizQuestion question;
    question.text = q.at("text").get<std::string>();
    question.choices = q.at("choices").get<std::vector<std::string>>();
    question.correct = q.at("correct").get<std::vector<int>>();
    question.multiple = q.at("multiple").get<bool>();
    out.push_back(std::move(question));
  }
  return out;
}

}  // namespace

void SqlCourses::require_writable() const {
  if (!writable_) throw std::logic_error("write inside a read transaction");
}

std::optional<app::CourseRecord> SqlCourses::course_by_id(const core::CourseId& id) {
  for (const auto& row : native_query(sql_, backend_, ESSOR_COURSE_COLUMNS "WHERE k.id = ?", {id}))
    return course_from_row(row);
  return std::nullopt;
}

std::vector<app::CourseRecord> SqlCourses::list_courses(
    const std::optional<core::UserId>& members_of, std::int64_t limit, std::int64_t offset) {
  std::vector<app::CourseRecord> out;
  for (const auto& row : native_query(
           sql_, backend_,
           ESSOR_COURSE_COLUMNS
           "WHERE k.visibility = 'public' OR k.org_id IN (SELECT m.org_id FROM memberships m "
           "WHERE m.user_id = ?) ORDER BY k.created_at DESC, k.id LIMIT ? OFFSET ?",
           {members_of ? members_of->str() : std::string(), limit, offset}))
    out.push_back(course_from_row(row));
  return out;
}

std::vector<app::CourseRecord> SqlCourses::courses_of_org(const core::OrgId& org_id) {
  std::vector<app::CourseRecord> out;
  for (const auto& row : native_query(
           sql_, backend_,
           ESSOR_COURSE_COLUMNS "WHERE k.org_id = ? ORDER BY k.created_at DESC, k.id", {org_id}))
    out.push_back(course_from_row(row));
  return out;
}

std::vector<app::LessonRecord> SqlCourses::lessons_of(const core::CourseId& course_id) {
  std::vector<app::LessonRecord> out;
  for (const auto& row : native_query(
           sql_, backend_,
           ESSOR_LESSON_COLUMNS "WHERE l.course_id = ? ORDER BY l.position, l.created_at, l.id",
           {course_id}))
    out.push_back(lesson_from_row(row));
  return out;
}

std::optional<app::LessonRecord> SqlCourses::lesson_by_id(const core::LessonId& id) {
  for (const auto& row : native_query(sql_, backend_, ESSOR_LESSON_COLUMNS "WHERE l.id = ?", {id}))
    return lesson_from_row(row);
  return std::nullopt;
}

std::optional<app::QuizRecord> SqlCourses::quiz_of(const core::LessonId& lesson_id) {
  for (const auto& row :
       native_query(sql_, backend_, "SELECT questions, pass_pct FROM quizzes WHERE lesson_id = ?",
                    {lesson_id}))
    return app::QuizRecord{lesson_id, questions_of(row.text(0)), row.i64(1)};
  return std::nullopt;
}

std::optional<core::TimestampMs> SqlCourses::enrolled_at(const core::CourseId& course_id,
                                                         const core::UserId& user_id) {
  for (const auto& row : native_query(
           sql_, backend_, "SELECT enrolled_at FROM enrolments WHERE course_id = ? AND user_id = ?",
           {course_id, user_id}))
    return row.i64(0);
  return std::nullopt;
}

std::vector<core::LessonId> SqlCourses::lessons_done(const core::CourseId& course_id,
                                                     const core::UserId& user_id) {
  std::vector<core::LessonId> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT d.lesson_id FROM lessons_done d JOIN lessons l ON "
                                      "l.id = d.lesson_id WHERE l.course_id = ? AND d.user_id = "
                                      "? ORDER BY d.lesson_id",
                                      {course_id, user_id}))
    out.push_back(row.text(0));
  return out;
}

std::vector<core::LessonId> SqlCourses::quizzes_passed(const core::CourseId& course_id,
                                                       const core::UserId& user_id) {
  std::vector<core::LessonId> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT DISTINCT a.lesson_id FROM quiz_attempts a JOIN "
                                      "lessons l ON l.id = a.lesson_id WHERE l.course_id = ? AND "
                                      "a.user_id = ? AND a.passed = 1 ORDER BY a.lesson_id",
                                      {course_id, user_id}))
    out.push_back(row.text(0));
  return out;
}

std::vector<app::AttemptRecord> SqlCourses::attempts(const core::LessonId& lesson_id,
                                                     const core::UserId& user_id) {
  std::vector<app::AttemptRecord> out;
  for (const auto& row :
       native_query(sql_, backend_,
                    "SELECT id, answers, score_pct, passed, created_at FROM quiz_attempts WHERE "
                    "lesson_id = ? AND user_id = ? ORDER BY created_at DESC, id",
                    {lesson_id, user_id})) {
    app::AttemptRecord a;
    a.id = row.text(0);
    a.lesson_id = lesson_id;
    a.user_id = user_id;
    a.answers = Json::parse(row.text(1)).get<std::vector<std::vector<int>>>();
    a.score_pct = row.i64(2);
    a.passed = row.i64(3) != 0;
    a.created_at = row.i64(4);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<app::LearnerProgress> SqlCourses::learners(const core::CourseId& course_id) {
  std::vector<app::LearnerProgress> out;
  for (const auto& row : native_query(
           sql_, backend_,
           "SELECT e.user_id, u.display_name, e.enrolled_at, (SELECT COUNT(*) FROM lessons_done "
           "d JOIN lessons l ON l.id = d.lesson_id WHERE l.course_id = e.course_id AND d.user_id "
           "= e.user_id), (SELECT COUNT(DISTINCT a.lesson_id) FROM quiz_attempts a JOIN lessons "
           "l ON l.id = a.lesson_id WHERE l.course_id = e.course_id AND a.user_id = e.user_id "
           "AND a.passed = 1), (SELECT MAX(d.done_at) FROM lessons_done d JOIN lessons l ON l.id "
           "= d.lesson_id WHERE l.course_id = e.course_id AND d.user_id = e.user_id) FROM "
           "enrolments e JOIN users u ON u.id = e.user_id WHERE e.course_id = ? ORDER BY "
           "e.enrolled_at, e.user_id",
           {course_id})) {
    out.push_back({row.text(0), row.text(1), row.i64(2), row.i64(3), row.i64(4), row.opt_i64(5)});
  }
  return out;
}

std::vector<app::CourseRecord> SqlCourses::courses_of_learner(const core::UserId& user_id) {
  std::vector<app::CourseRecord> out;
  for (const auto& row : native_query(sql_, backend_,
                                      ESSOR_COURSE_COLUMNS
                                      "JOIN enrolments e ON e.course_id = k.id WHERE e.user_id = "
                                      "? ORDER BY e.enrolled_at DESC, k.id",
                                      {user_id}))
    out.push_back(course_from_row(row));
  return out;
}

std::optional<app::CertificateRecord> SqlCourses::certificate_by_id(const std::string& id) {
  for (const auto& row :
       native_query(sql_, backend_, ESSOR_CERTIFICATE_COLUMNS "WHERE c.id = ?", {id}))
    return certificate_from_row(row);
  return std::nullopt;
}

std::optional<app::CertificateRecord> SqlCourses::certificate_of(const core::CourseId& course_id,
                                                                 const core::UserId& user_id) {
  for (const auto& row : native_query(
           sql_, backend_, ESSOR_CERTIFICATE_COLUMNS "WHERE c.course_id = ? AND c.user_id = ?",
           {course_id, user_id}))
    return certificate_from_row(row);
  return std::nullopt;
}

app::CertificateRecord SqlCourses::issue_certificate(const app::CertificateRecord& c) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO certificates (id, course_id, user_id, issued_at) VALUES (?, ?, ?, ?) "
               "ON CONFLICT DO NOTHING",
               {c.id, c.course_id, c.user_id, c.issued_at});
  auto issued = certificate_of(c.course_id, c.user_id);
  if (!issued) throw std::runtime_error("a certificate just issued cannot be read");
  return *issued;
}

std::vector<app::AttachmentRecord> SqlCourses::attachments_of(const core::LessonId& lesson_id) {
  std::vector<app::AttachmentRecord> out;
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT id, lesson_id, name, size, sha256, created_at FROM "
                                      "lesson_files WHERE lesson_id = ? ORDER BY name, id",
                                      {lesson_id}))
    out.push_back({row.text(0), row.text(1), row.text(2), row.i64(3), row.text(4), row.i64(5), ""});
  return out;
}

std::optional<app::AttachmentRecord> SqlCourses::attachment(const std::string& id) {
  for (const auto& row : native_query(sql_, backend_,
                                      "SELECT id, lesson_id, name, size, sha256, created_at, "
                                      "data_base64 FROM lesson_files WHERE id = ?",
                                      {id}))
    return app::AttachmentRecord{row.text(0), row.text(1), row.text(2), row.i64(3),
                                 row.text(4), row.i64(5),  row.text(6)};
  return std::nullopt;
}

void SqlCourses::insert_attachment(const app::AttachmentRecord& a) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO lesson_files (id, lesson_id, name, size, sha256, created_at, "
               "data_base64) VALUES (?, ?, ?, ?, ?, ?, ?)",
               {a.id, a.lesson_id, a.name, a.size, a.sha256, a.created_at, a.data_base64});
}

void SqlCourses::insert_course(const app::CourseRecord& c) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO courses (id, org_id, title, summary, visibility, created_by, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               {c.id, c.org_id, c.title, c.summary, core::to_string(c.visibility), c.created_by,
                c.created_at});
}

void SqlCourses::insert_lesson(const app::LessonRecord& l) {
  require_writable();
  native_query(
      sql_, backend_,
      "INSERT INTO lessons (id, course_id, title, body_md, video_url, position, "
      "event_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {l.id, l.course_id, l.title, l.body_md, l.video_url ? Param{*l.video_url} : Param{nullptr},
       l.position, l.event_id ? Param{*l.event_id} : Param{nullptr}, l.created_at});
}

void SqlCourses::put_quiz(const app::QuizRecord& quiz, core::TimestampMs now) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO quizzes (lesson_id, questions, pass_pct, updated_at) VALUES (?, ?, ?, "
               "?) ON CONFLICT (lesson_id) DO UPDATE SET questions = excluded.questions, pass_pct "
               "= excluded.pass_pct, updated_at = excluded.updated_at",
               {quiz.lesson_id, questions_text(quiz.questions), quiz.pass_pct, now});
}

bool SqlCourses::enrol(const core::CourseId& course_id, const core::UserId& user_id,
                       core::TimestampMs now) {
  require_writable();
  return !native_query(sql_, backend_,
                       "INSERT INTO enrolments (course_id, user_id, enrolled_at) VALUES (?, ?, ?) "
                       "ON CONFLICT DO NOTHING RETURNING user_id",
                       {course_id, user_id, now})
              .empty();
}

bool SqlCourses::mark_done(const core::LessonId& lesson_id, const core::UserId& user_id,
                           core::TimestampMs now) {
  require_writable();
  return !native_query(sql_, backend_,
                       "INSERT INTO lessons_done (lesson_id, user_id, done_at) VALUES (?, ?, ?) ON "
                       "CONFLICT DO NOTHING RETURNING user_id",
                       {lesson_id, user_id, now})
              .empty();
}

void SqlCourses::insert_attempt(const app::AttemptRecord& a) {
  require_writable();
  native_query(sql_, backend_,
               "INSERT INTO quiz_attempts (id, lesson_id, user_id, answers, score_pct, passed, "
               "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               {a.id, a.lesson_id, a.user_id, Json(a.answers).dump(), a.score_pct,
                std::int64_t{a.passed ? 1 : 0}, a.created_at});
}

}  // namespace essor::store
