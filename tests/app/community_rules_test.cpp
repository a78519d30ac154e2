// Comments, moderation and follows on the in-memory fake store
// (fake_store.hpp): who may comment, reply, report, hide and follow what,
// where notifications and activities point, and a property test over
// random discussions and moderators' decisions. End to end over HTTP on
// both databases: tests/http/community_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "app/community.hpp"
#include "fake_store.hpp"

namespace essor {
namespace {

using core::Anchor;
using core::Link;
using core::Place;
using core::Subject;
using fakes::person;

class CommunityRules : public ::testing::Test {
 protected:
  fakes::FakeStore store;
  fakes::FakeClock clock;
  fakes::FakeCrypto crypto;
  fakes::KeyWording wording;
  app::Community community{store, crypto, clock, wording, fakes::community_options()};

  void SetUp() override {
    fakes::add_org(store.state, "org", "La Cagette");
    store.state.members[core::OrgId{"org"}].push_back(
        {core::UserId{"admin"}, "Name admin", core::Role::admin, 0});
    store.state.members[core::OrgId{"org"}].push_back(
        {core::UserId{"member"}, "Name member", core::Role::member, 0});
    app::CampaignRecord c;
    c.id = core::CampaignId{"camp"};
    c.org_id = core::OrgId{"org"};
    c.title = "Un four pour le fournil";
    c.status = core::CampaignStatus::live;
    c.goal_cents = 500'000;
    c.ends_at = clock.at + 30LL * 86'400'000;
    store.state.campaigns[core::CampaignId{"camp"}] = c;
    app::ProposalRecord p;
    p.id = core::ProposalId{"prop"};
    p.org_id = core::OrgId{"org"};
    p.title = "Acheter le four";
    p.closes_at = clock.at + 86'400'000;
    store.state.proposals[core::ProposalId{"prop"}] = p;
  }

  app::Principal moderator() {
    auto who = person("mod");
    who.moderator = true;
    return who;
  }

  core::Result<app::CommentRecord> say(const std::string& who, Subject type, const std::string& id,
                                       std::optional<std::string> parent = std::nullopt) {
    clock.at += 1;
    return community.discussion.comment(person(who), type, id, "Bravo " + who, parent);
  }

  std::vector<app::NotificationRecord> notifications_of(const std::string& user) {
    std::vector<app::NotificationRecord> out;
    for (const auto& n : store.state.notifications)
      if (n.user_id == user) out.push_back(n);
    return out;
  }
};

TEST_F(CommunityRules, ADraftIsDiscussedByItsOrganisationOnly) {
  store.state.campaigns[core::CampaignId{"camp"}].status = core::CampaignStatus::draft;
  const auto refused = say("stranger", Subject::campaign, "camp");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, core::ErrorKind::not_found);  // a draft does not exist for them
  EXPECT_FALSE(
      community.discussion.comments(person("stranger"), Subject::campaign, "camp", 50, 0).ok());
  EXPECT_FALSE(community.discussion.comments(std::nullopt, Subject::campaign, "camp", 50, 0).ok());
  ASSERT_TRUE(say("member", Subject::campaign, "camp").ok());
  EXPECT_TRUE(community.discussion.comments(moderator(), Subject::campaign, "camp", 50, 0).ok());
  EXPECT_EQ(store.state.comments.size(), 1u);
}

TEST_F(CommunityRules, OnlyCampaignsNewsAndProposalsTakeComments) {
  for (const auto type :
       {Subject::org, Subject::comment, Subject::user, Subject::event, Subject::circle,
        Subject::circle_post, Subject::draft, Subject::assembly, Subject::call}) {
    const auto refused = say("member", type, "camp");
    ASSERT_FALSE(refused.ok()) << core::to_string(type);
    EXPECT_EQ(refused.error().kind, core::ErrorKind::validation);
  }
  EXPECT_TRUE(store.state.comments.empty());
}

TEST_F(CommunityRules, AProposalIsDiscussedByMembersAndNeverInPublicFeeds) {
  EXPECT_EQ(say("stranger", Subject::proposal, "prop").error().kind, core::ErrorKind::not_found);
  EXPECT_FALSE(community.discussion.comments(std::nullopt, Subject::proposal, "prop", 50, 0).ok());
  // A moderator reads it but does not take part.
  EXPECT_TRUE(community.discussion.comments(moderator(), Subject::proposal, "prop", 50, 0).ok());
  EXPECT_EQ(community.discussion
                .comment(moderator(), Subject::proposal, "prop", "Hors sujet", std::nullopt)
                .error()
                .kind,
            core::ErrorKind::forbidden);
  const auto first = say("member", Subject::proposal, "prop");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(say("admin", Subject::proposal, "prop", first->id).ok());
  EXPECT_TRUE(store.state.activities.empty());  // the members' discussion stays theirs
  const auto told = notifications_of("member");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].kind, "comment_reply");
  EXPECT_EQ(told[0].link,
            Link(Place::proposal, "prop", Anchor::comment, store.state.comments[1].id));
}

TEST_F(CommunityRules, RepliesTakeOneLevelOnTheirOwnPageAndTellTheAuthor) {
  const auto first = say("alice", Subject::campaign, "camp");
  ASSERT_TRUE(first.ok());
  const auto reply = say("bob", Subject::campaign, "camp", first->id);
  ASSERT_TRUE(reply.ok());
  // A reply to a reply, or to a comment of another page, is refused.
  EXPECT_EQ(say("carol", Subject::campaign, "camp", reply->id).error().kind,
            core::ErrorKind::validation);
  EXPECT_EQ(say("carol", Subject::proposal, "prop", first->id).error().kind,
            core::ErrorKind::not_found);  // carol is no member: the proposal is not there
  EXPECT_EQ(say("member", Subject::proposal, "prop", first->id).error().kind,
            core::ErrorKind::validation);
  // Answering oneself tells nobody.
  ASSERT_TRUE(say("alice", Subject::campaign, "camp", first->id).ok());
  const auto told = notifications_of("alice");
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told[0].subject_type, Subject::comment);
  EXPECT_EQ(told[0].subject_id, reply->id);
  EXPECT_EQ(told[0].link, Link(Place::campaign, "camp", Anchor::comment, reply->id));
  EXPECT_EQ(store.state.comments.size(), 3u);
}

TEST_F(CommunityRules, ANewsItemsCommentsLiveOnItsCampaignsPage) {
  const auto update = community.discussion.post_update(person("admin"), core::CampaignId{"camp"},
                                                       "Le four est commandé", "…");
  ASSERT_TRUE(update.ok());
  EXPECT_EQ(
      community.discussion.post_update(person("member"), core::CampaignId{"camp"}, "Moi aussi", "…")
          .error()
          .kind,
      core::ErrorKind::forbidden);
  ASSERT_EQ(store.state.activities.size(), 1u);
  EXPECT_EQ(store.state.activities[0].link,
            Link(Place::campaign, "camp", Anchor::update, update->id));
  const auto c = say("alice", Subject::update, update->id);
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(store.state.activities.size(), 2u);
  const auto& posted = store.state.activities[1];
  EXPECT_EQ(posted.kind, "comment_posted");
  EXPECT_EQ(posted.campaign_id, "camp");
  EXPECT_EQ(posted.link, Link(Place::campaign, "camp", Anchor::comment, c->id));
  EXPECT_EQ(wording.path(posted.link), "campaign:camp#comment:" + c->id);
}

TEST_F(CommunityRules, HidingTakesRepliesActivitiesNotificationsAndReportsWithIt) {
  const auto first = say("alice", Subject::campaign, "camp");
  const auto reply = say("bob", Subject::campaign, "camp", first->id);
  const auto other = say("carol", Subject::campaign, "camp");
  ASSERT_TRUE(first.ok() && reply.ok() && other.ok());
  ASSERT_TRUE(
      community.discussion.report(person("dan"), Subject::comment, first->id, "insulte").ok());
  ASSERT_TRUE(
      community.discussion.report(person("dan"), Subject::comment, first->id, "encore").ok());
  ASSERT_TRUE(community.discussion.report(person("eve"), Subject::comment, first->id, "").ok());
  EXPECT_EQ(store.state.reports.size(), 2u);  // dan's second report counts once
  EXPECT_EQ(community.discussion.report(person("dan"), Subject::comment, "nope", "").error().kind,
            core::ErrorKind::not_found);
  EXPECT_EQ(community.discussion.report(person("dan"), Subject::campaign, "camp", "").error().kind,
            core::ErrorKind::validation);

  EXPECT_EQ(community.discussion.open_reports(person("dan")).error().kind,
            core::ErrorKind::forbidden);
  EXPECT_EQ(community.discussion.hide(person("dan"), Subject::comment, first->id).error().kind,
            core::ErrorKind::forbidden);
  const auto queue = community.discussion.open_reports(moderator());
  ASSERT_TRUE(queue.ok());
  ASSERT_EQ(queue->size(), 2u);
  EXPECT_EQ((*queue)[0].link, Link(Place::campaign, "camp", Anchor::comment, first->id));

  ASSERT_TRUE(community.discussion.hide(moderator(), Subject::comment, first->id).ok());
  const auto left = community.discussion.comments(std::nullopt, Subject::campaign, "camp", 200, 0);
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].id, other->id);
  for (const auto& a : store.state.activities) {
    EXPECT_NE(a.subject_id, first->id);
    EXPECT_NE(a.subject_id, reply->id);
  }
  EXPECT_TRUE(notifications_of("alice").empty());  // bob's reply is gone from it
  EXPECT_TRUE(community.discussion.open_reports(moderator())->empty());
  // What is hidden may not be reported again, nor answered.
  EXPECT_EQ(
      community.discussion.report(person("eve"), Subject::comment, first->id, "").error().kind,
      core::ErrorKind::not_found);
  EXPECT_EQ(say("eve", Subject::campaign, "camp", first->id).error().kind,
            core::ErrorKind::validation);
}

TEST_F(CommunityRules, FollowsAreOfOrganisationsCampaignsAndPeopleThatExist) {
  store.state.users[core::UserId{"bob"}] = app::UserRecord{};
  store.state.users[core::UserId{"bob"}].id = core::UserId{"bob"};
  const auto alice = person("alice");
  EXPECT_EQ(community.follows.follow(alice, Subject::comment, "x").error().kind,
            core::ErrorKind::validation);
  EXPECT_EQ(community.follows.follow(alice, Subject::user, "alice").error().kind,
            core::ErrorKind::validation);
  EXPECT_EQ(community.follows.follow(alice, Subject::org, "nope").error().kind,
            core::ErrorKind::not_found);
  EXPECT_EQ(community.follows.follow(alice, Subject::user, "nope").error().kind,
            core::ErrorKind::not_found);
  store.state.campaigns[core::CampaignId{"camp"}].status = core::CampaignStatus::in_review;
  EXPECT_EQ(community.follows.follow(alice, Subject::campaign, "camp").error().kind,
            core::ErrorKind::not_found);
  store.state.campaigns[core::CampaignId{"camp"}].status = core::CampaignStatus::live;
  ASSERT_TRUE(community.follows.follow(alice, Subject::campaign, "camp").ok());
  ASSERT_TRUE(community.follows.follow(alice, Subject::campaign, "camp").ok());  // twice is once
  ASSERT_TRUE(community.follows.follow(alice, Subject::org, "org").ok());
  ASSERT_TRUE(community.follows.follow(alice, Subject::user, "bob").ok());
  EXPECT_EQ(community.follows.list(alice).size(), 3u);
  EXPECT_TRUE(community.follows.is_following(alice, Subject::org, "org"));
  EXPECT_FALSE(community.follows.is_following(alice, Subject::campaign, "org"));  // the type counts
  ASSERT_TRUE(community.follows.unfollow(alice, Subject::org, "org").ok());
  EXPECT_EQ(community.follows.unfollow(alice, Subject::org, "org").error().kind,
            core::ErrorKind::not_found);
  EXPECT_EQ(community.follows.list(alice).size(), 2u);
}

// Random discussions: people comment on the campaign and its news, answer
// each other (sometimes wrongly: a reply to a reply, to another page's
// comment), report, and moderators hide comments and news. Whatever the
// order: a reader sees exactly the comments neither hidden nor under a
// hidden one; replies take one level on their own page; no activity or
// notification speaks of anything hidden; every link points at its
// comment on its target's page.
TEST_F(CommunityRules, PropertyDiscussionsStayConsistentWhateverIsHidden) {
  for (unsigned seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    store.state.comments.clear();
    store.state.updates.clear();
    store.state.reports.clear();
    store.state.activities.clear();
    store.state.notifications.clear();
    std::mt19937 random(seed);
    const auto pick = [&](std::size_t n) {
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    const std::vector<std::string> people = {"ana", "ben", "cyd", "dom", "member"};
    std::vector<std::pair<Subject, std::string>> targets = {{Subject::campaign, "camp"}};
    std::set<std::string> hidden;  // comments and news a moderator hid
    for (int step = 0; step < 60; ++step) {
      const auto roll = pick(10);
      if (roll == 0) {
        auto update = community.discussion.post_update(person("admin"), core::CampaignId{"camp"},
                                                       "Nouvelles", "…");
        ASSERT_TRUE(update.ok());
        targets.emplace_back(Subject::update, update->id);
      } else if (roll <= 5 || store.state.comments.empty()) {
        const auto& [type, id] = targets[pick(targets.size())];
        std::optional<std::string> parent;
        if (!store.state.comments.empty() && pick(2) == 0)
          parent = store.state.comments[pick(store.state.comments.size())].id;
        const auto before = store.state.comments.size();
        const auto said = say(people[pick(people.size())], type, id, parent);
        if (said.ok()) {
          ASSERT_EQ(store.state.comments.size(), before + 1);
        } else {
          ASSERT_EQ(store.state.comments.size(), before);  // nothing left behind
        }
      } else if (roll <= 7) {
        const auto& c = store.state.comments[pick(store.state.comments.size())];
        (void)community.discussion.report(person(people[pick(people.size())]), Subject::comment,
                                          c.id, "");
      } else if (roll == 8) {
        const std::string id = store.state.comments[pick(store.state.comments.size())].id;
        ASSERT_TRUE(community.discussion.hide(moderator(), Subject::comment, id).ok());
        hidden.insert(id);
      } else if (targets.size() > 1 && pick(3) == 0) {
        const std::string id = targets[1 + pick(targets.size() - 1)].second;
        ASSERT_TRUE(community.discussion.hide(moderator(), Subject::update, id).ok());
        hidden.insert(id);
      }
    }
    // The truth, from the rows themselves.
    std::map<std::string, app::CommentRecord> by_id;
    for (const auto& c : store.state.comments) by_id[c.id] = c;
    const auto gone = [&](const app::CommentRecord& c) {
      if (c.hidden) return true;
      if (c.parent_id && by_id.at(*c.parent_id).hidden) return true;
      return c.target_type == Subject::update && hidden.count(c.target_id) > 0;
    };
    for (const auto& c : store.state.comments) {
      if (hidden.count(c.id)) {
        ASSERT_TRUE(c.hidden);
      }
      if (c.parent_id) {
        const auto& parent = by_id.at(*c.parent_id);
        EXPECT_FALSE(parent.parent_id.has_value()) << "a reply to a reply";
        EXPECT_EQ(parent.target_type, c.target_type);
        EXPECT_EQ(parent.target_id, c.target_id);
      }
    }
    for (const auto& [type, id] : targets) {
      const auto shown = community.discussion.comments(std::nullopt, type, id, 200, 0);
      if (hidden.count(id)) {
        EXPECT_FALSE(shown.ok());  // hidden news: not there
        continue;
      }
      ASSERT_TRUE(shown.ok());
      std::vector<std::string> expected, got;
      for (const auto& c : store.state.comments)
        if (c.target_type == type && c.target_id == id && !gone(c)) expected.push_back(c.id);
      for (const auto& c : *shown) got.push_back(c.id);
      EXPECT_EQ(got, expected);
    }
    for (const auto& a : store.state.activities) {
      if (a.subject_type == Subject::comment) {
        const auto& c = by_id.at(a.subject_id);
        EXPECT_FALSE(gone(c));
        EXPECT_EQ(a.link.anchor, Anchor::comment);
        EXPECT_EQ(a.link.anchor_id, c.id);
        EXPECT_EQ(a.link.place, Place::campaign);
        EXPECT_EQ(a.link.id, "camp");
      } else {
        EXPECT_EQ(a.subject_type, Subject::update);
        EXPECT_EQ(hidden.count(a.subject_id), 0u);
      }
    }
    for (const auto& n : store.state.notifications) {
      if (n.subject_type != Subject::comment) continue;
      const auto& c = by_id.at(n.subject_id);
      EXPECT_FALSE(gone(c));
      EXPECT_NE(n.user_id, c.user_id);  // nobody is told of their own words
      EXPECT_EQ(n.link.anchor_id, c.id);
    }
    for (const auto& [report, resolution] : store.state.reports) {
      if (hidden.count(report.target_id)) {
        EXPECT_EQ(resolution, "hidden");
      }
    }
  }
}

}  // namespace
}  // namespace essor
