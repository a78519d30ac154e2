// Campaigns: drafts, review by moderators, going live, and resolution at the
// deadline or on close (exactly once, whatever triggers it). Safe to use
// from many threads; every call blocks on the database.
#pragma once

#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/ledger.hpp"
#include "app/ports.hpp"
#include "core/campaign.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct CampaignView {
  CampaignRecord campaign;
  std::vector<RewardRecord> rewards;
  CampaignTotals totals;
  std::string org_name;
  std::optional<std::string> cover_hash;  // set when the campaign has a cover image
};

struct CoverImage {
  std::string content_type;
  std::string bytes;
  std::string etag;
};

struct CampaignPage {
  std::vector<CampaignView> items;
  std::optional<std::int64_t> next_offset;
};

// A partial update: only the fields present change.
struct CampaignPatch {
  std::optional<std::string> title, summary, description_md, category, kind, funding_model;
  std::optional<core::Cents> goal_cents;
  std::optional<TimestampMs> ends_at;
  std::optional<std::vector<core::RewardInput>> rewards;
  std::optional<std::optional<core::LoanTerms>> loan;
};

class Campaigns {
 public:
  Campaigns(Store& store, Crypto& crypto, Clock& clock, Ledger& ledger,
            core::LoanRules loan_rules = {});

  // Org admin. 201 in draft.
  core::Result<CampaignView> create(const Principal& who, const core::OrgId& org_id,
                                    const core::CampaignInput& input);
  // Org admin, only while draft (409 campaign_not_draft otherwise).
  core::Result<CampaignView> update(const Principal& who, const core::CampaignId& id,
                                    const CampaignPatch& patch);
  core::Result<CampaignView> submit(const Principal& who, const core::CampaignId& id);
  // Moderators.
  core::Result<CampaignView> approve(const Principal& who, const core::CampaignId& id);
  core::Result<CampaignView> reject(const Principal& who, const core::CampaignId& id,
                                    const std::string& reason);
  // Org admin or moderator: ends it now and resolves it.
  core::Result<CampaignView> close(const Principal& who, const core::CampaignId& id);
  // Org admin: sets the cover image, checked by content (JPEG, PNG or WebP,
  // at most 5 MiB).
  core::Result<CampaignView> set_cover(const Principal& who, const core::CampaignId& id,
                                       const std::string& bytes);
  // The cover of a campaign the reader may see.
  core::Result<CoverImage> cover(const std::optional<Principal>& who, const core::CampaignId& id);

  // Resolves every live campaign whose deadline passed; returns how many.
  // Safe to run in several processes at once.
  int resolve_due();

  // Drafts and campaigns in review are visible to their organisation's
  // members and to moderators only (404 for anyone else). This and list
  // resolve a campaign whose deadline passed before reading it, if the
  // scheduler has not yet.
  core::Result<CampaignView> get(const std::optional<Principal>& who, const core::CampaignId& id);
  // Lists only public campaigns (live, succeeded, failed) unless the filter
  // names another status and who may see it (moderators: in_review).
  core::Result<CampaignPage> list(const std::optional<Principal>& who,
                                  const CampaignFilter& filter);

 private:
  core::Result<CampaignView> change_status(const Principal& who, const core::CampaignId& id,
                                           core::CampaignAction action, const std::string& reason);
  // Inside tx: moves a live campaign to its resolution and moves the money.
  // False when it was not live any more (someone else resolved it).
  bool resolve(Tx& tx, const CampaignRecord& campaign);
  // Resolves the campaign if it is live and its deadline passed (in a
  // transaction of its own).
  bool resolve_if_due(const core::CampaignId& id, TimestampMs now);
  CampaignView view(ReadTx& tx, CampaignRecord campaign);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  Ledger& ledger_;
  core::LoanRules loan_rules_;
};

}  // namespace essor::app
