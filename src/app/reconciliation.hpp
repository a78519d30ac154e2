// Bank reconciliation: a CAMT.053 statement confirms the pending transfers
// it pays. Each credit whose remittance carries a pending pledge's or
// membership's reference (ESSOR-… or ADH-…, any case) and whose amount
// equals it confirms it, through the same use case as a treasurer's click
// (one guarded transition: a statement sent twice confirms nothing twice).
// The organisation's treasurer and admins.
#pragma once

#include "app/accounts.hpp"
#include "app/memberships.hpp"
#include "app/pledges.hpp"
#include "app/ports.hpp"
#include "app/statement_port.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct MatchedEntry {
  StatementEntry entry;
  AnnouncedPayment payment;
  bool already = false;  // confirmed before (a statement sent again): nothing done now
};

struct UnmatchedEntry {
  StatementEntry entry;
  // no_reference, unknown_reference, other_organisation, amount_differs,
  // not_pending, debit, currency
  std::string reason;
};

struct ReconciliationReport {
  std::vector<MatchedEntry> matched;
  std::vector<UnmatchedEntry> unmatched;
};

class Reconciliation {
 public:
  Reconciliation(Store& store, Pledges& pledges, Memberships& memberships,
                 const StatementReader& reader)
      : store_(store), pledges_(pledges), memberships_(memberships), reader_(reader) {}

  core::Result<ReconciliationReport> statement(const Principal& who, const core::OrgId& org_id,
                                               std::string_view xml);

 private:
  Store& store_;
  Pledges& pledges_;
  Memberships& memberships_;
  const StatementReader& reader_;
};

// The references (ESSOR- or ADH- and 12 letters or digits) a remittance
// text carries, upper-cased, in order; an O read as zero, an I or L as one
// (references never hold them: see core::transfer_reference).
std::vector<std::string> references_in(const std::string& remittance);

}  // namespace essor::app
