// The store's part for an organisation's books: the ledger transfers that
// touch it, read for its accounting exports. A small port reached from a
// read transaction (ReadTx::books()).
#pragma once

#include <string>
#include <vector>

#include "core/accounting.hpp"

namespace essor::app {

class BooksReads {
 public:
  virtual ~BooksReads() = default;
  // The sealed transfers from or to the organisation's account or one of
  // its campaigns', created in [from, to), in the order of the chain.
  virtual std::vector<core::BookEntry> entries_of_org(const std::string& org_id,
                                                      core::TimestampMs from,
                                                      core::TimestampMs to) = 0;
};

}  // namespace essor::app
