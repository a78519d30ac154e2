// The gathering VFS (store/sqlite_gather.hpp): the store's SQLite writer
// writes a commit's WAL frames together, and what it commits is in the
// file, whole, for every other connection (which open the file through
// SQLite's own VFS), whatever the commit's size; frames SQLite writes
// before a commit (its page cache spilling) are read back right, and
// dropped with a rollback.
#include "store/sqlite_gather.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace essor::testing {
namespace {

struct Db {
  explicit Db(const std::string& name) {
    if (sqlite3_open_v2(name.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
        SQLITE_OK)
      throw std::runtime_error("cannot open " + name + ": " + sqlite3_errmsg(db));
    sqlite3_busy_timeout(db, 10000);
  }
  ~Db() { sqlite3_close(db); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  void run(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error(sql + ": " + message);
    }
  }
  std::string one(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
    std::string out;
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(st, 0);
      out = text ? reinterpret_cast<const char*>(text) : "";
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
    return out;
  }
  sqlite3* db = nullptr;
};

class SqliteGatherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("essor-gather-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "essor.db").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // The writer as the store opens it, and a reader through the default VFS.
  static void prepare(Db& writer) {
    writer.run("PRAGMA journal_mode = WAL");
    writer.run("PRAGMA synchronous = FULL");
    writer.run("PRAGMA wal_autocheckpoint = 0");
    writer.run("CREATE TABLE IF NOT EXISTS t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(SqliteGatherTest, ACommitOfManyWritesIsWholeForAnotherConnection) {
  Db writer(store::gathering_uri(path_));
  prepare(writer);
  Db reader(path_);
  // About 2 MiB of frames in one commit: many times what one write() takes.
  writer.run("BEGIN");
  writer.run(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 4000) "
      "INSERT INTO t SELECT i, printf('%0500d', i) FROM n");
  writer.run("COMMIT");
  EXPECT_EQ(reader.one("SELECT count(*) FROM t"), "4000");
  EXPECT_EQ(reader.one("SELECT sum(CAST(v AS INTEGER)) FROM t"), "8002000");
  EXPECT_EQ(reader.one("PRAGMA integrity_check"), "ok");
  // The frames are in the WAL's file itself, not only in the writer.
  EXPECT_GT(std::filesystem::file_size(path_ + "-wal"), 4000u * 500u);
}

TEST_F(SqliteGatherTest, EveryCommitIsSeenAtOnceByAnotherConnection) {
  Db writer(store::gathering_uri(path_));
  prepare(writer);
  Db reader(path_);
  for (int idx = 1; idx <= 200; ++idx) {
    writer.run("BEGIN IMMEDIATE");
    writer.run("SAVEPOINT job");
    writer.run("INSERT INTO t VALUES (" + std::to_string(idx) + ", printf('%0300d', " +
               std::to_string(idx) + "))");
    writer.run("RELEASE SAVEPOINT job");
    writer.run("COMMIT");
    ASSERT_EQ(reader.one("SELECT max(k) FROM t"), std::to_string(idx));
    ASSERT_EQ(reader.one("SELECT CAST(v AS INTEGER) FROM t WHERE k = " + std::to_string(idx)),
              std::to_string(idx));
  }
  EXPECT_EQ(reader.one("PRAGMA integrity_check"), "ok");
}

TEST_F(SqliteGatherTest, PagesSpilledBeforeTheCommitAreReadBackAndARollbackDropsThem) {
  Db writer(store::gathering_uri(path_));
  prepare(writer);
  writer.run("PRAGMA cache_size = 10");  // a few pages: a large transaction spills to the WAL
  Db reader(path_);
  writer.run("BEGIN");
  writer.run(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
      "INSERT INTO t SELECT i, printf('%0400d', i) FROM n");
  // Read back and rewritten: the spilled pages come back from the WAL.
  writer.run("UPDATE t SET v = printf('%0400d', k * 2)");
  EXPECT_EQ(writer.one("SELECT sum(CAST(v AS INTEGER)) FROM t"), "9003000");
  writer.run("ROLLBACK");
  EXPECT_EQ(reader.one("SELECT count(*) FROM t"), "0");
  writer.run("BEGIN");
  writer.run(
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) "
      "INSERT INTO t SELECT i, printf('%0400d', i) FROM n");
  writer.run("UPDATE t SET v = printf('%0400d', k * 3)");
  writer.run("COMMIT");
  EXPECT_EQ(reader.one("SELECT sum(CAST(v AS INTEGER)) FROM t"), "13504500");
  EXPECT_EQ(reader.one("PRAGMA integrity_check"), "ok");
}

TEST_F(SqliteGatherTest, ACheckpointAndAWalWrittenFromItsStartAgainKeepEveryCommit) {
  Db writer(store::gathering_uri(path_));
  prepare(writer);
  Db reader(path_);
  for (int round = 0; round < 3; ++round) {
    for (int idx = 1; idx <= 50; ++idx) {
      const int k = round * 50 + idx;
      writer.run("INSERT INTO t VALUES (" + std::to_string(k) + ", printf('%0300d', " +
                 std::to_string(k) + "))");
    }
    // As the store's writer does between batches (restart_wal).
    writer.run("PRAGMA wal_checkpoint(RESTART)");
  }
  EXPECT_EQ(reader.one("SELECT count(*) FROM t"), "150");
  EXPECT_EQ(reader.one("SELECT sum(k) FROM t"), "11325");
  EXPECT_EQ(reader.one("PRAGMA integrity_check"), "ok");
}

TEST_F(SqliteGatherTest, AFileWhoseNameHasUriSignsIsTheSameFile) {
  const auto odd = dir_ / "a?b#c%d";
  std::filesystem::create_directories(odd);
  const std::string path = (odd / "essor.db").string();
  {
    Db writer(store::gathering_uri(path));
    prepare(writer);
    writer.run("INSERT INTO t VALUES (7, 'seven')");
  }
  Db reader(path);
  EXPECT_EQ(reader.one("SELECT v FROM t WHERE k = 7"), "seven");
}

}  // namespace
}  // namespace essor::testing
