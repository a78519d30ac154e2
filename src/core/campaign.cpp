#include "core/campaign.hpp"

#include <array>

#include "core/loan.hpp"
#include "core/validation.hpp"
#include "core/words.hpp"

namespace essor::core {

namespace {

constexpr std::int64_t kTwoYearsMs = 2LL * 366 * 24 * 3600 * 1000;
constexpr Cents kMaxGoalCents = 500'000'000;  // €5M: EU 2020/1503 cap per project owner

void check_rewards(const CampaignInput& input, std::map<std::string, std::string>& problems) {
  if (input.rewards.size() > kMaxRewards) {
    problems["rewards"] = "50 rewards at most";
    return;
  }
  if (input.kind == "loan" && !input.rewards.empty()) {
    problems["rewards"] = "loan campaigns have no rewards";
    return;
  }
  for (std::size_t idx = 0; idx < input.rewards.size(); ++idx) {
    const auto& reward = input.rewards[idx];
    const std::string prefix = "rewards[" + std::to_string(idx) + "].";
    if (auto p = check_name(reward.title, 200)) problems[prefix + "title"] = *p;
    if (auto p = check_text(reward.description, 2000, false)) problems[prefix + "description"] = *p;
    if (reward.min_amount_cents <= 0 || reward.min_amount_cents > kMaxPledgeCents) {
      problems[prefix + "min_amount_cents"] = "must be from 1 to 10000000";
    }
    if (reward.quantity_limit &&
        (*reward.quantity_limit < 1 || *reward.quantity_limit > 1'000'000)) {
      problems[prefix + "quantity_limit"] = "must be from 1 to 1000000";
    }
    if (reward.value_cents && (*reward.value_cents < 0 || *reward.value_cents > kMaxPledgeCents))
      problems[prefix + "value_cents"] = "must be from 0 to 10000000";
  }
}

void check_loan(const CampaignInput& input, const LoanRules& rules,
                std::map<std::string, std::string>& problems) {
  if (input.kind != "loan") {
    if (input.loan) problems["loan"] = "only for loan campaigns";
    return;
  }
  if (!input.loan) {
    problems["loan"] = "required for a loan campaign";
    return;
  }
  const auto& loan = *input.loan;
  if (loan.annual_rate_bp < 0 || loan.annual_rate_bp > 2000) {
    problems["loan.annual_rate_bp"] = "must be from 0 to 2000 (20%)";
  }
  if (loan.term_months < 1 || loan.term_months > 84) {
    problems["loan.term_months"] = "must be from 1 to 84 (7 years)";
  }
  if (loan.repayment != "annuity" && loan.repayment != "linear") {
    problems["loan.repayment"] = "must be annuity or linear";
  }
  if (loan.max_per_lender_cents &&
      (*loan.max_per_lender_cents < 1 || *loan.max_per_lender_cents > kMaxPledgeCents)) {
    problems["loan.max_per_lender_cents"] = "must be from 1 to 10000000";
  } else if (loan.max_per_lender_cents) {
    const Cents legal = legal_cap(loan, rules);
    if (*loan.max_per_lender_cents > legal) {
      problems["loan.max_per_lender_cents"] =
          "must be at most " + std::to_string(legal) + " (the legal cap per lender)";
    } else if (*loan.max_per_lender_cents < rules.min_ticket_cents) {
      // Below the smallest loan, nobody could lend at all.
      problems["loan.max_per_lender_cents"] =
          "must be at least " + std::to_string(rules.min_ticket_cents) + " (the smallest loan)";
    }
  }
}

}  // namespace

bool is_category(std::string_view value) {
  for (std::string_view category : kCategories) {
    if (category == value) return true;
  }
  return false;
}

std::map<std::string, std::string> check_campaign(const CampaignInput& input, TimestampMs now,
                                                  const LoanRules& rules) {
  std::map<std::string, std::string> problems;
  if (auto p = check_name(input.title, 200)) problems["title"] = *p;
  if (auto p = check_text(input.summary, 300)) problems["summary"] = *p;
  if (auto p = check_text(input.description_md, 50'000, false)) problems["description_md"] = *p;
  if (!is_category(input.category)) problems["category"] = "not a known category";
  if (!parse_kind(input.kind)) problems["kind"] = "must be donation or loan";
  if (!parse_funding_model(input.funding_model)) {
    problems["funding_model"] = "must be all_or_nothing or keep_it_all";
  }
  if (input.goal_cents < 100 || input.goal_cents > kMaxGoalCents) {
    problems["goal_cents"] = "must be from 100 to 500000000";
  }
  if (input.ends_at <= now)
    problems["ends_at"] = "must be in the future";
  else if (input.ends_at > now + kTwoYearsMs)
    problems["ends_at"] = "must be within two years";
  check_rewards(input, problems);
  check_loan(input, rules, problems);
  return problems;
}

std::optional<CampaignStatus> parse_status(std::string_view text) {
  return parse_word(text, {CampaignStatus::draft, CampaignStatus::in_review, CampaignStatus::live,
                           CampaignStatus::succeeded, CampaignStatus::failed});
}

std::optional<PledgeStatus> parse_pledge_status(std::string_view text) {
  return parse_word(text, {PledgeStatus::pending, PledgeStatus::confirmed, PledgeStatus::cancelled,
                           PledgeStatus::refunded});
}

std::string to_string(PledgeStatus status) {
  switch (status) {
    case PledgeStatus::pending:
      return "pending";
    case PledgeStatus::confirmed:
      return "confirmed";
    case PledgeStatus::cancelled:
      return "cancelled";
    case PledgeStatus::refunded:
      return "refunded";
  }
  return "pending";
}

bool is_public(CampaignStatus status) {
  switch (status) {
    case CampaignStatus::draft:
    case CampaignStatus::in_review:
      return false;
    case CampaignStatus::live:
    case CampaignStatus::succeeded:
    case CampaignStatus::failed:
      return true;
  }
  return false;
}

std::string to_string(CampaignStatus status) {
  switch (status) {
    case CampaignStatus::draft:
      return "draft";
    case CampaignStatus::in_review:
      return "in_review";
    case CampaignStatus::live:
      return "live";
    case CampaignStatus::succeeded:
      return "succeeded";
    case CampaignStatus::failed:
      return "failed";
  }
  return "draft";
}

std::optional<CampaignStatus> next_status(CampaignStatus from, CampaignAction action) {
  using S = CampaignStatus;
  switch (action) {
    case CampaignAction::edit:
      return from == S::draft ? std::optional(S::draft) : std::nullopt;
    case CampaignAction::submit:
      return from == S::draft ? std::optional(S::in_review) : std::nullopt;
    case CampaignAction::approve:
      return from == S::in_review ? std::optional(S::live) : std::nullopt;
    case CampaignAction::reject:
      return from == S::in_review ? std::optional(S::draft) : std::nullopt;
    case CampaignAction::close:
      return from == S::live ? std::optional(S::live) : std::nullopt;
  }
  return std::nullopt;
}

std::optional<CampaignKind> parse_kind(std::string_view text) {
  return parse_word(text, {CampaignKind::donation, CampaignKind::loan});
}

std::string to_string(CampaignKind kind) {
  switch (kind) {
    case CampaignKind::donation:
      return "donation";
    case CampaignKind::loan:
      return "loan";
  }
  return "donation";
}

std::optional<FundingModel> parse_funding_model(std::string_view text) {
  return parse_word(text, {FundingModel::all_or_nothing, FundingModel::keep_it_all});
}

std::string to_string(FundingModel model) {
  switch (model) {
    case FundingModel::all_or_nothing:
      return "all_or_nothing";
    case FundingModel::keep_it_all:
      return "keep_it_all";
  }
  return "keep_it_all";
}

CampaignStatus resolution(FundingModel funding_model, Cents raised_cents, Cents goal_cents) {
  if (funding_model == FundingModel::all_or_nothing && raised_cents < goal_cents) {
    return CampaignStatus::failed;
  }
  return CampaignStatus::succeeded;
}

}  // namespace essor::core
