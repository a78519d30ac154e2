// Property tests of the ledger's laws: random sequences of transfers keep
// the balances summing to zero and the chain verifying; altering any field of
// any transfer is detected.
#include "core/ledger.hpp"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "adapters/sodium_crypto.hpp"

namespace essor::core {
namespace {

class LedgerLaws : public ::testing::Test {
 protected:
  void SetUp() override {
    crypto_ = adapters::make_sodium_crypto({});
    sha256_ = [this](const std::string& bytes) { return crypto_->sha256_hex(bytes); };
  }

  std::vector<Transfer> random_chain(std::mt19937_64& random, int length) {
    const std::vector<std::string> accounts = {"external:sandbox_card",
                                               "external:bank_transfer",
                                               "campaign:a",
                                               "campaign:b",
                                               "org:x",
                                               "user:u"};
    const std::vector<TransferKind> kinds = {TransferKind::pledge, TransferKind::refund,
                                             TransferKind::payout, TransferKind::loan,
                                             TransferKind::repayment};
    std::uniform_int_distribution<std::size_t> pick_account(0, accounts.size() - 1),
        pick_kind(0, kinds.size() - 1);
    std::uniform_int_distribution<std::int64_t> amount(1, 1'000'000);
    std::vector<Transfer> chain;
    std::string prev = kGenesisHash;
    for (int idx = 0; idx < length; ++idx) {
      Transfer t;
      t.seq = idx + 1;
      t.id = "t" + std::to_string(idx);
      t.debit_account = accounts[pick_account(random)];
      do t.credit_account = accounts[pick_account(random)];
      while (t.credit_account == t.debit_account);
      t.amount_cents = Cents{amount(random)};
      t.kind = kinds[pick_kind(random)];
      if (idx % 3 == 0) t.pledge_id = "p" + std::to_string(idx);
      t.campaign_id = CampaignId{"a"};
      t.created_at = TimestampMs{1'800'000'000'000 + idx};
      t.prev_hash = prev;
      t.hash = chain_hash(prev, t, sha256_);
      prev = t.hash;
      chain.push_back(t);
    }
    return chain;
  }

  ChainReport verify(const std::vector<Transfer>& chain, bool allow_negative) {
    ChainVerifier verifier(sha256_);
    for (const auto& t : chain) verifier.add(t);
    auto report = verifier.finish(chain.empty() ? kGenesisHash : chain.back().hash,
                                  static_cast<std::int64_t>(chain.size()));
    if (allow_negative) {
      std::erase_if(report.problems, [](const std::string& p) {
        return p.find("is negative") != std::string::npos;
      });
    }
    return report;
  }

  std::unique_ptr<app::Crypto> crypto_;
  Sha256Hex sha256_;
};

TEST_F(LedgerLaws, RandomChainsVerifyAndBalancesSumToZero) {
  std::mt19937_64 random(11);
  for (int round = 0; round < 50; ++round) {
    const auto chain = random_chain(random, 1 + round * 3);
    const auto report = verify(chain, true);
    EXPECT_TRUE(report.problems.empty()) << ::testing::PrintToString(report.problems);
    Cents total = 0;
    for (const auto& [account, balance] : report.balances) total += balance;
    EXPECT_EQ(total, 0);
    EXPECT_EQ(report.transfers_count, static_cast<std::int64_t>(chain.size()));
  }
}

TEST_F(LedgerLaws, AnyAlteredFieldIsDetected) {
  std::mt19937_64 random(12);
  const auto chain = random_chain(random, 40);
  std::uniform_int_distribution<std::size_t> pick(0, chain.size() - 1);
  const std::vector<std::function<void(Transfer&)>> alterations = {
      [](Transfer& t) { t.amount_cents += 1; },
      [](Transfer& t) { t.debit_account = "org:thief"; },
      [](Transfer& t) { t.credit_account = "org:thief"; },
      [](Transfer& t) {
        t.kind = t.kind == TransferKind::refund ? TransferKind::payout : TransferKind::refund;
      },
      [](Transfer& t) { t.created_at -= 1; },
      [](Transfer& t) { t.pledge_id = "p-other"; },
      [](Transfer& t) { t.campaign_id = std::nullopt; },
      [](Transfer& t) { t.id = "forged"; },
  };
  for (const auto& alter : alterations) {
    for (int trial = 0; trial < 10; ++trial) {
      auto altered = chain;
      alter(altered[pick(random)]);
      EXPECT_FALSE(verify(altered, true).problems.empty());
    }
  }
}

TEST_F(LedgerLaws, RemovedReorderedOrRehashedTransfersAreDetected) {
  std::mt19937_64 random(13);
  const auto chain = random_chain(random, 20);
  auto removed = chain;
  removed.erase(removed.begin() + 5);
  EXPECT_FALSE(verify(removed, true).problems.empty());
  auto swapped = chain;
  std::swap(swapped[3], swapped[4]);
  EXPECT_FALSE(verify(swapped, true).problems.empty());
  // Rewriting one transfer and recomputing its own hash still breaks the link.
  auto rehashed = chain;
  rehashed[7].amount_cents += 100;
  rehashed[7].hash = chain_hash(rehashed[7].prev_hash, rehashed[7], sha256_);
  EXPECT_FALSE(verify(rehashed, true).problems.empty());
  // Truncating the tail is caught by the stored head.
  auto truncated = chain;
  truncated.pop_back();
  ChainVerifier verifier(sha256_);
  for (const auto& t : truncated) verifier.add(t);
  EXPECT_FALSE(verifier.finish(chain.back().hash, 20).problems.empty());
}

TEST_F(LedgerLaws, TransfersMustBeWellFormed) {
  Transfer t;
  t.debit_account = "a";
  t.credit_account = "b";
  t.kind = TransferKind::pledge;
  t.amount_cents = 0;
  EXPECT_TRUE(check_transfer(t));
  t.amount_cents = 1;
  EXPECT_FALSE(check_transfer(t));
  t.credit_account = "a";
  EXPECT_TRUE(check_transfer(t));
  t.credit_account = "b";
  EXPECT_FALSE(check_transfer(t));
}

// A kind's word is part of the canonical bytes: each reads back as itself,
// and nothing else is a kind ("donation" never was).
TEST_F(LedgerLaws, EveryKindHasOneWordThatReadsBack) {
  std::set<std::string> words;
  for (const auto kind :
       {TransferKind::pledge, TransferKind::refund, TransferKind::payout, TransferKind::loan,
        TransferKind::repayment_in, TransferKind::repayment, TransferKind::withdrawal,
        TransferKind::reversal, TransferKind::membership, TransferKind::gift, TransferKind::pool,
        TransferKind::match, TransferKind::match_return}) {
    EXPECT_EQ(parse_transfer_kind(to_string(kind)), kind);
    words.insert(to_string(kind));
  }
  EXPECT_EQ(words.size(), 13u);
  EXPECT_FALSE(parse_transfer_kind("donation"));
  Transfer t;
  t.kind = TransferKind::repayment_in;
  EXPECT_NE(canonical_bytes(t).find("\nrepayment_in\n"), std::string::npos);
}

}  // namespace
}  // namespace essor::core
