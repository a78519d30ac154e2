// The store's part for an organisation's books: the ledger transfers that
// touch it, read for its accounting exports. A small port reached from a
// read transaction (ReadTx::books()).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/accounting.hpp"
#include "core/id.hpp"

namespace essor::app {

// A payment announced by bank transfer, found by the reference its
// transfer carries: a pledge or a membership's dues.
struct AnnouncedPayment {
  enum class Kind { pledge, membership } kind = Kind::pledge;
  std::string id;
  core::OrgId org_id;
  core::Cents amount_cents = 0;
  bool pending = false;  // still waiting for its money
};

class BooksReads {
 public:
  virtual ~BooksReads() = default;
  // The pledge or membership whose reference this is (ESSOR-… or ADH-…).
  virtual std::optional<AnnouncedPayment> payment_by_reference(const std::string& reference) = 0;
  // The sealed transfers from or to the organisation's account or one of
  // its campaigns', created in [from, to), in the order of the chain.
  virtual std::vector<core::BookEntry> entries_of_org(const core::OrgId& org_id,
                                                      core::TimestampMs from,
                                                      core::TimestampMs to) = 0;
};

}  // namespace essor::app
