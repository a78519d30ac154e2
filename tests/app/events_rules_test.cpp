// Events' seats and waiting list on the in-memory fake store
// (fake_store.hpp): the rules alone, and a property test over random
// registrations and departures. End to end over HTTP on both databases:
// tests/http/community_test.cpp.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "app/community.hpp"
#include "fake_store.hpp"

namespace essor {
namespace {

using core::RegistrationStatus;
using fakes::person;

class EventsRules : public ::testing::Test {
 protected:
  fakes::FakeStore store;
  fakes::FakeClock clock;
  fakes::FakeCrypto crypto;
  fakes::KeyWording wording;
  app::Community community{store, crypto, clock, wording, app::CommunityOptions{}};

  void event_with(std::int64_t seats, const std::string& link = "https://visio.example/salle") {
    fakes::add_org(store.state, "org", "Les Amis du Quartier");
    store.state.members[core::OrgId{"org"}].push_back(
        {core::UserId{"orga"}, "Name orga", core::Role::admin, 0});
    app::EventRecord e;
    e.id = "ev";
    e.org_id = core::OrgId{"org"};
    e.title = "Repair café";
    e.starts_at = clock.at + 86'400'000;
    e.ends_at = e.starts_at + 7'200'000;
    e.online_url = link;
    e.capacity = seats;
    store.state.events["ev"] = e;
  }

  core::Result<app::RegistrationRecord> join(const std::string& who, bool waitlist = true) {
    clock.at += 1;  // registrations in a known order
    return community.events.register_for(person(who), "ev", waitlist);
  }

  std::vector<std::string> with(RegistrationStatus status) {
    std::vector<std::string> out;
    for (const auto& r : store.state.registrations)
      if (r.status == status) out.push_back(r.user_id);
    return out;
  }
};

TEST_F(EventsRules, WhenTheSeatsAreTakenOthersWaitOrAreToldItIsFull) {
  event_with(2);
  EXPECT_EQ(join("a").value().status, RegistrationStatus::registered);
  EXPECT_EQ(join("b").value().status, RegistrationStatus::registered);
  const auto refused = join("c", false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "event_full");
  EXPECT_EQ(join("c").value().status, RegistrationStatus::waiting);
  EXPECT_EQ(store.state.events["ev"].registered, 2);
  // Registering again changes nothing.
  EXPECT_EQ(join("a").value().status, RegistrationStatus::registered);
  EXPECT_EQ(store.state.registrations.size(), 3u);
}

TEST_F(EventsRules, ASeatLeftGoesToTheFirstWhoWaitedAndTellsThem) {
  event_with(1);
  ASSERT_TRUE(join("a").ok());
  ASSERT_TRUE(join("b").ok());
  ASSERT_TRUE(join("c").ok());
  ASSERT_TRUE(community.events.unregister(person("a"), "ev").ok());
  EXPECT_EQ(with(RegistrationStatus::registered), std::vector<std::string>{"b"});
  EXPECT_EQ(with(RegistrationStatus::waiting), std::vector<std::string>{"c"});
  EXPECT_EQ(store.state.events["ev"].registered, 1);
  ASSERT_EQ(store.state.notifications.size(), 1u);
  EXPECT_EQ(store.state.notifications[0].user_id, "b");
  EXPECT_EQ(store.state.notifications[0].kind, "event_seat");
  // Someone who only waited leaves: no seat changes hands.
  ASSERT_TRUE(community.events.unregister(person("c"), "ev").ok());
  EXPECT_EQ(store.state.events["ev"].registered, 1);
  const auto stranger = community.events.unregister(person("zed"), "ev");
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().kind, core::ErrorKind::not_found);
}

TEST_F(EventsRules, TheMeetingLinkIsForThoseWithASeatAndTheOrganisers) {
  event_with(1);
  ASSERT_TRUE(join("a").ok());
  ASSERT_TRUE(join("b").ok());  // waits
  EXPECT_TRUE(community.events.event(person("a"), "ev").value().show_link);
  EXPECT_FALSE(community.events.event(person("b"), "ev").value().show_link);
  EXPECT_FALSE(community.events.event(person("zed"), "ev").value().show_link);
  EXPECT_FALSE(community.events.event(std::nullopt, "ev").value().show_link);
  const auto organiser = community.events.event(person("orga"), "ev").value();
  EXPECT_TRUE(organiser.show_link);
  EXPECT_EQ(organiser.people.size(), 2u);
  // Only organisers see who comes.
  EXPECT_TRUE(community.events.event(person("a"), "ev").value().people.empty());
}

TEST_F(EventsRules, AnEventOverTakesNoRegistration) {
  event_with(5);
  clock.at = store.state.events["ev"].ends_at;
  const auto late = join("a");
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "event_over");
  EXPECT_TRUE(store.state.registrations.empty());
  EXPECT_EQ(store.state.events["ev"].registered, 0);
}

// Property: whatever the order of arrivals and departures, the seats
// counted are the people registered, never more than the capacity, and
// nobody waits while a seat is free; those who waited get seats in the
// order they came.
TEST_F(EventsRules, SeatsAndTheWaitingListStayConsistentWhateverTheOrder) {
  for (unsigned seed = 1; seed <= 80; ++seed) {
    store.state = {};
    std::mt19937 rng(seed);
    const std::int64_t seats = 1 + static_cast<std::int64_t>(rng() % 4);
    event_with(seats);
    std::vector<std::string> queue;  // the model: who waits, in order
    for (int step = 0; step < 40; ++step) {
      const std::string who = "p" + std::to_string(rng() % 9);
      const auto mine = [&] {
        for (const auto& r : store.state.registrations)
          if (r.user_id == who) return std::optional(r.status);
        return std::optional<RegistrationStatus>();
      }();
      if (rng() % 3 == 0 && mine) {
        const auto first_waiting = queue.empty() ? std::string() : queue.front();
        ASSERT_TRUE(community.events.unregister(person(who), "ev").ok()) << seed;
        std::erase(queue, who);
        if (*mine == RegistrationStatus::registered && !first_waiting.empty() &&
            first_waiting != who) {
          EXPECT_EQ(with(RegistrationStatus::registered).back(), first_waiting) << seed;
          std::erase(queue, first_waiting);
        }
      } else {
        const auto joined = join(who);
        ASSERT_TRUE(joined.ok()) << seed;
        if (!mine && joined.value().status == RegistrationStatus::waiting) queue.push_back(who);
      }
      const auto registered = with(RegistrationStatus::registered);
      const auto waiting = with(RegistrationStatus::waiting);
      EXPECT_EQ(store.state.events["ev"].registered, static_cast<std::int64_t>(registered.size()))
          << seed;
      EXPECT_LE(static_cast<std::int64_t>(registered.size()), seats) << seed;
      if (!waiting.empty()) {
        EXPECT_EQ(static_cast<std::int64_t>(registered.size()), seats) << seed;
      }
      EXPECT_EQ(waiting, queue) << seed;
    }
  }
}

}  // namespace
}  // namespace essor
