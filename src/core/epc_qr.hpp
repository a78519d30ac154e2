// The text of a SEPA credit transfer QR code (EPC069-12, version 002), which
// banking apps scan to prefill a transfer. Pure: rendering it as a QR code
// is an adapter's job (libqrencode, error correction level M).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace essor::core {

struct EpcTransfer {
  std::string bic;          // optional in version 002
  std::string beneficiary;  // at most 70 characters (cut if longer)
  std::string iban;         // compact form
  Cents amount_cents = 0;   // 1 .. 99'999'999'999
  std::string remittance;   // unstructured, at most 140 characters (cut if longer)
};

// Lines separated by LF: BCD / 002 / 1 / SCT / BIC / name / IBAN /
// EUR<amount> / purpose / structured ref / remittance. Nothing when the
// amount is out of range or the IBAN is missing, or the result exceeds the
// 331 bytes the standard allows.
std::optional<std::string> epc_payload(const EpcTransfer& transfer);

// The reference a person types into a bank transfer: the prefix (ESSOR- for
// a pledge, ADH- for dues) and 12 characters of Crockford's base 32 (digits
// and capitals but I, L, O and U) holding the last 60 bits of the record's
// hex id. Ids end with their random part (see Crypto::random_id). An id that
// is not hex gives its last 12 characters in capitals.
std::string transfer_reference(std::string_view prefix, std::string_view id);

}  // namespace essor::core
