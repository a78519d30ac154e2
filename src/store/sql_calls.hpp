// app::CallsWrites (matchfunding calls, applications, matches and the
// territorial figures) over the transaction's session, through statements
// kept prepared (store/native.hpp). Internal to store/: SqlTx hands it out
// as its calls().
#pragma once

#include "app/calls_port.hpp"
#include "core/id.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqlCalls final : public app::CallsWrites {
 public:
  SqlCalls(soci::session& sql, Backend backend, bool writable)
      : sql_(sql), backend_(backend), writable_(writable) {}

  std::optional<app::CallRecord> call_by_id(const std::string& id) override;
  std::vector<app::CallRecord> list_calls(std::int64_t limit, std::int64_t offset) override;
  std::vector<app::CallRecord> calls_of_org(const core::OrgId& org_id) override;
  std::vector<app::ApplicationRecord> applications_of_call(const std::string& call_id) override;
  std::vector<app::ApplicationRecord> applications_of_campaign(
      const core::CampaignId& campaign_id) override;
  std::optional<app::ApplicationRecord> application(const std::string& call_id,
                                                    const core::CampaignId& campaign_id) override;
  std::optional<std::string> accepted_call_of(const core::CampaignId& campaign_id) override;
  core::Cents matched_to_backer(const std::string& call_id, const core::UserId& user_id) override;
  std::vector<app::MatchRecord> active_matches_of_campaign(
      const core::CampaignId& campaign_id) override;
  app::TerritoryFigures territory_figures(core::TimestampMs from, core::TimestampMs to) override;

  void insert_call(const app::CallRecord& call) override;
  std::optional<app::CallRecord> lock_call(const std::string& id) override;
  bool insert_application(const app::ApplicationRecord& application) override;
  bool decide_application(const std::string& call_id, const core::CampaignId& campaign_id,
                          core::ApplicationStatus to, core::TimestampMs now) override;
  void insert_match(const app::MatchRecord& match) override;
  bool return_match(const app::MatchRecord& match, core::TimestampMs now) override;

 private:
  void require_writable() const;
  soci::session& sql_;
  Backend backend_;
  bool writable_;
};

}  // namespace essor::store
