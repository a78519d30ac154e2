#include "app/budgets.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

Error no_budget() {
  return Error::not_found("No participatory budget with this id.");
}

// Open past its closes_at: the scheduler's next round, or its first reader,
// closes it.
bool is_due(const BudgetRecord& budget, TimestampMs now) {
  return budget.status == core::BudgetStatus::open && budget.closes_at <= now;
}

}  // namespace

Budgets::Budgets(Store& store, Crypto& crypto, Clock& clock)
    : store_(store), crypto_(crypto), clock_(clock) {}

Result<BudgetRecord> Budgets::create(const Principal& who, const core::OrgId& org_id,
                                     const BudgetInput& input) {
  const TimestampMs now = clock_.now();
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(input.title, 200)) problems["title"] = *p;
  if (auto p = core::check_text(input.description, 10'000, false)) problems["description"] = *p;
  if (input.envelope_cents <= 0 || input.envelope_cents > 100'000'000'00)
    problems["envelope_cents"] = "must be from 1 to 10000000000";
  if (input.closes_at <= now) problems["closes_at"] = "must be in the future";
  if (input.projects.empty() || input.projects.size() > 50)
    problems["projects"] = "from 1 to 50 projects";
  for (std::size_t idx = 0; idx < input.projects.size(); ++idx) {
    const auto& project = input.projects[idx];
    const std::string prefix = "projects[" + std::to_string(idx) + "].";
    if (auto p = core::check_name(project.title, 200)) problems[prefix + "title"] = *p;
    if (auto p = core::check_text(project.description, 2000, false))
      problems[prefix + "description"] = *p;
    if (project.cost_cents <= 0 || project.cost_cents > input.envelope_cents)
      problems[prefix + "cost_cents"] = "must be from 1 to the envelope";
  }
  if (!problems.empty()) return Error::validation(std::move(problems));
  return write_result<BudgetRecord>(store_, [&](Tx& tx) -> Result<BudgetRecord> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!governance_allows(who, tx.orgs().member_role(org_id, who.user_id),
                           GovernanceAction::open_budget))
      return Error::forbidden("Only the organisation's admins open a participatory budget.");
    BudgetRecord b;
    b.id = crypto_.random_id();
    b.org_id = org_id;
    b.title = core::trim(input.title);
    b.description = input.description;
    b.envelope_cents = input.envelope_cents;
    b.status = core::BudgetStatus::open;
    b.closes_at = input.closes_at;
    b.created_by = who.user_id;
    b.created_at = now;
    for (std::size_t idx = 0; idx < input.projects.size(); ++idx) {
      const auto& p = input.projects[idx];
      if (p.campaign_id) {
        auto campaign = tx.campaigns().campaign_by_id(*p.campaign_id);
        if (!campaign || campaign->org_id != org_id) {
          return Error::validation({{"projects[" + std::to_string(idx) + "].campaign_id",
                                     "not a campaign of this organisation"}});
        }
      }
      b.projects.push_back(
          {crypto_.random_id(), core::trim(p.title), p.description, p.cost_cents, p.campaign_id});
    }
    tx.budgets().insert_budget(b);
    return b;
  });
}

Result<std::vector<BudgetRecord>> Budgets::of_org(const Principal& who, const core::OrgId& org_id) {
  const TimestampMs now = clock_.now();
  return read_settled<Result<std::vector<BudgetRecord>>, std::string>(
      store_,
      [&](ReadTx& tx, std::vector<std::string>& due) -> Result<std::vector<BudgetRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!who.moderator && !tx.orgs().member_role(org_id, who.user_id))
          return Error::forbidden("Only the organisation's members see its budgets.");
        auto list = tx.budgets().budgets_of_org(org_id);
        for (const auto& budget : list)
          if (is_due(budget, now)) due.push_back(budget.id);
        return list;
      },
      [&](const std::string& due_id) { close_if_due(due_id, now); });
}

Result<BudgetRecord> Budgets::vote(const Principal& who, const std::string& id,
                                   const std::vector<std::string>& project_ids) {
  const TimestampMs now = clock_.now();
  return write_result<BudgetRecord>(store_, [&](Tx& tx) -> Result<BudgetRecord> {
    auto budget = tx.budgets().budget_by_id(id);
    if (!budget || !tx.orgs().member_role(budget->org_id, who.user_id)) return no_budget();
    if (budget->status != core::BudgetStatus::open || budget->closes_at <= now)
      return Error::conflict("budget_closed", "This vote is closed.");
    std::set<std::string> chosen;
    for (const auto& project_id : project_ids) {
      const bool known = std::any_of(budget->projects.begin(), budget->projects.end(),
                                     [&](const auto& p) { return p.id == project_id; });
      if (!known)
        return Error::validation({{"approve", "not a project of this budget: " + project_id}});
      chosen.insert(project_id);
    }
    tx.budgets().put_budget_ballot(id, BudgetBallot{who.user_id, {chosen.begin(), chosen.end()}});
    return *budget;
  });
}

Result<BudgetRecord> Budgets::close(const Principal& who, const std::string& id) {
  const TimestampMs now = clock_.now();
  return write_result<BudgetRecord>(store_, [&](Tx& tx) -> Result<BudgetRecord> {
    auto budget = tx.budgets().budget_by_id(id);
    if (!budget) return no_budget();
    const auto role = tx.orgs().member_role(budget->org_id, who.user_id);
    if (!role) return no_budget();
    if (!governance_allows(who, role, GovernanceAction::close_vote))
      return Error::forbidden("Only the organisation's admins close a vote.");
    if (!tx.budgets().close_budget(id, now))
      return Error::conflict("budget_closed", "Already closed.");
    return *tx.budgets().budget_by_id(id);
  });
}

int Budgets::close_due() {
  const TimestampMs now = clock_.now();
  const auto due = read_value<std::vector<std::string>>(
      store_, [&](ReadTx& tx) { return tx.budgets().open_budgets_closing_by(now, 100); });
  int closed = 0;
  for (const auto& id : due)
    if (close_if_due(id, now)) ++closed;
  return closed;
}

bool Budgets::close_if_due(const std::string& id, TimestampMs now) {
  bool closed = false;
  write_counted(store_, closed, [&](Tx& tx) {
    const auto budget = tx.budgets().budget_by_id(id);
    // Closed when its time was up, however late the scheduler or its first
    // reader comes.
    closed = budget && is_due(*budget, now) && tx.budgets().close_budget(id, budget->closes_at);
    return true;
  });
  return closed;
}

Result<BudgetResults> Budgets::results(const Principal& who, const std::string& id) {
  const TimestampMs now = clock_.now();
  const auto read = [&](ReadTx& tx, std::vector<std::string>& due) -> Result<BudgetResults> {
    auto budget = tx.budgets().budget_by_id(id);
    if (!budget || (!who.moderator && !tx.orgs().member_role(budget->org_id, who.user_id)))
      return no_budget();
    if (is_due(*budget, now)) due.push_back(id);
    BudgetResults r;
    std::map<std::string, std::size_t> index;
    for (std::size_t idx = 0; idx < budget->projects.size(); ++idx)
      index[budget->projects[idx].id] = idx;
    std::vector<core::BudgetProject> projects(budget->projects.size());
    for (std::size_t idx = 0; idx < projects.size(); ++idx)
      projects[idx].cost_cents = budget->projects[idx].cost_cents;
    std::size_t voter = 0;
    for (const auto& ballot : tx.budgets().budget_ballots(id)) {
      if (ballot.project_ids.empty()) continue;
      for (const auto& project_id : ballot.project_ids) {
        if (auto it = index.find(project_id); it != index.end())
          projects[it->second].supporters.push_back(voter);
      }
      if (ballot.user_id == who.user_id) r.my_approvals = ballot.project_ids;
      ++voter;
    }
    r.voters = static_cast<std::int64_t>(voter);
    for (const auto& project : projects)
      r.votes.push_back(static_cast<std::int64_t>(project.supporters.size()));
    r.greedy = core::allocate_greedy(budget->envelope_cents, projects);
    r.equal_shares = core::allocate_equal_shares(budget->envelope_cents, voter, projects);
    r.budget = std::move(*budget);
    return r;
  };
  return read_settled<Result<BudgetResults>, std::string>(
      store_, read, [&](const std::string& due_id) { close_if_due(due_id, now); });
}

}  // namespace essor::app
