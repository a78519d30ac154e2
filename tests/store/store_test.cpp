// The store on every database: migrations, transactions, group commit.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "app/ports.hpp"
#include "store/database.hpp"
#include "support/test_env.hpp"

namespace essor::testing {
namespace {

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!backend_available(GetParam())) GTEST_SKIP() << "set ESSOR_TEST_PG_URL";
    url_ = fresh_database_url(GetParam(), "store");
  }
  void TearDown() override {
    if (!url_.empty()) drop_database(url_);
  }
  app::UserRecord user(const std::string& id) {
    return app::UserRecord{id, id + "@test.example", id + "@test.example", id, "hash", 1, {}};
  }
  std::int64_t count_users(app::Store& store, const std::vector<std::string>& ids) {
    std::int64_t found = 0;
    store.read([&](app::Tx& tx) {
      for (const auto& id : ids) found += tx.user_by_id(id).has_value();
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
          return tx.insert_user(user("u" + std::to_string(t) + "_" + std::to_string(n)));
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
          tx.insert_user(user(id));
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

TEST_P(StoreTest, ReadTransactionsRefuseWrites) {
  auto store = store::open_store(url_, store::StoreOptions{2, 64, nullptr});
  EXPECT_THROW(store->read([&](app::Tx& tx) { tx.insert_user(user("r")); }), std::logic_error);
  EXPECT_EQ(count_users(*store, {"r"}), 0);
}

TEST_P(StoreTest, DuplicateEmailIsRefusedWithoutError) {
  auto store = store::open_store(url_, store::StoreOptions{2, 64, nullptr});
  bool first = false, second = true;
  store->write([&](app::Tx& tx) { return first = tx.insert_user(user("dup")); });
  store->write([&](app::Tx& tx) {
    auto copy = user("dup");
    copy.id = "other";
    second = tx.insert_user(copy);
    return true;
  });
  EXPECT_TRUE(first);
  EXPECT_FALSE(second);
}

INSTANTIATE_TEST_SUITE_P(Db, StoreTest, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace essor::testing
