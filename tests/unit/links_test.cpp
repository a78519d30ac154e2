// The vocabulary of community rows (core/subject.hpp) and the one place
// that spells links as paths (web/links.hpp).
#include "web/links.hpp"

#include <gtest/gtest.h>

#include "app/ports.hpp"
#include "core/subject.hpp"

namespace essor {
namespace {

using core::Anchor;
using core::Link;
using core::Place;
using core::Subject;

TEST(Subjects, EveryWordReadsBackAsItsSubjectAndNothingElseDoes) {
  for (const auto s : {Subject::org, Subject::campaign, Subject::update, Subject::comment,
                       Subject::proposal, Subject::user, Subject::event, Subject::circle,
                       Subject::circle_post, Subject::draft, Subject::assembly, Subject::call}) {
    EXPECT_EQ(core::parse_subject(core::to_string(s)), s) << core::to_string(s);
  }
  EXPECT_FALSE(core::parse_subject("planet"));
  EXPECT_FALSE(core::parse_subject(""));
  EXPECT_FALSE(core::parse_subject("Campaign"));  // the stored words, exactly
  EXPECT_TRUE(core::commentable(Subject::update));
  EXPECT_FALSE(core::commentable(Subject::org));
  EXPECT_TRUE(core::reportable(Subject::comment));
  EXPECT_FALSE(core::reportable(Subject::campaign));
  EXPECT_TRUE(core::followable(Subject::user));
  EXPECT_FALSE(core::followable(Subject::comment));
}

TEST(Links, TheStoredFormReadsBackAsTheSameLink) {
  const std::vector<Link> links = {
      {Place::campaign, "c1"},
      {Place::campaign, "c1", Anchor::update, "u1"},
      {Place::campaign, "c1", Anchor::comment, "k1"},
      {Place::proposal, "p1", Anchor::comment, "k2"},
      {Place::amendments, "p1"},
      {Place::circle, "o1", Anchor::post, "x1"},
      {Place::org, "g1", Anchor::governance, ""},
      {Place::recurring_gifts, ""},
      {Place::unsubscribe, "tok"},
  };
  for (const auto place : {Place::campaign,
                           Place::proposal,
                           Place::amendments,
                           Place::event,
                           Place::circle,
                           Place::draft,
                           Place::assembly,
                           Place::org,
                           Place::call,
                           Place::pledge,
                           Place::wiki_page,
                           Place::recurring_gifts,
                           Place::notification_settings,
                           Place::unsubscribe,
                           Place::verify_email,
                           Place::password_reset,
                           Place::claim,
                           Place::invitation,
                           Place::my_memberships,
                           Place::my_receipts}) {
    for (const auto anchor : {Anchor::none, Anchor::update, Anchor::comment, Anchor::post,
                              Anchor::governance, Anchor::adhesion}) {
      const Link link{place, "id1", anchor, anchor == Anchor::none ? "" : "a1"};
      EXPECT_EQ(core::parse_link(core::to_text(link)), link) << core::to_text(link);
    }
  }
  for (const auto& link : links) {
    EXPECT_EQ(core::parse_link(core::to_text(link)), link) << core::to_text(link);
  }
  EXPECT_EQ(core::to_text(links[2]), "campaign:c1#comment:k1");
  for (const char* bad :
       {"", "campaign", "/campaigns/c1", "planet:1", "campaign:c1#", "campaign:c1#x:1"})
    EXPECT_FALSE(core::parse_link(bad)) << bad;
}

TEST(Links, PathsAreTheSitesRoutes) {
  EXPECT_EQ(web::path({Place::campaign, "c1", Anchor::update, "u1"}), "/campaigns/c1#update-u1");
  EXPECT_EQ(web::path({Place::campaign, "c1", Anchor::comment, "k1"}), "/campaigns/c1#comment-k1");
  EXPECT_EQ(web::path({Place::proposal, "p1", Anchor::comment, "k1"}), "/proposals/p1#comment-k1");
  EXPECT_EQ(web::path({Place::amendments, "p1"}), "/proposals/p1/amendments");
  EXPECT_EQ(web::path({Place::circle, "o1", Anchor::post, "x1"}), "/circles/o1#post-x1");
  EXPECT_EQ(web::path({Place::org, "g1", Anchor::governance, ""}), "/orgs/g1#governance");
  EXPECT_EQ(web::path({Place::event, "e1"}), "/events/e1");
  EXPECT_EQ(web::path({Place::draft, "d1"}), "/drafts/d1");
  EXPECT_EQ(web::path({Place::assembly, "a1"}), "/assemblies/a1");
  EXPECT_EQ(web::path({Place::call, "k1"}), "/calls/k1");
  EXPECT_EQ(web::path({Place::pledge, "p1"}), "/pledges/p1");
  EXPECT_EQ(web::path({Place::recurring_gifts, ""}), "/me/recurring-gifts");
  EXPECT_EQ(web::path({Place::notification_settings, ""}), "/me/notifications");
  EXPECT_EQ(web::path({Place::unsubscribe, "t"}), "/unsubscribe/t");
  EXPECT_EQ(web::path({Place::verify_email, "t"}), "/verify-email/t");
  EXPECT_EQ(web::path({Place::password_reset, "t"}), "/password-reset/t");
  EXPECT_EQ(web::path({Place::claim, "t"}), "/claim/t");
  EXPECT_EQ(web::path({Place::invitation, "t"}), "/invitations/t");
  EXPECT_EQ(web::path({Place::my_memberships, ""}), "/me/memberships");
  EXPECT_EQ(web::path({Place::my_receipts, ""}), "/me/receipts");
  EXPECT_EQ(web::path({Place::org, "g1", Anchor::adhesion, ""}), "/orgs/g1#adhesion");
  // Shared pages' [[Title]]s: a link to the pages the reader may read.
  EXPECT_EQ(web::linked_md("Voir [[Statuts]] et [[Secret|ceci]].", {{"Statuts", "p9"}}),
            "Voir [Statuts](/pages/p9) et ceci.");
  // Rows from before links keep the path they were written with.
  app::NotificationRecord old;
  old.url = "/campaigns/c0";
  EXPECT_EQ(web::path_of(old), "/campaigns/c0");
  app::NotificationRecord now;
  now.link = {Place::event, "e2"};
  EXPECT_EQ(web::path_of(now), "/events/e2");
}

}  // namespace
}  // namespace essor
