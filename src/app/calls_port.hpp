// The store's part for matchfunding: funders' calls, campaigns'
// applications, the matches of pledges, and the territorial figures. A
// small port of its own (ReadTx::calls() reads, Tx::calls() also writes).
// The pool is never over-committed: every match is decided while the
// call's row is held (lock_call) and recorded in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/campaign.hpp"
#include "core/id.hpp"
#include "core/matchfunding.hpp"
#include "core/time.hpp"

namespace essor::app {

struct CallRecord {
  std::string id;
  core::OrgId org_id;
  std::string title;
  std::string description_md;
  core::CallTerms terms;
  std::vector<std::string> regions, categories;  // empty: any
  std::vector<core::LegalForm> legal_forms;      // empty: any
  core::Cents committed_cents = 0;               // matched and not given back
  core::UserId created_by;
  core::TimestampMs created_at = 0;
  std::string org_name;  // read with the call
};

struct ApplicationRecord {
  std::string call_id;
  core::CampaignId campaign_id;
  core::ApplicationStatus status = core::ApplicationStatus::pending;
  core::Cents matched_cents = 0;
  core::UserId applied_by;
  core::TimestampMs applied_at = 0;
  std::optional<core::TimestampMs> decided_at;
  // Read with it, for lists.
  std::string campaign_title;
  std::string org_name;
  std::string call_title;
  std::string funder_name;
};

struct MatchRecord {
  std::string id;
  std::string call_id;
  core::CampaignId campaign_id;
  std::string pledge_id;
  core::UserId user_id;
  core::Cents amount_cents = 0;
  core::MatchStatus status = core::MatchStatus::active;
  core::TimestampMs created_at = 0;
};

// One public campaign, as the territorial figures count it: its
// organisation's place and form, and its money from the ledger.
struct TerritoryCampaign {
  core::CampaignId campaign_id;
  core::OrgId org_id;
  std::string category;
  core::CampaignStatus status = core::CampaignStatus::live;  // live, succeeded, failed
  core::LegalForm legal_form = core::LegalForm::association;
  std::string region, department;  // as the organisation wrote them
  core::Cents raised_cents = 0;    // pledges that came in (refunded ones included)
  core::Cents matched_cents = 0;   // matches, less those given back
};

struct TerritoryFigures {
  std::vector<TerritoryCampaign> campaigns;
  // Distinct (organisation, backer) pairs with money that came in.
  std::vector<std::pair<std::string, std::string>> org_backers;
};

class CallsReads {
 public:
  virtual ~CallsReads() = default;
  virtual std::optional<CallRecord> call_by_id(const std::string& id) = 0;
  virtual std::vector<CallRecord> list_calls(std::int64_t limit, std::int64_t offset) = 0;
  // Every call one funder opened, in the same order (latest closing first).
  virtual std::vector<CallRecord> calls_of_org(const core::OrgId& org_id) = 0;
  virtual std::vector<ApplicationRecord> applications_of_call(const std::string& call_id) = 0;
  virtual std::vector<ApplicationRecord> applications_of_campaign(
      const core::CampaignId& campaign_id) = 0;
  virtual std::optional<ApplicationRecord> application(const std::string& call_id,
                                                       const core::CampaignId& campaign_id) = 0;
  // The call that matches the campaign's pledges (at most one accepts it).
  virtual std::optional<std::string> accepted_call_of(const core::CampaignId& campaign_id) = 0;
  virtual core::Cents matched_to_backer(const std::string& call_id,
                                        const core::UserId& user_id) = 0;
  virtual std::vector<MatchRecord> active_matches_of_campaign(
      const core::CampaignId& campaign_id) = 0;
  // Public campaigns launched in [from, to), with their money from the ledger.
  virtual TerritoryFigures territory_figures(core::TimestampMs from, core::TimestampMs to) = 0;
};

class CallsWrites : public CallsReads {
 public:
  virtual void insert_call(const CallRecord& call) = 0;
  // The call's row, held to the end of the transaction.
  virtual std::optional<CallRecord> lock_call(const std::string& id) = 0;
  // False when the campaign already applied to this call.
  [[nodiscard]] virtual bool insert_application(const ApplicationRecord& application) = 0;
  // pending → accepted or declined; false when it was not pending (or when
  // accepting would give the campaign a second accepted call).
  [[nodiscard]] virtual bool decide_application(const std::string& call_id,
                                                const core::CampaignId& campaign_id,
                                                core::ApplicationStatus to,
                                                core::TimestampMs now) = 0;
  // A match recorded: its row, and the call's and the application's sums.
  virtual void insert_match(const MatchRecord& match) = 0;
  // An active match given back to the pool: false when it already was.
  [[nodiscard]] virtual bool return_match(const MatchRecord& match, core::TimestampMs now) = 0;
};

}  // namespace essor::app
