// The store on every database: migrations, transactions, group commit.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "adapters/sodium_crypto.hpp"
#include "app/ledger.hpp"
#include "app/ledger_sealer.hpp"
#include "app/metrics.hpp"
#include "app/ports.hpp"
#include "core/ledger.hpp"
#include "store/database.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"
#include "support/test_env.hpp"

namespace essor::testing {
namespace {

// A person with id for an email, a name and a wallet of their own.
app::UserRecord person(const std::string& id, const std::string& name = "T") {
  return app::UserRecord{
      core::UserId{id}, id + "@test.example", id + "@test.example", name, "hash", 1, {}, "w" + id};
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!backend_available(GetParam())) GTEST_SKIP() << "set ESSOR_TEST_PG_URL";
    url_ = fresh_database_url(GetParam(), "store");
  }
  void TearDown() override {
    if (!url_.empty()) drop_database(url_);
  }
  app::UserRecord user(const std::string& id) { return person(id, id); }
  std::int64_t count_users(app::Store& store, const std::vector<std::string>& ids) {
    std::int64_t found = 0;
    store.read([&](app::ReadTx& tx) {
      for (const auto& id : ids) found += tx.accounts().user_by_id(core::UserId{id}).has_value();
    });
    return found;
  }
  std::string url_;
};

TEST_P(StoreTest, MigrationsApplyOnceAndAreSafeToRepeat) {
  EXPECT_EQ(store::migrate(url_), store::schema_version());
  EXPECT_EQ(store::migrate(url_), 0);
  EXPECT_TRUE(store::check_integrity(url_).empty());
}

TEST_P(StoreTest, ConcurrentMigrationsApplyEachMigrationOnce) {
  std::atomic<int> applied{0};
  std::vector<std::thread> threads;
  for (int idx = 0; idx < 3; ++idx) {
    threads.emplace_back([&] { applied += store::migrate(url_); });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(applied.load(), store::schema_version());
  EXPECT_EQ(store::migrate(url_), 0);
}

// The scheduler's leader: one at a time, and the lease passes on at once
// when its holder stops (a killed one: multi.two_instances).
TEST_P(StoreTest, OneSchedulerLeaderAtATimeAndTheLeasePassesOnWhenItGoes) {
  auto first = store::make_leader_lease(url_);
  auto second = store::make_leader_lease(url_);
  EXPECT_TRUE(first->hold());
  EXPECT_FALSE(second->hold());
  EXPECT_TRUE(first->hold());
  EXPECT_FALSE(second->hold());
  first.reset();
  EXPECT_TRUE(second->hold());
}

// Two sites in one PostgreSQL database, each in its own schema (as the
// tests are), each have their leader: with a lock of the whole database,
// the second site's recurring gifts, reminders and deliveries never ran
// while the first site was up. (On SQLite: two files.)
TEST_P(StoreTest, TwoSitesInOneDatabaseEachHaveTheirSchedulerLeader) {
  const std::string other = fresh_database_url(GetParam(), "lease");
  {
    auto here = store::make_leader_lease(url_);
    auto there = store::make_leader_lease(other);
    auto there_too = store::make_leader_lease(other);
    EXPECT_TRUE(here->hold());
    EXPECT_TRUE(there->hold());
    EXPECT_FALSE(there_too->hold());
  }
  drop_database(other);
}

// Migrations lock the schema, not the database: a site migrates while
// another site's migrator holds its own lock.
TEST_P(StoreTest, ASiteMigratesWhileAnotherSitesMigrationIsUnderWay) {
  if (GetParam() != "postgresql") {
    EXPECT_GT(store::migrate(url_), 0);  // SQLite: each site is its own file
    return;
  }
  const std::string other = fresh_database_url(GetParam(), "migrating");
  // The other site's migrator, as if stopped while it holds its lock: the
  // schema's lock it takes now, and the whole database's it took before.
  auto holder = store::open_session(other);
  *holder << "SELECT pg_advisory_lock(7261001, hashtext(COALESCE(current_schema(), '')))";
  *holder << "SELECT pg_advisory_lock(7261001)";
  auto migrated = std::async(std::launch::async, [&] { return store::migrate(url_); });
  // A bound far above a migration's second, only so that a failure ends.
  const bool finished = migrated.wait_for(std::chrono::minutes(2)) == std::future_status::ready;
  holder.reset();  // a migrator that waited can finish now
  EXPECT_TRUE(finished) << "the migration waited for another site's lock";
  EXPECT_EQ(migrated.get(), store::schema_version());
  drop_database(other);
}

TEST_P(StoreTest, UnmigratedDatabaseFailsVerification) {
  // A database with no schema at all is not intact.
  EXPECT_ANY_THROW(store::check_integrity(url_));
}

TEST_P(StoreTest, ManyConcurrentWritersAllCommit) {
  auto store = store::open_store(url_, store::StoreOptions{4, 64, nullptr});
  constexpr int kThreads = 16, kPerThread = 25;
  std::vector<std::thread> threads;
  std::vector<std::string> ids;
  for (int t = 0; t < kThreads; ++t) {
    for (int n = 0; n < kPerThread; ++n)
      ids.push_back("u" + std::to_string(t) + "_" + std::to_string(n));
  }
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread; ++n) {
        store->write([&](app::Tx& tx) {
          return tx.accounts().insert_user(user("u" + std::to_string(t) + "_" + std::to_string(n)));
        });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(count_users(*store, ids), kThreads * kPerThread);
}

TEST_P(StoreTest, AFailedJobRollsBackAloneWhileOthersCommit) {
  auto store = store::open_store(url_, store::StoreOptions{4, 64, nullptr});
  constexpr int kThreads = 12;
  std::vector<std::thread> threads;
  std::atomic<int> thrown{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string id = "w" + std::to_string(t);
      try {
        store->write([&](app::Tx& tx) {
          tx.accounts().insert_user(user(id));
          if (t % 3 == 1) return false;                         // declines: rolled back
          if (t % 3 == 2) throw std::runtime_error("failure");  // throws: rolled back
          return true;
        });
      } catch (const std::runtime_error&) {
        ++thrown;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(thrown.load(), kThreads / 3);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(count_users(*store, {"w" + std::to_string(t)}), t % 3 == 0 ? 1 : 0) << t;
  }
}

// A write on a read transaction does not compile (ReadTx has no writes)…
template <class T>
concept CanInsertUser = requires(T& tx, const app::UserRecord& record) {
  tx.accounts().insert_user(record);
};
static_assert(!CanInsertUser<app::ReadTx>);
static_assert(CanInsertUser<app::Tx>);

// … and a cast around it is still refused at run time.
TEST_P(StoreTest, ReadTransactionsRefuseWrites) {
  auto store = store::open_store(url_, store::StoreOptions{2, 64, nullptr});
  EXPECT_THROW(store->read([&](app::ReadTx& tx) {
    (void)dynamic_cast<app::AccountsWrites&>(tx.accounts()).insert_user(user("r"));
  }),
               std::logic_error);
  EXPECT_EQ(count_users(*store, {"r"}), 0);
}

TEST_P(StoreTest, DuplicateEmailIsRefusedWithoutError) {
  auto store = store::open_store(url_, store::StoreOptions{2, 64, nullptr});
  bool first = false, second = true;
  store->write([&](app::Tx& tx) { return first = tx.accounts().insert_user(user("dup")); });
  store->write([&](app::Tx& tx) {
    auto copy = user("dup");
    copy.id = core::UserId{"other"};
    copy.wallet_id = "wother";
    second = tx.accounts().insert_user(copy);
    return true;
  });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
}

// Migration 13 gives each person an opaque wallet and renames their ledger
// accounts: the chain, hashed again, must verify and stay immutable.
// Migration 14: a campaign's running totals (kept by triggers) always
// equal the sums over its pledges, whatever the order of inserts and
// changes of status, with writers at once (PostgreSQL's shards), and the
// migration's backfill starts from the right figures.
TEST_P(StoreTest, RunningTotalsEqualTheSumsOverPledges) {
  ASSERT_EQ(store::migrate(url_, 13), 13);
  auto sql = store::open_session(url_);
  *sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
          "wallet_id) VALUES ('admin', 'a@t.example', 'a@t.example', 'A', 'x', 1, 'wa')";
  *sql << "INSERT INTO orgs (id, name, legal_form, description, created_by, created_at) "
          "VALUES ('o', 'Org', 'association', '', 'admin', 1)";
  const std::vector<std::string> campaigns = {"c0", "c1", "c2"};
  for (const auto& id : campaigns) {
    *sql << "INSERT INTO campaigns (id, org_id, title, summary, description_md, category, kind, "
            "funding_model, status, goal_cents, ends_at, created_by, created_at) VALUES (:i, 'o', "
            "'T', 'S', 'D', 'food', 'donation', 'keep_it_all', 'live', 100000, 9999999999999, "
            "'admin', 1)",
        soci::use(id);
  }
  std::vector<std::string> users;
  for (int idx = 0; idx < 8; ++idx) {
    const std::string id = "u" + std::to_string(idx), email = id + "@t.example";
    *sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
            "wallet_id) VALUES (:i, :e, :e2, :d, 'x', 1, :w)",
        soci::use(id), soci::use(email), soci::use(email), soci::use(id), soci::use(id);
    users.push_back(id);
  }
  using core::PledgeStatus;
  const std::vector<PledgeStatus> statuses = {PledgeStatus::pending, PledgeStatus::confirmed,
                                              PledgeStatus::cancelled, PledgeStatus::refunded};
  std::mt19937 random(2026);
  auto pledge = [&](int n) {
    app::PledgeRecord p;
    p.id = "p" + std::to_string(n);
    p.campaign_id = core::CampaignId{campaigns[random() % campaigns.size()]};
    p.user_id = core::UserId{users[random() % users.size()]};
    p.amount_cents = core::Cents{100 + static_cast<std::int64_t>(random() % 10'000)};
    p.status = statuses[random() % statuses.size()];
    p.payment_method = core::PaymentMethod::sandbox_card;
    p.reference = "ref" + std::to_string(n);
    p.created_at = p.updated_at = core::TimestampMs{10 + n};
    return p;
  };
  // Before the migration: what its backfill must count.
  for (int n = 0; n < 40; ++n) {
    const auto p = pledge(n);
    long long amount = p.amount_cents, at = p.created_at;
    const std::string status = core::to_string(p.status),
                      method = core::to_string(p.payment_method);
    *sql << "INSERT INTO pledges (id, campaign_id, user_id, amount_cents, status, payment_method, "
            "anonymous, reference, created_at, updated_at) VALUES (:i, :c, :u, :a, :s, :m, 0, "
            ":r, :t, :t2)",
        soci::use(p.id), soci::use(p.campaign_id), soci::use(p.user_id), soci::use(amount),
        soci::use(status), soci::use(method), soci::use(p.reference), soci::use(at), soci::use(at);
  }
  auto store = store::open_store(url_, store::StoreOptions{4, 64, nullptr});
  auto expected = [&](const std::string& campaign) {
    const auto rows = store::query_for_tests(
        url_,
        "SELECT COALESCE(SUM(CASE WHEN status IN ('confirmed', 'refunded') THEN amount_cents "
        "ELSE 0 END), 0), COALESCE(SUM(CASE WHEN status IN ('confirmed', 'pending') THEN "
        "amount_cents ELSE 0 END), 0), COUNT(DISTINCT CASE WHEN status IN ('confirmed', "
        "'pending') THEN user_id END) FROM pledges WHERE campaign_id = '" +
            campaign + "'");
    return std::vector<std::int64_t>{std::stoll(rows.at(0).at(0)), std::stoll(rows.at(0).at(1)),
                                     std::stoll(rows.at(0).at(2))};
  };
  auto check = [&](const std::string& when) {
    std::map<std::string, app::CampaignSide> sides;
    std::vector<app::CampaignTotals> one_by_one;
    store->read([&](app::ReadTx& tx) {
      sides = tx.campaigns().campaign_sides(campaigns);
      for (const auto& id : campaigns)
        one_by_one.push_back(tx.campaigns().campaign_totals(core::CampaignId{id}));
    });
    for (std::size_t idx = 0; idx < campaigns.size(); ++idx) {
      const auto& id = campaigns[idx];
      const auto want = expected(id);
      const auto& got = sides.at(id).totals;
      EXPECT_EQ((std::vector<std::int64_t>{got.raised_cents, got.pledged_cents, got.backers_count}),
                want)
          << when << ", " << id;
      EXPECT_EQ(one_by_one[idx].raised_cents, got.raised_cents) << when;
      EXPECT_EQ(one_by_one[idx].backers_count, got.backers_count) << when;
      EXPECT_EQ(sides.at(id).org_name, "Org");
    }
  };
  check("after the backfill");

  // Then pledges and changes of status from four writers at once.
  std::vector<app::PledgeRecord> made;
  for (int n = 40; n < 200; ++n) made.push_back(pledge(n));
  std::vector<std::vector<PledgeStatus>> moves(made.size());
  for (auto& path : moves) {
    for (int step = 0; step < 3; ++step) path.push_back(statuses[random() % statuses.size()]);
  }
  std::atomic<std::size_t> next = 0;
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&] {
      for (std::size_t idx = next++; idx < made.size(); idx = next++) {
        const auto& p = made[idx];
        store->write([&](app::Tx& tx) {
          tx.pledges().insert_pledge(p);
          return true;
        });
        PledgeStatus from = p.status;
        for (const auto& to : moves[idx]) {
          store->write(
              [&](app::Tx& tx) { return tx.pledges().transition_pledge(p.id, from, to, 1000); });
          from = to;
        }
      }
    });
  }
  for (auto& writer : writers) writer.join();
  check("after concurrent pledges and changes");

  // Then many pledges in one statement, as the group commit writes a batch
  // on PostgreSQL (one backer's several, some already backers, some not,
  // and two people new to their campaigns: one with several pledges, one
  // whose only pledge to a campaign does not count).
  for (const std::string id : {"n0", "n1"}) {
    const std::string email = id + "@t.example";
    *sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
            "wallet_id) VALUES (:i, :e, :e2, :d, 'x', 1, :w)",
        soci::use(id), soci::use(email), soci::use(email), soci::use(id), soci::use(id);
  }
  std::string values =
      "('q0', 'c0', 'n0', 300, 'confirmed', 'sandbox_card', 0, 'rq0', 1, 1), "
      "('q1', 'c0', 'n0', 400, 'pending', 'sandbox_card', 0, 'rq1', 1, 1), "
      "('q2', 'c0', 'n0', 500, 'cancelled', 'sandbox_card', 0, 'rq2', 1, 1), "
      "('q3', 'c1', 'n0', 600, 'cancelled', 'sandbox_card', 0, 'rq3', 1, 1), "
      "('q4', 'c2', 'n1', 700, 'pending', 'sandbox_card', 0, 'rq4', 1, 1), "
      "('q5', 'c2', 'n1', 800, 'pending', 'sandbox_card', 0, 'rq5', 1, 1)";
  for (int n = 200; n < 260; ++n) {
    const auto p = pledge(n);
    values += ", ('" + p.id + "', '" + p.campaign_id.str() + "', '" + p.user_id.str() + "', " +
              std::to_string(p.amount_cents) + ", '" + core::to_string(p.status) +
              "', 'sandbox_card', 0, '" + p.reference + "', 1, 1)";
  }
  *sql << "INSERT INTO pledges (id, campaign_id, user_id, amount_cents, status, payment_method, "
          "anonymous, reference, created_at, updated_at) VALUES " +
              values;
  check("after sixty pledges in one statement");
}

// Migration 32: on PostgreSQL, a transaction adds its pledges to its own
// row of the campaign's totals (chosen by its transaction id), so that
// two transactions at once do not wait for each other's row, whichever
// connections they run on. Before, the row was the connection's (its
// server process id modulo 64): two connections 64 ids apart, as two
// instances' writers may be, queued on one row until each commit.
TEST_P(StoreTest, TwoTransactionsAtOnceNeverWaitForOneTotalsRow) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "one totals row on SQLite, one writer";
  store::migrate(url_);
  store::execute_for_tests(
      url_,
      "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
      "wallet_id) VALUES ('admin', 'a@t.example', 'a@t.example', 'A', 'x', 1, 'wa')");
  store::execute_for_tests(url_,
                           "INSERT INTO orgs (id, name, legal_form, description, created_by, "
                           "created_at) VALUES ('o', 'Org', 'association', '', 'admin', 1)");
  store::execute_for_tests(
      url_,
      "INSERT INTO campaigns (id, org_id, title, summary, description_md, category, kind, "
      "funding_model, status, goal_cents, ends_at, created_by, created_at) VALUES ('c', 'o', 'T', "
      "'S', 'D', 'food', 'donation', 'keep_it_all', 'live', 100000, 9999999999999, 'admin', 1)");
  auto pid = [](soci::session& sql) {
    long long id = 0;
    sql << "SELECT pg_backend_pid()", soci::into(id);
    return id;
  };
  auto begin = [](soci::session& sql) {
    sql << "BEGIN";
    long long xid = 0;
    sql << "SELECT txid_current()", soci::into(xid);
    return xid;
  };
  store::execute_for_tests(
      url_,
      "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
      "wallet_id) VALUES ('u2', 'b@t.example', 'b@t.example', 'B', 'x', 1, 'wb')");
  // Each by another backer: one backer's pledges share the backer's row.
  auto pledge = [](soci::session& sql, const std::string& id, const std::string& user,
                   long long amount) {
    const std::string reference = "ref-" + id;
    sql << "INSERT INTO pledges (id, campaign_id, user_id, amount_cents, status, payment_method, "
           "anonymous, reference, created_at, updated_at) VALUES (:i, 'c', :u, :a, "
           "'confirmed', 'sandbox_card', 0, :r, 1, 1)",
        soci::use(id), soci::use(user), soci::use(amount), soci::use(reference);
  };
  // Two connections whose server processes are 64 ids apart (or a multiple).
  auto first = store::open_session(url_);
  std::unique_ptr<soci::session> second;
  for (int tries = 0; tries < 2000 && !second; ++tries) {
    auto candidate = store::open_session(url_);
    if (pid(*candidate) % 64 == pid(*first) % 64) second = std::move(candidate);
  }
  ASSERT_TRUE(second) << "no two connections 64 process ids apart";
  const long long first_xid = begin(*first);
  pledge(*first, "p1", "admin", 500);
  // Another transaction (not 64 ids apart) pledges while the first is open.
  long long second_xid = begin(*second);
  while (second_xid % 64 == first_xid % 64) {
    *second << "ROLLBACK";
    second_xid = begin(*second);
  }
  *second << "SET LOCAL lock_timeout = '10s'";
  EXPECT_NO_THROW(pledge(*second, "p2", "u2", 700))
      << "the second waited for the first's totals row";
  *second << "COMMIT";
  *first << "COMMIT";
  auto store = store::open_store(url_, store::StoreOptions{1, 64, nullptr});
  store->read([&](app::ReadTx& tx) {
    const auto totals = tx.campaigns().campaign_totals(core::CampaignId{"c"});
    EXPECT_EQ(totals.raised_cents, 1200);
    EXPECT_EQ(totals.backers_count, 2);
  });
}

// A clock the test moves.
class SteppedClock final : public app::Clock {
 public:
  app::TimestampMs now() const override { return app::TimestampMs{now_.load()}; }
  void advance(std::int64_t ms) { now_ += ms; }

 private:
  std::atomic<std::int64_t> now_{1'800'000'000'000};
};

// A pledge's transfer into campaign c, in a write of its own.
void post_to_campaign(app::Store& store, app::Ledger& ledger, core::Cents amount) {
  store.write([&](app::Tx& tx) {
    ledger.post(tx, core::external_account(core::PaymentMethod::sandbox_card),
                core::campaign_account(core::CampaignId{"c"}), amount, core::TransferKind::pledge,
                std::nullopt, core::CampaignId{"c"});
    return true;
  });
}

// Posting and sealing from many threads at once (as pledges and the
// sealers of two processes do) still gives one chain, without gap or fork:
// PostgreSQL commits transfers unsealed and seals them after, SQLite
// chains each at once. Sealing is the one change a transfer ever sees.
TEST_P(StoreTest, TheLedgerIsOneChainWhoeverPostsAndSeals) {
  auto store = store::open_store(url_, {});
  auto crypto = adapters::make_sodium_crypto({});
  SteppedClock clock;
  app::Ledger ledger(*store, *crypto, clock);
  const bool later = GetParam() == "postgresql";
  EXPECT_EQ(store->seals_ledger_later(), later);
  const auto post = [&](core::Cents amount) { post_to_campaign(*store, ledger, amount); };
  post(100);
  store->read([&](app::ReadTx& tx) {
    // Committed unsealed: money that moved, not yet in the public chain.
    EXPECT_EQ(tx.ledger().account_balance(core::campaign_account(core::CampaignId{"c"})), 100);
    EXPECT_EQ(tx.ledger().transfers_after(0, 10).size(), later ? 0u : 1u);
    EXPECT_EQ(tx.ledger().unsealed_transfers(10).size(), later ? 1u : 0u);
    EXPECT_EQ(tx.ledger().ledger_head().seq, later ? 0 : 1);
  });
  // Waiting too long to be sealed is a problem verify names.
  clock.advance(app::Ledger::kSealWithinMs + 1000);
  const auto waited = ledger.verify();
  if (later) {
    ASSERT_EQ(waited.problems.size(), 1u);
    EXPECT_NE(waited.problems[0].find("to be sealed"), std::string::npos);
  } else {
    EXPECT_TRUE(waited.problems.empty());
  }
  EXPECT_EQ(ledger.seal_all(), later ? 1u : 0u);

  constexpr int kPosters = 4, kEach = 40;
  std::atomic<bool> posting{true};
  std::atomic<std::size_t> sealed{0};
  std::vector<std::thread> sealers, posters;
  for (int n = 0; n < 3; ++n) {
    sealers.emplace_back([&] {
      while (posting.load()) sealed += ledger.seal(7);
    });
  }
  for (int n = 0; n < kPosters; ++n) {
    posters.emplace_back([&, n] {
      for (int k = 0; k < kEach; ++k) post(core::Cents{1 + n * 1000 + k});
    });
  }
  for (auto& poster : posters) poster.join();
  posting = false;
  for (auto& sealer : sealers) sealer.join();
  sealed += ledger.seal_all();
  EXPECT_EQ(sealed.load(), later ? std::size_t{kPosters * kEach} : 0u);

  const auto report = ledger.verify();
  EXPECT_TRUE(report.problems.empty()) << report.problems.front();
  EXPECT_EQ(report.transfers_count, 1 + kPosters * kEach);
  const auto head = ledger.head();
  EXPECT_EQ(head.seq, 1 + kPosters * kEach);
  EXPECT_EQ(head.hash, report.head_hash);
  store->read([&](app::ReadTx& tx) { EXPECT_TRUE(tx.ledger().unsealed_transfers(10).empty()); });

  if (later) {
    // Sealed once, and then never changed: not its amount, not its place.
    EXPECT_ANY_THROW(store::execute_for_tests(
        url_, "UPDATE ledger_transfers SET amount_cents = 1 WHERE seq = 1"));
    EXPECT_ANY_THROW(
        store::execute_for_tests(url_, "UPDATE ledger_transfers SET seq = 9999 WHERE seq = 1"));
    EXPECT_ANY_THROW(store::execute_for_tests(url_, "DELETE FROM ledger_transfers WHERE seq = 2"));
    // Two transfers at one place (a fork) or half a seal are refused.
    EXPECT_ANY_THROW(store::execute_for_tests(
        url_,
        "INSERT INTO ledger_transfers (seq, id, debit_account, credit_account, "
        "amount_cents, kind, created_at, prev_hash, hash) VALUES (1, 'fork', 'a', 'b', 1, "
        "'pledge', 0, 'x', 'y')"));
    EXPECT_ANY_THROW(store::execute_for_tests(
        url_,
        "INSERT INTO ledger_transfers (id, debit_account, credit_account, amount_cents, "
        "kind, created_at, hash) VALUES ('half', 'a', 'b', 1, 'pledge', 0, 'y')"));
  }
  EXPECT_TRUE(ledger.verify().problems.empty());
}

// The sealers of two processes: one that finds the head held by the other
// does not queue for it (it would then seal again right after the other's
// commit, and the two would take turns, each waiting for the other's
// fsync). Its round seals nothing and says so; its LedgerSealer comes back
// for what is left once the head is free, without waiting for its tick.
TEST_P(StoreTest, ASealerFindingTheHeadHeldComesBackInsteadOfQueuing) {
  auto store = store::open_store(url_, {});
  auto crypto = adapters::make_sodium_crypto({});
  SteppedClock clock;
  app::Ledger ledger(*store, *crypto, clock);
  const auto post = [&] { post_to_campaign(*store, ledger, core::Cents{100}); };
  const auto unsealed = [&] {
    std::size_t n = 0;
    store->read([&](app::ReadTx& tx) { n = tx.ledger().unsealed_transfers(10).size(); });
    return n;
  };
  post();
  if (!store->seals_ledger_later()) {  // SQLite chains at once: nothing to seal
    const auto round = ledger.seal_unless_held();
    EXPECT_EQ(round.sealed, 0u);
    EXPECT_FALSE(round.head_held);
    return;
  }
  // Another process's sealer, in the middle of its seal.
  auto other = store::open_session(url_);
  const auto hold_head = [&] {
    long long seq = -1;
    other->begin();
    *other << "SELECT seq FROM ledger_head WHERE id = 1 FOR UPDATE", soci::into(seq);
    ASSERT_EQ(seq, 0);
  };
  hold_head();
  auto round = std::async(std::launch::async, [&] { return ledger.seal_unless_held(); });
  // A guard, not a timing: a sealer that queued would wait until the
  // rollback below, then seal.
  const bool came_back = round.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  other->rollback();
  ASSERT_TRUE(came_back) << "the sealer queued for the head";
  const auto skipped = round.get();
  EXPECT_TRUE(skipped.head_held);
  EXPECT_EQ(skipped.sealed, 0u);
  EXPECT_EQ(unsealed(), 1u);

  // The background sealer: a round that found the head held, then, with
  // no other wake-up and a tick of an hour, a round that seals both.
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<app::Ledger::SealRound> rounds;
  app::LedgerSealer::Options options;
  options.gather = std::chrono::milliseconds(1);
  options.tick = std::chrono::hours(1);
  options.after_round = [&](const app::Ledger::SealRound& r) {
    std::lock_guard lock(mutex);
    rounds.push_back(r);
    changed.notify_all();
  };
  hold_head();
  {
    app::LedgerSealer sealer(ledger, options);
    post();  // wakes it
    std::unique_lock lock(mutex);
    const bool held = changed.wait_for(lock, std::chrono::seconds(30),
                                       [&] { return !rounds.empty() && rounds.back().head_held; });
    lock.unlock();
    other->rollback();
    ASSERT_TRUE(held) << "no round found the head held";
    lock.lock();
    const bool sealed = changed.wait_for(lock, std::chrono::seconds(30), [&] {
      std::size_t n = 0;
      for (const auto& r : rounds) n += r.sealed;
      return n == 2;
    });
    EXPECT_TRUE(sealed) << "the sealer did not come back for what was left";
  }
  EXPECT_EQ(unsealed(), 0u);
  EXPECT_TRUE(ledger.verify().problems.empty());
}

TEST_P(StoreTest, WalletMigrationRenamesPeopleAndTheChainStillVerifies) {
  ASSERT_EQ(store::migrate(url_, 12), 12);
  auto crypto = adapters::make_sodium_crypto({});
  const core::Sha256Hex sha = [&crypto](const std::string& b) { return crypto->sha256_hex(b); };
  auto sql = store::open_session(url_);
  for (const std::string id : {"u1", "u2"}) {
    const std::string email = id + "@t.example";
    *sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at) "
            "VALUES (:i, :e, :e2, :d, 'x', 1)",
        soci::use(id), soci::use(email), soci::use(email), soci::use(id);
  }
  struct Row {
    const char *debit, *credit;
    long long amount;
    const char* kind;
  };
  const Row rows[] = {{"external:bank_transfer", "org:o", 1000, "repayment_in"},
                      {"org:o", "user:u1", 600, "repayment"},
                      {"user:u1", "campaign:c", 500, "pledge"},
                      {"org:o", "user:u2", 400, "repayment"}};
  std::string prev = core::kGenesisHash;
  std::int64_t seq = 0;
  for (const auto& row : rows) {
    core::Transfer t;
    t.seq = ++seq;
    t.id = "t" + std::to_string(seq);
    t.debit_account = row.debit;
    t.credit_account = row.credit;
    t.amount_cents = core::Cents{row.amount};
    t.kind = core::parse_transfer_kind(row.kind).value();
    t.created_at = core::TimestampMs{1000 + seq};
    t.prev_hash = prev;
    t.hash = core::chain_hash(prev, t, sha);
    long long s = t.seq, a = t.amount_cents, at = t.created_at;
    const std::string kind = core::to_string(t.kind);
    *sql << "INSERT INTO ledger_transfers (seq, id, debit_account, credit_account, amount_cents, "
            "kind, created_at, prev_hash, hash) VALUES (:s, :i, :d, :c, :a, :k, :at, :p, :h)",
        soci::use(s), soci::use(t.id), soci::use(t.debit_account), soci::use(t.credit_account),
        soci::use(a), soci::use(kind), soci::use(at), soci::use(t.prev_hash), soci::use(t.hash);
    prev = t.hash;
  }
  long long head_seq = seq;
  *sql << "UPDATE ledger_head SET seq = :s, hash = :h WHERE id = 1", soci::use(head_seq),
      soci::use(prev);

  EXPECT_EQ(store::migrate(url_), store::schema_version() - 12);

  std::string w1, w2;
  *sql << "SELECT wallet_id FROM users WHERE id = 'u1'", soci::into(w1);
  *sql << "SELECT wallet_id FROM users WHERE id = 'u2'", soci::into(w2);
  EXPECT_EQ(w1.size(), 32u);
  EXPECT_NE(w1, w2);
  auto store = store::open_store(url_, store::StoreOptions{2, 64, nullptr});
  core::ChainVerifier verifier(sha);
  app::LedgerHead head;
  store->read([&](app::ReadTx& tx) {
    tx.ledger().for_each_transfer([&](const core::Transfer& t) {
      EXPECT_FALSE(t.debit_account.starts_with("user:")) << t.seq;
      EXPECT_FALSE(t.credit_account.starts_with("user:")) << t.seq;
      verifier.add(t);
    });
    head = tx.ledger().ledger_head();
  });
  const auto report = verifier.finish(head.hash, head.seq);
  EXPECT_TRUE(report.problems.empty()) << report.problems.front();
  EXPECT_NE(head.hash, prev);  // hashed again
  EXPECT_EQ(report.balances.at(core::wallet_account(w1)), 100);
  EXPECT_EQ(report.balances.at(core::wallet_account(w2)), 400);
  EXPECT_EQ(report.balances.count("user:u1"), 0u);
  // Still immutable afterwards.
  EXPECT_THROW(*sql << "UPDATE ledger_transfers SET amount_cents = 1 WHERE seq = 1",
               std::exception);
  EXPECT_TRUE(store::check_integrity(url_).empty());
}

INSTANTIATE_TEST_SUITE_P(Db, StoreTest, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace essor::testing

namespace essor::testing {
namespace {

// Kept statements (store/native.cpp) are written with "?" and numbered for
// PostgreSQL, never inside quoted text.
TEST(NativeStatements, NumberParametersOutsideQuotedText) {
  EXPECT_EQ(store::numbered_parameters("SELECT ? , '?' , 'a''?' , ?"),
            "SELECT $1 , '?' , 'a''?' , $2");
  EXPECT_EQ(store::numbered_parameters("SELECT 1"), "SELECT 1");
  // A list of ids is one JSON parameter, turned into rows each back end's way.
  EXPECT_EQ(store::backend_query("x IN ID_LIST(?) AND y = ?", store::Backend::postgresql),
            "x IN (SELECT jsonb_array_elements_text(CAST($1 AS jsonb))) AND y = $2");
  EXPECT_EQ(store::backend_query("x IN ID_LIST(?) AND y = ?", store::Backend::sqlite),
            "x IN (SELECT value FROM json_each(?)) AND y = ?");
}

// A batch's values go to PostgreSQL as one array in its text form: each
// text quoted, a backslash before each quote or backslash in it.
TEST(NativeStatements, AnArraysTextQuotesEachTextAndEscapesWhatNeedsIt) {
  EXPECT_EQ(store::postgres_array({}), "{}");
  EXPECT_EQ(store::postgres_array({std::string{}}), "{\"\"}");
  EXPECT_EQ(store::postgres_array({std::int64_t{-7}, nullptr, std::string{"a,b {c} d"}}),
            "{-7,NULL,\"a,b {c} d\"}");
  EXPECT_EQ(store::postgres_array({std::string{"\"q\\"}, std::string{"x\"\"y\\\\z\""}}),
            "{\"\\\"q\\\\\",\"x\\\"\\\"y\\\\\\\\z\\\"\"}");
}

// The same kept statement, used again and again on a pooled connection
// with other values, reads each time what its values name.
TEST_P(StoreTest, KeptStatementsReadWhatTheirValuesName) {
  auto store = store::open_store(url_, store::StoreOptions{1, 64, nullptr});
  for (int n = 0; n < 3; ++n) {
    store->write(
        [&](app::Tx& tx) { return tx.accounts().insert_user(user("k" + std::to_string(n))); });
  }
  for (int round = 0; round < 3; ++round) {
    for (int n = 0; n < 3; ++n) {
      app::OrgRecord org;
      org.id = core::OrgId{"o" + std::to_string(n)};
      org.name = "Org " + std::to_string(n);
      org.legal_form = core::LegalForm::association;
      org.created_by = core::UserId{"k" + std::to_string(n)};
      if (round == 0)
        store->write([&](app::Tx& tx) {
          tx.orgs().insert_org(org);
          return true;
        });
      store->read([&](app::ReadTx& tx) {
        const auto found = tx.orgs().org_by_id(org.id);
        ASSERT_TRUE(found.has_value());
        EXPECT_EQ(found->name, org.name);
        EXPECT_FALSE(tx.orgs().org_by_id(core::OrgId{"nobody"}).has_value());
      });
    }
  }
}

// native_changes says how many rows a statement changed, as the claim of
// an Idempotency-Key (ON CONFLICT DO NOTHING) and the ledger head's guarded
// update read it, also when statements deferred before it go in the same
// round trip (PostgreSQL's pipeline).
TEST_P(StoreTest, NativeChangesSaysHowManyRowsAStatementChanged) {
  const auto backend = store::backend_of(url_);
  store::execute_for_tests(url_, "CREATE TABLE nc_rows (k BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
  auto sql = store::open_session(url_);
  auto insert = [&](std::int64_t k) {
    return store::native_changes(
        *sql, backend, "INSERT INTO nc_rows (k, v) VALUES (?, 0) ON CONFLICT DO NOTHING", {k});
  };
  EXPECT_EQ(insert(1), 1);
  EXPECT_EQ(insert(1), 0);
  EXPECT_EQ(insert(2), 1);
  store::native_defer(*sql, backend, "INSERT INTO nc_rows (k, v) VALUES (?, 0)", {std::int64_t{3}});
  EXPECT_EQ(insert(3), 0);  // the deferred insert went first
  EXPECT_EQ(store::native_changes(*sql, backend, "UPDATE nc_rows SET v = v + 1 WHERE k <= ?",
                                  {std::int64_t{2}}),
            2);
  EXPECT_EQ(store::native_changes(*sql, backend, "UPDATE nc_rows SET v = ? WHERE k = ? AND v = ?",
                                  {std::int64_t{5}, std::int64_t{1}, std::int64_t{0}}),
            0);
  EXPECT_EQ(store::native_changes(*sql, backend, "UPDATE nc_rows SET v = ? WHERE k = ? AND v = ?",
                                  {std::int64_t{5}, std::int64_t{1}, std::int64_t{1}}),
            1);
  EXPECT_EQ(store::query_for_tests(url_, "SELECT SUM(v), COUNT(*) FROM nc_rows").at(0),
            (std::vector<std::string>{"6", "3"}));
  store::native_forget(*sql, backend);
}

// With sqlite_statement_times set, the store writes, as it closes, each
// statement its writer ran, how many times and for how long.
TEST(SqliteStatementTimes, AreWrittenWhenTheStoreCloses) {
  const std::string url = fresh_database_url("sqlite", "times");
  const auto file = std::filesystem::path(url.substr(std::string("sqlite:").size())).parent_path() /
                    "statements.tsv";
  store::StoreOptions options{1, 64, nullptr};
  options.sqlite_statement_times = file.string();
  {
    auto store = store::open_store(url, options);
    for (int n = 0; n < 3; ++n) {
      store->write(
          [&](app::Tx& tx) { return tx.accounts().insert_user(person("t" + std::to_string(n))); });
    }
    EXPECT_FALSE(std::filesystem::exists(file));
  }
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "count\tnanoseconds\tstatement");
  std::int64_t inserts = 0;
  while (std::getline(in, line)) {
    const auto tab = line.find('\t'), second = line.find('\t', tab + 1);
    ASSERT_NE(second, std::string::npos) << line;
    if (line.find("INSERT INTO users", second) == second + 1) {
      inserts += std::stoll(line.substr(0, tab));
      EXPECT_GT(std::stoll(line.substr(tab + 1, second - tab - 1)), 0) << line;
    }
  }
  EXPECT_EQ(inserts, 3);
  drop_database(url);
}

// What a pledge decides on comes in one statement: the campaign (with its
// money lock), its organisation, and the call that accepted it, if any.
TEST_P(StoreTest, APledgesCampaignIsReadWithItsOrganisationAndCallInOneStatement) {
  auto store = store::open_store(url_, store::StoreOptions{1, 64, nullptr});
  {
    auto sql = store::open_session(url_);
    *sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
            "wallet_id) VALUES ('admin', 'a@t.example', 'a@t.example', 'A', 'x', 1, 'wa')";
    *sql << "INSERT INTO orgs (id, name, legal_form, description, iban, bic, created_by, "
            "created_at) VALUES ('o', 'La Ressourcerie', 'association', 'Réemploi.', "
            "'FR7630006000011234567890189', 'AGRIFRPP', 'admin', 7)";
    *sql << "INSERT INTO orgs (id, name, legal_form, description, created_by, created_at) "
            "VALUES ('funder', 'Région', 'collectivite', '', 'admin', 1)";
    for (const std::string id : {"matched", "alone"}) {
      *sql << "INSERT INTO campaigns (id, org_id, title, summary, description_md, category, kind, "
              "funding_model, status, goal_cents, ends_at, created_by, created_at) VALUES (:i, "
              "'o', :t, 'S', 'D', 'food', 'donation', 'keep_it_all', 'live', 100000, "
              "9999999999999, 'admin', 1)",
          soci::use(id), soci::use(id);
    }
    *sql << "INSERT INTO calls (id, org_id, title, description_md, pool_cents, match_ratio_pct, "
            "cap_per_campaign_cents, opens_at, closes_at, regions, categories, legal_forms, "
            "committed_cents, created_by, created_at) VALUES ('call', 'funder', 'Appel', '', "
            "100000, 100, 50000, 0, 9999999999999, '[]', '[]', '[]', 0, 'admin', 1)";
    // Declined here, accepted there: only an accepted call matches.
    *sql << "INSERT INTO call_applications (call_id, campaign_id, status, matched_cents, "
            "applied_by, applied_at) VALUES ('call', 'matched', 'accepted', 0, 'admin', 1)";
    *sql << "INSERT INTO call_applications (call_id, campaign_id, status, matched_cents, "
            "applied_by, applied_at) VALUES ('call', 'alone', 'declined', 0, 'admin', 1)";
  }
  for (const auto mode : {app::LockMode::shared, app::LockMode::exclusive}) {
    store->write([&](app::Tx& tx) {
      const auto before = app::db_work_of_this_thread().statements;
      const auto matched = tx.ledger().campaign_for_money(core::CampaignId{"matched"}, mode);
      EXPECT_EQ(app::db_work_of_this_thread().statements - before, 1u);
      EXPECT_TRUE(matched.has_value());
      if (!matched) return false;
      EXPECT_EQ(matched->campaign.id, "matched");
      EXPECT_EQ(matched->campaign.title, "matched");
      EXPECT_EQ(matched->campaign.summary, "S");
      EXPECT_EQ(matched->campaign.created_by, "admin");
      // Money does not read the descriptions (a long one cost every pledge).
      EXPECT_EQ(matched->campaign.description_md, "");
      EXPECT_EQ(matched->campaign.status, core::CampaignStatus::live);
      EXPECT_EQ(matched->matching_call, std::optional<std::string>("call"));
      EXPECT_TRUE(matched->org.has_value());
      if (!matched->org) return false;
      EXPECT_EQ(matched->org->id, "o");
      EXPECT_EQ(matched->org->name, "La Ressourcerie");
      EXPECT_EQ(matched->org->iban, std::optional<std::string>("FR7630006000011234567890189"));
      EXPECT_EQ(matched->org->bic, std::optional<std::string>("AGRIFRPP"));
      EXPECT_EQ(matched->org->created_at, 7);
      EXPECT_EQ(matched->org->description, "");

      const auto alone = tx.ledger().campaign_for_money(core::CampaignId{"alone"}, mode);
      EXPECT_TRUE(alone.has_value());
      if (!alone) return false;
      EXPECT_EQ(alone->campaign.title, "alone");
      EXPECT_FALSE(alone->matching_call.has_value());
      EXPECT_EQ(alone->org ? alone->org->id.str() : "", "o");
      EXPECT_FALSE(tx.ledger().campaign_for_money(core::CampaignId{"nowhere"}, mode).has_value());
      return true;
    });
  }
}

// Migration 30: a campaign's pledges are indexed by status and arrival,
// not by backer (a new pledge then lands on the index's last page instead
// of one page per backer, docs/performance.md); the list of one status
// comes in the order they arrived, read from that index.
// Those a notice, a convocation or a vote's register must reach are read
// whole: an admin who joined after the thousandth member was not told of a
// funder's decision, and a member after the ten thousandth was not
// convened to an assembly.
TEST_P(StoreTest, EveryMemberWithARoleIsReadHoweverLargeTheOrganisation) {
  auto store = store::open_store(url_, store::StoreOptions{1, 64, nullptr});
  constexpr int kMembers = 1203;
  {
    auto sql = store::open_session(url_);
    soci::transaction tx(*sql);
    *sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
            "wallet_id) VALUES ('founder', 'f@t.example', 'f@t.example', 'F', 'x', 1, 'wf')";
    *sql << "INSERT INTO orgs (id, name, legal_form, description, created_by, created_at) "
            "VALUES ('o', 'Org', 'association', '', 'founder', 1)";
    // Member n joined at n: the founder first, a treasurer and an admin last.
    for (int n = 0; n < kMembers; ++n) {
      const std::string id = n == 0 ? "founder" : "u" + std::to_string(n);
      const std::string role = n == 0 || n == kMembers - 1 ? "admin"
                               : n == kMembers - 2         ? "treasurer"
                                                           : "member";
      if (n > 0) {
        const std::string email = id + "@t.example", wallet = "w" + id;  // bound by reference
        *sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, "
                "created_at, wallet_id) VALUES (:i, :e, :e, :i, 'x', 1, :w)",
            soci::use(id, "i"), soci::use(email, "e"), soci::use(wallet, "w");
      }
      const long long joined = n;
      *sql << "INSERT INTO memberships (org_id, user_id, role, joined_at) VALUES ('o', :u, :r, :j)",
          soci::use(id), soci::use(role), soci::use(joined);
    }
    tx.commit();
  }
  const auto ids = [](const std::vector<app::MemberRecord>& members) {
    std::vector<std::string> out;
    for (const auto& member : members) out.push_back(member.user_id.str());
    return out;
  };
  const std::string last = "u" + std::to_string(kMembers - 1);
  const std::string before_last = "u" + std::to_string(kMembers - 2);
  store->read([&](app::ReadTx& tx) {
    const core::OrgId org{"o"};
    EXPECT_EQ(ids(tx.orgs().members_with_roles(org, {core::Role::admin})),
              (std::vector<std::string>{"founder", last}));
    EXPECT_EQ(ids(tx.orgs().members_with_roles(org, {core::Role::admin, core::Role::treasurer})),
              (std::vector<std::string>{"founder", before_last, last}));
    const auto everyone = tx.orgs().members_with_roles(org, {});
    ASSERT_EQ(everyone.size(), static_cast<std::size_t>(kMembers));
    EXPECT_EQ(everyone.front().user_id.str(), "founder");
    EXPECT_EQ(everyone.back().user_id.str(), last);
    EXPECT_EQ(everyone.back().role, core::Role::admin);
    EXPECT_EQ(tx.orgs().members_with_roles(org, {core::Role::member}).size(),
              static_cast<std::size_t>(kMembers - 3));
    EXPECT_TRUE(tx.orgs().members_with_roles(core::OrgId{"another"}, {}).empty());
  });
}

TEST_P(StoreTest, ACampaignsPledgesAreIndexedAndListedInTheOrderTheyArrived) {
  auto store = store::open_store(url_, store::StoreOptions{1, 64, nullptr});
  {
    auto sql = store::open_session(url_);
    *sql << "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
            "wallet_id) VALUES ('admin', 'a@t.example', 'a@t.example', 'A', 'x', 1, 'wa')";
    *sql << "INSERT INTO orgs (id, name, legal_form, description, created_by, created_at) "
            "VALUES ('o', 'Org', 'association', '', 'admin', 1)";
    for (const std::string id : {"c0", "c1"}) {
      *sql << "INSERT INTO campaigns (id, org_id, title, summary, description_md, category, kind, "
              "funding_model, status, goal_cents, ends_at, created_by, created_at) VALUES (:i, "
              "'o', 'T', 'S', 'D', 'food', 'donation', 'keep_it_all', 'live', 100000, "
              "9999999999999, 'admin', 1)",
          soci::use(id);
    }
  }
  for (int n = 0; n < 4; ++n) {
    store->write(
        [&](app::Tx& tx) { return tx.accounts().insert_user(user("u" + std::to_string(n))); });
  }
  // Ids in the reverse order of arrival, backers in turn, two campaigns,
  // two statuses: only the arrival orders the list.
  using core::PledgeStatus;
  std::map<std::pair<std::string, PledgeStatus>, std::vector<std::string>> expected;
  for (int n = 0; n < 24; ++n) {
    app::PledgeRecord p;
    p.id = "p" + std::to_string(100 - n);
    p.campaign_id = core::CampaignId{n % 3 == 0 ? "c1" : "c0"};
    p.user_id = core::UserId{"u" + std::to_string((n * 7) % 4)};
    p.amount_cents = core::Cents{100 + 50 * (n % 5)};
    p.status = n % 2 == 0 ? PledgeStatus::confirmed : PledgeStatus::pending;
    p.payment_method = core::PaymentMethod::sandbox_card;
    p.reference = "ref" + std::to_string(n);
    p.created_at = p.updated_at = core::TimestampMs{1000 + 10 * n};
    expected[{p.campaign_id.str(), p.status}].push_back(p.id);
    store->write([&](app::Tx& tx) {
      tx.pledges().insert_pledge(p);
      return true;
    });
  }
  store->read([&](app::ReadTx& tx) {
    for (const auto& [key, ids] : expected) {
      std::vector<std::string> listed;
      for (const auto& p :
           tx.pledges().pledges_of_campaign(core::CampaignId{key.first}, key.second))
        listed.push_back(p.id);
      EXPECT_EQ(listed, ids) << key.first << " " << core::to_string(key.second);
    }
  });
  auto sql = store::open_session(url_);
  std::string columns;
  int old_index = 0;
  if (GetParam() == "sqlite") {
    soci::rowset<soci::row> rows = (sql->prepare << "SELECT name FROM pragma_index_info("
                                                    "'pledges_by_campaign') ORDER BY seqno");
    for (const auto& row : rows) columns += (columns.empty() ? "" : ", ") + row.get<std::string>(0);
    *sql << "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'pledges_totals'",
        soci::into(old_index);
    // The list reads the index in its order: no sort of the rows.
    std::string plan;
    soci::rowset<soci::row> steps =
        (sql->prepare << "EXPLAIN QUERY PLAN SELECT id FROM pledges WHERE campaign_id = 'c0' AND "
                         "status = 'pending' ORDER BY created_at");
    for (const auto& row : steps) plan += row.get<std::string>(3) + "\n";
    EXPECT_NE(plan.find("USING INDEX pledges_by_campaign"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
  } else {
    std::string definition;
    *sql << "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = "
            "'pledges_by_campaign'",
        soci::into(definition);
    const auto open = definition.find('(');
    columns = open == std::string::npos ? definition
                                        : definition.substr(open + 1, definition.size() - open - 2);
    *sql << "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = "
            "'pledges_totals'",
        soci::into(old_index);
  }
  EXPECT_EQ(columns, "campaign_id, status, created_at");
  EXPECT_EQ(old_index, 0);
}

// While the server runs, the WAL is copied back into the database file
// (passive checkpoints) and written from its start again once it passed
// its size (a RESTART between two batches), its file cut back: under a
// steady stream of writes it neither grows without end nor keeps every
// write since start-up (as it did, unseen, until 2026-12-04: the
// checkpointer's connection had never read, so its checkpoints did
// nothing). The deadline only turns a failure into a failure, not a hang.
TEST(SqliteWal, IsCopiedBackAndWrittenFromItsStartWhileTheStoreServes) {
  const std::string url = fresh_database_url("sqlite", "wal");
  const std::string path = url.substr(std::string("sqlite:").size());
  const auto size = [](const std::string& file) {
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(file, ec);
    return ec ? std::uintmax_t{0} : bytes;
  };
  {
    store::StoreOptions options{1, 64, nullptr};
    options.wal_restart_frames = 64;  // its file cut back to 256 KiB (2 KiB pages)
    auto store = store::open_store(url, options);
    const std::string filler(3000, 'x');
    int written = 0;
    const auto write_one = [&] {
      const std::string id = "wal" + std::to_string(written++);
      auto person = app::UserRecord{
          core::UserId{id}, id + "@t.example", id + "@t.example", filler, "hash", 1, {}, "w" + id};
      store->write([&](app::Tx& tx) { return tx.accounts().insert_user(person); });
    };
    for (int n = 0; n < 1000; ++n) write_one();  // ~3 MB of rows, more with the indexes
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline &&
           !(size(path) > 3'000'000 && size(path + "-wal") <= 2 * 64 * 2048)) {
      write_one();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GT(size(path), 3'000'000u) << "the rows never reached the database file";
    EXPECT_LE(size(path + "-wal"), 2u * 64 * 2048) << "the WAL kept growing";
    std::int64_t found = 0;
    store->read([&](app::ReadTx& tx) {
      for (int n = 0; n < written; ++n)
        found += tx.accounts().user_by_id(core::UserId{"wal" + std::to_string(n)}).has_value();
    });
    EXPECT_EQ(found, written);
  }
  drop_database(url);
}

// A database named by a SQLite URI (sqlite:file:PATH) is the file it
// names for the writer too, which opens it through the gathering VFS
// (store/sqlite_gather.hpp) with the VFS's parameter added to the URI.
TEST(SqliteWal, AStoreOnAFileUriWritesTheFileItNames) {
  const std::string url = fresh_database_url("sqlite", "uri");
  const std::string path = url.substr(std::string("sqlite:").size());
  {
    store::StoreOptions options{1, 4, nullptr};
    auto store = store::open_store("sqlite:file:" + path, options);
    store->write([&](app::Tx& tx) { return tx.accounts().insert_user(person("uri1")); });
  }
  EXPECT_EQ(store::query_for_tests(url, "SELECT count(*) FROM users WHERE id = 'uri1'").at(0).at(0),
            "1");
  drop_database(url);
}

}  // namespace
}  // namespace essor::testing
