// Private circles on the in-memory fake store (fake_store.hpp): a circle
// exists for its members only, nothing of it reaches a public activity, and
// its notifications go to its members alone; a property test over random
// circles, arrivals, departures and posts. End to end over HTTP on both
// databases: tests/http/community_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "app/community.hpp"
#include "fake_store.hpp"

namespace essor {
namespace {

using core::ErrorKind;
using fakes::person;

class CirclesRules : public ::testing::Test {
 protected:
  fakes::FakeStore store;
  fakes::FakeClock clock;
  fakes::FakeCrypto crypto;
  fakes::KeyWording wording;
  app::Community community{store, crypto, clock, wording, fakes::community_options()};

  void SetUp() override {
    for (const char* id : {"mamie", "paul", "lea", "tom", "stranger"}) {
      app::UserRecord u;
      u.id = core::UserId{id};
      u.email = u.email_norm = std::string(id) + "@example.org";
      u.display_name = "Name " + u.id;
      store.state.users[u.id] = u;
    }
  }

  std::string circle_of(const std::string& creator) {
    auto circle = community.circles.create_circle(person(creator), "Autour de Mamie", "");
    EXPECT_TRUE(circle.ok());
    return circle.ok() ? circle->id : "";
  }
};

TEST_F(CirclesRules, ACircleIsNotThereForAnyoneOutsideIt) {
  const auto id = circle_of("paul");
  ASSERT_TRUE(community.circles.post_in_circle(person("paul"), id, "Photo du goûter", {}).ok());
  const auto post_id = store.state.circle_posts.at(0).id;
  const auto stranger = person("stranger");
  // Everything answers as for a circle that does not exist.
  for (const auto& answer :
       {community.circles.circle(stranger, id, 20, 0).error(),
        community.circles.post_in_circle(stranger, id, "Coucou", {}).error(),
        community.circles.add_circle_member(stranger, id, "tom@example.org").error(),
        community.circles.circle_photo(stranger, post_id).error(),
        community.circles.circle(stranger, "nope", 20, 0).error()}) {
    EXPECT_EQ(answer.kind, ErrorKind::not_found);
  }
  EXPECT_EQ(community.circles.leave_circle(stranger, id, core::UserId{"stranger"}).error().kind,
            ErrorKind::not_found);
  EXPECT_TRUE(community.circles.circles(stranger).empty());
  EXPECT_EQ(store.state.circle_posts.size(), 1u);
  EXPECT_EQ(store.state.circle_members[id].size(), 1u);
}

TEST_F(CirclesRules, MembersAddPeopleWhoAreToldAndLeaveOnlyThemselves) {
  const auto id = circle_of("paul");
  EXPECT_EQ(
      community.circles.add_circle_member(person("paul"), id, "inconnu@example.org").error().kind,
      ErrorKind::validation);  // no account: nothing is said of the address
  EXPECT_EQ(community.circles.add_circle_member(person("paul"), id, "pas une adresse").error().kind,
            ErrorKind::validation);
  ASSERT_TRUE(community.circles.add_circle_member(person("paul"), id, "lea@example.org").ok());
  ASSERT_TRUE(community.circles.add_circle_member(person("paul"), id, "lea@example.org").ok());
  ASSERT_EQ(store.state.notifications.size(), 1u);  // added twice is told once
  const auto& told = store.state.notifications[0];
  EXPECT_EQ(told.user_id, "lea");
  EXPECT_EQ(told.kind, "circle_added");
  EXPECT_FALSE(told.mail);  // circles are mailed by digest
  EXPECT_EQ(told.link, core::Link(core::Place::circle, id));
  EXPECT_EQ(community.circles.leave_circle(person("lea"), id, core::UserId{"paul"}).error().kind,
            ErrorKind::forbidden);
  ASSERT_TRUE(community.circles.leave_circle(person("lea"), id, core::UserId{"lea"}).ok());
  EXPECT_EQ(community.circles.circle(person("lea"), id, 20, 0).error().kind, ErrorKind::not_found);
  EXPECT_TRUE(community.circles.circle(person("paul"), id, 20, 0).ok());
}

TEST_F(CirclesRules, APhotoIsAnImageCheckedByItsContent) {
  const auto id = circle_of("paul");
  const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
  EXPECT_EQ(
      community.circles.post_in_circle(person("paul"), id, "", std::string("<svg/>")).error().kind,
      ErrorKind::validation);
  EXPECT_EQ(community.circles.post_in_circle(person("paul"), id, "", {}).error().kind,
            ErrorKind::validation);  // neither words nor photo
  const auto post = community.circles.post_in_circle(person("paul"), id, "", png);
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->photo_type, "image/png");
  EXPECT_TRUE(post->photo_base64.empty());  // the answer does not carry it back
  const auto photo = community.circles.circle_photo(person("paul"), post->id);
  ASSERT_TRUE(photo.ok());
  EXPECT_FALSE(photo->photo_base64.empty());
}

// Random circles, people added, leaving and posting: whatever the order,
// nothing of a circle is ever a public activity; every notification of a
// post goes to someone who was a member when it was written, never its
// author, and points at the post in its circle; a member reads their
// circle, and anyone else is told it does not exist.
TEST_F(CirclesRules, PropertyNothingOfACircleReachesAnyoneOutsideIt) {
  const std::vector<std::string> people = {"mamie", "paul", "lea", "tom", "stranger"};
  for (unsigned seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    store.state.circles.clear();
    store.state.circle_members.clear();
    store.state.circle_posts.clear();
    store.state.notifications.clear();
    std::mt19937 random(seed);
    const auto pick = [&](std::size_t n) {
      return std::uniform_int_distribution<std::size_t>(0, n - 1)(random);
    };
    std::vector<std::string> circles;
    // Who was a member when each post was written.
    std::map<std::string, std::set<std::string>> members_at_post;
    for (int step = 0; step < 50; ++step) {
      const auto roll = pick(8);
      const std::string who = people[pick(people.size())];
      if (roll == 0 || circles.empty()) {
        circles.push_back(circle_of(who));
        continue;
      }
      const std::string id = circles[pick(circles.size())];
      const bool member =
          store.state.circles.count(id) &&
          std::any_of(store.state.circle_members[id].begin(), store.state.circle_members[id].end(),
                      [&](const auto& m) { return m.user_id == who; });
      if (roll <= 2) {
        const std::string other = people[pick(people.size())];
        const auto added =
            community.circles.add_circle_member(person(who), id, other + "@example.org");
        EXPECT_EQ(added.ok(), member);
      } else if (roll == 3) {
        EXPECT_EQ(community.circles.leave_circle(person(who), id, core::UserId{who}).ok(), member);
      } else {
        const auto before = store.state.circle_posts.size();
        const auto post = community.circles.post_in_circle(person(who), id, "Nouvelles", {});
        ASSERT_EQ(post.ok(), member);
        if (!post.ok()) {
          EXPECT_EQ(post.error().kind, ErrorKind::not_found);
          EXPECT_EQ(store.state.circle_posts.size(), before);
          continue;
        }
        for (const auto& m : store.state.circle_members[id])
          members_at_post[post->id].insert(m.user_id);
      }
      // A member reads the circle; anyone else is told it does not exist.
      const std::string reader = people[pick(people.size())];
      bool reader_member = false;
      for (const auto& m : store.state.circle_members[id]) reader_member |= m.user_id == reader;
      EXPECT_EQ(community.circles.circle(person(reader), id, 20, 0).ok(), reader_member);
    }
    EXPECT_TRUE(store.state.activities.empty());
    std::map<std::string, std::string> circle_of_post, author_of_post;
    for (const auto& p : store.state.circle_posts) {
      circle_of_post[p.id] = p.circle_id;
      author_of_post[p.id] = p.user_id;
    }
    for (const auto& n : store.state.notifications) {
      EXPECT_FALSE(n.mail);
      if (n.kind != "circle_post") continue;
      EXPECT_EQ(n.subject_type, core::Subject::circle_post);
      EXPECT_EQ(members_at_post[n.subject_id].count(n.user_id), 1u) << n.user_id;
      EXPECT_NE(n.user_id, author_of_post[n.subject_id]);
      EXPECT_EQ(n.link, core::Link(core::Place::circle, circle_of_post[n.subject_id],
                                   core::Anchor::post, n.subject_id));
    }
  }
}

}  // namespace
}  // namespace essor
