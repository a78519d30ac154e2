#include "app/books.hpp"

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/time.hpp"

namespace essor::app {

using core::Error;
using core::Result;

Result<std::vector<core::BookEntry>> Books::year(const Principal& who, const core::OrgId& org_id,
                                                 std::int64_t year) {
  const bool known_year = year >= 2000 && year <= 2100;
  // What waits for its place in the chain is sealed first: the books list
  // sealed transfers only.
  ledger_.head();
  return read_value<Result<std::vector<core::BookEntry>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<core::BookEntry>> {
        if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
        if (!dues_allows(tx.orgs().member_role(org_id, who.user_id), DuesAction::keep_books))
          return Error::forbidden("Only the organisation's treasurer or admins read its books.");
        if (!known_year) return Error::validation({{"year", "must be a year from 2000 to 2100"}});
        const auto from = core::from_paris_time(year, 1, 1, 0, 0);
        const auto to = core::from_paris_time(year + 1, 1, 1, 0, 0);
        auto entries = tx.books().entries_of_org(org_id, *from, *to);
        if (entries.empty())
          return Error::not_found("The organisation has no ledger entry in " +
                                  std::to_string(year) + ".");
        return entries;
      });
}

}  // namespace essor::app
