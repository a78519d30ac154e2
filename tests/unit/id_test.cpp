#include "core/id.hpp"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_set>

namespace essor::core {
namespace {

// What the mix-ups in tests/compile/id_mixups.cpp must not do, seen from
// the type traits: text becomes an id only explicitly, kinds never convert.
static_assert(std::is_constructible_v<UserId, std::string>);
static_assert(!std::is_convertible_v<std::string, UserId>);
static_assert(!std::is_convertible_v<const char*, UserId>);
static_assert(!std::is_constructible_v<UserId, OrgId>);
static_assert(!std::is_convertible_v<OrgId, UserId>);
static_assert(!std::is_assignable_v<CampaignId&, OrgId>);
static_assert(!std::is_convertible_v<CampaignId, ProposalId>);
static_assert(!std::is_constructible_v<CourseId, LessonId>);
static_assert(!std::is_convertible_v<std::optional<std::string>, std::optional<UserId>>);
// Reading one as text stays implicit (SQL parameters, URLs, JSON).
static_assert(std::is_convertible_v<UserId, const std::string&>);
static_assert(std::is_convertible_v<UserId, std::string_view>);

TEST(Ids, CompareOrderAndHashAsTheirText) {
  const UserId anna{"anna"}, bob{std::string("bob")};
  EXPECT_EQ(anna, UserId{"anna"});
  EXPECT_NE(anna, bob);
  EXPECT_LT(anna, bob);
  EXPECT_TRUE(anna == "anna");             // text from outside meets an id
  EXPECT_TRUE(std::string("bob") == bob);  // either way round
  EXPECT_TRUE(bob != std::string("anna"));
  EXPECT_FALSE(anna == std::string_view("bob"));
  std::map<UserId, int> votes{{bob, 2}, {anna, 1}};
  EXPECT_EQ(votes.begin()->first, anna);
  std::unordered_set<UserId> seen{anna, bob, UserId{"anna"}};
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_TRUE(UserId{}.empty());
  EXPECT_EQ(anna.size(), 4u);
}

TEST(Ids, ReadAsTextWherePrintedOrStored) {
  const OrgId org{"o-42"};
  EXPECT_EQ("/orgs/" + org + "/members", "/orgs/o-42/members");
  EXPECT_EQ(org + "#x", "o-42#x");
  std::ostringstream out;
  out << org;
  EXPECT_EQ(out.str(), "o-42");
  const std::string& text = org;
  EXPECT_EQ(text, "o-42");

  nlohmann::json json{{"org_id", org}};
  EXPECT_EQ(json.dump(), R"({"org_id":"o-42"})");
  EXPECT_EQ(json["org_id"].get<OrgId>(), org);

  EXPECT_EQ(optional_id<CampaignId>(std::nullopt), std::nullopt);
  EXPECT_EQ(optional_id<CampaignId>(std::optional<std::string>("c-1")), CampaignId{"c-1"});
}

}  // namespace
}  // namespace essor::core
