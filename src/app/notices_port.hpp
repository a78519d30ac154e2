// The store's part for summaries told to an organisation (issue 14: "new
// backers"): what each live campaign's running totals were when its
// admins were last told. A small port (ReadTx::notices() reads,
// Tx::notices() also writes). The pledge path never touches it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/id.hpp"
#include "core/money.hpp"

namespace essor::app {

struct BackerProgress {
  core::CampaignId campaign_id;
  core::OrgId org_id;
  std::string title;
  std::int64_t backers = 0;        // now (the running totals)
  core::Cents raised_cents = 0;    // now
  std::int64_t told_backers = -1;  // when last told (-1: never)
  core::Cents told_raised_cents = 0;
};

class NoticesReads {
 public:
  virtual ~NoticesReads() = default;
  // Live campaigns whose totals moved since their admins were last told.
  virtual std::vector<BackerProgress> backer_progress(std::int64_t limit) = 0;
};

class NoticesWrites : public NoticesReads {
 public:
  // The totals told: false when another instance told them first (the
  // snapshot was not `from` any more).
  [[nodiscard]] virtual bool advance_backers(const BackerProgress& from) = 0;
};

}  // namespace essor::app
