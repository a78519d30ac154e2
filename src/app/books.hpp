// An organisation's books: its ledger transfers of a calendar year (Paris
// time), for the accounting exports (FEC, the journal as CSV). The
// organisation's treasurer and admins.
#pragma once

#include "app/accounts.hpp"
#include "app/ledger.hpp"
#include "app/ports.hpp"
#include "core/accounting.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

class Books {
 public:
  Books(Store& store, Ledger& ledger) : store_(store), ledger_(ledger) {}

  // 400 for a year outside 2000–2100, 404 when the year has no entry.
  core::Result<std::vector<core::BookEntry>> year(const Principal& who, const core::OrgId& org_id,
                                                  std::int64_t year);

 private:
  Store& store_;
  Ledger& ledger_;
};

}  // namespace essor::app
