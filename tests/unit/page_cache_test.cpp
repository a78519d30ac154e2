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

// A page kept for signed-in readers: each marker becomes a hole, filled
// with that hole's value wherever it was, in any order and side by side.
TEST_F(PageCacheTest, HolesAreFilledWhereTheirMarkersWere) {
  Response response;
  response.content_type = "text/html; charset=utf-8";
  response.body = "<a>TOKENxx</a>NAVxx<b>KEYxx</b>NAVxxTOKENxx<c></c>";
  const std::vector<std::string> markers = {"TOKENxx", "NAVxx", "KEYxx"};
  const auto kept =
      cache.keep("reader fr /", generation, response, markers,
                 app::ReaderQuestion{core::OrgId{"org-1"}, core::Subject::campaign, "c-1"});
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->question().org_id, "org-1");
  EXPECT_EQ(kept->question().follow_id, "c-1");
  const std::vector<std::string> values = {"t1", "<nav>", "k-9"};
  EXPECT_EQ(kept->filled(values).body, "<a>t1</a><nav><b>k-9</b><nav>t1<c></c>");
  const std::vector<std::string> others = {"t2", "", "k-10"};
  EXPECT_EQ(cache.find("reader fr /")->filled(others).body, "<a>t2</a><b>k-10</b>t2<c></c>");
  // Never more than eight holes, and never without the token's.
  EXPECT_FALSE(cache.keep("x", generation, response, std::vector<std::string>(9, "m"), {}));
  EXPECT_FALSE(cache.keep("x", generation, response, std::vector<std::string>{""}, {}));
}

// A reader's parts are kept on the pages' terms, and never past the end of
// their session.
TEST_F(PageCacheTest, AReadersPartsGoStaleWithAWriteTimeOrTheirSession) {
  app::ReaderParts parts;
  parts.who.user_id = core::UserId{"u-1"};
  parts.unread = 3;
  parts.session_expires_at = core::TimestampMs{now + 5000};
  cache.keep_reader("hash\norg", generation, parts);
  ASSERT_TRUE(cache.find_reader("hash\norg"));
  EXPECT_EQ(cache.find_reader("hash\norg")->unread, 3);
  EXPECT_FALSE(cache.find_reader("other\norg"));
  ++generation;  // a logout, a follow, a pledge…
  EXPECT_FALSE(cache.find_reader("hash\norg"));
  cache.keep_reader("hash\norg", generation, parts);
  now += 1001;
  EXPECT_FALSE(cache.find_reader("hash\norg"));
  parts.session_expires_at = core::TimestampMs{now + 500};
  cache.keep_reader("hash\norg", generation, parts);
  now += 500;  // the session ends now
  EXPECT_FALSE(cache.find_reader("hash\norg"));
}

}  // namespace
}  // namespace essor::web
