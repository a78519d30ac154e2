// Participatory budgets: an organisation puts an envelope to the vote, its
// members approve the projects they want (one ballot each, replaced by a
// new one), and the allocation is computed both greedily and by the Method
// of Equal Shares (core/governance.hpp), each project with the reason it
// was funded or not. Safe to use from many threads.
#pragma once

#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/governance.hpp"
#include "core/id.hpp"

namespace essor::app {

struct BudgetProjectInput {
  std::string title;
  std::string description;
  core::Cents cost_cents = 0;
  std::optional<core::CampaignId> campaign_id;
};

struct BudgetInput {
  std::string title;
  std::string description;
  core::Cents envelope_cents = 0;
  TimestampMs closes_at = 0;
  std::vector<BudgetProjectInput> projects;
};

struct BudgetResults {
  BudgetRecord budget;
  std::int64_t voters = 0;
  std::vector<std::int64_t> votes;  // per project, in the projects' order
  core::BudgetOutcome greedy;
  core::BudgetOutcome equal_shares;
  std::vector<std::string> my_approvals;  // the reader's ballot
};

class Budgets {
 public:
  Budgets(Store& store, Crypto& crypto, Clock& clock);

  // Org admins. 1–50 projects, each costing from 1 cent to the envelope;
  // a project may name a campaign of the organisation.
  core::Result<BudgetRecord> create(const Principal& who, const core::OrgId& org_id,
                                    const BudgetInput& input);
  core::Result<std::vector<BudgetRecord>> of_org(const Principal& who, const core::OrgId& org_id);
  // Members, while open; replaces the member's earlier ballot.
  core::Result<BudgetRecord> vote(const Principal& who, const std::string& id,
                                  const std::vector<std::string>& project_ids);
  core::Result<BudgetRecord> close(const Principal& who, const std::string& id);
  int close_due();
  // Members and moderators: the votes so far and both allocations (final
  // once closed). This and of_org close a budget whose time is up before
  // reading it, if the scheduler has not yet.
  core::Result<BudgetResults> results(const Principal& who, const std::string& id);

 private:
  // Closes the budget if it is open and its time is up.
  bool close_if_due(const std::string& id, TimestampMs now);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
};

}  // namespace essor::app
