// app::Tx over one SOCI session, in the SQL subset that SQLite >= 3.35 and
// PostgreSQL >= 15 share. Not thread-safe: one per transaction.
#pragma once

#include "app/ports.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqlTx final : public app::Tx {
 public:
  enum class Mode { read_only, read_write };
  SqlTx(soci::session& sql, Mode mode) : sql_(sql), mode_(mode) {}

  std::optional<app::UserRecord> user_by_id(const std::string& id) override;
  std::optional<app::UserRecord> user_by_email(const std::string& email_norm) override;
  bool insert_user(const app::UserRecord& user) override;
  void insert_session(const app::SessionRecord& session) override;
  std::optional<app::SessionRecord> live_session(const std::string& token_hash,
                                                 app::TimestampMs now) override;
  void delete_session(const std::string& token_hash) override;
  std::int64_t login_failures(const std::string& key, app::TimestampMs window_start) override;
  void record_login_failure(const std::string& key, app::TimestampMs now,
                            app::TimestampMs window_start) override;
  void clear_login_failures(const std::string& key) override;
  void insert_org(const app::OrgRecord& org) override;
  void update_org(const app::OrgRecord& org) override;
  std::optional<app::OrgRecord> org_by_id(const std::string& id) override;
  std::vector<app::OrgRecord> list_orgs(std::int64_t limit, std::int64_t offset) override;
  std::vector<app::OrgRecord> orgs_of_user(const std::string& user_id) override;
  std::optional<std::string> member_role(const std::string& org_id,
                                         const std::string& user_id) override;
  bool insert_member(const std::string& org_id, const std::string& user_id, const std::string& role,
                     app::TimestampMs joined_at) override;
  bool delete_member(const std::string& org_id, const std::string& user_id) override;
  std::int64_t count_members_with_role(const std::string& org_id, const std::string& role) override;
  std::vector<app::MemberRecord> members(const std::string& org_id, std::int64_t limit,
                                         std::int64_t offset) override;

 private:
  void require_writable() const;
  std::vector<app::OrgRecord> query_orgs(const std::string& where_sql, const std::string& param,
                                         std::int64_t limit, std::int64_t offset);

  soci::session& sql_;
  Mode mode_;
};

}  // namespace essor::store
