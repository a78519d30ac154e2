// The typed vocabulary's words: the API's and the database's, so each is
// pinned here, and every value reads back from its word (store/sql_helpers'
// `known` throws on a word no value spells).
#include <gtest/gtest.h>

#include "app/federation_port.hpp"
#include "core/governance.hpp"
#include "core/receipt.hpp"

namespace essor {
namespace {

TEST(Vocabulary, ReceiptSourcesAreTheStoredWords) {
  using core::ReceiptSource;
  const std::pair<ReceiptSource, const char*> words[] = {
      {ReceiptSource::pledge, "pledge"},
      {ReceiptSource::gift, "gift"},
      {ReceiptSource::gift_charge, "gift_charge"},
      {ReceiptSource::membership, "membership"},
      {ReceiptSource::annual, "annual"}};
  for (const auto& [source, word] : words) {
    EXPECT_EQ(core::to_string(source), word);
    EXPECT_EQ(core::parse_receipt_source(word), source);
  }
  EXPECT_FALSE(core::parse_receipt_source("donation"));
}

TEST(Vocabulary, PublicKindsAreTheStoredWords) {
  using app::PublicKind;
  const std::pair<PublicKind, const char*> words[] = {
      {PublicKind::event, "event"}, {PublicKind::launch, "launch"}, {PublicKind::news, "news"}};
  for (const auto& [kind, word] : words) {
    EXPECT_EQ(app::to_string(kind), word);
    EXPECT_EQ(app::parse_public_kind(word), kind);
  }
  EXPECT_FALSE(app::parse_public_kind("Event"));
}

TEST(Vocabulary, BallotChoicesAreTheApisAndTheStoredBallotsWords) {
  using core::ConsentChoice;
  using core::MajorityChoice;
  const std::pair<MajorityChoice, const char*> majority[] = {{MajorityChoice::yes, "yes"},
                                                             {MajorityChoice::no, "no"},
                                                             {MajorityChoice::abstain, "abstain"}};
  for (const auto& [choice, word] : majority) {
    EXPECT_EQ(core::to_string(choice), word);
    EXPECT_EQ(core::parse_majority_choice(word), choice);
  }
  EXPECT_FALSE(core::parse_majority_choice("oui"));
  EXPECT_EQ(core::to_string(ConsentChoice::consent), "consent");
  EXPECT_EQ(core::to_string(ConsentChoice::object), "object");
  EXPECT_EQ(core::parse_consent_choice("object"), ConsentChoice::object);
  EXPECT_FALSE(core::parse_consent_choice("object\nreason"));
}

TEST(Vocabulary, ProxyRulesAreTheSettingsWords) {
  EXPECT_EQ(core::to_string(core::ProxyRule::fixed), "fixed");
  EXPECT_EQ(core::to_string(core::ProxyRule::scop), "scop");
  EXPECT_EQ(core::parse_proxy_rule("scop"), core::ProxyRule::scop);
  EXPECT_FALSE(core::parse_proxy_rule("SCOP"));
}

}  // namespace
}  // namespace essor
