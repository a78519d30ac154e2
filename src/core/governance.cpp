#include "core/governance.hpp"

#include <algorithm>
#include <numeric>

#include "core/words.hpp"

namespace essor::core {

const char* const kGradeNames[kGrades] = {"reject", "poor",      "fair",
                                          "good",   "very_good", "excellent"};

std::optional<MajorityChoice> parse_majority_choice(std::string_view text) {
  return parse_word(text, {MajorityChoice::yes, MajorityChoice::no, MajorityChoice::abstain});
}

std::string to_string(MajorityChoice choice) {
  switch (choice) {
    case MajorityChoice::yes:
      return "yes";
    case MajorityChoice::no:
      return "no";
    case MajorityChoice::abstain:
      return "abstain";
  }
  return "abstain";
}

std::optional<ConsentChoice> parse_consent_choice(std::string_view text) {
  return parse_word(text, {ConsentChoice::consent, ConsentChoice::object});
}

std::string to_string(ConsentChoice choice) {
  switch (choice) {
    case ConsentChoice::consent:
      return "consent";
    case ConsentChoice::object:
      return "object";
  }
  return "object";
}

std::optional<VoteMethod> parse_vote_method(std::string_view text) {
  return parse_word(text, {VoteMethod::majority, VoteMethod::consent, VoteMethod::majority_judgment,
                           VoteMethod::approval});
}

std::string to_string(VoteMethod method) {
  switch (method) {
    case VoteMethod::majority:
      return "majority";
    case VoteMethod::consent:
      return "consent";
    case VoteMethod::majority_judgment:
      return "majority_judgment";
    case VoteMethod::approval:
      break;
  }
  return "approval";
}

bool has_options(VoteMethod method) {
  return method == VoteMethod::majority_judgment || method == VoteMethod::approval;
}

std::optional<ProposalStatus> parse_proposal_status(std::string_view text) {
  return parse_word(text, {ProposalStatus::open, ProposalStatus::closed});
}

std::string to_string(ProposalStatus status) {
  switch (status) {
    case ProposalStatus::open:
      return "open";
    case ProposalStatus::closed:
      return "closed";
  }
  return "open";
}

std::optional<BudgetStatus> parse_budget_status(std::string_view text) {
  return parse_word(text, {BudgetStatus::open, BudgetStatus::closed});
}

std::string to_string(BudgetStatus status) {
  switch (status) {
    case BudgetStatus::open:
      return "open";
    case BudgetStatus::closed:
      return "closed";
  }
  return "open";
}

std::optional<Attendance> parse_attendance(std::string_view text) {
  return parse_word(text, {Attendance::present, Attendance::represented, Attendance::absent});
}

std::string to_string(Attendance attendance) {
  switch (attendance) {
    case Attendance::present:
      return "present";
    case Attendance::represented:
      return "represented";
    case Attendance::absent:
      return "absent";
  }
  return "absent";
}

bool quorum_reached(std::int64_t voters, std::int64_t eligible, std::int64_t quorum_pct) {
  return voters * 100 >= quorum_pct * eligible;
}

bool majority_passes(const MajorityTally& tally, std::int64_t threshold_pct, bool quorum) {
  return quorum && tally.yes * 100 > threshold_pct * (tally.yes + tally.no);
}

bool consent_passes(const ConsentTally& tally, bool quorum) {
  return quorum && tally.object == 0;
}

std::optional<int> parse_grade(std::string_view name) {
  for (int grade = 0; grade < kGrades; ++grade) {
    if (name == kGradeNames[grade]) return grade;
  }
  return std::nullopt;
}

int majority_grade(const MeritProfile& profile) {
  const std::int64_t total = std::accumulate(profile.begin(), profile.end(), std::int64_t{0});
  if (total == 0) return -1;
  // The lower median: the grade of the ((total + 1) / 2)-th worst ballot.
  const std::int64_t rank = (total + 1) / 2;
  std::int64_t seen = 0;
  for (std::size_t grade = 0; grade < profile.size(); ++grade) {
    seen += profile[grade];
    if (seen >= rank) return static_cast<int>(grade);
  }
  return static_cast<int>(profile.size()) - 1;
}

namespace {

struct Gauge {
  int grade = -1;
  bool above = false;      // the larger side is above the majority grade
  std::int64_t side = 0;   // how many ballots on that side
  std::int64_t total = 0;  // ballots in the profile
};

Gauge gauge_of(const MeritProfile& profile) {
  Gauge g;
  g.grade = majority_grade(profile);
  g.total = std::accumulate(profile.begin(), profile.end(), std::int64_t{0});
  if (g.grade < 0) return g;
  std::int64_t above = 0, below = 0;
  for (std::size_t grade = 0; grade < profile.size(); ++grade) {
    if (static_cast<int>(grade) > g.grade) above += profile[grade];
    if (static_cast<int>(grade) < g.grade) below += profile[grade];
  }
  g.above = above > below;
  g.side = g.above ? above : below;
  return g;
}

}  // namespace

int compare_merit(MeritProfile a, MeritProfile b) {
  for (;;) {
    const Gauge ga = gauge_of(a), gb = gauge_of(b);
    if (ga.grade < 0 || gb.grade < 0)
      return ga.grade < 0 && gb.grade < 0 ? 0 : (ga.grade < 0 ? 1 : -1);
    if (ga.grade != gb.grade) return ga.grade > gb.grade ? -1 : 1;
    if (ga.above != gb.above) return ga.above ? -1 : 1;
    // Shares, compared by cross-multiplication (totals may differ).
    const std::int64_t left = ga.side * gb.total, right = gb.side * ga.total;
    if (left != right) {
      // Above: the larger share wins; below: the smaller one.
      return (left > right) == ga.above ? -1 : 1;
    }
    --a[static_cast<std::size_t>(ga.grade)];
    --b[static_cast<std::size_t>(gb.grade)];
  }
}

std::vector<std::size_t> rank_majority_judgment(const std::vector<MeritProfile>& profiles) {
  std::vector<std::size_t> order(profiles.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return compare_merit(profiles[a], profiles[b]) < 0;
  });
  return order;
}

std::vector<std::size_t> rank_approval(const std::vector<std::int64_t>& approvals) {
  std::vector<std::size_t> order(approvals.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return approvals[a] > approvals[b]; });
  return order;
}

std::optional<ProxyRule> parse_proxy_rule(std::string_view text) {
  return parse_word(text, {ProxyRule::fixed, ProxyRule::scop});
}

std::string to_string(ProxyRule rule) {
  switch (rule) {
    case ProxyRule::fixed:
      return "fixed";
    case ProxyRule::scop:
      return "scop";
  }
  return "fixed";
}

std::int64_t proxy_cap(ProxyRule rule, std::int64_t cap, std::int64_t members) {
  switch (rule) {
    case ProxyRule::scop:
      return members < 20 ? 1 : members / 20;
    case ProxyRule::fixed:
      return cap;
  }
  return cap;
}

BudgetOutcome allocate_greedy(Cents envelope, const std::vector<BudgetProject>& projects) {
  BudgetOutcome out;
  out.decisions.resize(projects.size());
  std::vector<std::size_t> order(projects.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (projects[a].supporters.size() != projects[b].supporters.size())
      return projects[a].supporters.size() > projects[b].supporters.size();
    return projects[a].cost_cents < projects[b].cost_cents;
  });
  int round = 0;
  for (const std::size_t idx : order) {
    auto& decision = out.decisions[idx];
    decision.available_cents = envelope - out.spent_cents;
    if (projects[idx].supporters.empty()) {
      decision.reason = BudgetReason::no_votes;
    } else if (projects[idx].cost_cents <= envelope - out.spent_cents) {
      decision.funded = true;
      decision.reason = BudgetReason::funded;
      decision.round = ++round;
      out.spent_cents += projects[idx].cost_cents;
    } else {
      decision.reason = BudgetReason::too_expensive_left;
    }
  }
  return out;
}

namespace {

using Units = __int128;  // millionths of a cent
constexpr Units kUnitsPerCent = 1'000'000;

Cents cents_up(Units units) {
  return Cents{static_cast<std::int64_t>((units + kUnitsPerCent - 1) / kUnitsPerCent)};
}

// One run of equal shares with `per_voter` units for each voter.
BudgetOutcome equal_shares_run(Units per_voter, std::size_t voters,
                               const std::vector<BudgetProject>& projects) {
  BudgetOutcome out;
  out.decisions.resize(projects.size());
  std::vector<Units> money(voters, per_voter);
  int round = 0;
  for (;;) {
    std::optional<std::size_t> best;
    Units best_rho = 0;
    for (std::size_t idx = 0; idx < projects.size(); ++idx) {
      const auto& project = projects[idx];
      if (out.decisions[idx].funded || project.supporters.empty()) continue;
      const Units cost = static_cast<Units>(project.cost_cents) * kUnitsPerCent;
      std::vector<Units> budgets;
      for (const auto voter : project.supporters) budgets.push_back(money.at(voter));
      std::sort(budgets.begin(), budgets.end());
      // The smallest rho with sum(min(budget, rho)) >= cost.
      Units paid = 0;
      std::optional<Units> rho;
      const auto m = static_cast<Units>(budgets.size());
      for (std::size_t k = 0; k < budgets.size(); ++k) {
        const Units left = m - static_cast<Units>(k);
        if (cost - paid <= budgets[k] * left) {
          rho = (cost - paid + left - 1) / left;
          break;
        }
        paid += budgets[k];
      }
      if (!rho) continue;
      const bool better =
          !best || *rho < best_rho ||
          (*rho == best_rho && (project.cost_cents < projects[*best].cost_cents ||
                                (project.cost_cents == projects[*best].cost_cents &&
                                 project.supporters.size() > projects[*best].supporters.size())));
      if (better) {
        best = idx;
        best_rho = *rho;
      }
    }
    if (!best) break;
    auto& decision = out.decisions[*best];
    decision.funded = true;
    decision.reason = BudgetReason::funded;
    decision.round = ++round;
    decision.share_cents = cents_up(best_rho);
    for (const auto voter : projects[*best].supporters)
      money[voter] -= std::min(money[voter], best_rho);
    out.spent_cents += projects[*best].cost_cents;
  }
  for (std::size_t idx = 0; idx < projects.size(); ++idx) {
    auto& decision = out.decisions[idx];
    Units left = 0;
    for (const auto voter : projects[idx].supporters) left += money.at(voter);
    decision.available_cents = Cents{static_cast<std::int64_t>(left / kUnitsPerCent)};
    if (!decision.funded) {
      decision.reason = projects[idx].supporters.empty() ? BudgetReason::no_votes
                                                         : BudgetReason::supporters_ran_short;
    }
  }
  return out;
}

}  // namespace

BudgetOutcome allocate_equal_shares(Cents envelope, std::size_t voters,
                                    const std::vector<BudgetProject>& projects) {
  if (voters == 0) return allocate_greedy(0, projects);
  const Units base = static_cast<Units>(envelope) * kUnitsPerCent / static_cast<Units>(voters);
  BudgetOutcome kept = equal_shares_run(base, voters, projects);
  std::size_t fundable = 0;
  for (const auto& project : projects) fundable += project.supporters.empty() ? 0 : 1;
  // Completion: up to ten times the initial share, in steps of 1%.
  for (int step = 1; step <= 1'000; ++step) {
    std::size_t funded = 0;
    for (const auto& decision : kept.decisions) funded += decision.funded ? 1 : 0;
    if (funded == fundable) break;
    auto next = equal_shares_run(base + base * step / 100, voters, projects);
    if (next.spent_cents > envelope) break;
    kept = std::move(next);
  }
  return kept;
}

}  // namespace essor::core
