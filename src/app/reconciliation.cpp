#include "app/reconciliation.hpp"

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"

namespace essor::app {

using core::Error;
using core::Result;

std::vector<std::string> references_in(const std::string& remittance) {
  std::string upper = remittance;
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
  auto alnum = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  std::vector<std::string> out;
  for (const std::string prefix : {"ESSOR-", "ADH-"}) {
    for (auto at = upper.find(prefix); at != std::string::npos; at = upper.find(prefix, at + 1)) {
      if (at > 0 && alnum(upper[at - 1])) continue;  // inside another word
      const auto start = at + prefix.size();
      std::size_t end = start;
      while (end < upper.size() && alnum(upper[end])) ++end;
      if (end - start != 12) continue;
      // Read as Crockford's base 32 is read: O is zero, I and L are one.
      std::string reference = upper.substr(at, end - at);
      for (std::size_t idx = prefix.size(); idx < reference.size(); ++idx) {
        char& c = reference[idx];
        c = c == 'O' ? '0' : (c == 'I' || c == 'L') ? '1' : c;
      }
      out.push_back(std::move(reference));
    }
  }
  return out;
}

Result<ReconciliationReport> Reconciliation::statement(const Principal& who,
                                                       const core::OrgId& org_id,
                                                       std::string_view xml) {
  auto allowed = read_value<Result<bool>>(store_, [&](ReadTx& tx) -> Result<bool> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!dues_allows(tx.orgs().member_role(org_id, who.user_id), DuesAction::confirm_dues))
      return Error::forbidden("Only the organisation's treasurer or admins reconcile its bank.");
    return true;
  });
  if (!allowed) return allowed.error();
  auto entries = reader_.entries(xml);
  if (!entries) return entries.error();
  ReconciliationReport report;
  for (auto& entry : *entries) {
    auto unmatched = [&](const char* reason) { report.unmatched.push_back({entry, reason}); };
    if (!entry.credit) {
      unmatched("debit");
      continue;
    }
    if (entry.currency != "EUR") {
      unmatched("currency");
      continue;
    }
    const auto references = references_in(entry.remittance);
    if (references.empty()) {
      unmatched("no_reference");
      continue;
    }
    // The first reference that names a payment of this organisation.
    std::optional<AnnouncedPayment> payment;
    const char* reason = "unknown_reference";
    for (const auto& reference : references) {
      auto found = read_value<std::optional<AnnouncedPayment>>(
          store_, [&](ReadTx& tx) { return tx.books().payment_by_reference(reference); });
      if (!found) continue;
      if (found->org_id != org_id) {
        reason = "other_organisation";
        continue;
      }
      payment = found;
      break;
    }
    if (!payment) {
      unmatched(reason);
      continue;
    }
    if (payment->amount_cents != entry.amount_cents) {
      unmatched("amount_differs");
      continue;
    }
    if (!payment->pending) {
      // Paid already: by this statement sent before, or by hand.
      report.matched.push_back({entry, *payment, true});
      continue;
    }
    const bool confirmed = payment->kind == AnnouncedPayment::Kind::pledge
                               ? pledges_.confirm(who, payment->id).ok()
                               : memberships_.confirm(who, payment->id).ok();
    if (confirmed)
      report.matched.push_back({entry, *payment, false});
    else
      unmatched("not_pending");  // cancelled, expired, or its campaign failed
  }
  return report;
}

}  // namespace essor::app
