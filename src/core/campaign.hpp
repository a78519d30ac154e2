// Campaigns: what a valid campaign is, the states it moves through, and how
// it resolves. Pure functions; the app loads, decides here, and stores.
//
//   draft --submit--> in_review --approve--> live --resolve--> succeeded | failed
//     ^                   |
//     +------reject-------+
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"
#include "core/time.hpp"

namespace essor::core {

struct RewardInput {
  std::string title;
  std::string description;
  Cents min_amount_cents = 0;
  std::optional<std::int64_t> quantity_limit;
  // What the reward is worth (tax receipts' 25 % / 73 € rule); its
  // minimum when not given.
  std::optional<Cents> value_cents{};
};

struct LoanTerms {
  std::int64_t annual_rate_bp = 0;
  std::int64_t term_months = 0;
  std::string repayment;  // annuity | linear
  std::optional<Cents> max_per_lender_cents;
};

// Platform settings for loans (French IFP rules, REFERENCE.md).
struct LoanRules {
  Cents min_ticket_cents = 2'000;              // €20
  Cents cap_interest_free_cents = 500'000;     // €5,000 per lender per campaign
  Cents cap_interest_bearing_cents = 200'000;  // €2,000 per lender per campaign
};

struct CampaignInput {
  std::string title, summary, description_md, category, kind, funding_model;
  Cents goal_cents = 0;
  TimestampMs ends_at = 0;
  std::vector<RewardInput> rewards;
  std::optional<LoanTerms> loan;
};

inline constexpr std::size_t kMaxRewards = 50;

// Every campaign category, spelled once (the catalogs say "category_<it>").
inline constexpr std::array<const char*, 11> kCategories = {
    "culture", "solidarity", "silver_economy",    "education", "environment", "food",
    "housing", "health",     "frugal_innovation", "equipment", "other"};
bool is_category(std::string_view value);
// Field problems of a campaign about to be saved; empty when valid.
// now: a deadline must lie in the future (and within two years).
// A loan's own cap per lender may not exceed the legal cap of `rules`.
std::map<std::string, std::string> check_campaign(const CampaignInput& input, TimestampMs now,
                                                  const LoanRules& rules = {});

enum class CampaignStatus { draft, in_review, live, succeeded, failed };
std::optional<CampaignStatus> parse_status(std::string_view text);
std::string to_string(CampaignStatus status);
// Live, succeeded or failed: seen by everyone (drafts and campaigns in
// review only by their organisation's members and moderators).
bool is_public(CampaignStatus status);

// A pledge: pending (a bank transfer announced), confirmed (the money came
// in), cancelled (it never did), refunded (given back).
enum class PledgeStatus { pending, confirmed, cancelled, refunded };
std::optional<PledgeStatus> parse_pledge_status(std::string_view text);
std::string to_string(PledgeStatus status);

enum class CampaignAction { edit, submit, approve, reject, close };
// The status an action leads to, or nothing when it is not allowed from
// `from` (the caller answers 409).
std::optional<CampaignStatus> next_status(CampaignStatus from, CampaignAction action);

// A gift (with rewards) or a solidarity loan repaid to its lenders.
enum class CampaignKind { donation, loan };
std::optional<CampaignKind> parse_kind(std::string_view text);
std::string to_string(CampaignKind kind);

// All or nothing: refunded below the goal; keep it all: whatever came in.
enum class FundingModel { all_or_nothing, keep_it_all };
std::optional<FundingModel> parse_funding_model(std::string_view text);
std::string to_string(FundingModel model);

// all_or_nothing below goal → failed; otherwise succeeded.
CampaignStatus resolution(FundingModel funding_model, Cents raised_cents, Cents goal_cents);

}  // namespace essor::core
