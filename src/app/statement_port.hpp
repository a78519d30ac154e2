// Reading a bank statement (ISO 20022 CAMT.053) is an adapter's job
// (adapters/camt053_expat.cpp): the app sees its entries.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/money.hpp"

namespace essor::app {

struct StatementEntry {
  std::string entry_ref;  // NtryRef, else AcctSvcrRef, else "#<position>"
  core::Cents amount_cents = 0;
  std::string currency;    // "EUR"
  bool credit = false;     // CdtDbtInd CRDT: money in
  std::string remittance;  // the unstructured remittance texts (Ustrd), joined
};

class StatementReader {
 public:
  virtual ~StatementReader() = default;
  // 400 validation_failed ("statement") for anything that is not a
  // well-formed CAMT.053 document: another namespace, a DTD or entity
  // declaration (refused outright), malformed XML, an amount that is not
  // a decimal with at most two places.
  virtual core::Result<std::vector<StatementEntry>> entries(std::string_view xml) const = 0;
};

}  // namespace essor::app
