// HTTP Signatures' pieces on known inputs (the draft-cavage examples'
// shapes), HTTP dates, and organisations' handles.
#include "core/http_signature.hpp"

#include <gtest/gtest.h>

#include <map>

namespace essor::core {
namespace {

TEST(HttpSignatureTest, TheSignatureHeaderIsReadWhateverTheOrder) {
  const auto params =
      parse_signature(R"(keyId="https://a.example/users/x#main-key",algorithm="rsa-sha256",)"
                      R"(headers="(request-target) host date digest",signature="c2lnbmF0dXJl")");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->key_id, "https://a.example/users/x#main-key");
  EXPECT_EQ(params->algorithm, "rsa-sha256");
  EXPECT_EQ(params->headers,
            (std::vector<std::string>{"(request-target)", "host", "date", "digest"}));
  EXPECT_EQ(params->signature, "c2lnbmF0dXJl");
  const auto reordered = parse_signature(R"(signature="abc=", keyId="k")");
  ASSERT_TRUE(reordered);
  EXPECT_EQ(reordered->headers, std::vector<std::string>{"date"});  // the draft's default
  EXPECT_FALSE(parse_signature(R"(keyId="k")"));
  EXPECT_FALSE(parse_signature(R"(keyId=k,signature="s")"));
  EXPECT_FALSE(parse_signature(R"(keyId="k,signature="s)"));
  EXPECT_FALSE(parse_signature(""));
}

TEST(HttpSignatureTest, TheSigningStringHasTheHeadersInTheirOrder) {
  const std::map<std::string, std::string> headers = {{"host", "essor.example"},
                                                      {"date", "Thu, 03 Dec 2026 10:00:00 GMT"},
                                                      {"digest", " SHA-256=x "}};
  auto value = [&](const std::string& name) -> std::optional<std::string> {
    auto it = headers.find(name);
    if (it == headers.end()) return std::nullopt;
    return it->second;
  };
  EXPECT_EQ(signing_string({"(request-target)", "host", "date", "digest"}, "POST",
                           "/ap/orgs/1/inbox", value),
            "(request-target): post /ap/orgs/1/inbox\nhost: essor.example\ndate: Thu, 03 Dec "
            "2026 10:00:00 GMT\ndigest: SHA-256=x");
  EXPECT_FALSE(signing_string({"host", "content-type"}, "POST", "/", value));
}

TEST(HttpSignatureTest, HttpDatesRoundTrip) {
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(http_date(1'796'292'000'000), "Thu, 03 Dec 2026 10:00:00 GMT");
  EXPECT_EQ(parse_http_date("Thu, 03 Dec 2026 10:00:00 GMT"), 1'796'292'000'000);
  EXPECT_EQ(http_date(951'782'400'000), "Tue, 29 Feb 2000 00:00:00 GMT");
  for (TimestampMs t = 0; t < 4'000'000'000'000; t += 123'456'789'000)
    EXPECT_EQ(parse_http_date(http_date(t)), t);
  EXPECT_FALSE(parse_http_date("2026-12-03T10:00:00Z"));
  EXPECT_FALSE(parse_http_date("Thu, 03 Dex 2026 10:00:00 GMT"));
  EXPECT_FALSE(parse_http_date("Thu, 03 Dec 2026 25:00:00 GMT"));
}

TEST(HttpSignatureTest, HandlesAreFediverseUserNames) {
  EXPECT_EQ(handle_of("La Ressourcerie"), "la_ressourcerie");
  EXPECT_EQ(handle_of("Amis du fédivers"), "amis_du_fedivers");
  EXPECT_EQ(handle_of("Œuvre de l'Île-de-France"), "oeuvre_de_l_ile_de_france");
  EXPECT_EQ(handle_of("Région Auvergne-Rhône-Alpes"), "region_auvergne_rhone_alpes");
  EXPECT_EQ(handle_of("???"), "org");
  EXPECT_LE(handle_of(std::string(100, 'a')).size(), 30u);
}

}  // namespace
}  // namespace essor::core
