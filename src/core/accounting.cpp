#include "core/accounting.hpp"

#include <cstdio>

#include "core/money.hpp"
#include "core/time.hpp"

namespace essor::core {

namespace {

std::string yyyymmdd(TimestampMs instant) {
  const auto t = paris_time(instant);
  char out[16];
  std::snprintf(out, sizeof out, "%04lld%02u%02u", static_cast<long long>(t.year), t.month, t.day);
  return out;
}

std::string amount(Cents cents) {
  std::string text = format_decimal(cents);
  for (char& c : text)
    if (c == '.') c = ',';
  return text;
}

std::string kind_label(const BookEntry& e) {
  switch (e.transfer.kind) {
    case TransferKind::pledge:
      return e.loan_campaign ? "Prêt solidaire reçu" : "Don";
    case TransferKind::refund:
      return "Remboursement au contributeur";
    case TransferKind::payout:
      return "Versement de la collecte";
    case TransferKind::loan:
      return "Versement du prêt solidaire";
    case TransferKind::repayment_in:
      return "Remboursement du prêt versé";
    case TransferKind::repayment:
      return "Remboursement à un prêteur";
    case TransferKind::membership:
      return "Cotisation";
    case TransferKind::gift:
      return "Don régulier";
    case TransferKind::match:
      return "Abondement d'un financeur";
    case TransferKind::match_return:
      return "Abondement rendu au financeur";
    case TransferKind::pool:
      return "Enveloppe d'un appel à projets";
    case TransferKind::withdrawal:
      return "Retrait";
    case TransferKind::reversal:
      return "Contre-passation";
  }
  return to_string(e.transfer.kind);
}

std::string entry_label(const BookEntry& e) {
  std::string label = kind_label(e);
  if (!e.campaign_title.empty()) label += " - " + e.campaign_title;
  return label;
}

}  // namespace

BookAccount book_account(const std::string& ledger_account, const BookEntry& entry) {
  if (ledger_account.starts_with("org:")) return {"512000", "Compte Essor de l'organisation"};
  // A funder's pool: a grant to the organisation it matches.
  if (ledger_account.starts_with("call:")) return {"741000", "Subventions (abondement)"};
  if (ledger_account.starts_with("campaign:"))
    return {"467100", "Fonds de collecte en attente de versement"};
  // The outside world or a person's wallet: what the money is for.
  using K = TransferKind;
  const auto kind = entry.transfer.kind;
  if (kind == K::membership) return {"756000", "Cotisations"};
  if (kind == K::repayment || kind == K::repayment_in || entry.loan_campaign)
    return {"168000", "Emprunts solidaires"};
  if (kind == K::pledge || kind == K::refund || kind == K::reversal || kind == K::gift)
    return {"754100", "Dons manuels"};
  return {"471000", "Compte d'attente"};
}

std::vector<FecLine> fec_lines(const std::vector<BookEntry>& entries) {
  std::vector<FecLine> lines;
  lines.reserve(entries.size() * 2);
  std::int64_t number = 0;
  for (const auto& e : entries) {
    ++number;
    const auto& t = e.transfer;
    const std::string date = yyyymmdd(t.created_at);
    const std::string label = entry_label(e);
    const std::string piece = t.pledge_id.value_or(t.id);
    const BookAccount debit = book_account(t.credit_account, e);
    const BookAccount credit = book_account(t.debit_account, e);
    auto line = [&](const BookAccount& account, const std::string& ledger_account, bool is_debit) {
      const bool campaign = ledger_account.starts_with("campaign:");
      return FecLine{"ESS",
                     "Journal Essor",
                     std::to_string(number),
                     date,
                     account.number,
                     account.label,
                     campaign ? ledger_account.substr(9) : "",
                     campaign ? e.campaign_title : "",
                     piece,
                     date,
                     label,
                     is_debit ? amount(t.amount_cents) : "0,00",
                     is_debit ? "0,00" : amount(t.amount_cents),
                     "",
                     "",
                     date,
                     "",
                     ""};
    };
    lines.push_back(line(debit, t.credit_account, true));
    lines.push_back(line(credit, t.debit_account, false));
  }
  return lines;
}

std::string fec_text(const std::vector<FecLine>& lines) {
  std::string out;
  for (std::size_t idx = 0; idx < kFecColumns.size(); ++idx)
    out += std::string(idx ? "\t" : "") + kFecColumns[idx];
  out += "\n";
  for (const auto& line : lines) {
    for (std::size_t idx = 0; idx < line.size(); ++idx) {
      if (idx) out += '\t';
      // A tab or a line end inside a field would break the columns.
      for (char c : line[idx]) out += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
    }
    out += "\n";
  }
  return out;
}

}  // namespace essor::core
