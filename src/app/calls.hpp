// Matchfunding (spec "Funding calls"): a funder organisation opens a call
// whose pool moves onto the ledger (call:<id>); campaigns apply, the funder
// accepts or declines; while the call is open each confirmed pledge to an
// accepted campaign is matched by a `match` transfer within every cap, and
// a failed campaign gives its matches back. The territorial open data
// (spec "Territorial open data") is computed here from the ledger. Safe
// from many threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/ledger.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"
#include "core/matchfunding.hpp"

namespace essor::app {

struct CallView {
  CallRecord call;
  // Accepted campaigns for everyone; every application for the funder's
  // admins and, for its own, the applying organisation's.
  std::vector<ApplicationRecord> applications;
  bool may_decide = false;
};

// One line of the territorial figures.
struct TerritoryLine {
  std::string code;  // INSEE code; "NR" for organisations that gave no place
  std::string name;
  std::int64_t campaigns = 0;
  std::int64_t succeeded = 0;
  core::Cents raised_cents = 0;   // from citizens
  core::Cents matched_cents = 0;  // from funders
  std::int64_t backers = 0;
  std::int64_t organisations = 0;
  struct Part {
    std::int64_t campaigns = 0;
    core::Cents raised_cents = 0;
    core::Cents matched_cents = 0;
  };
  std::map<std::string, Part> by_category, by_legal_form;
};

enum class TerritoryLevel { region, department };

class Calls {
 public:
  Calls(Store& store, Crypto& crypto, Clock& clock, Ledger& ledger)
      : store_(store), crypto_(crypto), clock_(clock), ledger_(ledger) {}

  // 201: the call, its pool on the ledger. Admins of funder organisations.
  // unreadable: fields the caller could not read (told with the rest,
  // after authorisation).
  core::Result<CallRecord> open(const Principal& who, const core::OrgId& org_id,
                                const core::CallInput& input,
                                std::map<std::string, std::string> unreadable = {});
  std::vector<CallRecord> list(std::int64_t limit, std::int64_t offset);
  // Every call a funder opened (its page lists them).
  std::vector<CallRecord> of_org(const core::OrgId& org_id);
  core::Result<CallView> get(const Principal& who, const std::string& id);
  core::Result<ApplicationRecord> apply(const Principal& who, const std::string& call_id,
                                        const core::CampaignId& campaign_id);
  core::Result<ApplicationRecord> decide(const Principal& who, const std::string& call_id,
                                         const core::CampaignId& campaign_id, bool accepted);
  // The calls that accepted a campaign (its page says who matches it).
  std::vector<ApplicationRecord> accepted_for(const core::CampaignId& campaign_id);

  // Per territory, campaigns launched in the year (Europe/Paris).
  core::Result<std::vector<TerritoryLine>> territories(TerritoryLevel level, std::int64_t year);

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  Ledger& ledger_;
};

// Inside a pledge's transaction, once its money is on the campaign's
// account: the match of the call that accepted the campaign, if any is
// open and has room. The call's row is held to the end of the transaction.
// Returns the amount matched (0: none). call_id: that call, when the caller
// read it with the campaign (CampaignForMoney); else it is read here.
core::Cents match_pledge(Tx& tx, Crypto& crypto, Ledger& ledger, core::TimestampMs now,
                         const PledgeRecord& pledge);
core::Cents match_pledge(Tx& tx, Crypto& crypto, Ledger& ledger, core::TimestampMs now,
                         const PledgeRecord& pledge, const std::optional<std::string>& call_id);

// Inside a failing campaign's resolution: every active match goes back to
// its call's pool.
void return_matches(Tx& tx, Ledger& ledger, const core::CampaignId& campaign_id,
                    core::TimestampMs now);

}  // namespace essor::app
