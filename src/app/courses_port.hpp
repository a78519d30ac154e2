// The store's part for courses: courses, lessons, quizzes, enrolments,
// lessons done and quiz attempts. A small port of its own
// (ReadTx::courses() reads, Tx::courses() also writes).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/course.hpp"
#include "core/cowriting.hpp"
#include "core/id.hpp"
#include "core/time.hpp"

namespace essor::app {

struct CourseRecord {
  core::CourseId id;
  core::OrgId org_id;
  std::string title, summary;
  core::Visibility visibility = core::Visibility::public_;
  core::UserId created_by;
  core::TimestampMs created_at = 0;
  std::string org_name;            // read with it
  std::int64_t lessons_count = 0;  // read with it
};

struct LessonRecord {
  core::LessonId id;
  core::CourseId course_id;
  std::string title, body_md;
  std::optional<std::string> video_url;
  std::int64_t position = 0;
  std::optional<std::string> event_id;  // its live session
  core::TimestampMs created_at = 0;
  bool has_quiz = false;  // read with it
};

struct QuizRecord {
  core::LessonId lesson_id;
  std::vector<core::QuizQuestion> questions;
  std::int64_t pass_pct = 0;
};

struct AttemptRecord {
  std::string id;
  core::LessonId lesson_id;
  core::UserId user_id;
  std::vector<std::vector<int>> answers;
  std::int64_t score_pct = 0;
  bool passed = false;
  core::TimestampMs created_at = 0;
};

// One learner's place in a course.
struct LearnerProgress {
  core::UserId user_id;
  std::string display_name;
  core::TimestampMs enrolled_at = 0;
  std::int64_t lessons_done = 0;
  std::int64_t quizzes_passed = 0;
  std::optional<core::TimestampMs> last_done_at;  // the last lesson done or quiz passed
};

// A completion certificate: its id is the verification address's.
struct CertificateRecord {
  std::string id;
  core::CourseId course_id;
  core::UserId user_id;
  core::TimestampMs issued_at = 0;
  // Read with it.
  std::string learner_name, course_title, org_name;
};

// A document attached to a lesson (a PDF).
struct AttachmentRecord {
  std::string id;
  core::LessonId lesson_id;
  std::string name;
  std::int64_t size = 0;
  std::string sha256;
  core::TimestampMs created_at = 0;
  std::string data_base64;  // only when read alone
};

class CoursesReads {
 public:
  virtual ~CoursesReads() = default;
  virtual std::optional<CourseRecord> course_by_id(const core::CourseId& id) = 0;
  // Newest first; members_of: also the members-only courses of the
  // organisations this person belongs to (none: public ones only).
  virtual std::vector<CourseRecord> list_courses(const std::optional<core::UserId>& members_of,
                                                 std::int64_t limit, std::int64_t offset) = 0;
  virtual std::vector<CourseRecord> courses_of_org(const core::OrgId& org_id) = 0;
  // In order of position.
  virtual std::vector<LessonRecord> lessons_of(const core::CourseId& course_id) = 0;
  virtual std::optional<LessonRecord> lesson_by_id(const core::LessonId& id) = 0;
  virtual std::optional<QuizRecord> quiz_of(const core::LessonId& lesson_id) = 0;
  virtual std::optional<core::TimestampMs> enrolled_at(const core::CourseId& course_id,
                                                       const core::UserId& user_id) = 0;
  virtual std::vector<core::LessonId> lessons_done(const core::CourseId& course_id,
                                                   const core::UserId& user_id) = 0;
  // Lessons whose quiz this person passed at least once.
  virtual std::vector<core::LessonId> quizzes_passed(const core::CourseId& course_id,
                                                     const core::UserId& user_id) = 0;
  // Newest first.
  virtual std::vector<AttemptRecord> attempts(const core::LessonId& lesson_id,
                                              const core::UserId& user_id) = 0;
  // Every learner, by enrolment.
  virtual std::vector<LearnerProgress> learners(const core::CourseId& course_id) = 0;
  // The courses a person follows, newest enrolment first.
  virtual std::vector<CourseRecord> courses_of_learner(const core::UserId& user_id) = 0;
  virtual std::optional<CertificateRecord> certificate_by_id(const std::string& id) = 0;
  // A lesson's documents, without their bytes, by name.
  virtual std::vector<AttachmentRecord> attachments_of(const core::LessonId& lesson_id) = 0;
  // One document with its bytes.
  virtual std::optional<AttachmentRecord> attachment(const std::string& id) = 0;
  virtual std::optional<CertificateRecord> certificate_of(const core::CourseId& course_id,
                                                          const core::UserId& user_id) = 0;
};

class CoursesWrites : public CoursesReads {
 public:
  virtual void insert_course(const CourseRecord& course) = 0;
  virtual void insert_lesson(const LessonRecord& lesson) = 0;
  // Replaces the lesson's quiz (its earlier attempts stay recorded).
  virtual void put_quiz(const QuizRecord& quiz, core::TimestampMs now) = 0;
  // False when already enrolled.
  [[nodiscard]] virtual bool enrol(const core::CourseId& course_id, const core::UserId& user_id,
                                   core::TimestampMs now) = 0;
  // False when already done.
  [[nodiscard]] virtual bool mark_done(const core::LessonId& lesson_id, const core::UserId& user_id,
                                       core::TimestampMs now) = 0;
  virtual void insert_attempt(const AttemptRecord& attempt) = 0;
  virtual void insert_attachment(const AttachmentRecord& attachment) = 0;
  // The learner's certificate, issued once (the one already issued if any).
  virtual CertificateRecord issue_certificate(const CertificateRecord& certificate) = 0;
};

}  // namespace essor::app
