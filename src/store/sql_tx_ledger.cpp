// SqlTx: the ledger. SQLite chains each transfer in the transaction that
// posts it (its one writer orders them); PostgreSQL commits transfers
// unsealed, with no row that every pledge waits for, and the sealer gives
// them their place in the chain in batches (app/ledger_sealer.hpp).
#include <soci/soci.h>

#include <stdexcept>

#include "core/id.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_tx.hpp"

namespace essor::store {
namespace {

// A PostgreSQL array literal of integers or of hex words ({1,2,3}).
template <typename T, typename Fn>
std::string array_of(const std::vector<T>& items, Fn value) {
  std::string out = "{";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += value(item);
  }
  return out + "}";
}

}  // namespace

std::optional<app::LedgerHead> SqlTx::lock_ledger_head(app::HeadWait wait) {
  require_writable();
  // SQLite has one writer already (nobody else can hold the head);
  // PostgreSQL locks the row until commit.
  const bool skip = backend_ == Backend::postgresql && wait == app::HeadWait::skip_if_held;
  const Sql query =
      backend_ != Backend::postgresql ? Sql{"SELECT seq, hash FROM ledger_head WHERE id = 1"}
      : skip ? Sql{"SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE SKIP LOCKED"}
             : Sql{"SELECT seq, hash FROM ledger_head WHERE id = 1 FOR UPDATE"};
  for (const auto& row : native_query(sql_, backend_, query, {}))
    return app::LedgerHead{row.i64(0), row.text(1)};
  if (skip) return std::nullopt;  // another transaction holds it
  return app::LedgerHead{};
}

app::LedgerHead SqlTx::ledger_head() {
  app::LedgerHead head;
  for (const auto& row :
       native_query(sql_, backend_, "SELECT seq, hash FROM ledger_head WHERE id = 1", {}))
    head = app::LedgerHead{row.i64(0), row.text(1)};
  return head;
}

void SqlTx::append_transfer(const core::Transfer& t) {
  require_writable();
  native_query(
      sql_, backend_,
      "INSERT INTO ledger_transfers (seq, id, debit_account, credit_account, "
      "amount_cents, kind, pledge_id, campaign_id, created_at, prev_hash, hash) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {std::int64_t{t.seq}, t.id, t.debit_account, t.credit_account, std::int64_t{t.amount_cents},
       core::to_string(t.kind), t.pledge_id ? Param{*t.pledge_id} : Param{nullptr},
       t.campaign_id ? Param{*t.campaign_id} : Param{nullptr}, std::int64_t{t.created_at},
       t.prev_hash, t.hash});
  if (native_changes(sql_, backend_,
                     "UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ?",
                     {std::int64_t{t.seq}, t.hash, std::int64_t{t.seq - 1}}) != 1)
    throw std::runtime_error("the ledger head moved during an append");
}

std::vector<core::Transfer> SqlTx::transfers_after(std::int64_t after_seq, std::int64_t limit) {
  long long after = after_seq, lim = limit;
  std::vector<core::Transfer> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare << kTransferColumns << "WHERE seq > :after ORDER BY seq LIMIT :lim",
       soci::use(after), soci::use(lim));
  for (const auto& row : rows) out.push_back(transfer_from_row(row));
  return out;
}

std::vector<core::Transfer> SqlTx::transfers_of_campaign(const core::CampaignId& campaign_id,
                                                         std::int64_t limit, std::int64_t offset) {
  long long lim = limit, off = offset;
  std::vector<core::Transfer> out;
  soci::rowset<soci::row> rows =
      (sql_.prepare
           << kTransferColumns
           << "WHERE campaign_id = :c AND seq IS NOT NULL ORDER BY seq LIMIT :lim OFFSET :off",
       soci::use(campaign_id), soci::use(lim), soci::use(off));
  for (const auto& row : rows) out.push_back(transfer_from_row(row));
  return out;
}

void SqlTx::for_each_transfer(const std::function<void(const core::Transfer&)>& fn) {
  // Pages by sequence number: memory stays bounded whatever the ledger's size.
  long long after = 0;
  for (;;) {
    long long from = after;
    std::int64_t seen = 0;
    soci::rowset<soci::row> rows =
        (sql_.prepare << kTransferColumns << "WHERE seq > :after ORDER BY seq LIMIT 1000",
         soci::use(from));
    for (const auto& row : rows) {
      const auto transfer = transfer_from_row(row);
      after = transfer.seq;
      ++seen;
      fn(transfer);
    }
    if (seen < 1000) return;
  }
}

core::Cents SqlTx::available_balance(const core::UserId& user_id) {
  const auto rows = native_query(
      sql_, backend_,
      "SELECT CAST((SELECT COALESCE(SUM(t.amount_cents), 0) FROM users u JOIN ledger_transfers t "
      "ON t.credit_account = 'wallet:' || u.wallet_id WHERE u.id = ?) - (SELECT "
      "COALESCE(SUM(t.amount_cents), 0) FROM users u JOIN ledger_transfers t ON t.debit_account = "
      "'wallet:' || u.wallet_id WHERE u.id = ?) - (SELECT COALESCE(SUM(amount_cents), 0) FROM "
      "withdrawals WHERE user_id = ? AND status = 'requested') AS BIGINT)",
      {user_id, user_id, user_id});
  for (const auto& row : rows) return row.i64(0);
  return 0;
}

core::Cents SqlTx::account_balance(const std::string& account) {
  soci::rowset<soci::row> rows =
      (sql_.prepare << "SELECT CAST((SELECT COALESCE(SUM(amount_cents), 0) FROM ledger_transfers "
                       "WHERE credit_account = :a) - (SELECT COALESCE(SUM(amount_cents), 0) FROM "
                       "ledger_transfers WHERE debit_account = :b) AS BIGINT)",
       soci::use(account), soci::use(account));
  for (const auto& row : rows) return get_i64(row, 0);
  return 0;
}

void SqlTx::append_unsealed(const core::Transfer& t) {
  require_writable();
  if (backend_ != Backend::postgresql)
    throw std::logic_error("this store chains each transfer at once");
  // Held to the batch's end on PostgreSQL's writers (store/native.hpp); the
  // rows keep their order, so the sealer chains them in it.
  static constexpr HeldWrite kUnsealed{
      "INSERT INTO ledger_transfers (id, debit_account, credit_account, amount_cents, "
      "kind, pledge_id, campaign_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      "INSERT INTO ledger_transfers (id, debit_account, credit_account, amount_cents, "
      "kind, pledge_id, campaign_id, created_at) SELECT id, debit_account, credit_account, "
      "amount_cents, kind, pledge_id, campaign_id, created_at FROM unnest(?::text[], "
      "?::text[], ?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[]) "
      "WITH ORDINALITY AS r(id, debit_account, credit_account, amount_cents, kind, pledge_id, "
      "campaign_id, created_at, n) ORDER BY n"};
  native_hold(sql_, backend_, kUnsealed,
              {t.id, t.debit_account, t.credit_account, std::int64_t{t.amount_cents},
               core::to_string(t.kind), t.pledge_id ? Param{*t.pledge_id} : Param{nullptr},
               t.campaign_id ? Param{*t.campaign_id} : Param{nullptr}, std::int64_t{t.created_at}});
}

std::vector<app::UnsealedTransfer> SqlTx::unsealed_transfers(std::int64_t limit) {
  std::vector<app::UnsealedTransfer> out;
  if (backend_ != Backend::postgresql) return out;  // SQLite never has any
  const auto rows = native_query(
      sql_, backend_,
      "SELECT entry, id, debit_account, credit_account, amount_cents, kind, pledge_id, "
      "campaign_id, created_at FROM ledger_transfers WHERE seq IS NULL ORDER BY entry LIMIT ?",
      {limit});
  out.reserve(rows.size());
  for (const auto& row : rows) {
    app::UnsealedTransfer u;
    u.entry = row.i64(0);
    u.transfer.id = row.text(1);
    u.transfer.debit_account = row.text(2);
    u.transfer.credit_account = row.text(3);
    u.transfer.amount_cents = row.i64(4);
    u.transfer.kind = known(core::parse_transfer_kind, row.text(5));
    u.transfer.pledge_id = row.opt(6);
    u.transfer.campaign_id = get_opt(row, 7);
    u.transfer.created_at = row.i64(8);
    out.push_back(std::move(u));
  }
  return out;
}

void SqlTx::seal(const std::vector<app::UnsealedTransfer>& sealed, const app::LedgerHead& head) {
  require_writable();
  if (backend_ != Backend::postgresql)
    throw std::logic_error("this store chains each transfer at once");
  if (sealed.empty()) return;
  // One statement for the whole batch; the trigger lets a transfer be
  // sealed once and changed in no other way, and the unique index on seq
  // refuses a second transfer at the same place.
  const auto rows = native_query(
      sql_, backend_,
      "UPDATE ledger_transfers AS t SET seq = v.seq, prev_hash = v.prev_hash, hash = v.hash "
      "FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) AS v(entry, seq, prev_hash, "
      "hash) WHERE t.entry = v.entry AND t.seq IS NULL RETURNING t.entry",
      {array_of(sealed, [](const app::UnsealedTransfer& u) { return std::to_string(u.entry); }),
       array_of(sealed,
                [](const app::UnsealedTransfer& u) { return std::to_string(u.transfer.seq); }),
       array_of(sealed, [](const app::UnsealedTransfer& u) { return u.transfer.prev_hash; }),
       array_of(sealed, [](const app::UnsealedTransfer& u) { return u.transfer.hash; })});
  if (rows.size() != sealed.size())
    throw std::runtime_error("a transfer to seal was already sealed or is gone");
  const auto moved = native_query(
      sql_, backend_,
      "UPDATE ledger_head SET seq = ?, hash = ? WHERE id = 1 AND seq = ? RETURNING seq",
      {std::int64_t{head.seq}, head.hash, std::int64_t{sealed.front().transfer.seq - 1}});
  if (moved.size() != 1) throw std::runtime_error("the ledger head moved during sealing");
}

void SqlTx::lock_wallet(const core::UserId& user_id) {
  require_writable();
  if (backend_ != Backend::postgresql) return;
  native_query(sql_, backend_, "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))",
               {"wallet:" + user_id});
}

}  // namespace essor::store
