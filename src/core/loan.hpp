// Solidarity loans, pure: the repayment schedule of a loan, the split of a
// repayment between lenders, and which installments are settled. Integer
// cents throughout; the rounding rules are stated where they are applied.
//
// The model. At success, each lender's confirmed pledges become one
// contract; the organisation owes the sum of the contracts, repaid monthly
// from the month after success. A repayment pays interest first, then
// principal. The interest owed at a given day is the scheduled interest of
// every installment up to the "current" one (the first installment not yet
// settled, or the last one past due if that is later),
// minus the interest already paid; the principal owed is everything not yet
// repaid. Paying more than both together is refused. Paying principal early
// shortens the loan: once the principal is repaid, no more interest is owed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/campaign.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

namespace essor::core {

// The most one lender may lend to a campaign with these terms: the
// campaign's own cap, else the legal cap for its rate.
Cents lender_cap(const LoanTerms& terms, const LoanRules& rules);
// The legal cap for the rate (a campaign may only set a lower one).
Cents legal_cap(const LoanTerms& terms, const LoanRules& rules);

// A declared repayment: waits for the platform to see the money arrive,
// then confirmed (and allocated to lenders) or rejected.
enum class RepaymentStatus { pending, confirmed, rejected };
std::optional<RepaymentStatus> parse_repayment_status(std::string_view text);
std::string to_string(RepaymentStatus status);

// A lender's withdrawal of repaid money: requested, then executed by a
// moderator or cancelled by its author.
enum class WithdrawalStatus { requested, executed, cancelled };
std::optional<WithdrawalStatus> parse_withdrawal_status(std::string_view text);
std::string to_string(WithdrawalStatus status);

struct Installment {
  int number = 0;  // 1 … term_months
  TimestampMs due = 0;
  Cents principal_cents = 0;
  Cents interest_cents = 0;
  Cents total_cents = 0;
};

// The interest of one month on `outstanding`: outstanding × rate / 12,
// rounded to the nearest cent, halves up.
Cents monthly_interest(Cents outstanding, std::int64_t annual_rate_bp);

// The schedule of `amount` lent on `terms`, installment k due k months
// after `start`. Linear: equal principal parts rounded down, the last one
// takes what is left. Annuity: the constant payment of the closed form
// rounded to the nearest cent (rounded down instead when rounding up would
// repay the principal before the last month); each month's principal is
// the payment minus that month's interest, and the last installment takes
// the principal left. Either way the principal parts sum exactly to
// `amount`.
std::vector<Installment> loan_schedule(Cents amount, const LoanTerms& terms, TimestampMs start);

// Splits `total` between `weights` pro rata by largest remainder: each part
// is floor(total × w / Σw), and the cents left go one each to the largest
// remainders (ties to the earlier index). Parts sum exactly to `total`; no
// part exceeds its exact share by a cent or more. All weights zero → all
// parts zero except that `total` must then be zero too (else throws).
std::vector<Cents> split_pro_rata(Cents total, const std::vector<Cents>& weights);

struct LoanPosition {
  Cents principal_cents = 0;  // lent in all
  Cents repaid_principal_cents = 0;
  Cents repaid_interest_cents = 0;
};

// True when the calendar day (UTC) of `due` is over at `now`: an
// installment is late from the day after its due date.
bool past_due(TimestampMs due, TimestampMs now);

// The number of installments settled: installment k is settled when the
// principal repaid reaches the scheduled principal of 1…k and the interest
// repaid reaches the scheduled interest of 1…k, or when all the principal
// is repaid.
int settled_installments(const std::vector<Installment>& schedule, const LoanPosition& position);

struct AmountOwed {
  Cents interest_cents = 0;   // owed now, paid first
  Cents principal_cents = 0;  // everything not yet repaid
  Cents total() const { return interest_cents + principal_cents; }
};

// What the organisation owes at `now` (see the model above).
AmountOwed amount_owed(const std::vector<Installment>& schedule, const LoanPosition& position,
                       TimestampMs now);

struct LenderShare {
  Cents principal_cents = 0;
  Cents interest_cents = 0;
};

struct RepaymentSplit {
  Cents interest_cents = 0;
  Cents principal_cents = 0;
  std::vector<LenderShare> shares;  // one per lender, in the order given
};

// Splits a repayment: interest first (up to what is owed), then principal;
// both parts divided between lenders pro rata to their outstanding
// principal by largest remainder. Nothing when amount is not positive or
// is more than what is owed.
std::optional<RepaymentSplit> split_repayment(Cents amount, const AmountOwed& owed,
                                              const std::vector<Cents>& outstanding_by_lender);

}  // namespace essor::core
