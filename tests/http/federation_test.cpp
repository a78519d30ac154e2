// Spec "Federation (ActivityPub)": organisations as Group actors found by
// WebFinger, inboxes that take only requests signed by their actor's key
// (valid, wrong key, wrong digest, old date, replay, a key not the
// actor's), a Follow answered by a signed Accept, Undo, announcements of
// public items only, and ESSOR_FEDERATION=off. The remote side is another
// organisation of the same server, fetched over HTTP like any other.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "adapters/federation_http.hpp"
#include "core/time.hpp"
#include "store/database.hpp"
#include "support/test_server.hpp"

namespace essor::testing {
namespace {

using Json = nlohmann::json;

int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  const int port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

class FederationTest : public ServerTest {
 protected:
  void configure(cli::Config& config) override {
    const int port = free_port();
    config.listen = "127.0.0.1:" + std::to_string(port);
    base_ = "http://127.0.0.1:" + std::to_string(port);
    config.public_url = base_;
    config.federation_allow_private = "on";
  }

  void SetUp() override {
    ServerTest::SetUp();
    if (IsSkipped()) return;
    admin = signup("admin");
    followed = create_org(admin.token, "La Ressourcerie");
    follower = create_org(admin.token, "Amis du fédivers");
    stranger = create_org(admin.token, "Un autre acteur");
  }

  std::string actor_url(const std::string& org) const { return base_ + "/ap/orgs/" + org; }

  app::ActorRecord keys_of(const std::string& org) const {
    auto view = runtime_->federation->actor(core::OrgId{org});
    EXPECT_TRUE(view.ok());
    return view->actor;
  }

  // body signed as `signer` for a POST to path.
  std::map<std::string, std::string> signed_for(const std::string& path, const std::string& body,
                                                const std::string& signer) const {
    auto headers =
        runtime_->federation->signed_headers(keys_of(signer), "POST", base_ + path, body);
    headers.erase("Host");  // the client writes the same
    return headers;
  }

  HttpResult post(const std::string& path, const std::string& body,
                  const std::map<std::string, std::string>& headers) const {
    return http().request("POST", path, body, headers);
  }

  Json follow_of(const std::string& who, const std::string& whom, const std::string& id) const {
    return {{"@context", "https://www.w3.org/ns/activitystreams"},
            {"id", actor_url(who) + "#follows/" + id},
            {"type", "Follow"},
            {"actor", actor_url(who)},
            {"object", actor_url(whom)}};
  }

  std::int64_t followers_of(const std::string& org) const {
    return http().get("/ap/orgs/" + org + "/followers").json()["totalItems"];
  }

  TestUser admin;
  std::string base_, followed, follower, stranger;
};

TEST_P(FederationTest, WebFingerFindsAnOrganisationWhoseActorPublishesItsKey) {
  const std::string host = base_.substr(7);
  const auto found = http().get("/.well-known/webfinger?resource=acct:la_ressourcerie@" + host);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.header("content-type"), "application/jrd+json");
  const auto jrd = found.json();
  EXPECT_EQ(jrd["subject"], "acct:la_ressourcerie@" + host);
  ASSERT_EQ(jrd["links"][0]["rel"], "self");
  EXPECT_EQ(jrd["links"][0]["type"], "application/activity+json");
  EXPECT_EQ(jrd["links"][0]["href"], actor_url(followed));
  expect_error(http().get("/.well-known/webfinger?resource=acct:personne@" + host), 404,
               "not_found");
  expect_error(http().get("/.well-known/webfinger?resource=acct:la_ressourcerie@ailleurs.example"),
               404, "not_found");
  expect_error(http().get("/.well-known/webfinger"), 400, "validation_failed");
  const auto actor = http().get("/ap/orgs/" + followed);
  ASSERT_EQ(actor.status, 200);
  EXPECT_EQ(actor.header("content-type"), "application/activity+json");
  const auto doc = actor.json();
  EXPECT_EQ(doc["type"], "Group");
  EXPECT_EQ(doc["preferredUsername"], "la_ressourcerie");
  EXPECT_EQ(doc["inbox"], actor_url(followed) + "/inbox");
  EXPECT_EQ(doc["publicKey"]["owner"], actor_url(followed));
  EXPECT_TRUE(doc["publicKey"]["publicKeyPem"].get<std::string>().starts_with(
      "-----BEGIN PUBLIC KEY-----"));
  // The private key never leaves the database.
  EXPECT_EQ(actor.body.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(http().get("/ap/orgs/" + followed + "/outbox").json()["type"], "OrderedCollection");
  expect_error(http().get("/ap/orgs/nope"), 404, "not_found");
  // The organisation's page shows the handle.
  EXPECT_NE(http().get("/orgs/" + followed).body.find("@la_ressourcerie@" + host),
            std::string::npos);
}

TEST_P(FederationTest, ASignedFollowIsAcceptedWithASignedAcceptThenUndone) {
  const std::string path = "/ap/orgs/" + followed + "/inbox";
  const std::string body = follow_of(follower, followed, "1").dump();
  const auto res = post(path, body, signed_for(path, body, follower));
  ASSERT_EQ(res.status, 202) << res.body;
  EXPECT_EQ(followers_of(followed), 1);
  // The Accept goes to the follower's inbox, signed by the followed
  // organisation, whose key the follower's inbox fetches and checks.
  EXPECT_EQ(runtime_->federation->deliver_due(), 1);
  EXPECT_EQ(runtime_->federation->deliver_due(), 0);
  const Json undo = {{"@context", "https://www.w3.org/ns/activitystreams"},
                     {"id", actor_url(follower) + "#undo/1"},
                     {"type", "Undo"},
                     {"actor", actor_url(follower)},
                     {"object", follow_of(follower, followed, "1")}};
  const std::string undo_body = undo.dump();
  ASSERT_EQ(post(path, undo_body, signed_for(path, undo_body, follower)).status, 202);
  EXPECT_EQ(followers_of(followed), 0);
}

TEST_P(FederationTest, UnsignedOrWronglySignedPostsAreRefusedAndNothingIsStored) {
  const std::string path = "/ap/orgs/" + followed + "/inbox";
  const std::string body = follow_of(follower, followed, "2").dump();
  const std::map<std::string, std::string> json_type = {
      {"Content-Type", "application/activity+json"}};
  // Unsigned.
  expect_error(post(path, body, json_type), 401, "unauthenticated");
  // Signed by another key than the actor's (keyId swapped).
  auto wrong_key = signed_for(path, body, stranger);
  const std::string stranger_key = actor_url(stranger) + "#main-key";
  const std::string follower_key = actor_url(follower) + "#main-key";
  wrong_key["Signature"].replace(wrong_key["Signature"].find(stranger_key), stranger_key.size(),
                                 follower_key);
  expect_error(post(path, body, wrong_key), 401, "unauthenticated");
  // A body changed after signing: the digest is not the body's.
  const auto signed_headers = signed_for(path, body, follower);
  std::string changed = body;
  changed.replace(changed.find("Follow"), 6, "Follow ");
  expect_error(post(path, changed, signed_headers), 401, "unauthenticated");
  // Signed by a key that is not the activity's actor's.
  expect_error(post(path, body, signed_for(path, body, stranger)), 401, "unauthenticated");
  // An old date.
  auto old = signed_for(path, body, follower);
  clock_->advance(10 * 60 * 1000);
  expect_error(post(path, body, old), 401, "unauthenticated");
  // A replay: the same signed request twice.
  const auto once = signed_for(path, body, follower);
  ASSERT_EQ(post(path, body, once).status, 202);
  expect_error(post(path, body, once), 401, "unauthenticated");
  EXPECT_EQ(followers_of(followed), 1);
  // Bad bodies, signed: not an activity, too large, an unknown actor to follow.
  const std::string junk = "{\"not\": \"an activity\"}";
  expect_error(post(path, junk, signed_for(path, junk, follower)), 400, "validation_failed");
  const std::string huge = follow_of(follower, followed, std::string(300 * 1024, 'x')).dump();
  expect_error(post(path, huge, signed_for(path, huge, follower)), 413, "payload_too_large");
  const std::string nobody = follow_of(follower, "nope", "3").dump();
  expect_error(post("/ap/inbox", nobody, signed_for("/ap/inbox", nobody, follower)), 404,
               "not_found");
  EXPECT_EQ(followers_of(followed), 1);
}

TEST_P(FederationTest, PublicItemsAreAnnouncedToFollowersAndNothingPrivate) {
  const std::string path = "/ap/orgs/" + followed + "/inbox";
  const std::string body = follow_of(follower, followed, "4").dump();
  ASSERT_EQ(post(path, body, signed_for(path, body, follower)).status, 202);
  ASSERT_EQ(runtime_->federation->deliver_due(), 1);  // the Accept
  const auto starts = clock_->now() + 3 * 86'400'000LL;
  const auto event = http().json("POST", "/api/v1/orgs/" + followed + "/events",
                                 {{"title", "Atelier réparation vélo"},
                                  {"description_md", "Venez avec votre vélo."},
                                  {"starts_at", core::format_rfc3339(starts)},
                                  {"ends_at", core::format_rfc3339(starts + 3 * 3'600'000)},
                                  {"location", "12 rue des Ateliers, Lyon"},
                                  {"online_url", "https://visio.example/salle-secrete"}},
                                 admin.token);
  ASSERT_EQ(event.status, 201) << event.body;
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + followed + "/proposals",
                      {{"title", "Vote interne"},
                       {"body_md", "Privé"},
                       {"method", "majority"},
                       {"closes_at", core::format_rfc3339(clock_->now() + 86'400'000)}},
                      admin.token)
                .status,
            201);
  EXPECT_GE(runtime_->federation->publish_due(), 1);
  EXPECT_EQ(runtime_->federation->publish_due(), 0);  // once each
  EXPECT_EQ(runtime_->federation->deliver_due(), 1);  // the Create, to the follower's inbox
  const auto outbox = http().get("/ap/orgs/" + followed + "/outbox");
  const auto items = outbox.json()["orderedItems"];
  ASSERT_EQ(items.size(), 1u) << outbox.body;
  EXPECT_EQ(items[0]["type"], "Create");
  EXPECT_EQ(items[0]["object"]["type"], "Event");
  EXPECT_EQ(items[0]["object"]["name"], "Atelier réparation vélo");
  EXPECT_EQ(items[0]["object"]["location"]["name"], "12 rue des Ateliers, Lyon");
  EXPECT_EQ(items[0]["object"]["startTime"], core::format_rfc3339(starts));
  // Never the meeting link, never governance.
  EXPECT_EQ(outbox.body.find("visio.example"), std::string::npos);
  EXPECT_EQ(outbox.body.find("Vote interne"), std::string::npos);
}

// An event announced, then changed, then cancelled: an Update of the Event
// for each (with ical:status, as Mobilizon reads a cancellation), once
// each; the outbox holds the latest. An event cancelled before it was
// announced is never announced.
TEST_P(FederationTest, AnEventChangedOrCancelledIsAnnouncedAgainOnceEach) {
  const std::string path = "/ap/orgs/" + followed + "/inbox";
  const std::string body = follow_of(follower, followed, "5").dump();
  ASSERT_EQ(post(path, body, signed_for(path, body, follower)).status, 202);
  ASSERT_EQ(runtime_->federation->deliver_due(), 1);  // the Accept
  const auto starts = clock_->now() + 3 * 86'400'000LL;
  const auto make = [&](const std::string& title) {
    auto res = http().json("POST", "/api/v1/orgs/" + followed + "/events",
                           {{"title", title},
                            {"description_md", ""},
                            {"starts_at", core::format_rfc3339(starts)},
                            {"ends_at", core::format_rfc3339(starts + 3'600'000)},
                            {"location", "Lyon"}},
                           admin.token);
    EXPECT_EQ(res.status, 201) << res.body;
    return res.json()["event"]["id"].get<std::string>();
  };
  const std::string id = make("Atelier vélo");
  const std::string never = make("Atelier jamais annoncé");
  ASSERT_EQ(http().json("POST", "/api/v1/events/" + never + "/cancel", admin.token).status, 200);
  ASSERT_EQ(runtime_->federation->publish_due(), 1);  // the first one only
  ASSERT_EQ(runtime_->federation->deliver_due(), 1);
  const auto queued = [&] {
    std::vector<Json> activities;
    runtime_->store->read([&](app::ReadTx& tx) {
      for (const auto& d : tx.federation().due_deliveries(clock_->now(), 50))
        activities.push_back(Json::parse(d.activity));
    });
    return activities;
  };
  const auto latest = [&] {
    return http().get("/ap/orgs/" + followed + "/outbox").json()["orderedItems"];
  };
  EXPECT_EQ(runtime_->federation->publish_due(), 0);
  ASSERT_EQ(http()
                .json("PATCH", "/api/v1/events/" + id, {{"location", "Salle des fêtes, Lyon"}},
                      admin.token)
                .status,
            200);
  ASSERT_EQ(runtime_->federation->publish_due(), 1);
  EXPECT_EQ(runtime_->federation->publish_due(), 0);  // once
  auto sent = queued();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["type"], "Update");
  EXPECT_EQ(sent[0]["object"]["type"], "Event");
  EXPECT_EQ(sent[0]["object"]["location"]["name"], "Salle des fêtes, Lyon");
  EXPECT_EQ(sent[0]["object"]["ical:status"], "CONFIRMED");
  EXPECT_EQ(latest().size(), 1u);
  EXPECT_EQ(latest()[0]["type"], "Update");
  const std::string first_update = sent[0]["id"];
  ASSERT_EQ(runtime_->federation->deliver_due(), 1);
  ASSERT_EQ(http().json("POST", "/api/v1/events/" + id + "/cancel", admin.token).status, 200);
  ASSERT_EQ(runtime_->federation->publish_due(), 1);
  EXPECT_EQ(runtime_->federation->publish_due(), 0);
  sent = queued();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["type"], "Update");
  EXPECT_EQ(sent[0]["object"]["ical:status"], "CANCELLED");
  EXPECT_NE(sent[0]["id"], first_update);  // each state its own activity
  EXPECT_EQ(latest()[0]["object"]["ical:status"], "CANCELLED");
  EXPECT_EQ(http().get("/ap/orgs/" + followed + "/outbox").body.find("jamais annoncé"),
            std::string::npos);
}

// A follower's server that fails: the delivery is tried again after one
// minute, then two, and given up after two days.
TEST_P(FederationTest, FailedDeliveriesAreRetriedWithBackoffThenGivenUp) {
  const std::string path = "/ap/orgs/" + followed + "/inbox";
  const std::string body = follow_of(follower, followed, "5").dump();
  ASSERT_EQ(post(path, body, signed_for(path, body, follower)).status, 202);
  ASSERT_EQ(runtime_->federation->deliver_due(), 1);
  store::execute_for_tests(database_url(), "UPDATE ap_followers SET inbox = '" + base_ +
                                               "/ap/nowhere', shared_inbox = NULL");
  const auto starts = clock_->now() + 86'400'000LL;
  ASSERT_EQ(http()
                .json("POST", "/api/v1/orgs/" + followed + "/events",
                      {{"title", "Assemblée ouverte"},
                       {"description_md", "Tout le monde est bienvenu."},
                       {"location", "Salle des fêtes"},
                       {"starts_at", core::format_rfc3339(starts)},
                       {"ends_at", core::format_rfc3339(starts + 3'600'000)}},
                      admin.token)
                .status,
            201);
  ASSERT_EQ(runtime_->federation->publish_due(), 1);
  auto waiting = [&] {
    std::vector<app::DeliveryRecord> out;
    runtime_->store->read([&](app::ReadTx& tx) {
      out = tx.federation().due_deliveries(clock_->now() + 30LL * 86'400'000, 10);
    });
    return out;
  };
  EXPECT_EQ(runtime_->federation->deliver_due(), 0);
  auto pending = waiting();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 1);
  EXPECT_EQ(pending[0].next_at, clock_->now() + 60'000);
  EXPECT_EQ(runtime_->federation->deliver_due(), 0);  // not before its time
  EXPECT_EQ(waiting()[0].attempts, 1);
  clock_->advance(61'000);
  EXPECT_EQ(runtime_->federation->deliver_due(), 0);
  pending = waiting();
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 2);
  EXPECT_EQ(pending[0].next_at, clock_->now() + 120'000);
  clock_->advance(3LL * 86'400'000);
  EXPECT_EQ(runtime_->federation->deliver_due(), 0);
  EXPECT_TRUE(waiting().empty());  // given up
}

TEST_P(FederationTest, FetchingRefusesLoopbackAndPrivateAddressesUnlessAllowed) {
  const adapters::FederationHttp strict(false, "test");
  const auto refused = strict.get(base_ + "/healthz", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("private or loopback"), std::string::npos);
  EXPECT_FALSE(strict.get("file:///etc/passwd", {}).ok());
  const adapters::FederationHttp lenient(true, "test");
  const auto fetched = lenient.get(base_ + "/healthz", {});
  ASSERT_TRUE(fetched.ok());
  EXPECT_EQ(fetched->status, 200);
  for (const char* ip : {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
                         "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "0.0.0.0", "not-an-ip"})
    EXPECT_TRUE(adapters::is_private_address(ip)) << ip;
  for (const char* ip : {"93.184.216.34", "2606:2800:220:1::1", "172.32.0.1"})
    EXPECT_FALSE(adapters::is_private_address(ip)) << ip;
}

ESSOR_ON_EVERY_DATABASE(FederationTest);

class FederationOffTest : public ServerTest {
 protected:
  void configure(cli::Config& config) override { config.federation = "off"; }
};

TEST_P(FederationOffTest, EverythingAnswers404) {
  const auto admin = signup("admin");
  const std::string org = create_org(admin.token, "La Ressourcerie");
  expect_error(http().get("/.well-known/webfinger?resource=acct:la_ressourcerie@127.0.0.1"), 404,
               "not_found");
  expect_error(http().get("/ap/orgs/" + org), 404, "not_found");
  expect_error(http().request("POST", "/ap/inbox", "{}", {}), 404, "not_found");
  EXPECT_EQ(http().get("/orgs/" + org).body.find("la_ressourcerie@"), std::string::npos);
}

ESSOR_ON_EVERY_DATABASE(FederationOffTest);

}  // namespace
}  // namespace essor::testing
