// app::CoursesWrites (courses, lessons, quizzes, enrolments, progress)
// over the transaction's session, through statements kept prepared
// (store/native.hpp). Internal to store/: SqlTx hands it out as its
// courses().
#pragma once

#include "app/courses_port.hpp"
#include "core/id.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqlCourses final : public app::CoursesWrites {
 public:
  SqlCourses(soci::session& sql, Backend backend, bool writable)
      : sql_(sql), backend_(backend), writable_(writable) {}

  std::optional<app::CourseRecord> course_by_id(const core::CourseId& id) override;
  std::vector<app::CourseRecord> list_courses(const std::optional<core::UserId>& members_of,
                                              std::int64_t limit, std::int64_t offset) override;
  std::vector<app::CourseRecord> courses_of_org(const core::OrgId& org_id) override;
  std::vector<app::LessonRecord> lessons_of(const core::CourseId& course_id) override;
  std::optional<app::LessonRecord> lesson_by_id(const core::LessonId& id) override;
  std::optional<app::QuizRecord> quiz_of(const core::LessonId& lesson_id) override;
  std::optional<core::TimestampMs> enrolled_at(const core::CourseId& course_id,
                                               const core::UserId& user_id) override;
  std::vector<core::LessonId> lessons_done(const core::CourseId& course_id,
                                           const core::UserId& user_id) override;
  std::vector<core::LessonId> quizzes_passed(const core::CourseId& course_id,
                                             const core::UserId& user_id) override;
  std::vector<app::AttemptRecord> attempts(const core::LessonId& lesson_id,
                                           const core::UserId& user_id) override;
  std::vector<app::LearnerProgress> learners(const core::CourseId& course_id) override;
  std::vector<app::CourseRecord> courses_of_learner(const core::UserId& user_id) override;
  std::optional<app::CertificateRecord> certificate_by_id(const std::string& id) override;
  std::vector<app::AttachmentRecord> attachments_of(const core::LessonId& lesson_id) override;
  std::optional<app::AttachmentRecord> attachment(const std::string& id) override;
  std::optional<app::CertificateRecord> certificate_of(const core::CourseId& course_id,
                                                       const core::UserId& user_id) override;

  void insert_course(const app::CourseRecord& course) override;
  void insert_lesson(const app::LessonRecord& lesson) override;
  void put_quiz(const app::QuizRecord& quiz, core::TimestampMs now) override;
  bool enrol(const core::CourseId& course_id, const core::UserId& user_id,
             core::TimestampMs now) override;
  bool mark_done(const core::LessonId& lesson_id, const core::UserId& user_id,
                 core::TimestampMs now) override;
  void insert_attempt(const app::AttemptRecord& attempt) override;
  void insert_attachment(const app::AttachmentRecord& attachment) override;
  app::CertificateRecord issue_certificate(const app::CertificateRecord& certificate) override;

 private:
  void require_writable() const;
  soci::session& sql_;
  Backend backend_;
  bool writable_;
};

}  // namespace essor::store
