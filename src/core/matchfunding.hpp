// Matchfunding (abondement): a funder's call puts a pool of money next to
// citizens' pledges. Each confirmed pledge to an accepted campaign, while
// the call is open, is matched by floor(amount × ratio / 100), capped per
// pledge, per campaign, per backer and by what is left of the pool. Pure
// rules here; the store makes them atomic.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.hpp"
#include "core/time.hpp"
#include "core/validation.hpp"

namespace essor::core {

enum class ApplicationStatus { pending, accepted, declined };
std::optional<ApplicationStatus> parse_application_status(std::string_view text);
std::string to_string(ApplicationStatus status);

enum class MatchStatus { active, returned };
std::optional<MatchStatus> parse_match_status(std::string_view text);
std::string to_string(MatchStatus status);

// Only these legal forms fund calls: local and regional authorities,
// foundations, companies (their CSR) and the State.
bool is_funder_form(LegalForm legal_form);

inline constexpr Cents kMaxPoolCents = 100'000'000'000;  // one billion euros
inline constexpr std::int64_t kMaxMatchRatioPct = 1000;  // ten euros for one

struct CallTerms {
  Cents pool_cents = 0;
  std::int64_t match_ratio_pct = 100;
  std::optional<Cents> cap_per_pledge_cents;
  Cents cap_per_campaign_cents = 0;
  std::optional<Cents> cap_per_backer_cents;
  TimestampMs opens_at = 0;
  TimestampMs closes_at = 0;
};

// What a call asks for, read from outside.
struct CallInput {
  std::string title, description_md;
  CallTerms terms;
  std::vector<std::string> regions, categories, legal_forms;
};

// Problems with a call's input, by field (empty: valid). `now` refuses a
// window already over.
std::map<std::string, std::string> check_call(const CallInput& input, TimestampMs now);

// What is still free under each limit when a pledge is matched.
struct MatchRoom {
  Cents campaign_left = 0;           // cap_per_campaign - already matched to it
  std::optional<Cents> backer_left;  // cap_per_backer - already matched to the backer
  Cents pool_left = 0;               // pool - committed
};

// The match of a pledge of `amount`: never above any cap, never negative.
Cents match_amount(Cents amount, const CallTerms& terms, const MatchRoom& room);

bool call_open(const CallTerms& terms, TimestampMs at);

}  // namespace essor::core
