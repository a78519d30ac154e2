// Tax receipts (reçus fiscaux, CERFA 11580*04): their vocabulary, their
// numbers and the amount a gift with a reward gives a right to.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.hpp"

namespace essor::core {

// The article(s) of the tax code the organisation's gifts fall under.
enum class LegalBasis { art200, art238bis, both };
std::optional<LegalBasis> parse_legal_basis(std::string_view text);  // "200", "238bis", "both"
std::string to_string(LegalBasis basis);

enum class ReceiptKind { single, annual };
std::string to_string(ReceiptKind kind);
std::optional<ReceiptKind> parse_receipt_kind(std::string_view text);

// What a receipt, or a donor's request for one, is about: a pledge, a
// recurring gift (its request), one charge of it, a membership's dues, or a
// year of them (an annual receipt).
enum class ReceiptSource { pledge, gift, gift_charge, membership, annual };
std::string to_string(ReceiptSource source);
std::optional<ReceiptSource> parse_receipt_source(std::string_view text);

enum class ReceiptStatus { issued, cancelled };
std::string to_string(ReceiptStatus status);
std::optional<ReceiptStatus> parse_receipt_status(std::string_view text);

// "2026-000042": the year and the order number, per organisation and year.
std::string receipt_number(std::int64_t year, std::int64_t seq);

// What a gift gives a right to: the whole gift when its reward is worth at
// most 25 % of it and at most 73 € (the "contreparties de faible valeur"
// rule), else the gift less the reward's value.
Cents receipt_amount(Cents gift, std::optional<Cents> reward_value);

}  // namespace essor::core
