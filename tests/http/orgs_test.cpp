// Spec "Organisations", on every database, including the authorization
// matrix (role × action) and another organisation's resources.
#include <set>

#include "support/test_server.hpp"

namespace essor::testing {
namespace {

using Json = nlohmann::json;

class OrgsTest : public ServerTest {
 protected:
  Json get_org(const std::string& id) {
    return http().json("GET", "/api/v1/orgs/" + id).json()["org"];
  }
  Json members(const std::string& id) {
    return http().json("GET", "/api/v1/orgs/" + id + "/members").json();
  }
};

TEST_P(OrgsTest, CreatorBecomesAdmin) {
  const auto ana = signup("ana");
  auto res = http().json("POST", "/api/v1/orgs",
                         {{"name", "  La Ressourcerie  "},
                          {"legal_form", "scic"},
                          {"description", "Réemploi"},
                          {"siren", "628 194 821"},
                          {"region", "Bretagne"},
                          {"department", "29"},
                          {"unknown_field", true}},
                         ana.token);
  ASSERT_EQ(res.status, 201) << res.body;
  const auto org = res.json()["org"];
  EXPECT_EQ(org["name"], "La Ressourcerie");
  EXPECT_EQ(org["legal_form"], "scic");
  EXPECT_EQ(org["siren"], "628194821");
  EXPECT_EQ(org["department"], "29");
  EXPECT_TRUE(org["iban"].is_null());
  EXPECT_EQ(get_org(org["id"]), org);
  const auto list = members(org["id"]);
  ASSERT_EQ(list["items"].size(), 1u);
  EXPECT_EQ(list["items"][0]["user_id"], ana.id);
  EXPECT_EQ(list["items"][0]["role"], "admin");
  EXPECT_EQ(list["items"][0]["display_name"], "ana");
  EXPECT_TRUE(list["next"].is_null());
}

TEST_P(OrgsTest, CreationValidatesAndNeedsAuthentication) {
  const auto ana = signup("ana");
  expect_error(http().json("POST", "/api/v1/orgs", {{"name", "X"}, {"legal_form", "association"}}),
               401, "unauthenticated");
  const std::vector<std::pair<Json, std::string>> cases = {
      {{{"legal_form", "association"}}, "name"},
      {{{"name", ""}, {"legal_form", "association"}}, "name"},
      {{{"name", "X"}}, "legal_form"},
      {{{"name", "X"}, {"legal_form", "sarl"}}, "legal_form"},
      {{{"name", "X"}, {"legal_form", "association"}, {"siren", "628194822"}}, "siren"},
      {{{"name", "X"}, {"legal_form", "association"}, {"siren", "12345678"}}, "siren"},
      {{{"name", std::string(201, 'n')}, {"legal_form", "association"}}, "name"},
  };
  for (const auto& [body, field] : cases) {
    auto res = http().json("POST", "/api/v1/orgs", body, ana.token);
    expect_error(res, 400, "validation_failed");
    EXPECT_TRUE(res.json()["error"]["fields"].contains(field)) << body.dump() << " → " << res.body;
  }
  expect_error(
      http().request("POST", "/api/v1/orgs", "{oops", {{"Authorization", "Bearer " + ana.token}}),
      400, "invalid_json");
  // Nothing was created by any of the failures.
  auto home = http().get("/");
  EXPECT_EQ(home.body.find("<h3><a href=\"/orgs/"), std::string::npos);
}

TEST_P(OrgsTest, UnknownOrganisationIs404) {
  const auto ana = signup("ana");
  expect_error(http().json("GET", "/api/v1/orgs/nope"), 404, "not_found");
  expect_error(http().json("GET", "/api/v1/orgs/nope/members"), 404, "not_found");
  expect_error(http().json("PATCH", "/api/v1/orgs/nope", Json{{"name", "X"}}, ana.token), 404,
               "not_found");
  expect_error(http().json("POST", "/api/v1/orgs/nope/members",
                           {{"email", ana.email}, {"role", "member"}}, ana.token),
               404, "not_found");
}

TEST_P(OrgsTest, AdminPatchesFieldsAndBankDetailsAreNormalised) {
  const auto ana = signup("ana");
  const auto id = create_org(ana.token);
  auto res = http().json("PATCH", "/api/v1/orgs/" + id,
                         {{"description", "Potagers partagés"},
                          {"iban", "fr76 3000 4000 0312 3456 7890 143"},
                          {"bic", "bnpafrpp"},
                          {"region", "Occitanie"}},
                         ana.token);
  ASSERT_EQ(res.status, 200) << res.body;
  const auto org = res.json()["org"];
  EXPECT_EQ(org["iban"], "FR7630004000031234567890143");
  EXPECT_EQ(org["bic"], "BNPAFRPP");
  EXPECT_EQ(org["description"], "Potagers partagés");
  EXPECT_EQ(org["name"], "Les Jardins Partagés");  // untouched
  // null clears an optional field.
  auto cleared = http().json("PATCH", "/api/v1/orgs/" + id, {{"region", nullptr}}, ana.token);
  ASSERT_EQ(cleared.status, 200);
  EXPECT_TRUE(cleared.json()["org"]["region"].is_null());
}

TEST_P(OrgsTest, InvalidPatchChangesNothing) {
  const auto ana = signup("ana");
  const auto id = create_org(ana.token);
  const auto before = get_org(id);
  for (const Json& body :
       {Json{{"iban", "FR7630004000031234567890144"}, {"name", "Nouveau"}}, Json{{"bic", "BNP"}},
        Json{{"siren", "000000001"}}, Json{{"legal_form", "sa"}}, Json{{"name", nullptr}},
        Json{{"name", 12}}}) {
    auto res = http().json("PATCH", "/api/v1/orgs/" + id, body, ana.token);
    expect_error(res, 400, "validation_failed");
  }
  EXPECT_EQ(get_org(id), before);
}

TEST_P(OrgsTest, TreasurerSetsBankDetailsOnly) {
  const auto ana = signup("ana");
  const auto tom = signup("tom");
  const auto id = create_org(ana.token);
  add_member(id, ana.token, tom, "treasurer");
  auto bank =
      http().json("PATCH", "/api/v1/orgs/" + id,
                  {{"iban", "FR1210278089000001234560153"}, {"bic", "CMCIFR2A"}}, tom.token);
  ASSERT_EQ(bank.status, 200) << bank.body;
  EXPECT_EQ(bank.json()["org"]["iban"], "FR1210278089000001234560153");
  const auto before = get_org(id);
  expect_error(http().json("PATCH", "/api/v1/orgs/" + id, {{"name", "Renamed"}}, tom.token), 403,
               "forbidden");
  expect_error(http().json("PATCH", "/api/v1/orgs/" + id, {{"name", "Renamed"}, {"iban", nullptr}},
                           tom.token),
               403, "forbidden");
  EXPECT_EQ(get_org(id), before);
}

TEST_P(OrgsTest, PlainMembersAndOutsidersCannotChangeAnything) {
  const auto ana = signup("ana");
  const auto mia = signup("mia");
  const auto out = signup("out");
  const auto id = create_org(ana.token);
  add_member(id, ana.token, mia, "member");
  const auto before = get_org(id);
  for (const auto* who : {&mia, &out}) {
    expect_error(http().json("PATCH", "/api/v1/orgs/" + id, {{"name", "X"}}, who->token), 403,
                 "forbidden");
    expect_error(http().json("PATCH", "/api/v1/orgs/" + id,
                             {{"iban", "FR7630004000031234567890143"}}, who->token),
                 403, "forbidden");
    expect_error(http().json("POST", "/api/v1/orgs/" + id + "/members",
                             {{"email", out.email}, {"role", "admin"}}, who->token),
                 403, "forbidden");
    expect_error(http().json("DELETE", "/api/v1/orgs/" + id + "/members/" + ana.id, who->token),
                 403, "forbidden");
  }
  EXPECT_EQ(get_org(id), before);
  EXPECT_EQ(members(id)["items"].size(), 2u);
  expect_error(http().json("PATCH", "/api/v1/orgs/" + id, Json{{"name", "X"}}), 401,
               "unauthenticated");
}

TEST_P(OrgsTest, AdminOfOneOrganisationCanDoNothingToAnother) {
  const auto ana = signup("ana");  // admin of A
  const auto bob = signup("bob");  // admin of B
  const auto victim = signup("victim");
  const auto org_a = create_org(ana.token, "A");
  const auto org_b = create_org(bob.token, "B");
  add_member(org_b, bob.token, victim, "member");
  const auto before = get_org(org_b);
  const auto members_before = members(org_b);
  expect_error(http().json("PATCH", "/api/v1/orgs/" + org_b, {{"name", "Pwned"}}, ana.token), 403,
               "forbidden");
  expect_error(http().json("PATCH", "/api/v1/orgs/" + org_b,
                           {{"iban", "FR7630004000031234567890143"}}, ana.token),
               403, "forbidden");
  expect_error(http().json("POST", "/api/v1/orgs/" + org_b + "/members",
                           {{"email", ana.email}, {"role", "admin"}}, ana.token),
               403, "forbidden");
  expect_error(http().json("DELETE", "/api/v1/orgs/" + org_b + "/members/" + victim.id, ana.token),
               403, "forbidden");
  expect_error(http().json("DELETE", "/api/v1/orgs/" + org_b + "/members/" + bob.id, ana.token),
               403, "forbidden");
  // Nor through its own organisation's address with B's members.
  expect_error(http().json("DELETE", "/api/v1/orgs/" + org_a + "/members/" + victim.id, ana.token),
               404, "not_found");
  EXPECT_EQ(get_org(org_b), before);
  EXPECT_EQ(members(org_b), members_before);
}

// Issue 11, item 9, and spec "Invitations (consent)": adding an address
// mails an invitation and adds nobody; the answer is the same whether or
// not the address has an account; only the invited address's verified
// account can accept; declining changes nothing.
TEST_P(OrgsTest, MembersJoinOnlyByAcceptingAnInvitation) {
  const auto ana = signup("ana");
  const auto lou = signup("lou");
  const auto mia = signup("mia");
  const auto id = create_org(ana.token);
  auto invited = http().json("POST", "/api/v1/orgs/" + id + "/members",
                             {{"email", "  " + lou.email}, {"role", "treasurer"}}, ana.token);
  ASSERT_EQ(invited.status, 202) << invited.body;
  EXPECT_EQ(invited.json()["invitation"]["status"], "pending");
  EXPECT_EQ(invited.body.find(lou.id), std::string::npos);
  EXPECT_EQ(members(id)["items"].size(), 1u) << "nobody is added without consent";
  // An address without an account: the same answer, field for field.
  auto ghost = http().json("POST", "/api/v1/orgs/" + id + "/members",
                           {{"email", "ghost@test.example"}, {"role", "treasurer"}}, ana.token);
  ASSERT_EQ(ghost.status, 202);
  std::set<std::string> keys_a, keys_b;
  const auto invited_body = invited.json(), ghost_body = ghost.json();
  for (const auto& [key, value] : invited_body["invitation"].items()) keys_a.insert(key);
  for (const auto& [key, value] : ghost_body["invitation"].items()) keys_b.insert(key);
  EXPECT_EQ(keys_a, keys_b);
  EXPECT_EQ(ghost.json()["invitation"]["status"], "pending");
  EXPECT_FALSE(invitation_token(ana.id, "ghost@test.example").empty()) << "mailed either way";
  auto bad_role = http().json("POST", "/api/v1/orgs/" + id + "/members",
                              {{"email", lou.email}, {"role", "owner"}}, ana.token);
  expect_error(bad_role, 400, "validation_failed");
  EXPECT_TRUE(bad_role.json()["error"]["fields"].contains("role"));
  expect_error(http().json("POST", "/api/v1/orgs/" + id + "/members", {{"email", "not an address"}},
                           ana.token),
               400, "validation_failed");

  const std::string token = invitation_token(ana.id, lou.email);
  const std::string accept = "/api/v1/invitations/" + token + "/accept";
  expect_error(http().json("POST", accept), 401, "unauthenticated");
  // Lou's address is not verified yet; Mia's account is not the invited one.
  expect_error(http().json("POST", accept, lou.token), 403, "forbidden");
  ASSERT_TRUE(runtime_->accounts->confirm_address(mia.email));
  expect_error(http().json("POST", accept, mia.token), 403, "forbidden");
  expect_error(http().json("POST", "/api/v1/invitations/nope/accept", lou.token), 400,
               "invalid_token");
  EXPECT_EQ(members(id)["items"].size(), 1u);
  verify_email(lou);
  auto accepted = http().json("POST", accept, lou.token);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.json()["invitation"]["status"], "accepted");
  const auto list = members(id)["items"];
  ASSERT_EQ(list.size(), 2u);
  for (const auto& m : list) {
    if (m["user_id"] == lou.id) {
      EXPECT_EQ(m["role"], "treasurer");
    }
  }
  // Single use.
  expect_error(http().json("POST", accept, lou.token), 400, "invalid_token");
  expect_error(http().json("POST", "/api/v1/invitations/" + token + "/decline"), 400,
               "invalid_token");

  // Declined: nothing changes, and the link is spent.
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + id + "/members",
                      {{"email", mia.email}, {"role", "admin"}}, ana.token)
                .status,
            202);
  const std::string mia_token = invitation_token(ana.id, mia.email);
  EXPECT_EQ(http().json("POST", "/api/v1/invitations/" + mia_token + "/decline").status, 204);
  expect_error(http().json("POST", "/api/v1/invitations/" + mia_token + "/accept", mia.token), 400,
               "invalid_token");
  EXPECT_EQ(members(id)["items"].size(), 2u);

  // Invitations expire after 14 days.
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + id + "/members",
                      {{"email", mia.email}, {"role", "member"}}, ana.token)
                .status,
            202);
  const std::string late = invitation_token(ana.id, mia.email);
  clock_->advance(std::int64_t{15} * 86'400'000);
  const auto mia_again =
      http()
          .json("POST", "/api/v1/auth/login", {{"email", mia.email}, {"password", kPassword}})
          .json()["token"]
          .get<std::string>();
  expect_error(http().json("POST", "/api/v1/invitations/" + late + "/accept", mia_again), 400,
               "invalid_token");
}

TEST_P(OrgsTest, AnyMemberMayLeaveButTheLastAdmin) {
  const auto ana = signup("ana");
  const auto lou = signup("lou");
  const auto id = create_org(ana.token);
  add_member(id, ana.token, lou, "member");
  EXPECT_EQ(members(id)["items"].size(), 2u);
  // Lou may leave; Lou may not remove Ana.
  expect_error(http().json("DELETE", "/api/v1/orgs/" + id + "/members/" + ana.id, lou.token), 403,
               "forbidden");
  EXPECT_EQ(http().json("DELETE", "/api/v1/orgs/" + id + "/members/" + lou.id, lou.token).status,
            204);
  EXPECT_EQ(members(id)["items"].size(), 1u);
  expect_error(http().json("DELETE", "/api/v1/orgs/" + id + "/members/" + lou.id, ana.token), 404,
               "not_found");
  // The last admin may not leave: the organisation would have nobody.
  expect_error(http().json("DELETE", "/api/v1/orgs/" + id + "/members/" + ana.id, ana.token), 409,
               "last_admin");
  // An admin still removes a member.
  add_member(id, ana.token, lou, "member");
  EXPECT_EQ(http().json("DELETE", "/api/v1/orgs/" + id + "/members/" + lou.id, ana.token).status,
            204);
  EXPECT_EQ(members(id)["items"].size(), 1u);
}

TEST_P(OrgsTest, TheLastAdminCannotBeRemoved) {
  const auto ana = signup("ana");
  const auto ben = signup("ben");
  const auto id = create_org(ana.token);
  expect_error(http().json("DELETE", "/api/v1/orgs/" + id + "/members/" + ana.id, ana.token), 409,
               "last_admin");
  add_member(id, ana.token, ben, "admin");
  EXPECT_EQ(http().json("DELETE", "/api/v1/orgs/" + id + "/members/" + ana.id, ben.token).status,
            204);
  // ana is no longer a member, so no longer an admin.
  expect_error(http().json("PATCH", "/api/v1/orgs/" + id, {{"name", "X"}}, ana.token), 403,
               "forbidden");
}

TEST_P(OrgsTest, MemberListsArePaged) {
  const auto ana = signup("ana");
  const auto id = create_org(ana.token);
  for (int idx = 0; idx < 4; ++idx) add_member(id, ana.token, signup("m"), "member");
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    auto res = http().json("GET", "/api/v1/orgs/" + id + "/members?limit=2" +
                                      (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(res.status, 200) << res.body;
    const auto body = res.json();
    EXPECT_LE(body["items"].size(), 2u);
    for (const auto& item : body["items"]) seen.insert(item["user_id"].get<std::string>());
    cursor = body["next"].is_null() ? "" : body["next"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
  for (const std::string query : {"limit=0", "limit=201", "limit=abc", "cursor=-1", "cursor=x"}) {
    expect_error(http().json("GET", "/api/v1/orgs/" + id + "/members?" + query), 400,
                 "validation_failed");
  }
}

// The contract's lists ({items, next}, ?limit= 1–200 default 50,
// ?cursor=) hold for the lists a use case gives whole too: each walked two
// at a time gives every item once, and a bad limit is 400.
TEST_P(OrgsTest, EveryListIsPagedAsTheContractSays) {
  const auto ana = signup("ana");
  const auto id = create_org(ana.token);
  const auto at = [&](int days) {
    return core::format_rfc3339(clock_->now() + std::int64_t{days} * 86'400'000);
  };
  for (int idx = 0; idx < 3; ++idx) {
    const std::string n = std::to_string(idx);
    const std::vector<std::pair<std::string, Json>> made = {
        {"/api/v1/orgs/" + id + "/proposals",
         {{"title", "Vote " + n}, {"body_md", "x"}, {"method", "majority"}, {"closes_at", at(7)}}},
        {"/api/v1/orgs/" + id + "/events",
         {{"title", "Atelier " + n},
          {"description_md", "x"},
          {"starts_at", at(3)},
          {"ends_at", at(4)},
          {"location", "Salle des fêtes"}}},
        {"/api/v1/orgs/" + id + "/drafts", {{"title", "Charte " + n}, {"body_md", "x"}}},
        {"/api/v1/orgs/" + id + "/pages",
         {{"title", "Page " + n}, {"body_md", "x"}, {"visibility", "members"}}},
        {"/api/v1/orgs/" + id + "/membership-plans",
         {{"name", "Adhésion " + n}, {"amount_cents", 1000 + idx}, {"period", "calendar_year"}}},
        {"/api/v1/circles", {{"name", "Cercle " + n}}},
        {"/api/v1/follows", {{"target_type", "org"}, {"target_id", create_org(ana.token)}}}};
    for (const auto& [path, body] : made) {
      const auto res = http().json("POST", path, body, ana.token);
      ASSERT_EQ(res.status, 201) << path << " " << res.body;
    }
    ASSERT_EQ(
        http()
            .json("POST", "/api/v1/auth/login", {{"email", ana.email}, {"password", kPassword}})
            .status,
        200);
  }
  const std::vector<std::string> lists = {
      "/api/v1/orgs/" + id + "/proposals",        "/api/v1/orgs/" + id + "/events",
      "/api/v1/orgs/" + id + "/drafts",           "/api/v1/orgs/" + id + "/pages",
      "/api/v1/orgs/" + id + "/membership-plans", std::string("/api/v1/circles"),
      std::string("/api/v1/me/follows"),          std::string("/api/v1/me/sessions")};
  for (const auto& path : lists) {
    const auto whole = http().json("GET", path, ana.token);
    ASSERT_EQ(whole.status, 200) << path << " " << whole.body;
    EXPECT_TRUE(whole.json()["next"].is_null()) << path;
    const auto count = whole.json()["items"].size();
    EXPECT_GE(count, 3u) << path;
    std::set<std::string> seen;
    std::string cursor;
    std::size_t pages = 0;
    do {
      const auto res = http().json(
          "GET", path + "?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor), ana.token);
      ASSERT_EQ(res.status, 200) << path << " " << res.body;
      const auto body = res.json();
      EXPECT_LE(body["items"].size(), 2u) << path;
      for (const auto& item : body["items"]) seen.insert(item.dump());
      cursor = body["next"].is_null() ? "" : body["next"].get<std::string>();
      ++pages;
    } while (!cursor.empty() && pages < 10);
    EXPECT_EQ(seen.size(), count) << path;
    EXPECT_EQ(pages, (count + 1) / 2) << path;
    for (const std::string query : {"limit=0", "limit=201", "limit=abc", "cursor=-1", "cursor=%zz"})
      expect_error(http().json("GET", path + "?" + query, ana.token), 400, "validation_failed");
  }
}

ESSOR_ON_EVERY_DATABASE(OrgsTest);

}  // namespace
}  // namespace essor::testing
