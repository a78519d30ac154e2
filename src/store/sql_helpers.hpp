// Small helpers shared by the files that implement SqlTx. Internal to store/.
#pragma once

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/id.hpp"
#include "core/ledger.hpp"
#include "core/validation.hpp"
#include "core/words.hpp"
#include "store/row_integer.hpp"
#include "store/row_text.hpp"

// An id is bound and read as its text (soci::use(user_id), soci::into(id)).
template <class Tag>
struct soci::type_conversion<essor::core::Id<Tag>> {
  using base_type = std::string;
  static void from_base(const std::string& text, soci::indicator, essor::core::Id<Tag>& id) {
    id = essor::core::Id<Tag>{text};
  }
  static void to_base(const essor::core::Id<Tag>& id, std::string& text, soci::indicator& ind) {
    text = id.str();
    ind = soci::i_ok;
  }
};

namespace essor::store {

// A new session on the database of url, configured as the store's own
// (database.cpp).
std::unique_ptr<soci::session> open_session(const std::string& url);

// The arguments of a PostgreSQL advisory lock that is this schema's own: KEY
// and the hash of the current schema. Two sites in two schemas of one
// database (the tests have a schema each) neither wait for nor take each
// other's lock: each migrates and elects its scheduler's leader alone.
inline std::string schema_lock_args(int key) {
  return std::to_string(key) + ", hashtext(COALESCE(current_schema(), ''))";
}

// Ids as one JSON array parameter, for ID_LIST(?) in a kept statement
// (store/native.hpp): the statement's text is the same whatever the number
// of ids, and one statement serves a whole list.
template <class IdText>  // std::string or a core::Id
std::string json_ids(const std::vector<IdText>& ids) {
  std::string out = "[";
  for (const auto& id : ids) {
    if (out.size() > 1) out += ',';
    out += '"';
    for (char c : std::string_view{id}) {
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20)
        continue;  // never in an id
      out += c;
    }
    out += '"';
  }
  return out + "]";
}

inline RowText get_text(const soci::row& row, std::size_t idx) {
  return RowText{row.get<std::string>(idx)};
}

// SQLite reports an aggregate's type from its value, PostgreSQL from the
// column: read any integer column whatever SOCI decided it was.
inline std::int64_t column_i64(const soci::row& row, std::size_t idx) {
  switch (row.get_properties(idx).get_data_type()) {
    case soci::dt_integer:
      return row.get<int>(idx);
    case soci::dt_long_long:
      return row.get<long long>(idx);
    case soci::dt_unsigned_long_long:
      return static_cast<std::int64_t>(row.get<unsigned long long>(idx));
    case soci::dt_double: {
      // PostgreSQL's NUMERIC (what SUM(bigint) gives) arrives as a double:
      // queries cast sums to BIGINT; anything else must be an exact integer.
      const double value = row.get<double>(idx);
      if (value != static_cast<double>(static_cast<std::int64_t>(value)) ||
          value > 9007199254740992.0 || value < -9007199254740992.0) {
        throw std::runtime_error("an integer column came back as an inexact number");
      }
      return static_cast<std::int64_t>(value);
    }
    case soci::dt_string:
      return std::stoll(row.get<std::string>(idx));
    default:
      throw std::runtime_error("unexpected column type for an integer");
  }
}

inline RowInteger get_i64(const soci::row& row, std::size_t idx) {
  return {column_i64(row, idx)};
}

inline RowOptionalText get_opt(const soci::row& row, std::size_t idx) {
  if (row.get_indicator(idx) == soci::i_null) return RowOptionalText{std::nullopt};
  return RowOptionalText{row.get<std::string>(idx)};
}

// A nullable text parameter that lives as long as the statement.
struct Nullable {
  explicit Nullable(const std::optional<std::string>& value)
      : text(value.value_or("")), indicator(value ? soci::i_ok : soci::i_null) {}
  std::string text;
  soci::indicator indicator;
};

inline RowOptionalInteger get_opt_i64(const soci::row& row, std::size_t idx) {
  if (row.get_indicator(idx) == soci::i_null) return {};
  return {column_i64(row, idx)};
}

// A nullable integer parameter that lives as long as the statement.
struct NullableInt {
  explicit NullableInt(const std::optional<std::int64_t>& value)
      : number(value.value_or(0)), indicator(value ? soci::i_ok : soci::i_null) {}
  long long number;
  soci::indicator indicator;
};

// A word of the typed vocabulary read back from a column, with core's
// parse (core::parse_role, parse_status…): the columns' CHECK constraints
// admit nothing else, so anything else is a broken database.
template <class Parse>
auto known(Parse parse, const std::string& text) -> typename decltype(parse(text))::value_type {
  return core::stored_word(parse, text, "a column");
}

// A ledger transfer as stored: these columns, in this order.
inline constexpr const char* kTransferColumns =
    "SELECT seq, id, debit_account, credit_account, amount_cents, kind, pledge_id, campaign_id, "
    "created_at, prev_hash, hash FROM ledger_transfers ";

inline core::Transfer transfer_from_row(const soci::row& row) {
  core::Transfer t;
  t.seq = get_i64(row, 0);
  t.id = get_text(row, 1);
  t.debit_account = get_text(row, 2);
  t.credit_account = get_text(row, 3);
  t.amount_cents = get_i64(row, 4);
  t.kind = known(core::parse_transfer_kind, get_text(row, 5));
  t.pledge_id = get_opt(row, 6);
  t.campaign_id = get_opt(row, 7);
  t.created_at = get_i64(row, 8);
  t.prev_hash = get_text(row, 9);
  t.hash = get_text(row, 10);
  return t;
}

}  // namespace essor::store
