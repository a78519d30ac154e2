// An organisation's columns and their mapping, shared by the statements
// that read an organisation alone (store/sql_tx.cpp) and those that read it
// joined to a campaign (store/sql_tx_campaigns.cpp).
#pragma once

#include <cstddef>

#include "app/ports.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {

// The organisation's columns, o being the orgs table (12 of them), its
// description given apart (DESCRIPTION: the column, or an empty text in
// its place for a read that does not need it).
#define ESSOR_ORG_COLUMN_LIST_WITH(DESCRIPTION) \
  "o.id, o.name, o.legal_form, " DESCRIPTION    \
  ", o.siren, o.region, o.department, "         \
  "o.iban, o.bic, o.created_by, o.created_at, o.voting_requires_dues "
#define ESSOR_ORG_COLUMN_LIST ESSOR_ORG_COLUMN_LIST_WITH("o.description")

// The organisation whose columns begin at column at of row.
template <typename Row>
app::OrgRecord org_from_row(const Row& row, std::size_t at = 0) {
  app::OrgRecord org;
  org.id = get_text(row, at + 0);
  org.name = get_text(row, at + 1);
  org.legal_form = known(core::parse_legal_form, get_text(row, at + 2));
  org.description = get_text(row, at + 3);
  org.siren = get_opt(row, at + 4);
  org.region = get_opt(row, at + 5);
  org.department = get_opt(row, at + 6);
  org.iban = get_opt(row, at + 7);
  org.bic = get_opt(row, at + 8);
  org.created_by = get_text(row, at + 9);
  org.created_at = get_i64(row, at + 10);
  org.voting_requires_dues = get_i64(row, at + 11) != 0;
  return org;
}

}  // namespace essor::store
