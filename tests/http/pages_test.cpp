// HTML pages: sessions by cookie, CSRF, languages, forms with errors.
#include <regex>

#include "core/time.hpp"
#include "store/database.hpp"
#include "support/test_server.hpp"

namespace essor::testing {
namespace {

class PagesTest : public ServerTest {
 protected:
  // A browser-like visitor: keeps its cookies between requests.
  struct Visitor {
    std::map<std::string, std::string> cookies;
    std::string header() const {
      std::string out;
      for (const auto& [name, value] : cookies)
        out += (out.empty() ? "" : "; ") + name + "=" + value;
      return out;
    }
    void take(const HttpResult& res) {
      for (const auto& line : res.set_cookies()) {
        const auto eq = line.find('='), semi = line.find(';');
        const std::string name = line.substr(0, eq), value = line.substr(eq + 1, semi - eq - 1);
        if (line.find("Max-Age=0") != std::string::npos)
          cookies.erase(name);
        else
          cookies[name] = value;
      }
    }
  };

  HttpResult visit(Visitor& visitor, const std::string& path,
                   std::map<std::string, std::string> headers = {}) {
    headers["Cookie"] = visitor.header();
    auto res = http().get(path, headers);
    visitor.take(res);
    return res;
  }
  HttpResult submit(Visitor& visitor, const std::string& path, const std::string& form) {
    auto res = http().request(
        "POST", path, form,
        {{"Cookie", visitor.header()}, {"Content-Type", "application/x-www-form-urlencoded"}});
    visitor.take(res);
    return res;
  }
  static std::string csrf_in(const std::string& html) {
    std::smatch match;
    EXPECT_TRUE(
        std::regex_search(html, match, std::regex("name=\"_csrf\" value=\"([A-Za-z0-9_-]+)\"")));
    return match.size() > 1 ? match[1].str() : "";
  }
  static std::string enc(const std::string& text) { return web_encode(text); }
  static std::string web_encode(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
      if (std::isalnum(c) || c == '-' || c == '_' || c == '.')
        out.push_back(static_cast<char>(c));
      else {
        char buffer[4];
        std::snprintf(buffer, sizeof buffer, "%%%02X", c);
        out += buffer;
      }
    }
    return out;
  }
  // Signs up through the page; returns the visitor, logged in.
  Visitor page_signup(const std::string& email) {
    Visitor visitor;
    const std::string csrf = csrf_in(visit(visitor, "/signup").body);
    auto res = submit(visitor, "/signup",
                      "_csrf=" + csrf + "&display_name=Page+User&email=" + enc(email) +
                          "&password=" + enc(kPassword));
    EXPECT_EQ(res.status, 303) << res.body;
    EXPECT_EQ(res.header("location"), "/me?done=welcome");
    return visitor;
  }
};

TEST_P(PagesTest, SignupWithoutCsrfTokenChangesNothing) {
  Visitor visitor;
  visit(visitor, "/signup");
  ASSERT_TRUE(visitor.cookies.count("essor_csrf"));
  const std::string form = "display_name=Eve&email=eve%40test.example&password=" + enc(kPassword);
  EXPECT_EQ(submit(visitor, "/signup", form).status, 403);
  EXPECT_EQ(submit(visitor, "/signup", form + "&_csrf=" + std::string(43, 'A')).status, 403);
  // The account was not created: the API can still create it.
  auto res = http().json(
      "POST", "/api/v1/auth/signup",
      {{"email", "eve@test.example"}, {"password", kPassword}, {"display_name", "Eve"}});
  EXPECT_EQ(res.status, 201);
}

TEST_P(PagesTest, SignupLoginLogoutThroughPages) {
  Visitor visitor = page_signup("page@test.example");
  ASSERT_TRUE(visitor.cookies.count("essor_session"));
  auto me = visit(visitor, "/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("page@test.example"), std::string::npos);
  const std::string csrf = csrf_in(me.body);
  auto out = submit(visitor, "/logout", "_csrf=" + csrf);
  EXPECT_EQ(out.status, 303);
  EXPECT_FALSE(visitor.cookies.count("essor_session"));
  auto again = visit(visitor, "/me");
  EXPECT_EQ(again.status, 303);
  EXPECT_EQ(again.header("location"), "/login?next=/me");

  const std::string login_csrf = csrf_in(visit(visitor, "/login?next=/me").body);
  auto wrong =
      submit(visitor, "/login",
             "_csrf=" + login_csrf + "&email=page%40test.example&password=wrongwrongwrong");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_NE(wrong.body.find("role=\"alert\""), std::string::npos);
  auto ok = submit(visitor, "/login",
                   "_csrf=" + login_csrf + "&email=page%40test.example&password=" + enc(kPassword) +
                       "&next=%2F%2Fevil.example");
  EXPECT_EQ(ok.status, 303);
  EXPECT_EQ(ok.header("location"), "/me");  // never off-site
}

TEST_P(PagesTest, SignupFormShowsErrorsAndKeepsValues) {
  Visitor visitor;
  const std::string csrf = csrf_in(visit(visitor, "/signup").body);
  auto res = submit(visitor, "/signup",
                    "_csrf=" + csrf + "&display_name=Jos%C3%A9&email=bad&password=short");
  EXPECT_EQ(res.status, 400);
  EXPECT_NE(res.body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(res.body.find("value=\"José\""), std::string::npos);
  EXPECT_NE(res.body.find("Indiquez une adresse e-mail valide."), std::string::npos);
  EXPECT_EQ(res.body.find("short"), std::string::npos);  // the password is never echoed
}

TEST_P(PagesTest, OrganisationPagesManageMembersWithCsrf) {
  Visitor admin = page_signup("admin@test.example");
  Visitor friend_visitor = page_signup("friend@test.example");
  const TestUser friend_user{user_of(friend_visitor.cookies.at("essor_session")),
                             "friend@test.example", friend_visitor.cookies.at("essor_session")};
  std::string csrf = csrf_in(visit(admin, "/orgs/new").body);
  auto created = submit(admin, "/orgs",
                        "_csrf=" + csrf +
                            "&name=Caf%C3%A9+Associatif&legal_form=association&siren=&region=&"
                            "department=&description=");
  ASSERT_EQ(created.status, 303) << created.body;
  const std::string location = created.header("location");
  ASSERT_TRUE(location.starts_with("/orgs/"));
  const std::string org_path = location.substr(0, location.find('?'));
  auto page = visit(admin, location);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Café Associatif"), std::string::npos);
  csrf = csrf_in(page.body);

  // The session cookie alone is not enough to add a member.
  auto forged =
      submit(admin, org_path + "/members", "email=" + enc(friend_user.email) + "&role=member");
  EXPECT_EQ(forged.status, 403);
  const std::string org_id = org_path.substr(6);
  EXPECT_EQ(http().json("GET", "/api/v1/orgs/" + org_id + "/members").json()["items"].size(), 1u);

  auto added = submit(admin, org_path + "/members",
                      "_csrf=" + csrf + "&email=" + enc(friend_user.email) + "&role=treasurer");
  EXPECT_EQ(added.status, 303);
  EXPECT_NE(added.header("location").find("done=member_invited"), std::string::npos);
  EXPECT_EQ(http().json("GET", "/api/v1/orgs/" + org_id + "/members").json()["items"].size(), 1u)
      << "invited, not added";
  const std::string back = added.header("location");
  EXPECT_NE(visit(admin, back.substr(0, back.find('#'))).body.find("Invitation envoyée"),
            std::string::npos);

  // The friend opens the mailed link: what it is for, and the buttons.
  const std::string invitation =
      "/invitations/" +
      invitation_token(user_of(admin.cookies.at("essor_session")), friend_user.email);
  auto unverified = visit(friend_visitor, invitation);
  ASSERT_EQ(unverified.status, 200);
  EXPECT_NE(unverified.body.find("Café Associatif"), std::string::npos);
  EXPECT_EQ(unverified.body.find(invitation + "/accept"), std::string::npos)
      << "not before the address is verified";
  ASSERT_TRUE(runtime_->accounts->confirm_address(friend_user.email));
  auto invited_page = visit(friend_visitor, invitation);
  EXPECT_NE(invited_page.body.find(invitation + "/accept"), std::string::npos);
  const std::string friend_csrf = csrf_in(invited_page.body);
  EXPECT_EQ(submit(friend_visitor, invitation + "/accept", "").status, 403);  // no token
  auto accepted = submit(friend_visitor, invitation + "/accept", "_csrf=" + friend_csrf);
  ASSERT_EQ(accepted.status, 303) << accepted.body;
  EXPECT_EQ(accepted.header("location"), org_path + "?done=invitation_accepted");
  auto listed = http().json("GET", "/api/v1/orgs/" + org_id + "/members").json();
  ASSERT_EQ(listed["items"].size(), 2u);
  // The link is spent.
  EXPECT_EQ(visit(friend_visitor, invitation).status, 400);

  auto bad_iban = submit(admin, org_path + "/bank", "_csrf=" + csrf + "&iban=FR00+1234&bic=");
  EXPECT_EQ(bad_iban.status, 400);
  EXPECT_NE(bad_iban.body.find("id=\"iban-error\""), std::string::npos);

  // Removing a member asks first: a page that says what will happen and
  // posts again with confirmed=yes; nothing changes before.
  auto asked = submit(admin, org_path + "/members/" + friend_user.id + "/remove", "_csrf=" + csrf);
  ASSERT_EQ(asked.status, 200);
  EXPECT_NE(asked.body.find("Retirer ce membre ?"), std::string::npos);
  EXPECT_NE(asked.body.find("name=\"confirmed\" value=\"yes\""), std::string::npos);
  EXPECT_NE(asked.body.find("action=\"" + org_path + "/members/" + friend_user.id + "/remove\""),
            std::string::npos);
  EXPECT_NE(asked.body.find("href=\"" + org_path + "?tab=members\""), std::string::npos);
  EXPECT_EQ(http().json("GET", "/api/v1/orgs/" + org_id + "/members").json()["items"].size(), 2u);
  auto removed = submit(admin, org_path + "/members/" + friend_user.id + "/remove",
                        "_csrf=" + csrf + "&confirmed=yes");
  EXPECT_EQ(removed.status, 303);
  EXPECT_EQ(http().json("GET", "/api/v1/orgs/" + org_id + "/members").json()["items"].size(), 1u);
}

// A large association: every member counted and offered a proxy, the list
// a hundred at a time with links between its pages. The page read its first
// 200 members: it said "(200)", and those who joined later could be neither
// removed nor given a proxy.
TEST_P(PagesTest, ALargeOrganisationsMembersAreCountedPagedAndOffered) {
  const auto owner = signup("owner");
  const std::string org_id = create_org(owner.token);
  // 250 members who joined before the owner, "early1" to "early250" in turn.
  store::execute_for_tests(
      database_url(),
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250) "
      "INSERT INTO users (id, email, email_norm, display_name, password_hash, created_at, "
      "wallet_id) SELECT 'early' || i, 'early' || i || '@t.example', 'early' || i || "
      "'@t.example', 'Early ' || i, 'x', 1, 'wearly' || i FROM n");
  store::execute_for_tests(database_url(),
                           "INSERT INTO memberships (org_id, user_id, role, joined_at) SELECT '" +
                               org_id +
                               "', id, 'member', CAST(substr(id, 6) AS INTEGER) FROM users "
                               "WHERE id LIKE 'early%'");
  Visitor visitor;
  visitor.cookies["essor_session"] = owner.token;
  const std::string path = "/orgs/" + org_id + "?tab=members";
  const auto rows = [](const std::string& html) { return occurrences(html, "<tr><td>"); };
  const auto first = visit(visitor, path);
  ASSERT_EQ(first.status, 200);
  EXPECT_NE(first.body.find("Membres (251)"), std::string::npos);
  EXPECT_EQ(rows(first.body), 100u);
  EXPECT_NE(first.body.find("href=\"" + path + "&amp;page=2#members\" rel=\"next\""),
            std::string::npos);
  EXPECT_EQ(first.body.find("rel=\"prev\""), std::string::npos);
  EXPECT_NE(first.body.find("Page 1 / 3"), std::string::npos);
  // The last page: the owner, who joined last, and the way back.
  for (const std::string page : {"3", "99"}) {
    const auto last = visit(visitor, path + "&page=" + page);
    ASSERT_EQ(last.status, 200);
    EXPECT_EQ(rows(last.body), 51u) << page;
    EXPECT_NE(last.body.find("Page 3 / 3"), std::string::npos) << page;
    EXPECT_NE(last.body.find("href=\"" + path + "&amp;page=2#members\" rel=\"prev\""),
              std::string::npos);
    EXPECT_EQ(last.body.find("rel=\"next\""), std::string::npos);
    // A member beyond the first 200 may be removed from here.
    EXPECT_NE(last.body.find("/members/early250/remove"), std::string::npos) << page;
  }
  EXPECT_EQ(rows(visit(visitor, path + "&page=zero").body), 100u);
  // Any member may be given the owner's proxy, the 250th too.
  const auto governance = visit(visitor, "/orgs/" + org_id + "?tab=governance");
  EXPECT_NE(governance.body.find("value=\"early250\""), std::string::npos);
  EXPECT_NE(governance.body.find("value=\"early1\""), std::string::npos);
}

TEST_P(PagesTest, OutsiderCannotManageAnotherOrganisationThroughPages) {
  const auto owner = signup("owner");
  const std::string org_id = create_org(owner.token);
  Visitor intruder = page_signup("intruder@test.example");
  const std::string csrf = csrf_in(visit(intruder, "/orgs/" + org_id).body);
  auto res = submit(intruder, "/orgs/" + org_id + "/edit",
                    "_csrf=" + csrf + "&name=Pwned&legal_form=association");
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(http().json("GET", "/api/v1/orgs/" + org_id).json()["org"]["name"],
            "Les Jardins Partagés");
}

TEST_P(PagesTest, FrenchByDefaultEnglishOnRequestAndRemembered) {
  Visitor visitor;
  auto fr = visit(visitor, "/");
  EXPECT_NE(fr.body.find("<html lang=\"fr\">"), std::string::npos);
  auto en = visit(visitor, "/", {{"Accept-Language", "en-GB,en;q=0.9,fr;q=0.5"}});
  EXPECT_NE(en.body.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(en.body.find("Fund, decide and act together"), std::string::npos);
  auto pref_fr = visit(visitor, "/", {{"Accept-Language", "de, fr;q=0.8, en;q=0.7"}});
  EXPECT_NE(pref_fr.body.find("<html lang=\"fr\">"), std::string::npos);

  const std::string csrf = csrf_in(fr.body);
  auto switched = submit(visitor, "/lang", "_csrf=" + csrf + "&lang=en&back=%2Fsignup");
  EXPECT_EQ(switched.status, 303);
  EXPECT_EQ(switched.header("location"), "/signup");
  auto remembered = visit(visitor, "/signup", {{"Accept-Language", "fr"}});
  EXPECT_NE(remembered.body.find("<html lang=\"en\">"), std::string::npos);
  auto offsite =
      submit(visitor, "/lang", "_csrf=" + csrf + "&lang=fr&back=https%3A%2F%2Fevil.example");
  EXPECT_EQ(offsite.header("location"), "/");
}

TEST_P(PagesTest, PagesAndApiKeepTheirOwnAddresses) {
  auto page_404 = http().get("/no/such/page");
  EXPECT_EQ(page_404.status, 404);
  EXPECT_NE(page_404.header("content-type").find("text/html"), std::string::npos);
  auto api_404 = http().get("/api/v1/no/such/thing");
  EXPECT_EQ(api_404.status, 404);
  EXPECT_EQ(api_404.json()["error"]["code"], "not_found");
  for (const std::string path : {"/", "/signup", "/login"}) {
    auto res = http().get(path);
    EXPECT_EQ(res.status, 200) << path;
    EXPECT_NE(res.header("content-type").find("text/html"), std::string::npos) << path;
  }
  EXPECT_EQ(http().get("/me").status, 303);
  EXPECT_EQ(http().get("/api/v1/signup").status, 404);
  EXPECT_EQ(http().get("/orgs/unknown").status, 404);
}

TEST_P(PagesTest, EveryPageSetsSecurityHeaders) {
  for (const std::string path : {"/", "/signup", "/api/v1/me", "/static/essor.css", "/nope"}) {
    auto res = http().get(path);
    EXPECT_NE(res.header("content-security-policy").find("default-src 'none'"), std::string::npos)
        << path;
    EXPECT_EQ(res.header("x-content-type-options"), "nosniff") << path;
    EXPECT_EQ(res.header("x-frame-options"), "DENY") << path;
    EXPECT_FALSE(res.header("referrer-policy").empty()) << path;
  }
  Visitor visitor;
  auto res = visit(visitor, "/signup");
  for (const auto& cookie : res.set_cookies()) {
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos);
  }
}

TEST_P(PagesTest, StaticAssetsAreEmbeddedCachedAndConfined) {
  auto css = http().get("/static/pico.min.css");
  ASSERT_EQ(css.status, 200);
  EXPECT_EQ(css.header("content-type"), "text/css; charset=utf-8");
  EXPECT_GT(css.body.size(), 10000u);
  const std::string etag = css.header("etag");
  ASSERT_FALSE(etag.empty());
  EXPECT_NE(css.header("cache-control").find("max-age"), std::string::npos);
  EXPECT_EQ(http().get("/static/pico.min.css", {{"If-None-Match", etag}}).status, 304);
  for (const std::string path : {"/static/../CMakeLists.txt", "/static/%2e%2e%2fCMakeLists.txt",
                                 "/static/..%2F..%2Fetc%2Fpasswd", "/static/templates/layout.html",
                                 "/static/", "/static/i18n%2Ffr.json"}) {
    EXPECT_EQ(http().get(path).status, 404) << path;
  }
}

TEST_P(PagesTest, CsrfTokensAreBoundToTheBrowserTheSessionAndOurOrigin) {
  Visitor visitor = page_signup("bound@test.example");
  const std::string csrf = csrf_in(visit(visitor, "/me").body);
  ASSERT_FALSE(csrf.empty());
  // The cookie's own value is not a token.
  EXPECT_EQ(submit(visitor, "/logout", "_csrf=" + visitor.cookies["essor_csrf"]).status, 403);
  // Someone who plants their own CSRF cookie in the victim's browser gets
  // no token for the victim's session.
  Visitor attacker;
  const std::string attacker_csrf = csrf_in(visit(attacker, "/login").body);
  Visitor planted = visitor;
  planted.cookies["essor_csrf"] = attacker.cookies["essor_csrf"];
  EXPECT_EQ(submit(planted, "/logout", "_csrf=" + attacker_csrf).status, 403);
  // The right token from another site is refused too.
  auto post = [&](std::map<std::string, std::string> extra) {
    extra["Cookie"] = visitor.header();
    extra["Content-Type"] = "application/x-www-form-urlencoded";
    return http().request("POST", "/logout", "_csrf=" + csrf, extra).status;
  };
  EXPECT_EQ(post({{"Origin", "https://evil.example"}}), 403);
  EXPECT_EQ(post({{"Origin", "null"}}), 403);
  EXPECT_EQ(post({{"Sec-Fetch-Site", "cross-site"}}), 403);
  EXPECT_EQ(post({{"Sec-Fetch-Site", "same-site"}}), 403);
  // From our own page it works.
  EXPECT_EQ(post({{"Origin", "http://127.0.0.1:" + std::to_string(port())},
                  {"Sec-Fetch-Site", "same-origin"}}),
            303);
}

TEST_P(PagesTest, KeptPagesTakeNoPartOfAVisitorsCookie) {
  const auto admin = signup("keeper");
  const std::string org_id = create_org(admin.token, "Les Paniers Solidaires");
  const std::string path = "/orgs/" + org_id;
  // The first visitor's CSRF cookie is the organisation's id (32 characters,
  // shaped like a token): the kept page must not be cut on it.
  Visitor first;
  first.cookies["essor_csrf"] = org_id;
  auto original = visit(first, path);
  ASSERT_EQ(original.status, 200);
  const auto count = [&](const std::string& body) {
    std::size_t n = 0;
    for (auto at = body.find(path); at != std::string::npos; at = body.find(path, at + 1)) ++n;
    return n;
  };
  ASSERT_GT(count(original.body), 0u);
  Visitor second;
  second.cookies["essor_csrf"] = std::string(43, 'Z');
  auto kept = visit(second, path);
  ASSERT_EQ(kept.status, 200);
  EXPECT_EQ(count(kept.body), count(original.body));
  EXPECT_EQ(kept.body.find(std::string(43, 'Z')), std::string::npos);
  EXPECT_EQ(kept.body.find("value=\"" + org_id + "\""), std::string::npos);
  // Each visitor's forms carry a token made for them.
  EXPECT_NE(csrf_in(kept.body), csrf_in(original.body));
}

TEST_P(PagesTest, FormsWithBytesThatAreNotUtf8AreNoServerError) {
  Visitor visitor = page_signup("bytes@test.example");
  const std::string csrf = csrf_in(visit(visitor, "/orgs/new").body);
  auto res = submit(visitor, "/orgs",
                    "_csrf=" + csrf + "&name=%FF%FE&legal_form=association&description=%C3");
  EXPECT_LT(res.status, 500) << res.body;
  EXPECT_LT(http().get("/campaigns?q=%FF%FE").status, 500);
  EXPECT_LT(http().get("/api/v1/campaigns?q=%FF").status, 500);
}

TEST_P(PagesTest, AnAccountsLifeThroughThePages) {
  Visitor visitor = page_signup("life@test.example");
  auto me = visit(visitor, "/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_NE(me.body.find("/me/verify-email/resend"), std::string::npos);  // the banner
  std::string user_id;
  runtime_->store->read(
      [&](app::ReadTx& tx) { user_id = tx.accounts().user_by_email("life@test.example")->id; });
  // The mailed link opens a page; only its button verifies.
  const std::string token = mailed_token(user_id, "verify_email");
  auto landing = visit(visitor, "/verify-email/" + token);
  ASSERT_EQ(landing.status, 200);
  EXPECT_NE(visit(visitor, "/me").body.find("/me/verify-email/resend"), std::string::npos);
  auto verified = submit(visitor, "/verify-email/" + token, "_csrf=" + csrf_in(landing.body));
  EXPECT_EQ(verified.status, 200);
  EXPECT_EQ(visit(visitor, "/me").body.find("/me/verify-email/resend"), std::string::npos);
  EXPECT_EQ(submit(visitor, "/verify-email/" + token, "_csrf=" + csrf_in(landing.body)).status,
            400);

  // A second browser, then the security page closes it.
  Visitor phone;
  const std::string login_csrf = csrf_in(visit(phone, "/login").body);
  ASSERT_EQ(submit(phone, "/login",
                   "_csrf=" + login_csrf + "&email=life%40test.example&password=" + enc(kPassword))
                .status,
            303);
  auto security = visit(visitor, "/me/security");
  ASSERT_EQ(security.status, 200);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(security.body, match,
                                std::regex("action=\"/me/sessions/([0-9a-f]+)/revoke\"")));
  auto revoked = submit(visitor, "/me/sessions/" + match[1].str() + "/revoke",
                        "_csrf=" + csrf_in(security.body));
  EXPECT_EQ(revoked.status, 303);
  EXPECT_EQ(visit(phone, "/me").status, 303);  // signed out
  EXPECT_EQ(visit(visitor, "/me").status, 200);

  // Forgotten password: the same answer for any address, then the link.
  Visitor forgetful;
  const std::string forgot_csrf = csrf_in(visit(forgetful, "/password-reset").body);
  auto unknown =
      submit(forgetful, "/password-reset", "_csrf=" + forgot_csrf + "&email=x%40test.example");
  auto known =
      submit(forgetful, "/password-reset", "_csrf=" + forgot_csrf + "&email=life%40test.example");
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(known.status, 200);
  EXPECT_EQ(csrf_in(unknown.body), csrf_in(known.body));
  EXPECT_EQ(unknown.body, known.body);
  const std::string reset_token = mailed_token(user_id, "password_reset");
  auto form = visit(forgetful, "/password-reset/" + reset_token);
  ASSERT_EQ(form.status, 200);
  auto too_short = submit(forgetful, "/password-reset/" + reset_token,
                          "_csrf=" + csrf_in(form.body) + "&password=short");
  EXPECT_EQ(too_short.status, 400);
  auto reset = submit(forgetful, "/password-reset/" + reset_token,
                      "_csrf=" + csrf_in(form.body) + "&password=" + enc("a brand new passphrase"));
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(visit(visitor, "/me").status, 303);  // every session revoked
  EXPECT_EQ(http()
                .json("POST", "/api/v1/auth/login",
                      {{"email", "life@test.example"}, {"password", "a brand new passphrase"}})
                .status,
            200);
}

// Issue 15: a regular gift given from the organisation's page asks for
// the tax receipt's name and address, and the year's annual receipt uses
// them.
TEST_P(PagesTest, ARegularGiftFromThePageCarriesTheReceiptDetails) {
  const auto admin = signup("treso");
  const std::string org_id = create_org(admin.token, "Les Amis du Quartier");
  ASSERT_EQ(http()
                .json("PATCH", "/api/v1/orgs/" + org_id,
                      {{"siren", "732829320"},
                       {"tax_receipts",
                        {{"enabled", true},
                         {"legal_basis", "200"},
                         {"object", "Animation du quartier"},
                         {"address", "1 place de la Mairie, 35000 Rennes"},
                         {"signatory", "Lou Martin, présidente"}}}},
                      admin.token)
                .status,
            200);
  Visitor visitor = page_signup("donateur@test.example");
  const auto page = visit(visitor, "/orgs/" + org_id);
  ASSERT_EQ(page.status, 200);
  // The gift form offers the receipt's details (closed until filled).
  EXPECT_NE(page.body.find("name=\"receipt_full_name\""), std::string::npos);
  std::smatch key;
  ASSERT_TRUE(std::regex_search(page.body, key,
                                std::regex("name=\"idempotency_key\" value=\"([A-Za-z0-9_-]+)\"")));
  // A missing city comes back under its field, the name kept.
  auto bad = submit(visitor, "/orgs/" + org_id + "/recurring-gifts",
                    "_csrf=" + csrf_in(page.body) + "&idempotency_key=" + key[1].str() +
                        "&amount=12&interval=month&receipt_full_name=" + enc("Jeanne Lambert") +
                        "&receipt_address_line=" + enc("12 rue des Lilas") +
                        "&receipt_postal_code=35000&receipt_city=");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_NE(bad.body.find("id=\"receipt_city-error\""), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"Jeanne Lambert\""), std::string::npos);
  auto done = submit(visitor, "/orgs/" + org_id + "/recurring-gifts",
                     "_csrf=" + csrf_in(page.body) + "&idempotency_key=" + key[1].str() + "x" +
                         "&amount=12&interval=month&receipt_full_name=" + enc("Jeanne Lambert") +
                         "&receipt_address_line=" + enc("12 rue des Lilas") +
                         "&receipt_postal_code=35000&receipt_city=Rennes");
  EXPECT_EQ(done.status, 303) << done.body;
  const int year = core::paris_time(clock_->now()).year;
  auto made = http().json("POST", "/api/v1/orgs/" + org_id + "/receipts/annual", {{"year", year}},
                          admin.token);
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json()["created"], 1);
}

ESSOR_ON_EVERY_DATABASE(PagesTest);

}  // namespace
}  // namespace essor::testing
