#include "cli/config.hpp"

#include <gtest/gtest.h>

namespace essor::cli {
namespace {

TEST(Config, ListenAddresses) {
  std::string host;
  std::uint16_t port = 0;
  split_listen("127.0.0.1:8080", host, port);
  EXPECT_EQ(host, "127.0.0.1");
  EXPECT_EQ(port, 8080);
  split_listen("[::1]:9000", host, port);
  EXPECT_EQ(host, "::1");
  EXPECT_EQ(port, 9000);
  split_listen("localhost:0", host, port);
  EXPECT_EQ(host, "127.0.0.1");
  for (const char* bad : {"8080", ":8080", "host:", "host:70000", "host:80x"}) {
    EXPECT_THROW(split_listen(bad, host, port), std::invalid_argument) << bad;
  }
}

TEST(Config, AdminEmailsAreTrimmedAndLowerCased) {
  const auto emails = parse_admin_emails(" A@B.fr,, c@d.org ,");
  EXPECT_EQ(emails, (std::set<std::string>{"a@b.fr", "c@d.org"}));
  EXPECT_TRUE(parse_admin_emails("").empty());
}

TEST(Config, Switches) {
  EXPECT_TRUE(parse_switch("X", "on"));
  EXPECT_FALSE(parse_switch("X", "OFF"));
  EXPECT_THROW(parse_switch("X", "maybe"), std::invalid_argument);
}

}  // namespace
}  // namespace essor::cli

#include "store/database.hpp"

namespace essor::store {
namespace {

TEST(DatabaseUrl, PostgresqlUrlBecomesConninfo) {
  EXPECT_EQ(postgresql_conninfo(
                "postgresql://essor:s%40cret@db.local:5433/essor?options=-csearch_path%3Dt1"),
            "user='essor' password='s@cret' dbname='essor' host='db.local' port='5433' "
            "options='-csearch_path=t1' ");
  EXPECT_EQ(postgresql_conninfo("postgres://u:it's@h/d"),
            "user='u' password='it\\'s' dbname='d' host='h' ");
}

TEST(DatabaseUrl, BackendsAndBadUrls) {
  EXPECT_EQ(backend_of("sqlite:essor.db"), Backend::sqlite);
  EXPECT_EQ(backend_of("postgresql://u:p@h:5432/d"), Backend::postgresql);
  EXPECT_THROW(backend_of("mysql://x"), std::runtime_error);
  EXPECT_THROW(backend_of("essor.db"), std::runtime_error);
}

}  // namespace
}  // namespace essor::store
