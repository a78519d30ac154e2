// An organisation's books from the ledger: each ledger transfer that
// touches the organisation (its own account or one of its campaigns') is
// one balanced entry of two lines in the chart of accounts of French
// associations, written as the Fichier des Écritures Comptables (art. A47
// A-1 du LPF: 18 columns, in the order of the standard, tab-separated).
//
// The ledger's debit_account is where the money leaves, credit_account
// where it arrives; in the books, money arriving in an account is a debit
// of it: the entry debits what the ledger credits, and credits what it
// debits.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "core/ledger.hpp"

namespace essor::core {

struct BookEntry {
  Transfer transfer;
  std::string campaign_title;  // empty when the transfer is not a campaign's
  bool loan_campaign = false;  // money of a solidarity loan, not a gift
};

struct BookAccount {
  std::string number;  // "756000"
  std::string label;   // "Cotisations"
};

// The account of the chart a ledger account stands for in a transfer.
BookAccount book_account(const std::string& ledger_account, const BookEntry& entry);

inline constexpr std::array<const char*, 18> kFecColumns = {
    "JournalCode", "JournalLib",  "EcritureNum", "EcritureDate", "CompteNum",     "CompteLib",
    "CompAuxNum",  "CompAuxLib",  "PieceRef",    "PieceDate",    "EcritureLib",   "Debit",
    "Credit",      "EcritureLet", "DateLet",     "ValidDate",    "Montantdevise", "Idevise"};

using FecLine = std::array<std::string, 18>;

// Two lines per entry (the debit, then the credit), entries numbered 1, 2,
// 3… in the order given; dates as YYYYMMDD on the clocks of Europe/Paris;
// amounts with a decimal comma.
std::vector<FecLine> fec_lines(const std::vector<BookEntry>& entries);
// The file: the header line, then the lines, tab-separated, CRLF-free.
std::string fec_text(const std::vector<FecLine>& lines);

}  // namespace essor::core
