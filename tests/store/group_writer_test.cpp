// The group-commit writer on PostgreSQL: a job that waits too long for a
// row another transaction holds is rolled back and run again first in the
// next batch (so that two writers' batches never wait for each other), and
// every job's changes are kept once.
#include "store/group_writer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <utility>

#include "app/idempotency.hpp"
#include "app/metrics.hpp"
#include "store/database.hpp"
#include "store/native.hpp"
#include "store/sql_helpers.hpp"
#include "store/sql_tx.hpp"
#include "support/test_env.hpp"

namespace essor::testing {
namespace {

using store::Backend;
using store::GroupWriter;
using store::GroupWriterOptions;

class GroupWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!backend_available("postgresql")) GTEST_SKIP() << "set ESSOR_TEST_PG_URL";
    url_ = fresh_database_url("postgresql", "writer");
    store::execute_for_tests(url_,
                             "CREATE TABLE gw_rows (k INTEGER PRIMARY KEY, v INTEGER NOT NULL)");
    store::execute_for_tests(url_, "INSERT INTO gw_rows VALUES (1, 0), (2, 0)");
  }
  void TearDown() override {
    if (!url_.empty()) drop_database(url_);
  }
  // A fresh migrated database of backend_ holding these rows.
  void migrated(const char* name, std::initializer_list<const char*> rows) {
    url_ = fresh_database_url(backend_ == Backend::sqlite ? "sqlite" : "postgresql", name);
    store::migrate(url_);
    for (const char* row : rows) store::execute_for_tests(url_, row);
  }
  std::unique_ptr<GroupWriter> writer(int threads = 1) {
    GroupWriterOptions options;
    options.backend = backend_;
    options.max_batch = 60;
    options.lock_wait_ms = 50;
    options.read_ahead = read_ahead_;
    std::vector<std::unique_ptr<soci::session>> sessions;
    for (int idx = 0; idx < threads; ++idx) sessions.push_back(store::open_session(url_));
    return std::make_unique<GroupWriter>(std::move(sessions), options);
  }
  std::string value(int k) {
    return store::query_for_tests(url_, "SELECT v FROM gw_rows WHERE k = " + std::to_string(k))
        .at(0)
        .at(0);
  }
  static void add_one(soci::session& sql, int k) {
    store::native_query(sql, Backend::postgresql, "UPDATE gw_rows SET v = v + 1 WHERE k = ?",
                        {std::int64_t{k}});
  }
  // Until n jobs wait behind the running one, so that they make one batch.
  static void wait_for_queue(GroupWriter& writer, std::size_t n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (writer.waiting() < n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  static void wait_for(const std::atomic<bool>& flag) {
    while (!flag.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  // Runs the jobs as one batch (queued behind a job that waits for them)
  // and returns what each was answered.
  // ahead: each job's key for GroupWriterOptions::read_ahead (none if empty).
  static std::vector<std::exception_ptr> one_batch(GroupWriter& writer,
                                                   std::vector<GroupWriter::Work> jobs,
                                                   std::vector<std::string> ahead = {}) {
    std::atomic<bool> blocking{false};
    std::vector<std::promise<std::exception_ptr>> answered(jobs.size() + 1);
    const std::size_t n = jobs.size();
    writer.submit_then(
        [&](soci::session&) {
          blocking = true;
          wait_for_queue(writer, n);
          return true;
        },
        [&](std::exception_ptr failure) { answered[0].set_value(failure); });
    wait_for(blocking);
    for (std::size_t idx = 0; idx < n; ++idx) {
      writer.submit_then(
          std::move(jobs[idx]),
          [&answered, idx](std::exception_ptr failure) { answered[idx + 1].set_value(failure); },
          {}, idx < ahead.size() ? ahead[idx] : std::string{});
    }
    std::vector<std::exception_ptr> out;
    for (auto& each : answered) out.push_back(each.get_future().get());
    out.erase(out.begin());  // the job that waited
    return out;
  }
  std::string url_;
  Backend backend_ = Backend::postgresql;
  std::function<void(soci::session&, const std::vector<std::string>&)> read_ahead_;
};

TEST_F(GroupWriterTest, AJobWaitingForALockHeldElsewhereRunsAgainFirstInTheNextBatch) {
  auto held = store::open_session(url_);
  *held << "BEGIN";
  *held << "UPDATE gw_rows SET v = v + 100 WHERE k = 1";  // row 1 held by another transaction
  auto writer_ = writer();
  std::atomic<int> runs_of_second{0};
  std::atomic<bool> blocking{false};
  std::thread blocker([&] {
    writer_->submit([&](soci::session&) {
      blocking = true;
      wait_for_queue(*writer_, 3);  // the three jobs below make the next batch
      return true;
    });
  });
  wait_for(blocking);
  std::thread first([&] {
    writer_->submit([&](soci::session& sql) {
      add_one(sql, 2);
      return true;
    });
  });
  std::thread second([&] {
    while (writer_->waiting() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    writer_->submit([&](soci::session& sql) {
      ++runs_of_second;
      add_one(sql, 1);  // waits for the held row
      return true;
    });
  });
  std::thread third([&] {
    while (writer_->waiting() < 2) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    writer_->submit([&](soci::session& sql) {
      add_one(sql, 2);
      return true;
    });
  });
  blocker.join();
  // The batch committed without the job that gave up waiting (which runs
  // again at once, first of the next batch, and waits there as long as it
  // takes).
  // (A guard, not a timing: without giving up it would wait for ever.)
  std::atomic<bool> first_done{false};
  std::thread watch([&] {
    first.join();
    first_done = true;
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!first_done && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_TRUE(first_done.load()) << "the batch waited for the held row";
  EXPECT_GE(runs_of_second.load(), 1);
  if (!first_done) *held << "COMMIT";  // let everything finish
  watch.join();
  EXPECT_EQ(value(2), "1");
  if (first_done) *held << "COMMIT";
  second.join();
  third.join();
  EXPECT_EQ(runs_of_second.load(), 2);
  EXPECT_EQ(value(1), "101");  // the job's change kept once
  EXPECT_EQ(value(2), "2");
}

TEST_F(GroupWriterTest, TwoWritersTakingRowsInOppositeOrdersBothFinish) {
  // Two processes' writers: one batch takes row 1 then row 2, the other
  // row 2 then row 1. Waiting on each other would be a deadlock (one job
  // failed by the server after a second); the jobs after a batch's first
  // give up waiting instead and run again after their batch commits.
  auto one = writer();
  auto two = writer();
  std::mutex mutex;
  std::condition_variable both_ready;
  int ready = 0;
  std::atomic<bool> gated_one{false}, gated_two{false};
  auto gate = [&](GroupWriter& self, std::atomic<bool>& gated) {
    gated = true;
    wait_for_queue(self, 2);
    std::unique_lock lock(mutex);
    ++ready;
    both_ready.notify_all();
    both_ready.wait_for(lock, std::chrono::seconds(30), [&] { return ready == 2; });
  };
  std::atomic<int> failed{0};
  auto job = [&](GroupWriter& self, int k) {
    return std::thread([&self, k, &failed] {
      try {
        self.submit([k](soci::session& sql) {
          add_one(sql, k);
          // Held a while, so that the other batch runs into it.
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
          return true;
        });
      } catch (const std::exception&) {
        ++failed;
      }
    });
  };
  std::thread gate_one(
      [&] { one->submit([&](soci::session&) { return gate(*one, gated_one), true; }); });
  std::thread gate_two(
      [&] { two->submit([&](soci::session&) { return gate(*two, gated_two), true; }); });
  wait_for(gated_one);
  wait_for(gated_two);
  auto a1 = job(*one, 1);
  while (one->waiting() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto a2 = job(*one, 2);
  auto b1 = job(*two, 2);
  while (two->waiting() < 1) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto b2 = job(*two, 1);
  for (auto* thread : {&gate_one, &gate_two, &a1, &a2, &b1, &b2}) thread->join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(value(1), "2");
  EXPECT_EQ(value(2), "2");
}

TEST_F(GroupWriterTest, SubmitThenReturnsAtOnceAndAnswersAfterTheCommit) {
  // The writer busy with a first job until released: what is submitted
  // meanwhile waits in the queue, and submit_then must not.
  auto writer_ = writer();
  std::atomic<bool> busy{false}, released{false};
  std::thread first([&] {
    writer_->submit([&](soci::session&) {
      busy = true;
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
      while (!released.load() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return true;
    });
  });
  wait_for(busy);
  std::promise<std::pair<std::exception_ptr, std::string>> kept, refused;
  writer_->submit_then(
      [](soci::session& sql) {
        add_one(sql, 1);
        return true;
      },
      [&](std::exception_ptr failure) {
        kept.set_value({failure, value(1)});
      });
  writer_->submit_then(
      [](soci::session& sql) -> bool {
        add_one(sql, 2);
        throw std::runtime_error("refused by the job");
      },
      [&](std::exception_ptr failure) {
        refused.set_value({failure, value(2)});
      });
  // Both returned while the writer still runs the first job.
  EXPECT_FALSE(released.load());
  EXPECT_EQ(writer_->waiting(), 2u);
  released = true;
  first.join();
  // Answered once committed: the kept change is there when told,
  const auto [kept_failure, kept_value] = kept.get_future().get();
  EXPECT_EQ(kept_failure, nullptr);
  EXPECT_EQ(kept_value, "1");
  // and the job that threw is rolled back and handed its exception.
  const auto [refused_failure, refused_value] = refused.get_future().get();
  ASSERT_NE(refused_failure, nullptr);
  try {
    std::rethrow_exception(refused_failure);
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "refused by the job");
  }
  EXPECT_EQ(refused_value, "0");
}

TEST_F(GroupWriterTest, AnOwnersJobsAllRunOnOneWriterAndOthersShareTheWriters) {
  // Two writers; eight owners' jobs (a backer's pledges, which update the
  // backer's totals row) and jobs of no one, all queued at once. Each
  // owner's jobs must all run on the same writer thread (so that two
  // batches of one process never wait for the same owner's rows), while
  // the work as a whole is spread over both.
  auto writer_ = writer(2);
  std::mutex mutex;
  std::map<std::string, std::set<std::thread::id>> threads_of;
  std::atomic<int> answered{0};
  constexpr int kPerOwner = 12;
  const std::vector<std::string> owners = {"",     "ana",   "bruno",  "chloe", "driss",
                                           "emma", "farid", "gaelle", "hugo"};
  for (int round = 0; round < kPerOwner; ++round) {
    for (const auto& owner : owners) {
      writer_->submit_then(
          [&, owner](soci::session& sql) {
            add_one(sql, 1);
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            std::lock_guard lock(mutex);
            threads_of[owner].insert(std::this_thread::get_id());
            return true;
          },
          [&](std::exception_ptr failure) {
            EXPECT_EQ(failure, nullptr);
            ++answered;
          },
          owner);
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (answered.load() < kPerOwner * static_cast<int>(owners.size()) &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  ASSERT_EQ(answered.load(), kPerOwner * static_cast<int>(owners.size()));
  EXPECT_EQ(value(1), std::to_string(kPerOwner * owners.size()));
  std::set<std::thread::id> all;
  for (const auto& owner : owners) {
    all.insert(threads_of[owner].begin(), threads_of[owner].end());
    if (!owner.empty()) {
      EXPECT_EQ(threads_of[owner].size(), 1u) << owner;
    }
  }
  EXPECT_EQ(threads_of[""].size(), 2u);  // no owner: the writers in turn
  EXPECT_EQ(all.size(), 2u);
}

// Rows of many jobs held to the batch's end and written as one statement
// (store/native.hpp: a pledge's row and its transfer, on PostgreSQL).
constexpr store::HeldWrite kHeldNote{
    "INSERT INTO gw_held (k, note) VALUES (?, ?)",
    "INSERT INTO gw_held (k, note) SELECT k, note FROM unnest(?::text[], ?::text[]) "
    "WITH ORDINALITY AS r(k, note, i) ORDER BY i"};

class HeldRowsTest : public GroupWriterTest {
 protected:
  void SetUp() override {
    GroupWriterTest::SetUp();
    if (IsSkipped()) return;
    store::execute_for_tests(
        url_, "CREATE TABLE gw_held (n BIGSERIAL PRIMARY KEY, k TEXT NOT NULL UNIQUE, note TEXT)");
  }
  static void hold(soci::session& sql, const std::string& k, store::Param note = nullptr,
                   Backend backend = Backend::postgresql) {
    store::native_hold(sql, backend, kHeldNote, {k, std::move(note)});
  }
  static std::int64_t count(soci::session& sql, store::Held held) {
    return store::native_query(sql, Backend::postgresql, "SELECT count(*) FROM gw_held", {}, held)
        .at(0)
        .i64(0)
        .value;
  }
  // The rows' keys in the order they were written.
  std::string keys() {
    std::string out;
    for (const auto& row : store::query_for_tests(url_, "SELECT k FROM gw_held ORDER BY n"))
      out += (out.empty() ? "" : ",") + row.at(0);
    return out;
  }
};

TEST_F(HeldRowsTest, HeldRowsAreWrittenAsOneStatementBeforeWhatMaySeeThemAndKeepTheirOrder) {
  auto writer_ = writer();
  std::int64_t seen_by_unaffected = -1, seen_by_read = -1, seen_by_soci = -1;
  const auto failures = one_batch(
      *writer_,
      {[](soci::session& sql) { return hold(sql, "a", std::string("dit \"bonjour\" \\ à")), true; },
       [&](soci::session& sql) {
         hold(sql, "b");
         // A statement that says it does not need them: still held.
         seen_by_unaffected = count(sql, store::Held::unaffected);
         return true;
       },
       [&](soci::session& sql) {
         hold(sql, "c", std::string("{,}"));
         // Any other statement sees every row written before it.
         seen_by_read = count(sql, store::Held::release_first);
         return true;
       },
       [&](soci::session& sql) {
         hold(sql, "d");
         long long n = 0;
         sql << "SELECT count(*) FROM gw_held", soci::into(n);  // SOCI's, through the logger
         seen_by_soci = n;
         return true;
       },
       [](soci::session& sql) { return hold(sql, "e"), true; }});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  EXPECT_EQ(seen_by_unaffected, 0);
  EXPECT_EQ(seen_by_read, 3);
  EXPECT_EQ(seen_by_soci, 4);
  EXPECT_EQ(keys(), "a,b,c,d,e");
  // The texts arrive as written, through the array's quoting.
  EXPECT_EQ(store::query_for_tests(url_, "SELECT note FROM gw_held WHERE k = 'a'").at(0).at(0),
            "dit \"bonjour\" \\ à");
  EXPECT_EQ(store::query_for_tests(url_, "SELECT note FROM gw_held WHERE k = 'c'").at(0).at(0),
            "{,}");
  EXPECT_EQ(
      store::query_for_tests(url_, "SELECT count(*) FROM gw_held WHERE note IS NULL").at(0).at(0),
      "3");
}

TEST_F(HeldRowsTest, AJobRolledBackTakesItsOwnRowsAndGivesBackTheEarlierJobs) {
  auto writer_ = writer();
  const auto failures =
      one_batch(*writer_, {[](soci::session& sql) { return hold(sql, "a"), true; },
                           [](soci::session& sql) -> bool {
                             hold(sql, "b");
                             // Sends a and b inside this job's savepoint, then fails: its
                             // rollback takes both back, and a must still be written.
                             count(sql, store::Held::release_first);
                             throw std::runtime_error("refused by the job");
                           },
                           [](soci::session& sql) {
                             hold(sql, "c");
                             return false;  // rolled back without an error
                           },
                           [](soci::session& sql) { return hold(sql, "d"), true; }});
  EXPECT_EQ(failures[0], nullptr);
  EXPECT_NE(failures[1], nullptr);
  EXPECT_EQ(failures[2], nullptr);
  EXPECT_EQ(failures[3], nullptr);
  EXPECT_EQ(keys(), "a,d");
}

TEST_F(HeldRowsTest, HeldRowsThatFailTogetherAreWrittenAgainJobByJob) {
  store::execute_for_tests(url_, "INSERT INTO gw_held (k) VALUES ('taken')");
  auto writer_ = writer();
  std::atomic<int> runs_of_first{0};
  const auto failures =
      one_batch(*writer_, {[&](soci::session& sql) {
                             ++runs_of_first;
                             return hold(sql, "x"), true;
                           },
                           // Its row breaks the batch's statement, at the commit: whose row it
                           // was is unknown there, so the batch runs again, unheld.
                           [](soci::session& sql) { return hold(sql, "taken"), true; },
                           [](soci::session& sql) { return hold(sql, "y"), true; }});
  EXPECT_EQ(failures[0], nullptr);
  ASSERT_NE(failures[1], nullptr);  // only the job whose row is refused
  try {
    std::rethrow_exception(failures[1]);
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("duplicate key"), std::string::npos) << e.what();
  }
  EXPECT_EQ(failures[2], nullptr);
  EXPECT_EQ(runs_of_first.load(), 2);
  EXPECT_EQ(keys(), "taken,x,y");
}

TEST_F(HeldRowsTest, AJobsLastWriteThatFailsInTheNextJobsRoundTripFailsItAlone) {
  store::execute_for_tests(url_, "INSERT INTO gw_held (k) VALUES ('taken')");
  auto writer_ = writer();
  std::atomic<int> runs_of_next{0};
  const auto failures =
      one_batch(*writer_, {[](soci::session& sql) { return hold(sql, "a"), true; },
                           // Its last write is sent with the next job's first statement (after
                           // its savepoint's release), where it fails: not the next job's fault.
                           [](soci::session& sql) {
                             store::native_defer(sql, Backend::postgresql,
                                                 "INSERT INTO gw_held (k) VALUES ('taken')", {});
                             return true;
                           },
                           [&](soci::session& sql) {
                             ++runs_of_next;
                             hold(sql, "b");
                             return count(sql, store::Held::release_first) >= 0;
                           }});
  EXPECT_EQ(failures[0], nullptr);
  EXPECT_NE(failures[1], nullptr);
  EXPECT_EQ(failures[2], nullptr);
  EXPECT_EQ(runs_of_next.load(), 2);  // once more, in the batch run again
  EXPECT_EQ(keys(), "taken,a,b");
}

// Idempotency-Keys in a batch (app/idempotency.cpp through the store's
// transaction): claimed without a statement of their own and written with
// their answers as one held statement; a key that existed already fails
// that statement, and the batch runs again, claiming key by key.
class HeldKeysTest : public HeldRowsTest {
 protected:
  void SetUp() override {
    HeldRowsTest::SetUp();
    if (IsSkipped()) return;
    store::migrate(url_);
  }
  // A job asking once with key and request; work holds a row named by
  // its answer and counts its runs.
  GroupWriter::Work ask(const std::string& key, const std::string& request,
                        const std::string& answer, std::atomic<int>& runs,
                        std::optional<core::Result<app::Rendered>>& out) {
    return [=, &runs, &out, backend = backend_](soci::session& sql) {
      store::SqlTx tx(sql, store::SqlTx::Mode::read_write, backend);
      out = app::run_idempotent(tx, "u1", key, request, 1000, [&]() -> core::Result<app::Rendered> {
        ++runs;
        hold(sql, answer, nullptr, backend);
        return app::Rendered{201, answer};
      });
      return out->ok();
    };
  }
  // The same, whose work is refused (what an earlier request changed).
  GroupWriter::Work refused(const std::string& key, std::atomic<int>& runs,
                            std::optional<core::Result<app::Rendered>>& out) {
    return [=, &runs, &out, backend = backend_](soci::session& sql) {
      store::SqlTx tx(sql, store::SqlTx::Mode::read_write, backend);
      out = app::run_idempotent(tx, "u1", key, "h1", 1000, [&]() -> core::Result<app::Rendered> {
        ++runs;
        hold(sql, "refused " + key, nullptr, backend);
        return core::Error::conflict("already_done", "Done before.");
      });
      return out->ok();
    };
  }
  // A job whose work asks again with the same key (in the same
  // transaction, before the first answer): the second is told the first
  // still runs, and the first's answer is kept, with no second run.
  void asked_again_inside(const std::string& key) {
    auto writer_ = writer();
    std::optional<core::Result<app::Rendered>> outer, inner;
    int runs = 0;
    const auto failures = one_batch(*writer_, {[&, backend = backend_](soci::session& sql) {
      store::SqlTx tx(sql, store::SqlTx::Mode::read_write, backend);
      outer = app::run_idempotent(tx, "u1", key, "h1", 1000, [&]() -> core::Result<app::Rendered> {
        ++runs;
        inner = app::run_idempotent(tx, "u1", key, "h1", 1000, []() -> core::Result<app::Rendered> {
          return app::Rendered{201, "inner"};
        });
        return app::Rendered{201, "outer"};
      });
      return outer->ok();
    }});
    EXPECT_EQ(failures.at(0), nullptr);
    ASSERT_TRUE(outer && inner);
    ASSERT_FALSE(inner->ok());
    EXPECT_EQ(inner->error().code, "request_in_progress");
    EXPECT_EQ(runs, 1);
    EXPECT_EQ(keys_written(), key + ",h1,201,outer");
  }
  // A key of u1's for request h1, answered 201 "before" by an earlier batch.
  void answered_before(const std::string& key) {
    store::execute_for_tests(url_,
                             "INSERT INTO idempotency_keys (user_id, key, request_hash, status, "
                             "response, created_at) VALUES ('u1', '" +
                                 key + "', 'h1', 201, 'before', 1)");
  }
  std::string keys_written() {
    std::string out;
    for (const auto& row : store::query_for_tests(
             url_, "SELECT key, request_hash, status, response FROM idempotency_keys ORDER BY key"))
      out += (out.empty() ? "" : ";") + row.at(0) + "," + row.at(1) + "," + row.at(2) + "," +
             row.at(3);
    return out;
  }
};

TEST_F(HeldKeysTest, KeysOfABatchAreWrittenWithTheirAnswersAndOneAskedTwiceIsAnsweredOnce) {
  auto writer_ = writer();
  std::atomic<int> runs_a{0}, runs_again{0}, runs_b{0}, runs_other{0};
  std::optional<core::Result<app::Rendered>> a, again, b, other;
  std::int64_t keys_seen_unaffected = -1;
  const auto failures =
      one_batch(*writer_, {ask("ka", "h1", "first", runs_a, a),
                           [&](soci::session& sql) {
                             // Written with their answers at the end: a statement that says
                             // held rows do not concern it sees no key yet.
                             keys_seen_unaffected =
                                 store::native_query(sql, Backend::postgresql,
                                                     "SELECT count(*) FROM idempotency_keys", {},
                                                     store::Held::unaffected)
                                     .at(0)
                                     .i64(0)
                                     .value;
                             return ask("kb", "h2", "third", runs_b, b)(sql);
                           },
                           // The same key and request in the same batch: the first's answer
                           // (its claim sends the held keys first).
                           ask("ka", "h1", "second", runs_again, again),
                           // The same key for another request: refused, nothing written.
                           ask("kb", "h3", "fourth", runs_other, other)});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  ASSERT_TRUE(a && again && b && other);
  ASSERT_TRUE(a->ok() && again->ok() && b->ok());
  EXPECT_EQ((*a)->body, "first");
  EXPECT_EQ((*again)->body, "first");
  EXPECT_EQ((*b)->body, "third");
  ASSERT_FALSE(other->ok());
  EXPECT_EQ(other->error().code, "idempotency_key_reused");
  EXPECT_EQ(keys_seen_unaffected, 0);
  // Each work ran once: no key made the batch run again.
  EXPECT_EQ(runs_a.load(), 1);
  EXPECT_EQ(runs_again.load(), 0);
  EXPECT_EQ(runs_b.load(), 1);
  EXPECT_EQ(runs_other.load(), 0);
  EXPECT_EQ(keys(), "first,third");
  EXPECT_EQ(keys_written(), "ka,h1,201,first;kb,h2,201,third");
}

TEST_F(HeldKeysTest, AKeyAnsweredBeforeRunsTheBatchAgainAndIsAnsweredAsBefore) {
  answered_before("kr");
  auto writer_ = writer();
  std::atomic<int> runs_new{0}, runs_replayed{0};
  std::optional<core::Result<app::Rendered>> fresh, replayed;
  const auto failures = one_batch(*writer_, {ask("kn", "h1", "new", runs_new, fresh),
                                             ask("kr", "h1", "again", runs_replayed, replayed)});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  ASSERT_TRUE(fresh && replayed);
  ASSERT_TRUE(fresh->ok() && replayed->ok());
  EXPECT_EQ((*fresh)->body, "new");
  EXPECT_EQ((*replayed)->body, "before");  // the stored answer, not a second one
  // The claim said yes before the key was written: the work ran, its key
  // then failed the batch, which ran again, claiming key by key.
  EXPECT_EQ(runs_replayed.load(), 1);
  EXPECT_EQ(runs_new.load(), 2);
  EXPECT_EQ(keys(), "new");  // the replayed key's work left nothing
  EXPECT_EQ(keys_written(), "kn,h1,201,new;kr,h1,201,before");
}

TEST_F(HeldKeysTest, AKeyAnsweredBeforeWhoseWorkIsRefusedNowGetsItsFirstAnswer) {
  answered_before("kr");
  auto writer_ = writer();
  std::atomic<int> runs_new{0}, runs_replayed{0}, runs_fresh{0}, runs_after{0};
  std::optional<core::Result<app::Rendered>> fresh_ok, replayed, fresh_refused, after;
  // A retry whose work would now be refused (the first request made the
  // membership, sold the reward): its rollback finds the key, and the batch
  // runs again, where the retry is answered as the first time.
  auto failures = one_batch(*writer_, {ask("kn", "h1", "new", runs_new, fresh_ok),
                                       refused("kr", runs_replayed, replayed)});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  ASSERT_TRUE(fresh_ok && replayed);
  ASSERT_TRUE(fresh_ok->ok() && replayed->ok());
  EXPECT_EQ((*replayed)->status, 201);
  EXPECT_EQ((*replayed)->body, "before");
  EXPECT_EQ(runs_replayed.load(), 1);
  EXPECT_EQ(runs_new.load(), 2);
  // A new key whose work is refused: its refusal, the key left free, and
  // nothing run again.
  failures = one_batch(*writer_, {refused("kf", runs_fresh, fresh_refused),
                                  ask("ka", "h1", "after", runs_after, after)});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  ASSERT_TRUE(fresh_refused && after);
  ASSERT_FALSE(fresh_refused->ok());
  EXPECT_EQ(fresh_refused->error().code, "already_done");
  EXPECT_EQ(runs_fresh.load(), 1);
  EXPECT_EQ(runs_after.load(), 1);
  EXPECT_EQ(keys(), "new,after");
  EXPECT_EQ(keys_written(), "ka,h1,201,after;kn,h1,201,new;kr,h1,201,before");
}

TEST_F(HeldKeysTest, AKeyAskedAgainInsideItsOwnWorkIsStillRunning) {
  asked_again_inside("kd");
}

TEST_F(HeldKeysTest, AKeyClaimedOnTrustByAJobKeptWithoutAnAnswerStaysClaimed) {
  auto writer_ = writer();
  std::atomic<int> runs_kept{0}, runs_later{0};
  std::optional<core::Result<app::Rendered>> kept, later;
  const auto failures = one_batch(*writer_, {[&](soci::session& sql) {
                                               // Kept although its work was refused: as with a
                                               // claim's own statement, the key stays taken, with
                                               // no answer yet.
                                               refused("kk", runs_kept, kept)(sql);
                                               return true;
                                             },
                                             ask("kk", "h1", "later", runs_later, later)});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  ASSERT_TRUE(kept && later);
  EXPECT_FALSE(kept->ok());
  ASSERT_FALSE(later->ok());
  EXPECT_EQ(later->error().code, "request_in_progress");
  EXPECT_EQ(runs_later.load(), 0);
  EXPECT_EQ(keys_written(), "kk,h1,0,");
}

// The same on SQLite, whose one writer holds the database's write lock for
// the whole batch: a claim looks the key up, and the key is written once,
// with its answer (not inserted, then updated); nothing runs twice.
class SqliteKeysTest : public HeldKeysTest {
 protected:
  void SetUp() override {
    backend_ = Backend::sqlite;
    url_ = fresh_database_url("sqlite", "keys");
    store::migrate(url_);
    store::execute_for_tests(
        url_, "CREATE TABLE gw_held (n INTEGER PRIMARY KEY, k TEXT NOT NULL UNIQUE, note TEXT)");
  }
  // How many keys of that name are written, seen from inside a job.
  static std::int64_t written(soci::session& sql, const std::string& key) {
    return store::native_query(sql, Backend::sqlite,
                               "SELECT count(*) FROM idempotency_keys WHERE key = ?", {key})
        .at(0)
        .i64(0)
        .value;
  }
};

TEST_F(SqliteKeysTest, AClaimWritesNothingAndTheKeyIsWrittenOnceWithItsAnswer) {
  answered_before("kr");
  auto writer_ = writer();
  std::atomic<int> runs_a{0}, runs_again{0}, runs_other{0}, runs_replayed{0};
  std::optional<core::Result<app::Rendered>> a, again, other, replayed;
  std::int64_t written_during_work = -1;
  const auto failures = one_batch(
      *writer_,
      {[&](soci::session& sql) {
         store::SqlTx tx(sql, store::SqlTx::Mode::read_write, Backend::sqlite);
         a = app::run_idempotent(tx, "u1", "ka", "h1", 1000, [&]() -> core::Result<app::Rendered> {
           ++runs_a;
           written_during_work = written(sql, "ka");
           hold(sql, "first", nullptr, Backend::sqlite);
           return app::Rendered{201, "first"};
         });
         return a->ok();
       },
       ask("ka", "h1", "second", runs_again, again), ask("ka", "h3", "third", runs_other, other),
       ask("kr", "h1", "again", runs_replayed, replayed)});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  ASSERT_TRUE(a && again && other && replayed);
  ASSERT_TRUE(a->ok() && again->ok() && replayed->ok());
  EXPECT_EQ(written_during_work, 0);  // claimed by a look-up alone
  EXPECT_EQ((*a)->body, "first");
  EXPECT_EQ((*again)->body, "first");
  ASSERT_FALSE(other->ok());
  EXPECT_EQ(other->error().code, "idempotency_key_reused");
  EXPECT_EQ((*replayed)->body, "before");
  EXPECT_EQ(runs_a.load(), 1);
  EXPECT_EQ(runs_again.load() + runs_other.load() + runs_replayed.load(), 0);
  EXPECT_EQ(keys(), "first");
  EXPECT_EQ(keys_written(), "ka,h1,201,first;kr,h1,201,before");
}

TEST_F(SqliteKeysTest, AKeyAskedAgainInsideItsOwnWorkIsStillRunning) {
  asked_again_inside("kd");
}

TEST_F(SqliteKeysTest, ARefusedWorkLeavesTheKeyFreeAndAJobKeptWithoutAnAnswerKeepsItClaimed) {
  auto writer_ = writer();
  std::atomic<int> runs_refused{0}, runs_after{0}, runs_kept{0}, runs_later{0};
  std::optional<core::Result<app::Rendered>> refused_once, after, kept, later;
  const auto failures = one_batch(*writer_, {refused("kf", runs_refused, refused_once),
                                             ask("kf", "h1", "after", runs_after, after),
                                             [&](soci::session& sql) {
                                               refused("kk", runs_kept, kept)(sql);
                                               return true;  // kept all the same
                                             },
                                             ask("kk", "h1", "later", runs_later, later)});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  ASSERT_TRUE(refused_once && after && kept && later);
  ASSERT_FALSE(refused_once->ok());
  EXPECT_EQ(refused_once->error().code, "already_done");
  ASSERT_TRUE(after->ok());
  EXPECT_EQ((*after)->body, "after");
  ASSERT_FALSE(later->ok());
  EXPECT_EQ(later->error().code, "request_in_progress");
  EXPECT_EQ(runs_refused.load() + runs_after.load() + runs_kept.load(), 3);
  EXPECT_EQ(runs_later.load(), 0);
  EXPECT_EQ(keys(), "after,refused kk");
  EXPECT_EQ(keys_written(), "kf,h1,201,after;kk,h1,0,");
}

// A campaign read for its money by a batch's jobs (a batch's pledges
// mostly back one campaign): read once per batch, and each job still sees
// what the jobs before it left there, a change or a change rolled back;
// on PostgreSQL the first read's lock lasts the batch.
class KeptReadTest : public GroupWriterTest, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    backend_ = GetParam();
    if (backend_ == Backend::postgresql && !backend_available("postgresql"))
      GTEST_SKIP() << "set ESSOR_TEST_PG_URL";
    migrated(
        "kept",
        {"INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
         "wallet_id) VALUES ('admin', 'a@t.example', 'a@t.example', 'A', 'x', 1, 'wa')",
         "INSERT INTO orgs (id, name, legal_form, description, created_by, created_at) VALUES "
         "('o', 'Org', 'association', '', 'admin', 1)",
         "INSERT INTO campaigns (id, org_id, title, summary, description_md, category, kind, "
         "funding_model, status, goal_cents, ends_at, created_by, created_at) VALUES ('c0', 'o', "
         "'Avant', 'S', 'D', 'food', 'donation', 'keep_it_all', 'live', 100000, 9999999999999, "
         "'admin', 1)",
         "INSERT INTO calls (id, org_id, title, description_md, pool_cents, match_ratio_pct, "
         "cap_per_campaign_cents, opens_at, closes_at, regions, categories, legal_forms, "
         "committed_cents, created_by, created_at) VALUES ('call', 'o', 'Appel', 'D', 1000, 100, "
         "1000, 1, 9999999999999, '', '', '', 0, 'admin', 1)"});
  }
  // A job that changes what change says (nothing when empty), then reads
  // the campaign for its money into seen (its title, its organisation's
  // name, its matching call) with the statements the read took, and is
  // kept or rolled back as keep says.
  struct Seen {
    std::string what;
    std::uint64_t statements = 0;
  };
  GroupWriter::Work job(store::Sql change, Seen& seen, bool keep = true) {
    return [=, &seen, backend = backend_](soci::session& sql) {
      if (*change.text) store::native_query(sql, backend, change, {});
      store::SqlTx tx(sql, store::SqlTx::Mode::read_write, backend);
      const auto before = app::db_work_of_this_thread().statements;
      const auto read = tx.campaign_for_money(core::CampaignId{"c0"}, app::LockMode::shared);
      seen.statements = app::db_work_of_this_thread().statements - before;
      seen.what = read->campaign.title + "/" + read->org.value().name + "/" +
                  read->matching_call.value_or("-");
      return keep;
    };
  }
};

TEST_P(KeptReadTest, ABatchReadsACampaignOnceAndEachJobSeesWhatTheJobsBeforeItLeft) {
  auto writer_ = writer();
  Seen first, again, retitled, renamed_then_undone, after_undo, matched, kept;
  // Whether another transaction could lock the campaign to change it
  // while the batch went on with a kept read (PostgreSQL).
  bool locked_elsewhere = false;
  const auto url = url_;
  const auto failures = one_batch(
      *writer_,
      {job("", first), job("", again),
       [&, url](soci::session&) {
         if (GetParam() != Backend::postgresql) return true;
         auto other = store::open_session(url);
         try {
           *other << "SELECT 1 FROM campaigns WHERE id = 'c0' FOR UPDATE NOWAIT";
           locked_elsewhere = true;
         } catch (const std::exception& refused) {
           // Refused: the batch's first read still holds its
           // lock. Any other failure fails the job, and the test.
           if (std::string(refused.what()).find("could not obtain lock") == std::string::npos)
             throw;
         }
         return true;
       },
       job("UPDATE campaigns SET title = 'Après' WHERE id = 'c0'", retitled),
       job("UPDATE orgs SET name = 'Autre' WHERE id = 'o'", renamed_then_undone, false),
       job("", after_undo),
       job("INSERT INTO call_applications (call_id, campaign_id, status, matched_cents, "
           "applied_by, applied_at) VALUES ('call', 'c0', 'accepted', 0, 'admin', 1)",
           matched),
       job("", kept)});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  EXPECT_EQ(first.what, "Avant/Org/-");
  EXPECT_EQ(again.what, "Avant/Org/-");
  EXPECT_EQ(retitled.what, "Après/Org/-");
  EXPECT_EQ(renamed_then_undone.what, "Après/Autre/-");
  EXPECT_EQ(after_undo.what, "Après/Org/-");
  EXPECT_EQ(matched.what, "Après/Org/call");
  EXPECT_EQ(kept.what, "Après/Org/call");
  EXPECT_FALSE(locked_elsewhere);
  EXPECT_EQ(first.statements, 1u);
  EXPECT_EQ(again.statements, 0u);  // kept from the job before
  EXPECT_EQ(retitled.statements, 1u);
  EXPECT_EQ(after_undo.statements, 1u);
  EXPECT_EQ(matched.statements, 1u);
  EXPECT_EQ(kept.statements, 0u);
  // A new batch reads again: another connection may have changed it since.
  store::execute_for_tests(url_, "UPDATE campaigns SET title = 'Ailleurs' WHERE id = 'c0'");
  Seen next;
  EXPECT_EQ(one_batch(*writer_, {job("", next)}).at(0), nullptr);
  EXPECT_EQ(next.what, "Ailleurs/Org/call");
  EXPECT_EQ(next.statements, 1u);
}

// A batch's pledges on PostgreSQL each check their backer's session
// (Accounts::asker): the writer reads the batch's sessions in one
// statement at its start (read_sessions_ahead), and each job finds its
// own without a statement of its own, what one read alone finds.
class ReadAheadTest : public GroupWriterTest {
 protected:
  void SetUp() override {
    if (!backend_available("postgresql")) GTEST_SKIP() << "set ESSOR_TEST_PG_URL";
    read_ahead_ = store::read_sessions_ahead;
    migrated(
        "ahead",
        {"INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
         "wallet_id) VALUES ('u1', 'a@t.example', 'a@t.example', 'Anne', 'x', 1, 'w1'), ('u2', "
         "'b@t.example', 'b@t.example', 'Bruno', 'x', 2, 'w2')",
         // h3 expired at 3000; the last one's hash needs quoting in an array.
         "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES "
         "('h1', 'u1', 10, 9000, 11), ('h2', 'u2', 20, 9000, 21), ('h3', 'u1', 30, 3000, 31), "
         "('h4', 'u2', 40, 9000, 41), ('q\"\\,{} ', 'u2', 50, 9000, 51)"});
  }
  struct Seen {
    std::string who = "not run";
    std::uint64_t statements = 99;
  };
  static std::string seen_text(
      const std::optional<std::pair<app::SessionRecord, app::UserRecord>>& found) {
    if (!found) return "-";
    const auto& [session, user] = *found;
    return user.id + " " + user.email + " " + user.display_name + " " +
           std::to_string(user.created_at) + " " + user.wallet_id + " " + session.user_id + " " +
           std::to_string(session.created_at) + " " + std::to_string(session.expires_at) + " " +
           std::to_string(session.last_seen_at);
  }
  // A job that ends the session end names (none when empty), then looks
  // hash's up at now.
  static GroupWriter::Work check(std::string hash, Seen& seen, std::string end = "",
                                 app::TimestampMs now = 5000) {
    return [=, &seen](soci::session& sql) {
      store::SqlTx tx(sql, store::SqlTx::Mode::read_write, Backend::postgresql);
      if (!end.empty()) tx.delete_session(end);
      const auto before = app::db_work_of_this_thread().statements;
      const auto found = tx.live_session_with_user(hash, now);
      seen.statements = app::db_work_of_this_thread().statements - before;
      seen.who = seen_text(found);
      return true;
    };
  }
  // What a read outside any batch finds (an io thread's, on SQLite).
  std::string alone(const std::string& hash) {
    auto sql = store::open_session(url_);
    store::SqlTx tx(*sql, store::SqlTx::Mode::read_only, Backend::postgresql);
    auto found = seen_text(tx.live_session_with_user(hash, 5000));
    store::native_forget(*sql, Backend::postgresql);
    return found;
  }
};

TEST_F(ReadAheadTest, ABatchReadsItsSessionsInOneStatementAndEachJobFindsItsOwn) {
  const std::string quoted = "q\"\\,{} ";
  const std::string anne = alone("h1"), bruno = alone("h2"), odd = alone(quoted);
  EXPECT_EQ(anne, "u1 a@t.example Anne 1 w1 u1 10 9000 11");
  EXPECT_EQ(bruno, "u2 b@t.example Bruno 2 w2 u2 20 9000 21");
  EXPECT_EQ(odd, "u2 b@t.example Bruno 2 w2 u2 50 9000 51");
  EXPECT_EQ(alone("h3"), "-");  // expired
  auto writer_ = writer();
  Seen first, second, again, expired, unknown, odd_hash, not_ahead, ended, after_end;
  const auto failures =
      one_batch(*writer_,
                {check("h1", first), check("h2", second), check("h1", again), check("h3", expired),
                 check("nobody", unknown), check(quoted, odd_hash), check("h4", not_ahead),
                 check("h2", ended, "h2"), check("h1", after_end)},
                {"h1", "h2", "h1", "h3", "nobody", quoted, "", "h2", "h1"});
  for (const auto& failure : failures) EXPECT_EQ(failure, nullptr);
  EXPECT_EQ(first.who, anne);
  EXPECT_EQ(second.who, bruno);
  EXPECT_EQ(again.who, anne);
  EXPECT_EQ(expired.who, "-");
  EXPECT_EQ(unknown.who, "-");
  EXPECT_EQ(odd_hash.who, odd);
  EXPECT_EQ(not_ahead.who, "u2 b@t.example Bruno 2 w2 u2 40 9000 41");
  EXPECT_EQ(ended.who, "-");  // ended by its own job, before its look
  EXPECT_EQ(after_end.who, anne);
  // Read ahead: no statement of the job's own.
  for (const Seen* each : {&first, &second, &again, &expired, &unknown, &odd_hash})
    EXPECT_EQ(each->statements, 0u) << each->who;
  EXPECT_EQ(not_ahead.statements, 1u);
  // The end of a session forgets what was read ahead: read again.
  EXPECT_EQ(ended.statements, 1u);
  EXPECT_EQ(after_end.statements, 1u);
  EXPECT_EQ(alone("h2"), "-");
}

INSTANTIATE_TEST_SUITE_P(Databases, KeptReadTest,
                         ::testing::Values(Backend::sqlite, Backend::postgresql),
                         [](const auto& info) {
                           return info.param == Backend::sqlite ? "sqlite" : "postgresql";
                         });

}  // namespace
}  // namespace essor::testing
