#include "core/matchfunding.hpp"

#include <algorithm>
#include <array>

#include "core/campaign.hpp"
#include "core/territory.hpp"
#include "core/validation.hpp"
#include "core/words.hpp"

namespace essor::core {

std::string to_string(ApplicationStatus status) {
  switch (status) {
    case ApplicationStatus::pending:
      return "pending";
    case ApplicationStatus::accepted:
      return "accepted";
    case ApplicationStatus::declined:
      return "declined";
  }
  return "pending";
}

std::optional<ApplicationStatus> parse_application_status(std::string_view text) {
  return parse_word(
      text, {ApplicationStatus::pending, ApplicationStatus::accepted, ApplicationStatus::declined});
}

std::string to_string(MatchStatus status) {
  switch (status) {
    case MatchStatus::active:
      return "active";
    case MatchStatus::returned:
      return "returned";
  }
  return "active";
}

std::optional<MatchStatus> parse_match_status(std::string_view text) {
  return parse_word(text, {MatchStatus::active, MatchStatus::returned});
}

bool is_funder_form(LegalForm legal_form) {
  switch (legal_form) {
    case LegalForm::collectivite:
    case LegalForm::fondation:
    case LegalForm::entreprise:
    case LegalForm::etat:
      return true;
    case LegalForm::association:
    case LegalForm::scop:
    case LegalForm::scic:
    case LegalForm::cooperative:
    case LegalForm::mutuelle:
    case LegalForm::esus:
    case LegalForm::other:
      return false;
  }
  return false;
}

std::map<std::string, std::string> check_call(const CallInput& input, TimestampMs now) {
  std::map<std::string, std::string> problems;
  if (auto p = check_name(input.title, 200)) problems["title"] = *p;
  if (auto p = check_text(input.description_md, 20000, false)) problems["description_md"] = *p;
  const CallTerms& t = input.terms;
  if (t.pool_cents <= 0 || t.pool_cents > kMaxPoolCents)
    problems["pool_cents"] = "must be from 1 to " + std::to_string(kMaxPoolCents);
  if (t.match_ratio_pct <= 0 || t.match_ratio_pct > kMaxMatchRatioPct)
    problems["match_ratio_pct"] = "must be from 1 to " + std::to_string(kMaxMatchRatioPct);
  if (t.cap_per_campaign_cents <= 0)
    problems["cap_per_campaign_cents"] = "must be a positive amount";
  else if (t.cap_per_campaign_cents > t.pool_cents && !problems.count("pool_cents"))
    problems["cap_per_campaign_cents"] = "cannot be above the pool";
  if (t.cap_per_pledge_cents) {
    if (*t.cap_per_pledge_cents <= 0)
      problems["cap_per_pledge_cents"] = "must be a positive amount";
    else if (*t.cap_per_pledge_cents > t.cap_per_campaign_cents)
      problems["cap_per_pledge_cents"] = "cannot be above the cap per campaign";
  }
  if (t.cap_per_backer_cents) {
    if (*t.cap_per_backer_cents <= 0)
      problems["cap_per_backer_cents"] = "must be a positive amount";
    else if (t.cap_per_pledge_cents && *t.cap_per_backer_cents < *t.cap_per_pledge_cents)
      problems["cap_per_backer_cents"] = "cannot be below the cap per pledge";
    else if (*t.cap_per_backer_cents > t.cap_per_campaign_cents)
      problems["cap_per_backer_cents"] = "cannot be above the cap per campaign";
  }
  if (t.closes_at <= now) problems["closes_at"] = "must be in the future";
  if (t.closes_at <= t.opens_at && !problems.count("closes_at"))
    problems["closes_at"] = "must be after opens_at";
  if (t.opens_at <= 0) problems["opens_at"] = "required";
  for (const auto& region : input.regions) {
    if (!region_name(region)) problems["regions"] = "unknown region code " + region;
  }
  for (const auto& category : input.categories) {
    if (!is_category(category)) problems["categories"] = "unknown category " + category;
  }
  for (const auto& form : input.legal_forms) {
    const auto parsed = parse_legal_form(form);
    if (!parsed || is_funder_form(*parsed))
      problems["legal_forms"] = "not an ESS legal form: " + form;
  }
  return problems;
}

Cents match_amount(Cents amount, const CallTerms& terms, const MatchRoom& room) {
  if (amount <= 0) return 0;
  // amount ≤ 10^7 and ratio ≤ 1000: the product fits in 64 bits.
  Cents match = amount * terms.match_ratio_pct / 100;
  if (terms.cap_per_pledge_cents) match = std::min(match, *terms.cap_per_pledge_cents);
  match = std::min(match, room.campaign_left);
  if (room.backer_left) match = std::min(match, *room.backer_left);
  match = std::min(match, room.pool_left);
  return std::max<Cents>(match, 0);
}

bool call_open(const CallTerms& terms, TimestampMs at) {
  return terms.opens_at <= at && at < terms.closes_at;
}

}  // namespace essor::core
