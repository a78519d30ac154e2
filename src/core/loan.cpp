#include "core/loan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "core/words.hpp"

namespace essor::core {

Cents legal_cap(const LoanTerms& terms, const LoanRules& rules) {
  return terms.annual_rate_bp == 0 ? rules.cap_interest_free_cents
                                   : rules.cap_interest_bearing_cents;
}

Cents lender_cap(const LoanTerms& terms, const LoanRules& rules) {
  const Cents legal = legal_cap(terms, rules);
  return terms.max_per_lender_cents ? std::min(*terms.max_per_lender_cents, legal) : legal;
}

Cents monthly_interest(Cents outstanding, std::int64_t annual_rate_bp) {
  // outstanding × bp / 10000 / 12, to the nearest cent, halves up. Amounts
  // are at most 10^13 cents and rates 2000 bp, so the product fits.
  return Cents{(outstanding.count() * annual_rate_bp * 2 + 120'000) / 240'000};
}

namespace {

// Builds the schedule paying `payment` a month (annuity) or `payment` of
// principal a month (linear). Sets `early` when the principal ran out
// before the last installment.
std::vector<Installment> build(Cents amount, const LoanTerms& terms, TimestampMs start,
                               Cents payment, bool annuity, bool& early) {
  std::vector<Installment> out;
  Cents outstanding = amount;
  early = false;
  for (int k = 1; k <= terms.term_months; ++k) {
    Installment item;
    item.number = k;
    item.due = add_months(start, k);
    item.interest_cents = monthly_interest(outstanding, terms.annual_rate_bp);
    if (k == terms.term_months) {
      item.principal_cents = outstanding;
    } else {
      const Cents wanted = annuity ? payment - item.interest_cents : payment;
      item.principal_cents = std::clamp<Cents>(wanted, 0, outstanding);
      if (wanted >= outstanding) early = true;
    }
    outstanding -= item.principal_cents;
    item.total_cents = item.principal_cents + item.interest_cents;
    out.push_back(item);
  }
  return out;
}

}  // namespace

std::vector<Installment> loan_schedule(Cents amount, const LoanTerms& terms, TimestampMs start) {
  if (amount < 0 || terms.term_months < 1) throw std::invalid_argument("bad loan");
  const std::int64_t n = terms.term_months;
  bool early = false;
  if (terms.repayment == "linear") return build(amount, terms, start, amount / n, false, early);
  // The closed form, A = P·r / (1 − (1 + r)^−n), only chooses the payment;
  // every cent that moves is then computed in integers.
  Cents rounded_down = amount / n;
  Cents nearest{(amount + n / 2) / n};
  if (terms.annual_rate_bp > 0) {
    const long double r = static_cast<long double>(terms.annual_rate_bp) / 120'000.0L;
    const long double exact = static_cast<long double>(amount) * r /
                              (1.0L - std::pow(1.0L + r, -static_cast<long double>(n)));
    rounded_down = Cents{static_cast<std::int64_t>(std::floor(exact))};
    nearest = Cents{static_cast<std::int64_t>(std::floor(exact + 0.5L))};
  }
  auto schedule = build(amount, terms, start, nearest, true, early);
  if (early && nearest != rounded_down)
    schedule = build(amount, terms, start, rounded_down, true, early);
  return schedule;
}

std::vector<Cents> split_pro_rata(Cents total, const std::vector<Cents>& weights) {
  std::vector<Cents> parts(weights.size(), 0);
  const Cents sum = std::accumulate(weights.begin(), weights.end(), Cents{0});
  if (sum == 0) {
    if (total != 0) throw std::invalid_argument("nothing to split between");
    return parts;
  }
  if (total < 0) throw std::invalid_argument("negative total");
  std::vector<std::pair<Cents, std::size_t>> remainders;
  Cents given = 0;
  for (std::size_t idx = 0; idx < weights.size(); ++idx) {
    // total and weights are at most 10^13, so use 128-bit products.
    const __int128 product = static_cast<__int128>(total) * weights[idx];
    parts[idx] = Cents{static_cast<std::int64_t>(product / sum)};
    remainders.push_back({Cents{static_cast<std::int64_t>(product % sum)}, idx});
    given += parts[idx];
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t idx = 0; given < total; ++idx, given += 1) parts[remainders[idx].second] += 1;
  return parts;
}

bool past_due(TimestampMs due, TimestampMs now) {
  constexpr std::int64_t kDay = 86'400'000;
  auto day = [](std::int64_t t) { return t >= 0 ? t / kDay : (t - kDay + 1) / kDay; };
  return day(due) < day(now);
}

int settled_installments(const std::vector<Installment>& schedule, const LoanPosition& position) {
  if (position.repaid_principal_cents >= position.principal_cents)
    return static_cast<int>(schedule.size());
  Cents principal = 0;
  Cents interest = 0;
  int settled = 0;
  for (const auto& item : schedule) {
    principal += item.principal_cents;
    interest += item.interest_cents;
    if (position.repaid_principal_cents < principal || position.repaid_interest_cents < interest)
      break;
    ++settled;
  }
  return settled;
}

AmountOwed amount_owed(const std::vector<Installment>& schedule, const LoanPosition& position,
                       TimestampMs now) {
  AmountOwed owed;
  owed.principal_cents = position.principal_cents - position.repaid_principal_cents;
  if (owed.principal_cents <= 0 || schedule.empty()) return owed;
  int current = settled_installments(schedule, position) + 1;
  for (const auto& item : schedule) {
    if (past_due(item.due, now)) current = std::max(current, item.number);
  }
  current = std::min<int>(current, static_cast<int>(schedule.size()));
  Cents interest = 0;
  for (int k = 0; k < current; ++k)
    interest += schedule[static_cast<std::size_t>(k)].interest_cents;
  owed.interest_cents = std::max<Cents>(0, interest - position.repaid_interest_cents);
  return owed;
}

std::optional<RepaymentSplit> split_repayment(Cents amount, const AmountOwed& owed,
                                              const std::vector<Cents>& outstanding_by_lender) {
  if (amount <= 0 || amount > owed.total()) return std::nullopt;
  const Cents outstanding =
      std::accumulate(outstanding_by_lender.begin(), outstanding_by_lender.end(), Cents{0});
  if (outstanding != owed.principal_cents) throw std::invalid_argument("lenders do not add up");
  RepaymentSplit split;
  split.interest_cents = std::min(amount, owed.interest_cents);
  split.principal_cents = amount - split.interest_cents;
  const auto interest = split_pro_rata(split.interest_cents, outstanding_by_lender);
  const auto principal = split_pro_rata(split.principal_cents, outstanding_by_lender);
  for (std::size_t idx = 0; idx < outstanding_by_lender.size(); ++idx)
    split.shares.push_back({principal[idx], interest[idx]});
  return split;
}

std::optional<RepaymentStatus> parse_repayment_status(std::string_view text) {
  return parse_word(
      text, {RepaymentStatus::pending, RepaymentStatus::confirmed, RepaymentStatus::rejected});
}

std::string to_string(RepaymentStatus status) {
  switch (status) {
    case RepaymentStatus::pending:
      return "pending";
    case RepaymentStatus::confirmed:
      return "confirmed";
    case RepaymentStatus::rejected:
      return "rejected";
  }
  return "pending";
}

std::optional<WithdrawalStatus> parse_withdrawal_status(std::string_view text) {
  return parse_word(
      text, {WithdrawalStatus::requested, WithdrawalStatus::executed, WithdrawalStatus::cancelled});
}

std::string to_string(WithdrawalStatus status) {
  switch (status) {
    case WithdrawalStatus::requested:
      return "requested";
    case WithdrawalStatus::executed:
      return "executed";
    case WithdrawalStatus::cancelled:
      return "cancelled";
  }
  return "requested";
}

}  // namespace essor::core
