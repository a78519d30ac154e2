// Governance's rules on the in-memory fake store (fake_store.hpp): no
// database, no server, so each rule is checked in isolation and the
// property tests can try thousands of votes. The same rules are checked
// end to end over HTTP on both databases in tests/http/governance_test.cpp.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/governance.hpp"
#include "fake_store.hpp"

namespace essor {
namespace {

using core::ErrorKind;
using fakes::person;

class GovernanceRules : public ::testing::Test {
 protected:
  fakes::FakeStore store;
  fakes::FakeClock clock;
  fakes::FakeCrypto crypto;
  app::Governance governance{store, crypto, clock, {"the-ballot-key", core::ProxyRule::fixed, 2}};

  std::string admin;  // the organisation's first member, who makes proposals

  // An organisation "org" whose first member is its admin.
  void org_of(const std::vector<std::string>& people) {
    admin = people.at(0);
    fakes::add_org(store.state, "org", "La Ruche");
    for (std::size_t idx = 0; idx < people.size(); ++idx) join(people[idx], idx == 0);
  }
  void join(const std::string& id, bool admin = false) {
    app::UserRecord user;
    user.id = core::UserId{id};
    user.email_norm = id + "@example.org";
    user.display_name = "Name " + id;
    store.state.users[user.id] = user;
    store.state.members[core::OrgId{"org"}].push_back(
        {core::UserId{id}, "Name " + id, admin ? core::Role::admin : core::Role::member, clock.at});
  }

  app::ProposalRecord propose(const std::string& method = "majority", bool secret = false,
                              std::vector<std::string> options = {}) {
    app::ProposalInput input;
    input.title = "Ouvrir le jardin le dimanche";
    input.method = method;
    input.options = std::move(options);
    input.closes_at = clock.at + 86'400'000;
    input.secret = secret;
    auto created = governance.create(person(admin), core::OrgId{"org"}, input);
    EXPECT_TRUE(created.ok());
    return created.value();
  }

  core::Result<app::ProposalRecord> vote(const std::string& who, const core::ProposalId& id,
                                         const std::string& choice) {
    app::VoteInput input;
    input.choice = choice;
    return governance.vote(person(who), id, input);
  }
};

TEST_F(GovernanceRules, AMemberWhoVotesAgainReplacesTheirBallot) {
  org_of({"a", "b", "c"});
  const auto p = propose();
  ASSERT_TRUE(vote("b", p.id, "yes").ok());
  ASSERT_TRUE(vote("b", p.id, "no").ok());
  EXPECT_EQ(store.state.ballots[p.id].size(), 1u);
  EXPECT_EQ(store.state.register_[p.id].size(), 1u);
  const auto results = governance.results(person("c"), p.id);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results.value().majority.yes, 0);
  EXPECT_EQ(results.value().majority.no, 1);
  EXPECT_EQ(results.value().voters, 1);
  EXPECT_EQ(results.value().eligible, 3);
}

TEST_F(GovernanceRules, OpeningAVoteTellsEveryEligibleMemberButItsAuthor) {
  org_of({"a", "b", "c"});
  const auto p = propose();
  std::vector<std::string> told;
  for (const auto& n : store.state.notifications) {
    EXPECT_EQ(n.kind, "proposal_opened");
    EXPECT_EQ(n.subject_id, p.id);
    told.push_back(n.user_id);
  }
  EXPECT_EQ(told, (std::vector<std::string>{"b", "c"}));
}

TEST_F(GovernanceRules, OnlyTheMembersWhenItOpenedVoteAndARefusalChangesNothing) {
  org_of({"a", "b"});
  const auto p = propose();
  join("late");
  const auto before_commits = store.commits;
  const auto late = vote("late", p.id, "yes");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().kind, ErrorKind::forbidden);
  const auto stranger = vote("stranger", p.id, "yes");
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().kind, ErrorKind::not_found);  // says nothing of the proposal
  const auto bad = vote("b", p.id, "perhaps");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, ErrorKind::validation);
  EXPECT_TRUE(store.state.ballots[p.id].empty());
  EXPECT_TRUE(store.state.register_[p.id].empty());
  EXPECT_EQ(store.commits, before_commits);
}

TEST_F(GovernanceRules, OnlyAnAdminClosesAndAClosedVoteTakesNoBallot) {
  org_of({"a", "b"});
  const auto p = propose();
  const auto by_member = governance.close(person("b"), p.id);
  ASSERT_FALSE(by_member.ok());
  EXPECT_EQ(by_member.error().kind, ErrorKind::forbidden);
  ASSERT_TRUE(governance.close(person("a"), p.id).ok());
  const auto late = vote("b", p.id, "yes");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "proposal_closed");
  const auto again = governance.close(person("a"), p.id);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, "proposal_closed");
}

TEST_F(GovernanceRules, TheSchedulerClosesWhatIsDueAndOnlyThat) {
  org_of({"a", "b"});
  const auto first = propose();
  clock.at += 3'600'000;
  const auto second = propose();
  EXPECT_EQ(governance.close_due(), 0);
  clock.at = first.closes_at + 60'000;  // a round a minute late
  EXPECT_EQ(governance.close_due(), 1);
  EXPECT_EQ(store.state.proposals[first.id].status, core::ProposalStatus::closed);
  EXPECT_EQ(store.state.proposals[first.id].closed_at, first.closes_at);  // when its time was up
  EXPECT_EQ(store.state.proposals[second.id].status, core::ProposalStatus::open);
}

TEST_F(GovernanceRules, AVoteWhoseTimeIsUpIsClosedByItsFirstReaderBeforeTheScheduler) {
  org_of({"alice", "bruno", "chloe"});
  const auto open = propose();
  const auto secret = propose("majority", true);
  for (const auto* who : {"alice", "bruno", "chloe"}) {
    ASSERT_TRUE(vote(who, open.id, "yes").ok());
    ASSERT_TRUE(vote(who, secret.id, "no").ok());
  }
  // A millisecond before its time, reading changes nothing.
  clock.at = secret.closes_at - 1;
  const auto commits = store.commits;
  EXPECT_EQ(governance.results(person("bruno"), secret.id).error().code, "results_sealed");
  EXPECT_EQ(governance.get(person("bruno"), open.id).value().status, core::ProposalStatus::open);
  EXPECT_EQ(store.commits, commits);
  // At its time, its first reader sees it closed, its sealed ballots opened.
  clock.at = secret.closes_at;
  const auto results = governance.results(person("bruno"), secret.id);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results.value().proposal.status, core::ProposalStatus::closed);
  EXPECT_EQ(results.value().majority.no, 3);
  EXPECT_EQ(results.value().outcome, "rejected");
  EXPECT_TRUE(store.state.sealed_ballots[secret.id].empty());
  EXPECT_EQ(governance.participants(person("bruno"), secret.id).value().size(), 3u);
  // A list shows every vote whose time is up as closed.
  const auto listed = governance.of_org(person("chloe"), core::OrgId{"org"}, 50, 0);
  ASSERT_TRUE(listed.ok());
  for (const auto& p : listed.value()) EXPECT_EQ(p.status, core::ProposalStatus::closed);
  EXPECT_EQ(store.state.proposals.at(open.id).closed_at, open.closes_at);
  // Nothing is left for the scheduler, which closes nothing twice.
  EXPECT_EQ(governance.close_due(), 0);
  // A stranger's reading closes nothing (and learns nothing).
  const auto late = propose();
  clock.at = late.closes_at;
  EXPECT_EQ(governance.get(person("mallory"), late.id).error().kind, ErrorKind::not_found);
  EXPECT_EQ(store.state.proposals.at(late.id).status, core::ProposalStatus::open);
}

TEST_F(GovernanceRules, AProxyVotesForItsGiverUntilTheGiverVotesThemselves) {
  org_of({"a", "b", "c"});
  ASSERT_TRUE(governance.give_proxy(person("c"), core::OrgId{"org"}, core::UserId{"b"}).ok());
  const auto p = propose();
  ASSERT_TRUE(vote("b", p.id, "yes").ok());
  auto results = governance.results(person("a"), p.id);
  EXPECT_EQ(results.value().majority.yes, 2);
  EXPECT_EQ(store.state.register_[p.id][core::UserId{"c"}].via_user_id,
            std::optional<std::string>("b"));
  ASSERT_TRUE(vote("c", p.id, "no").ok());
  ASSERT_TRUE(vote("b", p.id, "yes").ok());  // a direct vote stands
  results = governance.results(person("a"), p.id);
  EXPECT_EQ(results.value().majority.yes, 1);
  EXPECT_EQ(results.value().majority.no, 1);
  EXPECT_FALSE(store.state.register_[p.id][core::UserId{"c"}].via_user_id);
}

TEST_F(GovernanceRules, ProxiesDoNotChainAndHaveACap) {
  org_of({"a", "b", "c", "d", "e"});
  ASSERT_TRUE(governance.give_proxy(person("c"), core::OrgId{"org"}, core::UserId{"b"}).ok());
  const auto chain =
      governance.give_proxy(person("b"), core::OrgId{"org"}, core::UserId{"a"});  // b holds c's
  ASSERT_FALSE(chain.ok());
  EXPECT_EQ(chain.error().code, "proxy_chain");
  const auto to_giver =
      governance.give_proxy(person("d"), core::OrgId{"org"}, core::UserId{"c"});  // c gave theirs
  ASSERT_FALSE(to_giver.ok());
  EXPECT_EQ(to_giver.error().code, "proxy_chain");
  ASSERT_TRUE(governance.give_proxy(person("d"), core::OrgId{"org"}, core::UserId{"b"}).ok());
  const auto third = governance.give_proxy(person("e"), core::OrgId{"org"}, core::UserId{"b"});
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, "proxy_cap_reached");
  const auto stranger = governance.give_proxy(person("e"), core::OrgId{"org"}, core::UserId{"zed"});
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().kind, ErrorKind::validation);
}

TEST_F(GovernanceRules, ASecretBallotNamesNobodyAndIsSealedUntilClosed) {
  org_of({"alice", "bruno", "chloe", "driss"});
  const auto p = propose("majority", true);
  for (const auto* who : {"alice", "bruno", "chloe"}) ASSERT_TRUE(vote(who, p.id, "yes").ok());
  // While open, no ballot is a row of its own: each is sealed in its
  // voter's register entry (written by the voter's transaction, a ballot
  // row could be paired with the entry).
  EXPECT_TRUE(store.state.ballots[p.id].empty());
  EXPECT_EQ(store.state.sealed_ballots[p.id].size(), 3u);
  for (const auto& [who, sealed] : store.state.sealed_ballots[p.id])
    EXPECT_TRUE(crypto.unseal("the-ballot-key", sealed).has_value()) << "sealed under the key";
  // Of one length whatever was chosen (the fake's seal keeps the length of
  // what it seals): a "no" is shorter than an "abstain".
  ASSERT_TRUE(vote("chloe", p.id, "abstain").ok());
  std::set<std::size_t> lengths;
  for (const auto& [who, sealed] : store.state.sealed_ballots[p.id]) lengths.insert(sealed.size());
  EXPECT_EQ(lengths.size(), 1u);
  ASSERT_TRUE(vote("chloe", p.id, "yes").ok());
  const auto sealed = governance.results(person("alice"), p.id);
  ASSERT_FALSE(sealed.ok());
  EXPECT_EQ(sealed.error().code, "results_sealed");
  // While open, each member sees only their own participation, admins too.
  const auto seen = governance.participants(person("alice"), p.id);
  ASSERT_TRUE(seen.ok());
  ASSERT_EQ(seen.value().size(), 1u);
  EXPECT_EQ(seen.value()[0].user_id, "alice");
  ASSERT_TRUE(governance.close(person("alice"), p.id).ok());
  // Closed: written out under keys that name nobody, the sealed copies gone.
  EXPECT_EQ(store.state.ballots[p.id].size(), 3u);
  EXPECT_TRUE(store.state.sealed_ballots[p.id].empty());
  for (const auto& [key, choice] : store.state.ballots[p.id]) {
    for (const auto* who : {"alice", "bruno", "chloe", "driss", "user:"})
      EXPECT_EQ(key.find(who), std::string::npos);
  }
  EXPECT_EQ(governance.participants(person("driss"), p.id).value().size(), 3u);
  const auto results = governance.results(person("driss"), p.id);
  ASSERT_TRUE(results.ok());
  EXPECT_FALSE(results.value().withheld);
  EXPECT_EQ(results.value().outcome, "passed");
}

TEST_F(GovernanceRules, ASecretBallotCastAgainOrByProxyIsCountedOnceAtClosing) {
  org_of({"alice", "bruno", "chloe", "driss"});
  ASSERT_TRUE(
      governance.give_proxy(person("driss"), core::OrgId{"org"}, core::UserId{"chloe"}).ok());
  const auto p = propose("majority", true);
  ASSERT_TRUE(vote("bruno", p.id, "yes").ok());
  ASSERT_TRUE(vote("bruno", p.id, "no").ok());   // replaces the first
  ASSERT_TRUE(vote("chloe", p.id, "yes").ok());  // and for driss
  ASSERT_TRUE(vote("alice", p.id, "abstain").ok());
  ASSERT_TRUE(vote("driss", p.id, "no").ok());  // overrides the proxy
  EXPECT_EQ(store.state.sealed_ballots[p.id].size(), 4u);
  // The scheduler's closing opens them too.
  clock.at = p.closes_at;
  EXPECT_EQ(governance.close_due(), 1);
  const auto results = governance.results(person("alice"), p.id);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results.value().voters, 4);
  EXPECT_EQ(results.value().majority.yes, 1);
  EXPECT_EQ(results.value().majority.no, 2);
  EXPECT_EQ(results.value().majority.abstain, 1);
  EXPECT_TRUE(store.state.sealed_ballots[p.id].empty());
}

TEST_F(GovernanceRules, ASecretObjectionIsSealedAsLongAsAConsent) {
  org_of({"alice", "bruno", "chloe"});
  const auto p = propose("consent", true);
  ASSERT_TRUE(vote("alice", p.id, "consent").ok());
  app::VoteInput objection;
  objection.choice = "object";
  objection.reason = std::string(1000, 'x');  // the longest reason
  ASSERT_TRUE(governance.vote(person("bruno"), p.id, objection).ok());
  objection.reason = "Trop tôt.";
  ASSERT_TRUE(governance.vote(person("chloe"), p.id, objection).ok());
  std::set<std::size_t> lengths;
  for (const auto& [who, sealed] : store.state.sealed_ballots[p.id]) lengths.insert(sealed.size());
  EXPECT_EQ(lengths.size(), 1u);
  ASSERT_TRUE(governance.close(person("alice"), p.id).ok());
  const auto results = governance.results(person("alice"), p.id);
  ASSERT_TRUE(results.ok());
  EXPECT_EQ(results.value().consent.object, 2);
  EXPECT_EQ(results.value().objections,
            (std::vector<std::string>{"Trop tôt.", std::string(1000, 'x')}));
}

TEST_F(GovernanceRules, SealedBallotsThatCannotBeOpenedKeepTheVoteOpen) {
  org_of({"alice", "bruno", "chloe"});
  const auto p = propose("majority", true);
  for (const auto* who : {"alice", "bruno", "chloe"}) ASSERT_TRUE(vote(who, p.id, "yes").ok());
  // The server's ballot key changed during the vote: nothing is counted
  // wrong, the closing fails and changes nothing.
  app::Governance rekeyed{store, crypto, clock, {"another-key", core::ProxyRule::fixed, 2}};
  EXPECT_THROW((void)rekeyed.close(person("alice"), p.id), std::runtime_error);
  EXPECT_EQ(store.state.proposals.at(p.id).status, core::ProposalStatus::open);
  // Its time up, a reader still gets an answer (the vote still sealed),
  // and the scheduler's round reports the failure.
  clock.at = p.closes_at;
  EXPECT_EQ(rekeyed.results(person("bruno"), p.id).error().code, "results_sealed");
  EXPECT_EQ(rekeyed.get(person("bruno"), p.id).value().status, core::ProposalStatus::open);
  EXPECT_THROW((void)rekeyed.close_due(), std::runtime_error);
  EXPECT_EQ(store.state.proposals.at(p.id).status, core::ProposalStatus::open);
  EXPECT_EQ(store.state.sealed_ballots[p.id].size(), 3u);
  EXPECT_TRUE(store.state.ballots[p.id].empty());
  ASSERT_TRUE(governance.close(person("alice"), p.id).ok());
  EXPECT_EQ(governance.results(person("bruno"), p.id).value().majority.yes, 3);
}

TEST_F(GovernanceRules, AClosedSecretBallotWithTooFewBallotsShowsNoTally) {
  org_of({"a", "b", "c"});
  const auto p = propose("majority", true);
  ASSERT_TRUE(vote("b", p.id, "no").ok());
  ASSERT_TRUE(vote("c", p.id, "no").ok());
  ASSERT_TRUE(governance.close(person("a"), p.id).ok());
  const auto results = governance.results(person("a"), p.id);
  ASSERT_TRUE(results.ok());
  EXPECT_TRUE(results.value().withheld);
  EXPECT_EQ(results.value().voters, 2);
  EXPECT_EQ(results.value().majority.no, 0);
  EXPECT_TRUE(results.value().outcome.empty());
}

// Property: whatever members vote, change their minds and hand proxies
// around, each eligible member counts at most once, the register and the
// ballots agree, and the tally is what each member's last say (their own,
// or else their proxy holder's latest) adds up to.
TEST_F(GovernanceRules, OneMemberOneVoteWhateverTheOrderOfVotesAndProxies) {
  const std::vector<std::string> choices = {"yes", "no", "abstain"};
  for (unsigned seed = 1; seed <= 60; ++seed) {
    store.state = {};
    std::mt19937 rng(seed);
    const int size = 2 + static_cast<int>(rng() % 9);
    std::vector<std::string> people;
    for (int idx = 0; idx < size; ++idx) people.push_back("m" + std::to_string(idx));
    org_of(people);
    // Proxies given before the vote (refusals ignored: the rules decide).
    std::map<std::string, std::string> proxy_of;
    for (int tries = 0; tries < size; ++tries) {
      const auto& from = people[rng() % people.size()];
      const auto& to = people[rng() % people.size()];
      if (governance.give_proxy(person(from), core::OrgId{"org"}, core::UserId{to}).ok())
        proxy_of[from] = to;
    }
    const auto p = propose();
    std::map<std::string, std::string> direct, via;  // the model
    for (int step = 0; step < 3 * size; ++step) {
      const auto& who = people[rng() % people.size()];
      const auto& choice = choices[rng() % choices.size()];
      ASSERT_TRUE(vote(who, p.id, choice).ok()) << seed;
      direct[who] = choice;
      for (const auto& [from, to] : proxy_of)
        if (to == who && !direct.count(from)) via[from] = choice;
    }
    std::map<std::string, int> expected;
    for (const auto& member : people) {
      if (direct.count(member))
        ++expected[direct[member]];
      else if (via.count(member))
        ++expected[via[member]];
    }
    const auto& ballots = store.state.ballots[p.id];
    const auto& entries = store.state.register_[p.id];
    EXPECT_EQ(ballots.size(), entries.size()) << seed;
    EXPECT_LE(static_cast<int>(entries.size()), size) << seed;
    const auto results = governance.results(person("m0"), p.id).value();
    EXPECT_EQ(results.majority.yes, expected["yes"]) << seed;
    EXPECT_EQ(results.majority.no, expected["no"]) << seed;
    EXPECT_EQ(results.majority.abstain, expected["abstain"]) << seed;
    EXPECT_EQ(results.voters, expected["yes"] + expected["no"] + expected["abstain"]) << seed;
  }
}

// The fake keeps the stores' promise that a use case relies on: a read
// may not write.
TEST(FakeStore, AReadMayNotWrite) {
  fakes::FakeStore store;
  EXPECT_THROW(store.read([](app::ReadTx& tx) {
    (void)dynamic_cast<app::OrgsWrites&>(tx.orgs()).delete_member(core::OrgId{"org"},
                                                                  core::UserId{"a"});
  }),
               std::logic_error);
}

}  // namespace
}  // namespace essor
