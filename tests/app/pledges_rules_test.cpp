// Pledges' rules on the in-memory fake store (fake_store.hpp): the answer
// kept for an Idempotency-Key, rewards never oversold, a refusal that
// changes nothing, and the ledger posted in the pledge's own write. End to
// end over HTTP on both databases, with crashes: tests/http/campaigns_test.cpp
// and the crash storms of tests/cli.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "app/ledger.hpp"
#include "app/pledges.hpp"
#include "app/reconciliation.hpp"
#include "fake_store.hpp"

namespace essor {
namespace {

using fakes::person;
// A card that pays at once, and a bank transfer that only announces.
class Provider final : public app::PaymentProvider {
 public:
  Provider(core::PaymentMethod method, bool at_once) : method_(method), at_once_(at_once) {}
  core::PaymentMethod method() const override { return method_; }
  bool confirms_at_once() const override { return at_once_; }
  bool available_for(const app::OrgRecord&) const override { return true; }
  std::optional<app::TransferInstructions> instructions(const app::OrgRecord&, const std::string&,
                                                        core::Cents) const override {
    return std::nullopt;
  }

 private:
  core::PaymentMethod method_;
  bool at_once_;
};

class PledgesRules : public ::testing::Test {
 protected:
  fakes::FakeStore store;
  fakes::FakeClock clock;
  fakes::FakeCrypto crypto;
  fakes::KeyWording wording;
  Provider card{core::PaymentMethod::sandbox_card, true},
      transfer{core::PaymentMethod::bank_transfer, false};
  app::Ledger ledger{store, crypto, clock};
  app::Pledges pledges{store,   crypto, clock,
                       wording, ledger, app::PaymentOptions{{&card, &transfer}, false, "", 0, 0}};

  void SetUp() override { campaign(core::CampaignStatus::live); }

  void campaign(core::CampaignStatus status) {
    fakes::add_org(store.state, "org", "La Cagette");
    store.state.members[core::OrgId{"org"}].push_back(
        {core::UserId{"admin"}, "Admin", core::Role::admin, 0});
    app::CampaignRecord c;
    c.id = core::CampaignId{"camp"};
    c.org_id = core::OrgId{"org"};
    c.title = "Une épicerie coopérative";
    c.status = status;
    c.goal_cents = 1'000'000;
    c.ends_at = clock.at + 30 * 86'400'000LL;
    store.state.campaigns[core::CampaignId{"camp"}] = c;
  }

  void reward(const std::string& id, core::Cents minimum, std::optional<std::int64_t> limit) {
    app::RewardRecord r;
    r.id = id;
    r.campaign_id = core::CampaignId{"camp"};
    r.title = "Un panier";
    r.min_amount_cents = minimum;
    r.quantity_limit = limit;
    store.state.rewards[core::CampaignId{"camp"}].push_back(r);
  }

  core::Result<app::Rendered> pledge(const std::string& who, const std::string& key,
                                     core::Cents amount, const std::string& method = "sandbox_card",
                                     std::optional<std::string> reward_id = std::nullopt) {
    app::PledgeInput input;
    input.amount_cents = amount;
    input.payment_method = method;
    input.reward_id = std::move(reward_id);
    const std::string fingerprint =
        method + "/" + std::to_string(amount) + "/" + input.reward_id.value_or("");
    return pledges.pledge(person(who), core::CampaignId{"camp"}, key, fingerprint, input,
                          [](const app::PledgeOutcome& outcome) { return outcome.pledge.id; });
  }

  core::Cents campaign_balance() {
    core::Cents balance = 0;
    store.read([&](app::ReadTx& tx) {
      balance = tx.ledger().account_balance(core::campaign_account(core::CampaignId{"camp"}));
    });
    return balance;
  }
};

TEST_F(PledgesRules, ACardPledgeIsConfirmedAndOnTheChainInTheSameWrite) {
  const auto answer = pledge("ana", "k1", 2'500);
  ASSERT_TRUE(answer.ok());
  EXPECT_EQ(answer.value().status, 201);
  ASSERT_EQ(store.state.pledges.size(), 1u);
  EXPECT_EQ(store.state.pledges[0].status, core::PledgeStatus::confirmed);
  EXPECT_EQ(store.state.pledges[0].id, answer.value().body);
  ASSERT_EQ(store.state.transfers.size(), 1u);
  const auto& t = store.state.transfers[0];
  EXPECT_EQ(t.debit_account, core::external_account(core::PaymentMethod::sandbox_card));
  EXPECT_EQ(t.credit_account, core::campaign_account(core::CampaignId{"camp"}));
  EXPECT_EQ(t.pledge_id, std::optional<std::string>(answer.value().body));
  EXPECT_EQ(t.seq, 1);
  EXPECT_EQ(campaign_balance(), 2'500);
  EXPECT_EQ(store.commits, 1);
}

TEST_F(PledgesRules, ABankTransferIsOnlyAnnouncedAndPostsNothing) {
  ASSERT_TRUE(pledge("ana", "k1", 4'000, "bank_transfer").ok());
  ASSERT_EQ(store.state.pledges.size(), 1u);
  EXPECT_EQ(store.state.pledges[0].status, core::PledgeStatus::pending);
  EXPECT_TRUE(store.state.pledges[0].reference.starts_with("ESSOR-"));
  EXPECT_TRUE(store.state.transfers.empty());
}

TEST_F(PledgesRules, TheSameKeyGivesTheSameAnswerAndPaysOnce) {
  const auto first = pledge("ana", "k1", 2'500);
  const auto again = pledge("ana", "k1", 2'500);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().body, first.value().body);
  EXPECT_EQ(store.state.pledges.size(), 1u);
  EXPECT_EQ(store.state.transfers.size(), 1u);
  // Another request under the same key is refused and changes nothing.
  const auto other = pledge("ana", "k1", 9'900);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, "idempotency_key_reused");
  EXPECT_EQ(store.state.pledges.size(), 1u);
  // Keys are each person's own.
  ASSERT_TRUE(pledge("bruno", "k1", 2'500).ok());
  EXPECT_EQ(store.state.pledges.size(), 2u);
}

TEST_F(PledgesRules, ARefusedPledgeChangesNothingNotEvenItsKey) {
  reward("basket", 3'000, std::nullopt);
  const auto below = pledge("ana", "k1", 1'000, "sandbox_card", "basket");
  ASSERT_FALSE(below.ok());
  EXPECT_EQ(below.error().kind, core::ErrorKind::validation);
  const auto unknown = pledge("ana", "k2", 5'000, "sandbox_card", "nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().kind, core::ErrorKind::validation);
  EXPECT_TRUE(store.state.pledges.empty());
  EXPECT_TRUE(store.state.transfers.empty());
  EXPECT_TRUE(store.state.idempotency.empty());
  EXPECT_EQ(store.state.rewards[core::CampaignId{"camp"}][0].claimed, 0);
  // The key of a refused pledge can be used again, for a valid one.
  ASSERT_TRUE(pledge("ana", "k1", 1'000).ok());
}

TEST_F(PledgesRules, OnlyALiveCampaignTakesPledgesAndADraftIsNotShownToStrangers) {
  store.state.campaigns[core::CampaignId{"camp"}].status = core::CampaignStatus::draft;
  const auto stranger = pledge("ana", "k1", 1'000);
  ASSERT_FALSE(stranger.ok());
  EXPECT_EQ(stranger.error().kind, core::ErrorKind::not_found);
  const auto admin = pledge("admin", "k1", 1'000);
  ASSERT_FALSE(admin.ok());
  EXPECT_EQ(admin.error().code, "campaign_not_live");
  store.state.campaigns[core::CampaignId{"camp"}].status = core::CampaignStatus::live;
  clock.at = store.state.campaigns[core::CampaignId{"camp"}].ends_at;
  const auto late = pledge("ana", "k2", 1'000);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "campaign_not_live");
  EXPECT_TRUE(store.state.pledges.empty());
}

// Property: whatever the pledges, repeats and refusals, a limited reward
// is never held by more pledges than its limit, the campaign's balance on
// the ledger is the sum of its confirmed pledges, each confirmed pledge is
// posted once, and the chain verifies.
TEST_F(PledgesRules, TheLedgerAndTheRewardsAgreeWithThePledgesWhateverTheOrder) {
  for (unsigned seed = 1; seed <= 40; ++seed) {
    store.state = {};
    campaign(core::CampaignStatus::live);
    reward("few", 2'000, 3);
    reward("many", 500, std::nullopt);
    std::mt19937 rng(seed);
    for (int step = 0; step < 30; ++step) {
      const std::string who = "p" + std::to_string(rng() % 5);
      const std::string key = "k" + std::to_string(rng() % 12);  // repeats on purpose
      const core::Cents amount{100 * (1 + static_cast<std::int64_t>(rng() % 40))};
      const std::string method = rng() % 4 == 0 ? "bank_transfer" : "sandbox_card";
      std::optional<std::string> chosen;
      if (rng() % 3 == 0) chosen = rng() % 2 ? "few" : "many";
      (void)pledge(who, key, amount, method, chosen);  // refusals are part of the game
    }
    core::Cents confirmed = 0;
    std::map<std::string, int> holding;
    for (const auto& p : store.state.pledges) {
      if (p.status == core::PledgeStatus::confirmed) confirmed += p.amount_cents;
      if (p.reward_id) ++holding[*p.reward_id];
    }
    EXPECT_EQ(campaign_balance(), confirmed) << seed;
    for (const auto& r : store.state.rewards[core::CampaignId{"camp"}]) {
      EXPECT_EQ(r.claimed, holding[r.id]) << seed << " " << r.id;
      if (r.quantity_limit) {
        EXPECT_LE(r.claimed, *r.quantity_limit) << seed;
      }
    }
    std::set<std::string> posted;
    core::ChainVerifier verifier(
        [&](const std::string& bytes) { return crypto.sha256_hex(bytes); });
    for (const auto& t : store.state.transfers) {
      EXPECT_TRUE(posted.insert(*t.pledge_id).second) << seed;
      verifier.add(t);
    }
    const auto head =
        store.state.transfers.empty()
            ? app::LedgerHead{}
            : app::LedgerHead{store.state.transfers.back().seq, store.state.transfers.back().hash};
    EXPECT_TRUE(verifier.finish(head.hash, head.seq).problems.empty()) << seed;
  }
}

// A remittance as a person or a bank wrote it: any case, inside other words
// only when set apart, and the letters that read as digits read as those.
TEST(ReferencesIn, FindsEveryReferenceReadAsCrockfordsBase32) {
  using app::references_in;
  EXPECT_EQ(references_in("Don ESSOR-E619795NRVBY merci"),
            (std::vector<std::string>{"ESSOR-E619795NRVBY"}));
  EXPECT_EQ(references_in("vir essor-e619795nrvby"),
            (std::vector<std::string>{"ESSOR-E619795NRVBY"}));
  // O for zero, I and l for one: still the reference given.
  EXPECT_EQ(references_in("ADH-OOOOOOOOOOIl"), (std::vector<std::string>{"ADH-000000000011"}));
  // ESSOR- references first; a reference of 11 or 13 characters is none.
  EXPECT_EQ(references_in("ADH-0123456789AB ESSOR-0123456789AC"),
            (std::vector<std::string>{"ESSOR-0123456789AC", "ADH-0123456789AB"}));
  EXPECT_TRUE(references_in("ESSOR-0123456789A ESSOR-0123456789ABC").empty());
  EXPECT_TRUE(references_in("XESSOR-0123456789AB").empty());
}

}  // namespace
}  // namespace essor
