#include "store/migrations.hpp"

#include <soci/soci.h>
#include <sodium.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/ledger.hpp"
#include "store/sql_helpers.hpp"

namespace essor::store {
namespace {

struct Migration {
  int version;
  const char* name;
  // Statements run one by one (SQLite's prepare takes one at a time). Written
  // in the SQL both back ends accept; a statement that must differ goes in
  // the *_only lists.
  std::vector<std::string> statements;
  std::vector<std::string> sqlite_only = {};
  std::vector<std::string> postgresql_only = {};
  // Work SQL cannot do alone, run after the statements, in the same
  // transaction.
  std::function<void(soci::session&, bool pg)> code = {};
};

// The chain's hash function; the rest of Essor gets it from the Crypto
// port, a migration runs before there is one.
std::string sha256_hex(const std::string& data) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  return sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
}

// Migration 13: each person has an opaque wallet id (given in SQL, from
// the database's own random source), and the ledger's
// "user:<id>" accounts become "wallet:<wallet id>" (a user id is public
// through member lists; a wallet id appears nowhere else). The chain is
// hashed again from the first renamed transfer on, so that `essor verify`
// and anyone holding the public export still find it whole; the ledger head
// follows. Transfers are otherwise immutable: the guard is lifted for this
// one transaction only.
void give_wallets(soci::session& sql, bool pg) {
  std::map<std::string, std::string> wallet_of;
  {
    soci::rowset<soci::row> users = (sql.prepare << "SELECT id, wallet_id FROM users");
    for (const auto& row : users) wallet_of[get_text(row, 0)] = get_text(row, 1);
  }

  if (pg) {
    sql << "ALTER TABLE ledger_transfers DISABLE TRIGGER ledger_transfers_immutable";
  } else {
    sql << "DROP TRIGGER ledger_transfers_immutable_update";
  }
  auto rename = [&wallet_of](std::string& account) {
    if (!account.starts_with("user:")) return false;
    const auto it = wallet_of.find(account.substr(5));
    if (it == wallet_of.end()) throw std::runtime_error("ledger account of no user: " + account);
    account = core::wallet_account(it->second);
    return true;
  };
  std::string prev = core::kGenesisHash;
  long long last_seq = 0;
  bool rehash = false;
  for (;;) {
    std::vector<core::Transfer> page;
    soci::rowset<soci::row> rows =
        (sql.prepare << kTransferColumns << "WHERE seq > :after ORDER BY seq LIMIT 1000",
         soci::use(last_seq));
    for (const auto& row : rows) page.push_back(transfer_from_row(row));
    if (page.empty()) break;
    for (auto& t : page) {
      const bool renamed = rename(t.debit_account) | rename(t.credit_account);
      rehash = rehash || renamed;
      if (rehash) {
        t.prev_hash = prev;
        t.hash = core::chain_hash(prev, t, sha256_hex);
        long long seq = t.seq;
        sql << "UPDATE ledger_transfers SET debit_account = :d, credit_account = :c, "
               "prev_hash = :p, hash = :h WHERE seq = :s",
            soci::use(t.debit_account), soci::use(t.credit_account), soci::use(t.prev_hash),
            soci::use(t.hash), soci::use(seq);
      }
      prev = t.hash;
      last_seq = t.seq;
    }
  }
  if (rehash) sql << "UPDATE ledger_head SET hash = :h WHERE id = 1", soci::use(prev);
  if (pg) {
    sql << "ALTER TABLE ledger_transfers ENABLE TRIGGER ledger_transfers_immutable";
  } else {
    sql << "CREATE TRIGGER ledger_transfers_immutable_update BEFORE UPDATE ON ledger_transfers "
           "BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable'); END";
  }
}

// Migration 14's triggers. A pledge's part of a campaign's totals, given
// its status: raised when confirmed or refunded, pledged and active (its
// author a backer) when confirmed or pending.
std::string raised_part(const std::string& row) {
  return "(CASE WHEN " + row + ".status IN ('confirmed', 'refunded') THEN " + row +
         ".amount_cents ELSE 0 END)";
}
std::string pledged_part(const std::string& row) {
  return "(CASE WHEN " + row + ".status IN ('confirmed', 'pending') THEN " + row +
         ".amount_cents ELSE 0 END)";
}
std::string active_part(const std::string& row) {
  return "(CASE WHEN " + row + ".status IN ('confirmed', 'pending') THEN 1 ELSE 0 END)";
}

// SQLite: one trigger after an insert (nothing before it), one after a
// change of status.
std::string sqlite_stats_trigger(bool update) {
  const std::string was_raised = update ? raised_part("OLD") : "0",
                    was_pledged = update ? pledged_part("OLD") : "0",
                    was_active = update ? active_part("OLD") : "0", now_active = active_part("NEW");
  return std::string("CREATE TRIGGER ") +
         (update ? "pledges_stats_update AFTER UPDATE OF status ON pledges "
                   "WHEN OLD.status <> NEW.status BEGIN "
                 : "pledges_stats_insert AFTER INSERT ON pledges BEGIN ") +
         "INSERT INTO campaign_stats (campaign_id, shard) VALUES (NEW.campaign_id, 0) "
         "ON CONFLICT DO NOTHING; "
         "INSERT INTO campaign_backers (campaign_id, user_id, active) "
         "VALUES (NEW.campaign_id, NEW.user_id, 0) ON CONFLICT DO NOTHING; "
         "UPDATE campaign_backers SET active = active + " +
         now_active + " - " + was_active +
         " WHERE campaign_id = NEW.campaign_id AND user_id = NEW.user_id; "
         "UPDATE campaign_stats SET raised_cents = raised_cents + " +
         raised_part("NEW") + " - " + was_raised + ", pledged_cents = pledged_cents + " +
         pledged_part("NEW") + " - " + was_pledged +
         ", backers = backers + (SELECT CASE "
         "WHEN " +
         now_active + " = 1 AND " + was_active +
         " = 0 AND b.active = 1 THEN 1 "
         "WHEN " +
         now_active + " = 0 AND " + was_active +
         " = 1 AND b.active = 0 THEN -1 "
         "ELSE 0 END FROM campaign_backers b "
         "WHERE b.campaign_id = NEW.campaign_id AND b.user_id = NEW.user_id) "
         "WHERE campaign_id = NEW.campaign_id AND shard = 0; END";
}

// Migration 31's: the same after an insert in two upserts instead of four
// statements (the trigger was a third of a pledge's insert on SQLite,
// docs/performance.md). The backer's row first, so that the campaign's
// backers count one more only when this pledge made them active.
std::string sqlite_stats_insert_trigger() {
  const std::string now_active = active_part("NEW");
  return "CREATE TRIGGER pledges_stats_insert AFTER INSERT ON pledges BEGIN "
         "INSERT INTO campaign_backers (campaign_id, user_id, active) "
         "VALUES (NEW.campaign_id, NEW.user_id, " +
         now_active +
         ") ON CONFLICT (campaign_id, user_id) DO UPDATE SET active = active + excluded.active; "
         "INSERT INTO campaign_stats (campaign_id, shard, raised_cents, pledged_cents, backers) "
         "VALUES (NEW.campaign_id, 0, " +
         raised_part("NEW") + ", " + pledged_part("NEW") + ", (SELECT CASE WHEN " + now_active +
         " = 1 AND b.active = 1 THEN 1 ELSE 0 END FROM campaign_backers b "
         "WHERE b.campaign_id = NEW.campaign_id AND b.user_id = NEW.user_id)) "
         "ON CONFLICT (campaign_id, shard) DO UPDATE SET "
         "raised_cents = raised_cents + excluded.raised_cents, "
         "pledged_cents = pledged_cents + excluded.pledged_cents, "
         "backers = backers + excluded.backers; END";
}

// How PostgreSQL's totals functions end: what their insert brings is added
// to the totals row it meets.
constexpr const char* kAddedToTotalsRow =
    "    ON CONFLICT (campaign_id, shard) DO UPDATE SET\n"
    "      raised_cents = s.raised_cents + EXCLUDED.raised_cents,\n"
    "      pledged_cents = s.pledged_cents + EXCLUDED.pledged_cents,\n"
    "      backers = s.backers + EXCLUDED.backers;\n"
    "  RETURN NULL;\n"
    "END $$";

// shard: which of a campaign's rows takes the pledge (migration 14: one of
// 8 at random; 17: the connection's own; 32: the transaction's own, so
// that two transactions at once almost never wait for each other's row).
std::string postgres_stats_function(const std::string& shard) {
  return "CREATE OR REPLACE FUNCTION pledges_stats() RETURNS trigger LANGUAGE plpgsql AS $$\n"
         "DECLARE\n"
         "  was_active INTEGER := 0; was_raised BIGINT := 0; was_pledged BIGINT := 0;\n"
         "  now_active INTEGER := " +
         active_part("NEW") +
         ";\n"
         "  active_after BIGINT; backer_delta INTEGER := 0;\n"
         "BEGIN\n"
         "  IF TG_OP = 'UPDATE' THEN\n"
         "    was_active := " +
         active_part("OLD") +
         ";\n"
         "    was_raised := " +
         raised_part("OLD") +
         ";\n"
         "    was_pledged := " +
         pledged_part("OLD") +
         ";\n"
         "  END IF;\n"
         "  IF now_active <> was_active THEN\n"
         "    INSERT INTO campaign_backers AS b (campaign_id, user_id, active)\n"
         "      VALUES (NEW.campaign_id, NEW.user_id, now_active - was_active)\n"
         "      ON CONFLICT (campaign_id, user_id) DO UPDATE SET active = b.active + "
         "EXCLUDED.active\n"
         "      RETURNING active INTO active_after;\n"
         "    IF now_active = 1 AND active_after = 1 THEN backer_delta := 1; END IF;\n"
         "    IF now_active = 0 AND active_after = 0 THEN backer_delta := -1; END IF;\n"
         "  END IF;\n"
         "  INSERT INTO campaign_stats AS s (campaign_id, shard, raised_cents, pledged_cents, "
         "backers)\n"
         "    VALUES (NEW.campaign_id, " +
         shard + ", " + raised_part("NEW") + " - was_raised, " + pledged_part("NEW") +
         " - was_pledged, backer_delta)\n" + kAddedToTotalsRow;
}

// Migration 33's, on PostgreSQL: the totals of a statement's new pledges
// added once per statement rather than once per row (a batch of the group
// commit inserts its pledges in one statement, mostly to one campaign).
// A backer is new to the campaign when their row's count is what this
// statement added to it. Rows are taken in key order, so that two
// statements lock shared rows in the same order.
std::string postgres_stats_added_function() {
  return "CREATE OR REPLACE FUNCTION pledges_stats_added() RETURNS trigger LANGUAGE plpgsql "
         "AS $$\n"
         "BEGIN\n"
         "  WITH counted AS (\n"
         "    SELECT campaign_id, user_id, COUNT(*) AS n FROM added a\n"
         "    WHERE " +
         active_part("a") +
         " = 1 GROUP BY campaign_id, user_id),\n"
         "  upserted AS (\n"
         "    INSERT INTO campaign_backers AS b (campaign_id, user_id, active)\n"
         "    SELECT campaign_id, user_id, n FROM counted ORDER BY campaign_id, user_id\n"
         "    ON CONFLICT (campaign_id, user_id) DO UPDATE SET active = b.active + "
         "EXCLUDED.active\n"
         "    RETURNING b.campaign_id, b.user_id, b.active),\n"
         "  newcomers AS (\n"
         "    SELECT u.campaign_id, COUNT(*) AS k FROM upserted u\n"
         "    JOIN counted c ON c.campaign_id = u.campaign_id AND c.user_id = u.user_id\n"
         "    WHERE u.active = c.n GROUP BY u.campaign_id),\n"
         "  sums AS (\n"
         "    SELECT campaign_id, SUM" +
         raised_part("a") + " AS raised, SUM" + pledged_part("a") +
         " AS pledged FROM added a GROUP BY campaign_id)\n"
         "  INSERT INTO campaign_stats AS s (campaign_id, shard, raised_cents, pledged_cents, "
         "backers)\n"
         "    SELECT sums.campaign_id, (txid_current() % 64)::int, sums.raised, sums.pledged,\n"
         "      COALESCE(newcomers.k, 0)\n"
         "    FROM sums LEFT JOIN newcomers ON newcomers.campaign_id = sums.campaign_id\n"
         "    ORDER BY sums.campaign_id\n" +
         kAddedToTotalsRow;
}

const std::vector<Migration>& all_migrations() {
  static const std::vector<Migration> migrations = {
      {1,
       "accounts and organisations",
       {
           "CREATE TABLE users ("
           " id TEXT PRIMARY KEY,"
           " email TEXT NOT NULL,"
           " email_norm TEXT NOT NULL UNIQUE,"
           " display_name TEXT NOT NULL,"
           " password_hash TEXT NOT NULL,"
           " created_at BIGINT NOT NULL)",
           "CREATE TABLE sessions ("
           " token_hash TEXT PRIMARY KEY,"
           " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
           " created_at BIGINT NOT NULL,"
           " expires_at BIGINT NOT NULL)",
           "CREATE INDEX sessions_by_user ON sessions(user_id)",
           "CREATE TABLE login_failures ("
           " key TEXT PRIMARY KEY,"
           " window_start BIGINT NOT NULL,"
           " failures BIGINT NOT NULL)",
           "CREATE TABLE orgs ("
           " id TEXT PRIMARY KEY,"
           " name TEXT NOT NULL,"
           " legal_form TEXT NOT NULL CHECK (legal_form IN ('association', 'scop', 'scic',"
           "  'cooperative', 'mutuelle', 'fondation', 'esus', 'other')),"
           " description TEXT NOT NULL DEFAULT '',"
           " siren TEXT, region TEXT, department TEXT, iban TEXT, bic TEXT,"
           " created_by TEXT NOT NULL REFERENCES users(id),"
           " created_at BIGINT NOT NULL)",
           "CREATE INDEX orgs_by_created ON orgs(created_at)",
           "CREATE TABLE memberships ("
           " org_id TEXT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"
           " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
           " role TEXT NOT NULL CHECK (role IN ('member', 'treasurer', 'admin')),"
           " joined_at BIGINT NOT NULL,"
           " PRIMARY KEY (org_id, user_id))",
           "CREATE INDEX memberships_by_user ON memberships(user_id)",
       }},
      {2,
       "campaigns, pledges, ledger",
       {
           "CREATE TABLE campaigns ("
           " id TEXT PRIMARY KEY,"
           " org_id TEXT NOT NULL REFERENCES orgs(id),"
           " title TEXT NOT NULL, summary TEXT NOT NULL, description_md TEXT NOT NULL,"
           " category TEXT NOT NULL,"
           " kind TEXT NOT NULL CHECK (kind IN ('donation', 'loan')),"
           " funding_model TEXT NOT NULL CHECK (funding_model IN ('all_or_nothing', "
           "'keep_it_all')),"
           " status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'live', 'succeeded', "
           "'failed')),"
           " goal_cents BIGINT NOT NULL CHECK (goal_cents > 0),"
           " ends_at BIGINT NOT NULL,"
           " reject_reason TEXT,"
           " loan_annual_rate_bp BIGINT, loan_term_months BIGINT, loan_repayment TEXT,"
           " loan_max_per_lender_cents BIGINT,"
           " created_by TEXT NOT NULL REFERENCES users(id),"
           " created_at BIGINT NOT NULL, published_at BIGINT, resolved_at BIGINT)",
           "CREATE INDEX campaigns_by_status ON campaigns(status, ends_at)",
           "CREATE INDEX campaigns_by_org ON campaigns(org_id, created_at)",
           "CREATE TABLE rewards ("
           " id TEXT PRIMARY KEY,"
           " campaign_id TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,"
           " position BIGINT NOT NULL,"
           " title TEXT NOT NULL, description TEXT NOT NULL,"
           " min_amount_cents BIGINT NOT NULL CHECK (min_amount_cents > 0),"
           " quantity_limit BIGINT CHECK (quantity_limit IS NULL OR quantity_limit > 0),"
           " claimed BIGINT NOT NULL DEFAULT 0 CHECK (claimed >= 0),"
           " CHECK (quantity_limit IS NULL OR claimed <= quantity_limit))",
           "CREATE INDEX rewards_by_campaign ON rewards(campaign_id, position)",
           "CREATE TABLE pledges ("
           " id TEXT PRIMARY KEY,"
           " campaign_id TEXT NOT NULL REFERENCES campaigns(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),"
           " reward_id TEXT REFERENCES rewards(id),"
           " status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', "
           "'refunded')),"
           " payment_method TEXT NOT NULL,"
           " anonymous BIGINT NOT NULL DEFAULT 0,"
           " message TEXT,"
           " reference TEXT NOT NULL UNIQUE,"
           " created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX pledges_by_campaign ON pledges(campaign_id, status)",
           "CREATE INDEX pledges_by_user ON pledges(user_id, created_at)",
           "CREATE TABLE idempotency_keys ("
           " user_id TEXT NOT NULL, key TEXT NOT NULL,"
           " request_hash TEXT NOT NULL,"
           " status BIGINT NOT NULL, response TEXT NOT NULL,"
           " created_at BIGINT NOT NULL,"
           " PRIMARY KEY (user_id, key))",
           "CREATE TABLE ledger_transfers ("
           " seq BIGINT PRIMARY KEY,"
           " id TEXT NOT NULL UNIQUE,"
           " debit_account TEXT NOT NULL, credit_account TEXT NOT NULL,"
           " amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),"
           " kind TEXT NOT NULL,"
           " pledge_id TEXT, campaign_id TEXT,"
           " created_at BIGINT NOT NULL,"
           " prev_hash TEXT NOT NULL, hash TEXT NOT NULL)",
           "CREATE INDEX ledger_by_campaign ON ledger_transfers(campaign_id, seq)",
           "CREATE TABLE ledger_head ("
           " id BIGINT PRIMARY KEY CHECK (id = 1),"
           " seq BIGINT NOT NULL, hash TEXT NOT NULL)",
           "INSERT INTO ledger_head (id, seq, hash) VALUES (1, 0, "
           " '0000000000000000000000000000000000000000000000000000000000000000')",
       },
       // Transfers are immutable: a mistake is undone by a reversing transfer.
       {
           "CREATE TRIGGER ledger_transfers_immutable_update BEFORE UPDATE ON ledger_transfers "
           "BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable'); END",
           "CREATE TRIGGER ledger_transfers_immutable_delete BEFORE DELETE ON ledger_transfers "
           "BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable'); END",
       },
       {
           "CREATE FUNCTION ledger_transfers_immutable() RETURNS trigger LANGUAGE plpgsql AS "
           "$$ BEGIN RAISE EXCEPTION 'ledger transfers are immutable'; END $$",
           "CREATE TRIGGER ledger_transfers_immutable BEFORE UPDATE OR DELETE ON ledger_transfers "
           "FOR EACH ROW EXECUTE FUNCTION ledger_transfers_immutable()",
       }},
      {3,
       "full-text search of campaigns",
       {},
       // SQLite: an FTS5 index kept in step with campaigns by triggers;
       // accents are folded so that "quartie" finds "quartier".
       {
           "CREATE VIRTUAL TABLE campaigns_fts USING fts5(title, summary, description_md, "
           "content='campaigns', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')",
           "CREATE TRIGGER campaigns_fts_insert AFTER INSERT ON campaigns BEGIN "
           "INSERT INTO campaigns_fts (rowid, title, summary, description_md) "
           "VALUES (new.rowid, new.title, new.summary, new.description_md); END",
           "CREATE TRIGGER campaigns_fts_delete AFTER DELETE ON campaigns BEGIN "
           "INSERT INTO campaigns_fts (campaigns_fts, rowid, title, summary, description_md) "
           "VALUES ('delete', old.rowid, old.title, old.summary, old.description_md); END",
           "CREATE TRIGGER campaigns_fts_update AFTER UPDATE OF title, summary, description_md ON "
           "campaigns "
           "BEGIN INSERT INTO campaigns_fts (campaigns_fts, rowid, title, summary, description_md) "
           "VALUES ('delete', old.rowid, old.title, old.summary, old.description_md); "
           "INSERT INTO campaigns_fts (rowid, title, summary, description_md) "
           "VALUES (new.rowid, new.title, new.summary, new.description_md); END",
           "INSERT INTO campaigns_fts (campaigns_fts) VALUES ('rebuild')",
       },
       // PostgreSQL: French text search (stemming) over an expression index.
       {
           "CREATE INDEX campaigns_search ON campaigns USING GIN "
           "(to_tsvector('french', title || ' ' || summary || ' ' || description_md))",
       }},
      {4,
       "campaign cover images",
       {
           "CREATE TABLE campaign_covers ("
           " campaign_id TEXT PRIMARY KEY REFERENCES campaigns(id) ON DELETE CASCADE,"
           " content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', "
           "'image/webp')),"
           " data_base64 TEXT NOT NULL,"
           " sha256 TEXT NOT NULL,"
           " updated_at BIGINT NOT NULL)",
       }},
      {5,
       "solidarity loans: contracts, repayments, lenders' withdrawals",
       {
           "CREATE TABLE loan_contracts ("
           " campaign_id TEXT NOT NULL REFERENCES campaigns(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),"
           " created_at BIGINT NOT NULL,"
           " PRIMARY KEY (campaign_id, user_id))",
           "CREATE INDEX loan_contracts_by_user ON loan_contracts(user_id)",
           "CREATE TABLE loan_repayments ("
           " id TEXT PRIMARY KEY,"
           " campaign_id TEXT NOT NULL REFERENCES campaigns(id),"
           " amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),"
           " principal_cents BIGINT NOT NULL CHECK (principal_cents >= 0),"
           " interest_cents BIGINT NOT NULL CHECK (interest_cents >= 0),"
           " recorded_by TEXT NOT NULL REFERENCES users(id),"
           " created_at BIGINT NOT NULL,"
           " CHECK (principal_cents + interest_cents = amount_cents))",
           "CREATE INDEX loan_repayments_by_campaign ON loan_repayments(campaign_id, created_at)",
           "CREATE TABLE loan_allocations ("
           " repayment_id TEXT NOT NULL REFERENCES loan_repayments(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " campaign_id TEXT NOT NULL REFERENCES campaigns(id),"
           " principal_cents BIGINT NOT NULL CHECK (principal_cents >= 0),"
           " interest_cents BIGINT NOT NULL CHECK (interest_cents >= 0),"
           " created_at BIGINT NOT NULL,"
           " PRIMARY KEY (repayment_id, user_id))",
           "CREATE INDEX loan_allocations_by_lender ON loan_allocations(user_id, campaign_id)",
           "CREATE TABLE withdrawals ("
           " id TEXT PRIMARY KEY,"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),"
           " iban TEXT NOT NULL,"
           " status TEXT NOT NULL CHECK (status IN ('requested', 'executed', 'cancelled')),"
           " created_at BIGINT NOT NULL,"
           " executed_at BIGINT, executed_by TEXT REFERENCES users(id))",
           "CREATE INDEX withdrawals_by_user ON withdrawals(user_id, created_at)",
           "CREATE INDEX withdrawals_by_status ON withdrawals(status, created_at)",
           "CREATE INDEX ledger_by_debit ON ledger_transfers(debit_account)",
           "CREATE INDEX ledger_by_credit ON ledger_transfers(credit_account)",
       }},
      {6,
       "governance: proposals, eligibility, the register of who voted, ballots, proxies",
       {
           "CREATE TABLE proposals ("
           " id TEXT PRIMARY KEY,"
           " org_id TEXT NOT NULL REFERENCES orgs(id),"
           " title TEXT NOT NULL, body_md TEXT NOT NULL,"
           " method TEXT NOT NULL CHECK (method IN ('majority', 'consent', 'majority_judgment', "
           "'approval')),"
           " status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
           " closes_at BIGINT NOT NULL,"
           " quorum_pct BIGINT NOT NULL, threshold_pct BIGINT NOT NULL,"
           " secret BIGINT NOT NULL,"
           " created_by TEXT NOT NULL REFERENCES users(id),"
           " created_at BIGINT NOT NULL, closed_at BIGINT)",
           "CREATE INDEX proposals_by_org ON proposals(org_id, created_at)",
           "CREATE INDEX proposals_by_status ON proposals(status, closes_at)",
           "CREATE TABLE proposal_options ("
           " id TEXT PRIMARY KEY,"
           " proposal_id TEXT NOT NULL REFERENCES proposals(id),"
           " position BIGINT NOT NULL, name TEXT NOT NULL)",
           "CREATE INDEX proposal_options_by_proposal ON proposal_options(proposal_id, position)",
           "CREATE TABLE proxies ("
           " org_id TEXT NOT NULL REFERENCES orgs(id),"
           " from_user_id TEXT NOT NULL REFERENCES users(id),"
           " to_user_id TEXT NOT NULL REFERENCES users(id),"
           " created_at BIGINT NOT NULL,"
           " PRIMARY KEY (org_id, from_user_id))",
           "CREATE INDEX proxies_by_holder ON proxies(org_id, to_user_id)",
       },
       // Eligibility, the register and the ballots have no timestamp and no
       // arrival order: on SQLite they are WITHOUT ROWID tables, stored by
       // their keys (a ballot's key is a keyed hash, unlinkable to a voter
       // without the server's ballot key, which is not in the database).
       {
           "CREATE TABLE proposal_eligible (proposal_id TEXT NOT NULL, user_id TEXT NOT NULL,"
           " PRIMARY KEY (proposal_id, user_id)) WITHOUT ROWID",
           "CREATE TABLE vote_register (proposal_id TEXT NOT NULL, user_id TEXT NOT NULL,"
           " via_user_id TEXT, PRIMARY KEY (proposal_id, user_id)) WITHOUT ROWID",
           "CREATE TABLE ballots (proposal_id TEXT NOT NULL, ballot_key TEXT NOT NULL,"
           " choice TEXT NOT NULL, PRIMARY KEY (proposal_id, ballot_key)) WITHOUT ROWID",
       },
       {
           "CREATE TABLE proposal_eligible (proposal_id TEXT NOT NULL, user_id TEXT NOT NULL,"
           " PRIMARY KEY (proposal_id, user_id))",
           "CREATE TABLE vote_register (proposal_id TEXT NOT NULL, user_id TEXT NOT NULL,"
           " via_user_id TEXT, PRIMARY KEY (proposal_id, user_id))",
           "CREATE TABLE ballots (proposal_id TEXT NOT NULL, ballot_key TEXT NOT NULL,"
           " choice TEXT NOT NULL, PRIMARY KEY (proposal_id, ballot_key))",
       }},
      {7,
       "general assemblies: agenda and attendance",
       {
           "CREATE TABLE assemblies ("
           " id TEXT PRIMARY KEY,"
           " org_id TEXT NOT NULL REFERENCES orgs(id),"
           " title TEXT NOT NULL, place TEXT NOT NULL,"
           " held_at BIGINT NOT NULL, quorum_pct BIGINT NOT NULL,"
           " created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL)",
           "CREATE INDEX assemblies_by_org ON assemblies(org_id, held_at)",
           "CREATE TABLE assembly_agenda ("
           " assembly_id TEXT NOT NULL REFERENCES assemblies(id),"
           " proposal_id TEXT NOT NULL REFERENCES proposals(id),"
           " position BIGINT NOT NULL,"
           " PRIMARY KEY (assembly_id, proposal_id))",
           "CREATE TABLE assembly_attendance ("
           " assembly_id TEXT NOT NULL REFERENCES assemblies(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " mode TEXT NOT NULL CHECK (mode IN ('present', 'represented')),"
           " represented_by TEXT REFERENCES users(id),"
           " PRIMARY KEY (assembly_id, user_id),"
           " CHECK ((mode = 'represented') = (represented_by IS NOT NULL)))",
       }},
      {8,
       "participatory budgets",
       {
           "CREATE TABLE budgets ("
           " id TEXT PRIMARY KEY,"
           " org_id TEXT NOT NULL REFERENCES orgs(id),"
           " title TEXT NOT NULL, description TEXT NOT NULL,"
           " envelope_cents BIGINT NOT NULL CHECK (envelope_cents > 0),"
           " status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
           " closes_at BIGINT NOT NULL,"
           " created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL,"
           " closed_at BIGINT)",
           "CREATE INDEX budgets_by_org ON budgets(org_id, created_at)",
           "CREATE INDEX budgets_by_status ON budgets(status, closes_at)",
           "CREATE TABLE budget_projects ("
           " id TEXT PRIMARY KEY,"
           " budget_id TEXT NOT NULL REFERENCES budgets(id),"
           " position BIGINT NOT NULL,"
           " title TEXT NOT NULL, description TEXT NOT NULL,"
           " cost_cents BIGINT NOT NULL CHECK (cost_cents > 0),"
           " campaign_id TEXT REFERENCES campaigns(id))",
           "CREATE INDEX budget_projects_by_budget ON budget_projects(budget_id, position)",
           "CREATE TABLE budget_votes ("
           " budget_id TEXT NOT NULL REFERENCES budgets(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " project_id TEXT NOT NULL REFERENCES budget_projects(id),"
           " PRIMARY KEY (budget_id, user_id, project_id))",
       }},
      {9,
       "discussion threads of proposals",
       {
           "CREATE TABLE proposal_comments ("
           " id TEXT PRIMARY KEY,"
           " proposal_id TEXT NOT NULL REFERENCES proposals(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " body TEXT NOT NULL,"
           " created_at BIGINT NOT NULL)",
           "CREATE INDEX proposal_comments_by_proposal ON proposal_comments(proposal_id, "
           "created_at)",
       }},
      {10,
       "community: news, comments, reports, follows, activities, notifications, mail, "
       "events, circles",
       {
           "CREATE TABLE campaign_updates ("
           " id TEXT PRIMARY KEY,"
           " campaign_id TEXT NOT NULL REFERENCES campaigns(id),"
           " title TEXT NOT NULL, body_md TEXT NOT NULL,"
           " created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL,"
           " hidden INTEGER NOT NULL DEFAULT 0)",
           "CREATE INDEX campaign_updates_by_campaign ON campaign_updates(campaign_id, "
           "created_at)",
           // Comments on campaigns, news and proposals; replies point to a
           // top-level comment of the same target.
           "CREATE TABLE comments ("
           " id TEXT PRIMARY KEY,"
           " target_type TEXT NOT NULL CHECK (target_type IN ('campaign', 'update', "
           "'proposal')),"
           " target_id TEXT NOT NULL,"
           " parent_id TEXT REFERENCES comments(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " body TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " hidden INTEGER NOT NULL DEFAULT 0)",
           "CREATE INDEX comments_by_target ON comments(target_type, target_id, created_at)",
           "INSERT INTO comments (id, target_type, target_id, parent_id, user_id, body, "
           "created_at) SELECT id, 'proposal', proposal_id, NULL, user_id, body, created_at "
           "FROM proposal_comments",
           "DROP TABLE proposal_comments",
           "CREATE TABLE reports ("
           " id TEXT PRIMARY KEY,"
           " target_type TEXT NOT NULL CHECK (target_type IN ('comment', 'update')),"
           " target_id TEXT NOT NULL,"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " reason TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " resolved_at BIGINT, resolution TEXT,"
           " UNIQUE (target_type, target_id, user_id))",
           "CREATE INDEX reports_open ON reports(resolved_at, created_at)",
           "CREATE TABLE follows ("
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " target_type TEXT NOT NULL CHECK (target_type IN ('org', 'campaign', 'user')),"
           " target_id TEXT NOT NULL, created_at BIGINT NOT NULL,"
           " PRIMARY KEY (user_id, target_type, target_id))",
           "CREATE INDEX follows_by_target ON follows(target_type, target_id)",
           // Public activity only: nothing of a circle is ever written here.
           "CREATE TABLE activities ("
           " id TEXT PRIMARY KEY,"
           " kind TEXT NOT NULL, actor_id TEXT NOT NULL REFERENCES users(id),"
           " org_id TEXT, campaign_id TEXT,"
           " subject_type TEXT NOT NULL, subject_id TEXT NOT NULL,"
           " text TEXT NOT NULL, url TEXT NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE INDEX activities_by_org ON activities(org_id, created_at)",
           "CREATE INDEX activities_by_campaign ON activities(campaign_id, created_at)",
           "CREATE INDEX activities_by_actor ON activities(actor_id, created_at)",
           "CREATE INDEX activities_by_subject ON activities(subject_type, subject_id)",
           "CREATE TABLE notifications ("
           " id TEXT PRIMARY KEY,"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " kind TEXT NOT NULL, text TEXT NOT NULL, url TEXT NOT NULL,"
           " subject_type TEXT NOT NULL, subject_id TEXT NOT NULL,"
           " created_at BIGINT NOT NULL, read_at BIGINT,"
           " mail INTEGER NOT NULL DEFAULT 1, mailed_at BIGINT)",
           "CREATE INDEX notifications_by_user ON notifications(user_id, created_at)",
           "CREATE INDEX notifications_to_mail ON notifications(mailed_at, mail)",
           "CREATE TABLE mail_settings ("
           " user_id TEXT PRIMARY KEY REFERENCES users(id),"
           " mode TEXT NOT NULL CHECK (mode IN ('immediate', 'daily', 'none')),"
           " unsubscribe_token TEXT NOT NULL UNIQUE,"
           " last_digest_at BIGINT)",
           // Mail waiting to go out; claimed by one sender at a time.
           "CREATE TABLE outbox ("
           " id TEXT PRIMARY KEY,"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " kind TEXT NOT NULL, to_address TEXT NOT NULL,"
           " subject TEXT NOT NULL, body TEXT NOT NULL, unsubscribe_url TEXT NOT NULL,"
           " created_at BIGINT NOT NULL, claimed_until BIGINT NOT NULL DEFAULT 0,"
           " attempts BIGINT NOT NULL DEFAULT 0, sent_at BIGINT, last_error TEXT)",
           "CREATE INDEX outbox_pending ON outbox(sent_at, created_at)",
           "CREATE TABLE events ("
           " id TEXT PRIMARY KEY,"
           " org_id TEXT NOT NULL REFERENCES orgs(id),"
           " title TEXT NOT NULL, description_md TEXT NOT NULL,"
           " starts_at BIGINT NOT NULL, ends_at BIGINT NOT NULL,"
           " location TEXT, online_url TEXT, capacity BIGINT,"
           " registered BIGINT NOT NULL DEFAULT 0,"
           " created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL,"
           " reminded_at BIGINT,"
           " CHECK (ends_at > starts_at),"
           " CHECK (capacity IS NULL OR (registered >= 0 AND registered <= capacity)))",
           "CREATE INDEX events_by_org ON events(org_id, starts_at)",
           "CREATE INDEX events_by_start ON events(starts_at)",
           "CREATE TABLE event_registrations ("
           " event_id TEXT NOT NULL REFERENCES events(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " status TEXT NOT NULL CHECK (status IN ('registered', 'waiting')),"
           " created_at BIGINT NOT NULL,"
           " PRIMARY KEY (event_id, user_id))",
           "CREATE INDEX event_registrations_waiting ON event_registrations(event_id, status, "
           "created_at)",
           "CREATE TABLE circles ("
           " id TEXT PRIMARY KEY,"
           " name TEXT NOT NULL, description TEXT NOT NULL,"
           " created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL)",
           "CREATE TABLE circle_members ("
           " circle_id TEXT NOT NULL REFERENCES circles(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " joined_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL,"
           " last_digest_at BIGINT,"
           " PRIMARY KEY (circle_id, user_id))",
           "CREATE INDEX circle_members_by_user ON circle_members(user_id)",
           "CREATE TABLE circle_posts ("
           " id TEXT PRIMARY KEY,"
           " circle_id TEXT NOT NULL REFERENCES circles(id),"
           " user_id TEXT NOT NULL REFERENCES users(id),"
           " body_md TEXT NOT NULL,"
           " photo_type TEXT, photo_base64 TEXT,"
           " created_at BIGINT NOT NULL)",
           "CREATE INDEX circle_posts_by_circle ON circle_posts(circle_id, created_at)",
       }},
      {11,
       "campaign totals from the index alone, the public list in its order",
       {
           // Every total a campaign shows (raised, pledged, backers) is read
           // from this index without touching the table: popular campaigns
           // have thousands of pledges (docs/performance.md).
           "CREATE INDEX pledges_totals ON pledges(campaign_id, status, amount_cents, user_id)",
           "DROP INDEX pledges_by_campaign",
           // The public list's order (live first, then by deadline), so a
           // page of it reads twenty rows, not every campaign.
           "CREATE INDEX campaigns_public_order ON campaigns((CASE status WHEN 'live' THEN 0 "
           "ELSE 1 END), ends_at, id)",
       }},
      {12,
       "account lifecycle and throttles",
       {
           // NULL until the address is proven by the link mailed at sign-up.
           "ALTER TABLE users ADD COLUMN email_verified_at BIGINT",
           "ALTER TABLE sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0",
           "UPDATE sessions SET last_seen_at = created_at",
           // Single-use tokens sent by mail; only their hash is kept.
           "CREATE TABLE one_time_tokens ("
           " token_hash TEXT PRIMARY KEY,"
           " purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'password_reset')),"
           " user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
           " email_norm TEXT NOT NULL,"
           " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)",
           "CREATE INDEX one_time_tokens_by_user ON one_time_tokens(user_id, purpose)",
           // Failed logins: a count and the earliest next attempt, per key,
           // advanced by compare-and-set (app/accounts.cpp).
           "CREATE TABLE login_throttle ("
           " key TEXT PRIMARY KEY,"
           " failures BIGINT NOT NULL, last_at BIGINT NOT NULL, next_at BIGINT NOT NULL)",
           "DROP TABLE login_failures",
           // Actions counted per key in fixed windows (sign-ups, posts, …).
           "CREATE TABLE rate_counters ("
           " key TEXT PRIMARY KEY,"
           " window_start BIGINT NOT NULL, hits BIGINT NOT NULL)",
       }},
      {13,
       "wallets, invitations, repayments to confirm, transfer expiry",
       {
           "ALTER TABLE users ADD COLUMN wallet_id TEXT",
           // Set when the account is deleted (the row stays, emptied, so that
           // money records keep their author).
           "ALTER TABLE users ADD COLUMN deleted_at BIGINT",
           // A repayment declared by a borrower moves money only once a
           // moderator has seen it arrive (existing ones were trusted).
           "ALTER TABLE loan_repayments ADD COLUMN status TEXT NOT NULL DEFAULT 'confirmed'",
           "ALTER TABLE loan_repayments ADD COLUMN reviewed_by TEXT",
           "ALTER TABLE loan_repayments ADD COLUMN reviewed_at BIGINT",
           // A pending bank transfer's backer is told before it expires.
           "ALTER TABLE pledges ADD COLUMN expiry_notice_at BIGINT",
           // Invitations to an organisation or a circle: nobody is a member
           // before saying yes. Only the token's hash is kept.
           "CREATE TABLE invitations ("
           " id TEXT PRIMARY KEY,"
           " token_hash TEXT NOT NULL UNIQUE,"
           " target_kind TEXT NOT NULL CHECK (target_kind IN ('org', 'circle')),"
           " target_id TEXT NOT NULL,"
           " email_norm TEXT NOT NULL,"
           " role TEXT NOT NULL,"
           " invited_by TEXT NOT NULL REFERENCES users(id),"
           " status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),"
           " created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, answered_at BIGINT)",
           "CREATE INDEX invitations_by_target ON invitations(target_kind, target_id, status)",
       },
       {
           "UPDATE users SET wallet_id = lower(hex(randomblob(16)))",
           "CREATE UNIQUE INDEX users_by_wallet ON users(wallet_id)",
       },
       {
           "UPDATE users SET wallet_id = replace(gen_random_uuid()::text, '-', '')",
           "CREATE UNIQUE INDEX users_by_wallet ON users(wallet_id)",
       },
       give_wallets},
      {14,
       "running totals of campaigns",
       {
           // What a campaign page and list show, kept up to date by triggers
           // on pledges (in the pledge's own statement, so no code path can
           // forget it), instead of summed over every pledge on each read.
           // PostgreSQL spreads a campaign's totals over shards (rows picked
           // at random) so that concurrent pledges to one campaign do not
           // queue on one row lock; SQLite has one writer and one shard.
           "CREATE TABLE campaign_stats ("
           " campaign_id TEXT NOT NULL REFERENCES campaigns(id),"
           " shard INTEGER NOT NULL,"
           " raised_cents BIGINT NOT NULL DEFAULT 0,"   // confirmed or refunded
           " pledged_cents BIGINT NOT NULL DEFAULT 0,"  // confirmed or pending
           " backers BIGINT NOT NULL DEFAULT 0,"        // people with one or more of those
           " PRIMARY KEY (campaign_id, shard))",
           // Per person and campaign: how many pending or confirmed pledges.
           "CREATE TABLE campaign_backers ("
           " campaign_id TEXT NOT NULL, user_id TEXT NOT NULL, active BIGINT NOT NULL,"
           " PRIMARY KEY (campaign_id, user_id))",
           "INSERT INTO campaign_backers (campaign_id, user_id, active) "
           "SELECT campaign_id, user_id, COUNT(*) FROM pledges "
           "WHERE status IN ('confirmed', 'pending') GROUP BY campaign_id, user_id",
           "INSERT INTO campaign_stats (campaign_id, shard, raised_cents, pledged_cents, backers) "
           "SELECT c.id, 0, "
           "COALESCE((SELECT SUM(amount_cents) FROM pledges p WHERE p.campaign_id = c.id "
           "AND p.status IN ('confirmed', 'refunded')), 0), "
           "COALESCE((SELECT SUM(amount_cents) FROM pledges p WHERE p.campaign_id = c.id "
           "AND p.status IN ('confirmed', 'pending')), 0), "
           "(SELECT COUNT(*) FROM campaign_backers b WHERE b.campaign_id = c.id AND b.active > 0) "
           "FROM campaigns c",
       },
       {sqlite_stats_trigger(false), sqlite_stats_trigger(true)},
       {postgres_stats_function("floor(random() * 8)::int"),
        "CREATE TRIGGER pledges_stats AFTER INSERT OR UPDATE OF status ON pledges "
        "FOR EACH ROW EXECUTE FUNCTION pledges_stats()"}},
      {15,
       "notifications and activities worded when read",
       {
           // A JSON object of strings: what the sentence of the kind is made
           // of, worded in the reader's language when read. Rows from before
           // keep their text and have none.
           "ALTER TABLE notifications ADD COLUMN params TEXT",
           "ALTER TABLE activities ADD COLUMN params TEXT",
       }},
      {16,
       "ledger sealed after commit on PostgreSQL",
       {},
       {},
       // A transfer commits with no place in the chain (seq, prev_hash and
       // hash NULL), in the order of its entry; the sealer gives it one
       // later, in batches, under the head's lock. Sealing is the one
       // change a transfer may ever see; the unique index on seq refuses
       // two transfers at one place (no fork). SQLite's one writer chains
       // each transfer at once and keeps its schema.
       {
           "ALTER TABLE ledger_transfers ADD COLUMN entry BIGSERIAL",
           "ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_pkey",
           "ALTER TABLE ledger_transfers ADD PRIMARY KEY (entry)",
           "ALTER TABLE ledger_transfers ALTER COLUMN seq DROP NOT NULL, "
           "ALTER COLUMN prev_hash DROP NOT NULL, ALTER COLUMN hash DROP NOT NULL",
           "CREATE UNIQUE INDEX ledger_by_seq ON ledger_transfers(seq)",
           "CREATE INDEX ledger_unsealed ON ledger_transfers(entry) WHERE seq IS NULL",
           "ALTER TABLE ledger_transfers ADD CONSTRAINT ledger_sealed_whole CHECK "
           "((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL))",
           "CREATE OR REPLACE FUNCTION ledger_transfers_immutable() RETURNS trigger "
           "LANGUAGE plpgsql AS $$ BEGIN "
           "IF TG_OP = 'UPDATE' AND OLD.seq IS NULL AND NEW.seq IS NOT NULL AND "
           "(NEW.entry, NEW.id, NEW.debit_account, NEW.credit_account, NEW.amount_cents, "
           "NEW.kind, NEW.pledge_id, NEW.campaign_id, NEW.created_at) IS NOT DISTINCT FROM "
           "(OLD.entry, OLD.id, OLD.debit_account, OLD.credit_account, OLD.amount_cents, "
           "OLD.kind, OLD.pledge_id, OLD.campaign_id, OLD.created_at) THEN RETURN NEW; END IF; "
           "RAISE EXCEPTION 'ledger transfers are immutable'; END $$",
       }},
      {17,
       "a campaign's running totals by connection on PostgreSQL",
       {},
       {},
       // With 8 shards at random, 16 pledges at once queued on each other's
       // row until commit (two thirds of their time, measured). A pool's
       // connections are started together, so their server process ids
       // differ modulo 64: each updates a row no other transaction holds.
       // Reads already sum a campaign's rows, whatever their number.
       {postgres_stats_function("(pg_backend_pid() % 64)")}},
      {18,
       "the chair and the secretary of an assembly",
       {
           // Named in the minutes; members of the organisation, set by its
           // admins. A member who leaves stays named in past minutes.
           "ALTER TABLE assemblies ADD COLUMN chair_user_id TEXT",
           "ALTER TABLE assemblies ADD COLUMN secretary_user_id TEXT",
       }},
      {19,
       "memberships (adhesions): plans and dues",
       {
           // The register of who paid which dues, for which period; the
           // money itself is in the ledger (kind membership). A person may
           // hold several memberships over the years; `made_member` says
           // that its activation added the person to the organisation
           // (so that its end may take the role back).
           "ALTER TABLE orgs ADD COLUMN voting_requires_dues INTEGER NOT NULL DEFAULT 0",
           "CREATE TABLE membership_plans (id TEXT PRIMARY KEY, org_id TEXT NOT NULL "
           "REFERENCES orgs(id), name TEXT NOT NULL, amount_cents BIGINT NOT NULL CHECK "
           "(amount_cents > 0), free_amount INTEGER NOT NULL, min_amount_cents BIGINT NOT NULL, "
           "period TEXT NOT NULL CHECK (period IN ('calendar_year', 'twelve_months')), voting "
           "INTEGER NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE INDEX membership_plans_by_org ON membership_plans(org_id, created_at)",
           "CREATE TABLE paid_memberships (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES "
           "orgs(id), user_id TEXT NOT NULL REFERENCES users(id), plan_id TEXT NOT NULL "
           "REFERENCES membership_plans(id), status TEXT NOT NULL CHECK (status IN ('pending', "
           "'active', 'expired', 'cancelled')), starts_on TEXT NOT NULL, ends_on TEXT NOT NULL, "
           "amount_cents BIGINT NOT NULL CHECK (amount_cents > 0), payment_method TEXT NOT NULL, "
           "reference TEXT NOT NULL UNIQUE, made_member INTEGER NOT NULL DEFAULT 0, reminded_at "
           "BIGINT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX paid_memberships_by_org ON paid_memberships(org_id, created_at)",
           "CREATE INDEX paid_memberships_by_user ON paid_memberships(user_id, created_at)",
           "CREATE INDEX paid_memberships_by_end ON paid_memberships(status, ends_on)",
       }},
      {20,
       "recurring gifts and their charges",
       {
           // The schedule of a gift is its period (0, 1, 2 …) and that
           // period's date; each charge moves it by one guarded UPDATE in
           // the charge's own transaction (with the ledger's transfer),
           // and the unique index below refuses a second charge of one
           // period, whatever the instances.
           "CREATE TABLE recurring_gifts (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES "
           "orgs(id), user_id TEXT NOT NULL REFERENCES users(id), amount_cents BIGINT NOT NULL "
           "CHECK (amount_cents > 0), frequency TEXT NOT NULL CHECK (frequency IN ('month', "
           "'year')), status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'cancelled')), "
           "payment_method TEXT NOT NULL, starts_on TEXT NOT NULL, period BIGINT NOT NULL, "
           "next_charge_on TEXT NOT NULL, charges_count BIGINT NOT NULL, attempts BIGINT NOT NULL, "
           "retry_on TEXT, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX recurring_gifts_due ON recurring_gifts(status, next_charge_on)",
           "CREATE INDEX recurring_gifts_by_user ON recurring_gifts(user_id, created_at)",
           "CREATE INDEX recurring_gifts_by_org ON recurring_gifts(org_id, created_at)",
           "CREATE TABLE gift_charges (id TEXT PRIMARY KEY, gift_id TEXT NOT NULL REFERENCES "
           "recurring_gifts(id), period BIGINT NOT NULL, attempt BIGINT NOT NULL, due_on TEXT NOT "
           "NULL, amount_cents BIGINT NOT NULL, outcome TEXT NOT NULL CHECK (outcome IN "
           "('charged', 'declined')), created_at BIGINT NOT NULL)",
           "CREATE UNIQUE INDEX gift_charges_once ON gift_charges(gift_id, period) WHERE outcome = "
           "'charged'",
           "CREATE UNIQUE INDEX gift_charges_attempt ON gift_charges(gift_id, period, attempt)",
       }},
      {21,
       "tax receipts",
       {
           // Numbers come from a counter per organisation and year,
           // incremented in the receipt's own transaction: no gap, never
           // reused (a cancelled receipt keeps its number).
           "CREATE TABLE receipt_settings (org_id TEXT PRIMARY KEY REFERENCES orgs(id), enabled "
           "INTEGER NOT NULL, legal_basis TEXT NOT NULL CHECK (legal_basis IN ('200', '238bis', "
           "'both')), object TEXT NOT NULL, address TEXT NOT NULL, signatory TEXT NOT NULL)",
           "CREATE TABLE receipt_requests (source_kind TEXT NOT NULL, source_id TEXT NOT NULL, "
           "user_id TEXT NOT NULL, org_id TEXT, full_name TEXT NOT NULL, address_line TEXT NOT "
           "NULL, postal_code TEXT NOT NULL, city TEXT NOT NULL, created_at BIGINT NOT NULL, "
           "PRIMARY KEY (source_kind, source_id))",
           "CREATE INDEX receipt_requests_by_user ON receipt_requests(user_id, org_id, created_at)",
           "CREATE TABLE receipt_counters (org_id TEXT NOT NULL, year BIGINT NOT NULL, last BIGINT "
           "NOT NULL, PRIMARY KEY (org_id, year))",
           "CREATE TABLE receipts (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), "
           "user_id TEXT NOT NULL, number TEXT NOT NULL, year BIGINT NOT NULL, seq BIGINT NOT "
           "NULL, kind TEXT NOT NULL CHECK (kind IN ('single', 'annual')), status TEXT NOT NULL "
           "CHECK (status IN ('issued', 'cancelled')), amount_cents BIGINT NOT NULL, gift_cents "
           "BIGINT NOT NULL, donor_name TEXT NOT NULL, donor_address TEXT NOT NULL, "
           "donor_postal_code TEXT NOT NULL, donor_city TEXT NOT NULL, source_kind TEXT NOT NULL, "
           "source_id TEXT, given_at BIGINT NOT NULL, issued_at BIGINT NOT NULL, cancelled_at "
           "BIGINT, UNIQUE (org_id, year, seq))",
           "CREATE UNIQUE INDEX receipts_once ON receipts(source_kind, source_id) WHERE source_id "
           "IS NOT NULL",
           "CREATE INDEX receipts_by_user ON receipts(user_id, issued_at)",
           "CREATE TABLE receipt_lines (receipt_id TEXT NOT NULL REFERENCES receipts(id), "
           "source_kind TEXT NOT NULL, source_id TEXT NOT NULL, PRIMARY KEY (source_kind, "
           "source_id))",
       }},
      {22,
       "giving without an account",
       {
           // A guest's gifts belong to an account with no password and an
           // address nobody signs in with; the link mailed to the person
           // (its hash here, single use, 30 days) hands them over to the
           // account that opens it.
           "CREATE TABLE guest_claims (token_hash TEXT PRIMARY KEY, guest_user_id TEXT NOT NULL "
           "REFERENCES users(id), created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at "
           "BIGINT)",
       }},
      {23,
       "matchfunding",
       {
           // A funder's call: its pool moves to the ledger account call:<id>
           // when it is created; committed_cents is what its matches hold,
           // changed under the call's row lock so the pool is never
           // over-committed (and the CHECK says so too).
           "CREATE TABLE calls (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), "
           "title TEXT NOT NULL, description_md TEXT NOT NULL, pool_cents BIGINT NOT NULL CHECK "
           "(pool_cents > 0), match_ratio_pct BIGINT NOT NULL, cap_per_pledge_cents BIGINT, "
           "cap_per_campaign_cents BIGINT NOT NULL, cap_per_backer_cents BIGINT, opens_at BIGINT "
           "NOT NULL, closes_at BIGINT NOT NULL, regions TEXT NOT NULL, categories TEXT NOT NULL, "
           "legal_forms TEXT NOT NULL, committed_cents BIGINT NOT NULL CHECK (committed_cents >= 0 "
           "AND committed_cents <= pool_cents), created_by TEXT NOT NULL, created_at BIGINT NOT "
           "NULL)",
           "CREATE INDEX calls_by_close ON calls(closes_at)",
           "CREATE TABLE call_applications (call_id TEXT NOT NULL REFERENCES calls(id), "
           "campaign_id TEXT NOT NULL REFERENCES campaigns(id), status TEXT NOT NULL CHECK (status "
           "IN ('pending', 'accepted', 'declined')), matched_cents BIGINT NOT NULL CHECK "
           "(matched_cents >= 0), applied_by TEXT NOT NULL, applied_at BIGINT NOT NULL, "
           "decided_at BIGINT, PRIMARY KEY (call_id, campaign_id))",
           // One call matches a campaign's pledges, never two.
           "CREATE UNIQUE INDEX call_applications_one_accepted ON call_applications(campaign_id) "
           "WHERE status = 'accepted'",
           "CREATE TABLE call_matches (id TEXT PRIMARY KEY, call_id TEXT NOT NULL REFERENCES "
           "calls(id), campaign_id TEXT NOT NULL, pledge_id TEXT NOT NULL UNIQUE, user_id TEXT NOT "
           "NULL, amount_cents BIGINT NOT NULL CHECK (amount_cents > 0), status TEXT NOT NULL "
           "CHECK (status IN ('active', 'returned')), created_at BIGINT NOT NULL, returned_at "
           "BIGINT)",
           "CREATE INDEX call_matches_by_backer ON call_matches(call_id, user_id)",
           "CREATE INDEX call_matches_by_campaign ON call_matches(campaign_id, status)",
       },
       {},
       // Funders' legal forms (collectivité, entreprise, État; fondation was
       // there already) join the organisations' CHECK.
       {
           "ALTER TABLE orgs DROP CONSTRAINT orgs_legal_form_check",
           "ALTER TABLE orgs ADD CONSTRAINT orgs_legal_form_check CHECK (legal_form IN "
           "('association', 'scop', 'scic', 'cooperative', 'mutuelle', 'fondation', 'esus', "
           "'other', 'collectivite', 'entreprise', 'etat'))",
       },
       [](soci::session& sql, bool pg) {
         if (pg) return;
         // SQLite cannot alter a CHECK; its documented way for a change that
         // leaves every stored row valid is to edit the table's text in the
         // schema and bump the schema's version.
         int version = 0;
         sql << "PRAGMA schema_version", soci::into(version);
         sql << "PRAGMA writable_schema = ON";
         sql << "UPDATE sqlite_schema SET sql = replace(sql, '''esus'', ''other'')', "
                "'''esus'', ''other'', ''collectivite'', ''entreprise'', ''etat'')') WHERE type "
                "= 'table' AND name = 'orgs'";
         sql << "PRAGMA schema_version = " + std::to_string(version + 1);
         sql << "PRAGMA writable_schema = OFF";
       }},
      {24,
       "new backers told",
       {
           // What each live campaign's totals were when its organisation
           // was last told (the scheduler's "new backers" summary).
           "CREATE TABLE backer_notices (campaign_id TEXT PRIMARY KEY REFERENCES campaigns(id), "
           "backers BIGINT NOT NULL, raised_cents BIGINT NOT NULL)",
       }},
      {25,
       "rewards' value",
       {
           // What a reward is worth, for tax receipts (NULL: its minimum).
           "ALTER TABLE rewards ADD COLUMN value_cents BIGINT CHECK (value_cents >= 0)",
       }},
      {26,
       "co-creation and courses",
       {
           // Drafts written together, then published as proposals.
           "CREATE TABLE drafts (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), "
           "title TEXT NOT NULL, body_md TEXT NOT NULL, revision BIGINT NOT NULL CHECK (revision "
           ">= 1), proposal_id TEXT REFERENCES proposals(id), created_by TEXT NOT NULL REFERENCES "
           "users(id), created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
           "CREATE INDEX drafts_by_org ON drafts(org_id, updated_at)",
           "CREATE TABLE draft_coauthors (draft_id TEXT NOT NULL REFERENCES drafts(id), user_id "
           "TEXT NOT NULL REFERENCES users(id), position BIGINT NOT NULL, added_at BIGINT NOT "
           "NULL, PRIMARY KEY (draft_id, user_id), UNIQUE (draft_id, position))",
           "CREATE TABLE draft_comments (id TEXT PRIMARY KEY, draft_id TEXT NOT NULL REFERENCES "
           "drafts(id), user_id TEXT NOT NULL REFERENCES users(id), body TEXT NOT NULL, "
           "created_at BIGINT NOT NULL)",
           "CREATE INDEX draft_comments_by_draft ON draft_comments(draft_id, created_at)",
           // One history for drafts, shared pages and proposals.
           "CREATE TABLE revisions (doc_kind TEXT NOT NULL CHECK (doc_kind IN ('draft', 'page', "
           "'proposal')), doc_id TEXT NOT NULL, n BIGINT NOT NULL CHECK (n >= 1), title TEXT NOT "
           "NULL, body_md TEXT NOT NULL, author_id TEXT NOT NULL REFERENCES users(id), note TEXT "
           "NOT NULL DEFAULT '', created_at BIGINT NOT NULL, PRIMARY KEY (doc_kind, doc_id, n))",
           "CREATE TABLE proposal_authors (proposal_id TEXT NOT NULL REFERENCES proposals(id), "
           "user_id TEXT NOT NULL REFERENCES users(id), position BIGINT NOT NULL, PRIMARY KEY "
           "(proposal_id, user_id))",
           "CREATE TABLE amendments (id TEXT PRIMARY KEY, proposal_id TEXT NOT NULL REFERENCES "
           "proposals(id), body_md TEXT NOT NULL, rationale TEXT NOT NULL, status TEXT NOT NULL "
           "CHECK (status IN ('pending', 'accepted', 'declined')), created_by TEXT NOT NULL "
           "REFERENCES users(id), created_at BIGINT NOT NULL, decided_by TEXT REFERENCES "
           "users(id), decided_at BIGINT)",
           "CREATE INDEX amendments_by_proposal ON amendments(proposal_id, created_at)",
           "CREATE TABLE wiki_pages (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES "
           "orgs(id), title TEXT NOT NULL, body_md TEXT NOT NULL, visibility TEXT NOT NULL CHECK "
           "(visibility IN ('public', 'members')), revision BIGINT NOT NULL CHECK (revision >= 1), "
           "created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL, updated_at "
           "BIGINT NOT NULL, UNIQUE (org_id, title))",
           // Courses: lessons, quizzes, learners.
           "CREATE TABLE courses (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES orgs(id), "
           "title TEXT NOT NULL, summary TEXT NOT NULL, visibility TEXT NOT NULL CHECK (visibility "
           "IN ('public', 'members')), created_by TEXT NOT NULL REFERENCES users(id), created_at "
           "BIGINT NOT NULL)",
           "CREATE INDEX courses_by_org ON courses(org_id, created_at)",
           "CREATE TABLE lessons (id TEXT PRIMARY KEY, course_id TEXT NOT NULL REFERENCES "
           "courses(id), title TEXT NOT NULL, body_md TEXT NOT NULL, video_url TEXT, position "
           "BIGINT NOT NULL, event_id TEXT REFERENCES events(id), created_at BIGINT NOT NULL)",
           "CREATE INDEX lessons_by_course ON lessons(course_id, position)",
           "CREATE TABLE quizzes (lesson_id TEXT PRIMARY KEY REFERENCES lessons(id), questions "
           "TEXT NOT NULL, pass_pct BIGINT NOT NULL CHECK (pass_pct BETWEEN 0 AND 100), "
           "updated_at BIGINT NOT NULL)",
           "CREATE TABLE enrolments (course_id TEXT NOT NULL REFERENCES courses(id), user_id TEXT "
           "NOT NULL REFERENCES users(id), enrolled_at BIGINT NOT NULL, PRIMARY KEY (course_id, "
           "user_id))",
           "CREATE INDEX enrolments_by_user ON enrolments(user_id)",
           "CREATE TABLE lessons_done (lesson_id TEXT NOT NULL REFERENCES lessons(id), user_id "
           "TEXT NOT NULL REFERENCES users(id), done_at BIGINT NOT NULL, PRIMARY KEY (lesson_id, "
           "user_id))",
           "CREATE TABLE quiz_attempts (id TEXT PRIMARY KEY, lesson_id TEXT NOT NULL REFERENCES "
           "lessons(id), user_id TEXT NOT NULL REFERENCES users(id), answers TEXT NOT NULL, "
           "score_pct BIGINT NOT NULL, passed INTEGER NOT NULL, created_at BIGINT NOT NULL)",
           "CREATE INDEX quiz_attempts_by_learner ON quiz_attempts(lesson_id, user_id, "
           "created_at)",
           // A course's certificate, numbered once: its verification address.
           "CREATE TABLE certificates (id TEXT PRIMARY KEY, course_id TEXT NOT NULL REFERENCES "
           "courses(id), user_id TEXT NOT NULL REFERENCES users(id), issued_at BIGINT NOT NULL, "
           "UNIQUE (course_id, user_id))",
       }},
      {27,
       "federation (ActivityPub)",
       {
           // Organisations as actors: a handle, and keys made at first need
           // (the private key never leaves this table).
           "CREATE TABLE ap_actors (org_id TEXT PRIMARY KEY REFERENCES orgs(id), handle TEXT NOT "
           "NULL UNIQUE, public_pem TEXT NOT NULL DEFAULT '', private_pem TEXT NOT NULL DEFAULT "
           "'')",
           "CREATE TABLE ap_followers (org_id TEXT NOT NULL REFERENCES orgs(id), actor_id TEXT "
           "NOT NULL, inbox TEXT NOT NULL, shared_inbox TEXT, followed_at BIGINT NOT NULL, "
           "PRIMARY KEY (org_id, actor_id))",
           "CREATE TABLE ap_remote_keys (key_id TEXT PRIMARY KEY, actor_id TEXT NOT NULL, "
           "public_pem TEXT NOT NULL, inbox TEXT NOT NULL, shared_inbox TEXT, fetched_at BIGINT "
           "NOT NULL)",
           // Signatures seen lately: a replayed request is refused.
           "CREATE TABLE ap_seen_signatures (hash TEXT PRIMARY KEY, seen_at BIGINT NOT NULL)",
           "CREATE INDEX ap_seen_by_time ON ap_seen_signatures(seen_at)",
           // What was announced (the outbox), once per thing.
           "CREATE TABLE ap_published (kind TEXT NOT NULL, subject_id TEXT NOT NULL, org_id TEXT "
           "NOT NULL REFERENCES orgs(id), activity TEXT NOT NULL, published_at BIGINT NOT NULL, "
           "PRIMARY KEY (kind, subject_id))",
           "CREATE INDEX ap_published_by_org ON ap_published(org_id, published_at)",
           // Deliveries waiting, retried with backoff, given up after a while.
           "CREATE TABLE ap_deliveries (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES "
           "orgs(id), inbox TEXT NOT NULL, activity TEXT NOT NULL, attempts BIGINT NOT NULL "
           "DEFAULT 0, next_at BIGINT NOT NULL, created_at BIGINT NOT NULL, delivered_at BIGINT, "
           "given_up_at BIGINT, last_error TEXT)",
           "CREATE INDEX ap_deliveries_due ON ap_deliveries(next_at) WHERE delivered_at IS NULL "
           "AND given_up_at IS NULL",
       }},
      {28,
       "lessons' documents",
       {
           // PDFs attached to lessons, kept as base64 text like covers.
           "CREATE TABLE lesson_files (id TEXT PRIMARY KEY, lesson_id TEXT NOT NULL REFERENCES "
           "lessons(id), name TEXT NOT NULL, size BIGINT NOT NULL, sha256 TEXT NOT NULL, "
           "created_at BIGINT NOT NULL, data_base64 TEXT NOT NULL)",
           "CREATE INDEX lesson_files_by_lesson ON lesson_files(lesson_id)",
       }},
      {29,
       "notifications and activities link to a place, not a path",
       {
           // The stored form of a core::Link ("campaign:ID#comment:ID"): the
           // web layer spells its path when read. Rows from before keep
           // their path in url (and have no link); new rows leave url empty.
           "ALTER TABLE notifications ADD COLUMN link TEXT",
           "ALTER TABLE activities ADD COLUMN link TEXT",
       }},
      {30,
       "a campaign's pledges indexed in the order they arrive",
       {
           // Totals are read from campaign_stats since migration 12, so
           // pledges_totals no longer needs amounts and backers: sorted by
           // backer inside a campaign, each new pledge landed on a page of
           // its own (a batch of 28 pledges rewrote 42 of its pages, a
           // fifth of the WAL written, docs/performance.md). By creation
           // time, a new pledge lands on the last page, and a campaign's
           // pledges of one status come in the order pledges_of_campaign
           // lists them.
           "CREATE INDEX pledges_by_campaign ON pledges(campaign_id, status, created_at)",
           "DROP INDEX pledges_totals",
       }},
      {31,
       "a pledge's running totals in two statements on SQLite",
       {},
       {"DROP TRIGGER pledges_stats_insert", sqlite_stats_insert_trigger()}},
      {32,
       "a campaign's running totals by transaction on PostgreSQL",
       {},
       {},
       // By connection (17), two connections whose server process ids
       // differ by a multiple of 64 (two instances' writers, started apart)
       // shared a row and queued on it, batch after batch, until one of
       // them reconnected. Transactions open at the same time have close
       // ids: each still updates a row no other one holds, and only for as
       // long as it runs.
       {postgres_stats_function("(txid_current() % 64)::int")}},
      {33,
       "a statement's new pledges added to the running totals at once on PostgreSQL",
       {},
       {},
       // The row trigger's two upserts were ~40 µs of a pledge's ~250 in
       // PostgreSQL's statements (docs/performance.md); a batch of the
       // group commit is one INSERT of its pledges, mostly to one campaign.
       // A change of status stays the row trigger's.
       {postgres_stats_added_function(), "DROP TRIGGER pledges_stats ON pledges",
        "CREATE TRIGGER pledges_stats AFTER UPDATE OF status ON pledges "
        "FOR EACH ROW EXECUTE FUNCTION pledges_stats()",
        "CREATE TRIGGER pledges_stats_added AFTER INSERT ON pledges "
        "REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION "
        "pledges_stats_added()"}},
      {34,
       "a secret vote's ballots sealed in the register until it closes",
       // Written by the voter's transaction, a ballot row could be paired
       // with its register entry (PostgreSQL stamps each row with the
       // transaction that wrote it and stores rows in the order they come;
       // SQLite's WAL holds a commit's pages together): sealed under the
       // server's ballot key instead, and written out all at once, in the
       // order of their keys, by the closing (app/governance.cpp).
       {"ALTER TABLE vote_register ADD COLUMN sealed_ballot TEXT"}},
      {35,
       "an event changed or cancelled by its organisation, and announced again",
       {"ALTER TABLE events ADD COLUMN cancelled_at BIGINT",
        "ALTER TABLE events ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0",
        "ALTER TABLE ap_published ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0"}},
  };
  return migrations;
}

int current_version(soci::session& sql) {
  int version = 0;
  soci::indicator ind;
  sql << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
  return ind == soci::i_ok ? version : 0;
}

int apply_pending(soci::session& sql, bool pg, int up_to) {
  sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY,"
         " name TEXT NOT NULL, applied_at TEXT NOT NULL)";
  // Up to date (every start but the first after an upgrade): nothing to
  // lock or commit, so a start costs no disk flush.
  if (current_version(sql) >= all_migrations().back().version) return 0;
  int applied = 0;
  for (const auto& migration : all_migrations()) {
    if (migration.version > up_to) break;
    // One transaction per migration; the check is inside it, so a second
    // process waiting on the lock sees the first one's work and skips it.
    sql << (pg ? "BEGIN" : "BEGIN IMMEDIATE");
    try {
      if (current_version(sql) >= migration.version) {
        sql << "COMMIT";
        continue;
      }
      for (const auto& statement : migration.statements) sql << statement;
      for (const auto& statement : pg ? migration.postgresql_only : migration.sqlite_only) {
        sql << statement;
      }
      if (migration.code) migration.code(sql, pg);
      const std::string name = migration.name;
      sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, "
          << (pg ? "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
                 : "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"),
          soci::use(migration.version), soci::use(name);
      sql << "COMMIT";
      ++applied;
    } catch (...) {
      sql << "ROLLBACK";
      throw;
    }
  }
  return applied;
}

}  // namespace

int latest_migration_version() {
  return all_migrations().back().version;
}

constexpr int kMigrationLockKey = 7261001;

int apply_migrations(soci::session& sql, Backend backend, int up_to) {
  const bool pg = backend == Backend::postgresql;
  // PostgreSQL: one migrator at a time across processes, from the creation
  // of the bookkeeping table on (CREATE TABLE IF NOT EXISTS races there).
  // The lock is the schema's: another site's schema migrates meanwhile.
  const std::string lock = schema_lock_args(kMigrationLockKey);
  if (pg) sql << "SELECT pg_advisory_lock(" + lock + ")";
  try {
    const int applied = apply_pending(sql, pg, up_to);
    if (pg) sql << "SELECT pg_advisory_unlock(" + lock + ")";
    return applied;
  } catch (...) {
    if (pg) sql << "SELECT pg_advisory_unlock(" + lock + ")";
    throw;
  }
}

}  // namespace essor::store
