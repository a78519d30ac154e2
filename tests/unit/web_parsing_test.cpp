#include <gtest/gtest.h>

#include "core/atom.hpp"
#include "core/validation.hpp"
#include "web/form.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/router.hpp"

namespace essor::web {
namespace {

TEST(PercentDecode, DecodesAndRejectsMalformedEscapes) {
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_EQ(percent_decode("%C3%A9", false), "é");
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("%2", false));
  EXPECT_FALSE(percent_decode("%zz", false));
}

TEST(BarChart, LabelsAreWholeCharactersAboveBarsInProportion) {
  // 1 + 30 two-byte characters: a cut by bytes would split one.
  std::string long_name = "R";
  for (int i = 0; i < 30; ++i) long_name += "é";
  long_name += " & <toit>, un nom plus long que la ligne";
  const auto svg = bar_chart({{long_name, 20}, {"Café", 5}, {"Rien", 0}});
  EXPECT_TRUE(core::is_valid_utf8(svg));
  EXPECT_NE(svg.find(core::xml_escape(core::utf8_prefix(long_name, 40)) + "</text>"),
            std::string::npos);
  EXPECT_EQ(svg.find("<toit>"), std::string::npos);
  EXPECT_NE(svg.find("width=\"320\""), std::string::npos);  // the most, the full bar
  EXPECT_NE(svg.find("width=\"80\""), std::string::npos);   // a quarter of it
  EXPECT_NE(svg.find("width=\"1\""), std::string::npos);    // none: a hairline
  // Each bar starts under its label, at the left edge.
  EXPECT_EQ(svg.find("<rect x=\"0\""), svg.find("<rect"));
}

TEST(Urlencoded, FirstValueWinsAndFieldsAreBounded) {
  auto form = parse_urlencoded("a=1&b=x+y&a=2&&c");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->at("a"), "1");
  EXPECT_EQ(form->at("b"), "x y");
  EXPECT_EQ(form->at("c"), "");
  std::string many;
  for (std::size_t idx = 0; idx <= kMaxFields; ++idx) many += "f" + std::to_string(idx) + "=1&";
  EXPECT_FALSE(parse_urlencoded(many));
  EXPECT_FALSE(parse_urlencoded("a=%G1"));
}

TEST(Urlencoded, AnAddresssQueryKeepsAMalformedEscapeAsItIs) {
  auto query = parse_urlencoded("q=100%&a=%G1&b=%4&c=%41%2", true);
  ASSERT_TRUE(query);
  EXPECT_EQ(query->at("q"), "100%");
  EXPECT_EQ(query->at("a"), "%G1");
  EXPECT_EQ(query->at("b"), "%4");
  EXPECT_EQ(query->at("c"), "A%2");
  EXPECT_FALSE(parse_urlencoded("q=100%"));  // a form's body stays strict
  EXPECT_EQ(percent_decode("%%41", false, true), "%A");
}

TEST(Multipart, ReadsFieldsAndFilesAndRefusesJunk) {
  const std::string body =
      "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
      "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.png\"\r\n"
      "Content-Type: image/png\r\n\r\nbin\r\nary\r\n--b--\r\n";
  auto fields = parse_multipart("multipart/form-data; boundary=b", body);
  ASSERT_TRUE(fields);
  EXPECT_EQ(fields->at("a"), "one");
  EXPECT_EQ(fields->at("file"), "bin\r\nary");
  EXPECT_FALSE(parse_multipart("text/plain", body));
  EXPECT_FALSE(parse_multipart("multipart/form-data", body));
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=b", "--b\r\nno end"));
  EXPECT_FALSE(parse_multipart("multipart/form-data; boundary=zz", body));
}

TEST(Cookies, ParsesPairsAndSkipsJunk) {
  auto cookies = parse_cookies(" a=1; b=\"two\" ;junk; =x; c=3=3");
  EXPECT_EQ(cookies.at("a"), "1");
  EXPECT_EQ(cookies.at("b"), "two");
  EXPECT_EQ(cookies.at("c"), "3=3");
  EXPECT_EQ(cookies.count("junk"), 0u);
  EXPECT_EQ(cookies.count(""), 0u);
}

TEST(Router, MatchesPatternsAndCapturesDecodedSegments) {
  Router router;
  router.add("GET", "/orgs/{id}", [](Request&) { return text_response(200, "org"); });
  router.add("DELETE", "/orgs/{id}/members/{user_id}",
             [](Request&) { return text_response(204, ""); });
  router.add("GET", "/", [](Request&) { return text_response(200, "home"); });
  Request request;
  request.method = "GET";
  request.path = "/orgs/a%20b";
  auto match = router.match(request);
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(request.params.at("id"), "a b");
  EXPECT_EQ(match.pattern, "/orgs/{id}");

  request.method = "POST";
  EXPECT_EQ(router.match(request).outcome, RouteMatch::Outcome::method_not_allowed);
  request.method = "GET";
  for (const char* path : {"/orgs/", "/orgs", "/orgs/x/y", "/orgs/%zz", "//orgs/x"}) {
    request.path = path;
    EXPECT_EQ(router.match(request).outcome, RouteMatch::Outcome::not_found) << path;
  }
  request.path = "/";
  EXPECT_EQ(router.match(request).outcome, RouteMatch::Outcome::found);
  request.method = "HEAD";
  EXPECT_EQ(router.match(request).outcome, RouteMatch::Outcome::found);
  request.method = "DELETE";
  request.path = "/orgs/o1/members/u1";
  ASSERT_EQ(router.match(request).outcome, RouteMatch::Outcome::found);
  EXPECT_EQ(request.params.at("user_id"), "u1");
}

TEST(Language, CookieThenAcceptLanguageThenFrench) {
  Request request;
  EXPECT_EQ(negotiate_language(request), "fr");
  request.headers = {{"accept-language", "en-US,en;q=0.9"}};
  EXPECT_EQ(negotiate_language(request), "en");
  request.headers = {{"accept-language", "de-DE, en;q=0.5, fr;q=0.6"}};
  EXPECT_EQ(negotiate_language(request), "fr");
  request.headers = {{"accept-language", "english"}};
  EXPECT_EQ(negotiate_language(request), "fr");
  request.headers = {{"accept-language", "en"}, {"cookie", "essor_lang=fr"}};
  EXPECT_EQ(negotiate_language(request), "fr");
  request.headers = {{"cookie", "essor_lang=xx"}};
  EXPECT_EQ(negotiate_language(request), "fr");
}

}  // namespace
}  // namespace essor::web
