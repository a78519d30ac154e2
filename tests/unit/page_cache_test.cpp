// The page cache's rules, without a server (web/page_cache.hpp).
#include "web/page_cache.hpp"

#include <gtest/gtest.h>

namespace essor::web {
namespace {

class PageCacheTest : public ::testing::Test {
 protected:
  std::uint64_t generation = 1;
  std::int64_t now = 1'000'000;
  PageCache cache{[this] { return generation; }, [this] { return now; }, {4, 1000}};

  static Response page(const std::string& token) {
    Response response;
    response.content_type = "text/html; charset=utf-8";
    response.body =
        "<form><input name=\"_csrf\" value=\"" + token + "\"></form><p>" + token + "</p>";
    response.header("Cache-Control", "no-store");
    response.header("Set-Cookie", "essor_csrf=" + token + "; Path=/; HttpOnly; SameSite=Lax");
    return response;
  }
};

TEST_F(PageCacheTest, EachVisitorGetsTheirOwnTokenAndNoCookie) {
  cache.keep("fr /", generation, page("AAAAtokenOfTheFirstVisitor"), "AAAAtokenOfTheFirstVisitor");
  auto found = cache.find("fr /");
  ASSERT_TRUE(found);
  auto kept = found->with_token("BBBBanotherVisitorsToken");
  EXPECT_EQ(kept.body, page("BBBBanotherVisitorsToken").body);
  ASSERT_EQ(kept.headers.size(), 1u);
  EXPECT_EQ(kept.headers[0].first, "Cache-Control");
  EXPECT_EQ(kept.content_type, "text/html; charset=utf-8");
  EXPECT_FALSE(cache.find("en /"));
}

TEST_F(PageCacheTest, AWriteOrTimeMakesItStale) {
  cache.keep("fr /", generation, page("token-one-token-one"), "token-one-token-one");
  ++generation;
  EXPECT_FALSE(cache.find("fr /"));
  cache.keep("fr /", generation, page("token-one-token-one"), "token-one-token-one");
  now += 1000;
  EXPECT_TRUE(cache.find("fr /"));
  now += 1;
  EXPECT_FALSE(cache.find("fr /"));
  now -= 5000;  // a clock set back
  EXPECT_FALSE(cache.find("fr /"));
}

TEST_F(PageCacheTest, RenderedBeforeAWriteIsNeverServed) {
  const auto read_at = generation;
  ++generation;  // a write while the page was being rendered
  cache.keep("fr /", read_at, page("token-one-token-one"), "token-one-token-one");
  EXPECT_FALSE(cache.find("fr /"));
}

TEST_F(PageCacheTest, PersonalOrFailedAnswersAreNotKept) {
  auto with_session = page("token-one-token-one");
  with_session.header("Set-Cookie", "essor_session=abc; Path=/");
  cache.keep("fr /a", generation, with_session, "token-one-token-one");
  EXPECT_FALSE(cache.find("fr /a"));
  auto missing = page("token-one-token-one");
  missing.status = 404;
  cache.keep("fr /b", generation, missing, "token-one-token-one");
  EXPECT_FALSE(cache.find("fr /b"));
}

TEST_F(PageCacheTest, MemoryIsBounded) {
  for (int index = 0; index < 4; ++index) {
    cache.keep("fr /" + std::to_string(index), generation, page("tok-tok-tok"), "tok-tok-tok");
  }
  EXPECT_TRUE(cache.find("fr /0"));
  cache.keep("fr /4", generation, page("tok-tok-tok"), "tok-tok-tok");  // full: starts again
  EXPECT_FALSE(cache.find("fr /0"));
  EXPECT_TRUE(cache.find("fr /4"));
}

}  // namespace
}  // namespace essor::web
