#include "core/money.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>
#include <type_traits>

#include "adapters/sodium_crypto.hpp"
#include "core/epc_qr.hpp"
#include "core/image.hpp"
#include "core/time.hpp"

namespace essor::core {
namespace {

TEST(Money, FormatsInFrenchAndEnglish) {
  EXPECT_EQ(format_eur(123456, "fr"), "1\u202f234,56\u00a0€");
  EXPECT_EQ(format_eur(5, "fr"), "0,05\u00a0€");
  EXPECT_EQ(format_eur(100000000, "en"), "€1,000,000.00");
  EXPECT_EQ(format_eur(-250, "en"), "-€2.50");
  EXPECT_EQ(format_decimal(1250), "12.50");
  EXPECT_EQ(format_decimal(7), "0.07");
}

TEST(Money, ParsesWhatPeopleType) {
  EXPECT_EQ(parse_eur("12"), 1200);
  EXPECT_EQ(parse_eur("12,5"), 1250);
  EXPECT_EQ(parse_eur("12.05"), 1205);
  EXPECT_EQ(parse_eur("1 234,56 €"), 123456);
  EXPECT_EQ(parse_eur("1\u202f234,56\u00a0€"), 123456);
  for (const char* bad : {"", "€", "12,345", "-5", "abc", "12,", ",5", "1.2.3", "99999999999999"}) {
    EXPECT_FALSE(parse_eur(bad).has_value()) << bad;
  }
}

// Property: formatting for EPC and parsing back is the identity.
// What arithmetic keeps the unit (core/quantity.hpp); what it refuses to
// compile is in tests/compile/quantity_mixups.cpp.
TEST(Quantities, MoneyAndInstantsKeepTheirUnitThroughArithmetic) {
  const Cents gift = 1'250;
  const Cents reward{std::int64_t{250}};
  static_assert(std::is_same_v<decltype(gift + reward), Cents>);
  static_assert(std::is_same_v<decltype(gift / 2), Cents>);
  static_assert(std::is_same_v<decltype(gift * 3), Cents>);
  static_assert(std::is_same_v<decltype(-gift), Cents>);
  static_assert(std::is_same_v<decltype(gift / reward), std::int64_t>);  // a ratio
  static_assert(std::is_same_v<decltype(gift + 1), std::int64_t>);       // no longer money
  EXPECT_EQ(gift - reward, Cents{1'000});
  EXPECT_EQ(gift / 2, 625);
  EXPECT_EQ(-gift, -1'250);
  EXPECT_EQ(gift / reward, 5);
  Cents total = 0;
  total += gift;
  total -= reward;
  EXPECT_EQ(total.count(), 1'000);

  const TimestampMs at = 1'764'000'000'000;
  static_assert(std::is_same_v<decltype(at + 60'000), TimestampMs>);
  static_assert(std::is_same_v<decltype(at - at), std::int64_t>);  // a duration
  EXPECT_EQ((at + 60'000) - at, 60'000);
  EXPECT_EQ(format_rfc3339(at - 1'000), "2025-11-24T15:59:59Z");
  EXPECT_LT(at, at + 1);
}

TEST(Money, DecimalRoundTrip) {
  std::mt19937_64 random(3);
  std::uniform_int_distribution<std::int64_t> amounts(0, 99'999'999'999);
  for (int idx = 0; idx < 5000; ++idx) {
    const Cents amount{amounts(random)};
    EXPECT_EQ(parse_eur(format_decimal(amount)), amount);
  }
}

TEST(EpcQr, FollowsEpc069Version002) {
  const auto payload = epc_payload(
      {"BNPAFRPP", "La Ressourcerie", "FR7630004000031234567890143", 1250, "ESSOR-ABC"});
  ASSERT_TRUE(payload);
  EXPECT_EQ(*payload,
            "BCD\n002\n1\nSCT\nBNPAFRPP\nLa "
            "Ressourcerie\nFR7630004000031234567890143\nEUR12.50\n\n\nESSOR-ABC");
}

TEST(EpcQr, BoundsFieldsAndRefusesBadAmounts) {
  const std::string long_name(100, 'n');
  const auto payload =
      epc_payload({"", long_name + "\nX", "FR7630004000031234567890143", 1, std::string(200, 'r')});
  ASSERT_TRUE(payload);
  EXPECT_NE(payload->find("\n" + std::string(70, 'n') + "\n"), std::string::npos);
  EXPECT_LE(payload->size(), 331u);
  EXPECT_FALSE(epc_payload({"", "N", "FR76", 0, ""}));
  EXPECT_FALSE(epc_payload({"", "N", "FR76", 100'000'000'000, ""}));
  EXPECT_FALSE(epc_payload({"", "N", "", 100, ""}));
}

// Issue 11, item 14: 70 emoji (280 bytes) made the payload too long and the
// QR code empty; the name is now shortened to what fits, whole characters.
TEST(EpcQr, ANameOfManyBytesIsShortenedToFitNeverDropped) {
  std::string emoji;
  for (int i = 0; i < 70; ++i) emoji += "\xF0\x9F\x8C\xB1";  // U+1F331, 4 bytes
  const auto payload =
      epc_payload({"BNPAFRPP", emoji, "FR7630004000031234567890143", 1250, "ESSOR-ABCDEFGH"});
  ASSERT_TRUE(payload);
  EXPECT_LE(payload->size(), 331u);
  EXPECT_NE(payload->find("\nESSOR-ABCDEFGH"), std::string::npos) << "the reference is kept";
  const auto start = payload->find("BNPAFRPP\n") + 9;
  const std::string name = payload->substr(start, payload->find('\n', start) - start);
  EXPECT_GT(name.size(), 200u);
  EXPECT_EQ(name.size() % 4, 0u) << "no character cut in half";
  EXPECT_EQ(emoji.substr(0, name.size()), name);
}

TEST(TransferReference, WritesTheRandomEndOfTheIdInCrockfordsBase32) {
  // The last 15 hex digits, 0x718293a4b5c6d7e, five bits at a time.
  EXPECT_EQ(transfer_reference("ESSOR-", "0193a1b2c3d4e5f60718293a4b5c6d7e"), "ESSOR-E619795NRVBY");
  EXPECT_EQ(transfer_reference("ADH-", "0193a1b2c3d4e5f6fffffffffffffff"), "ADH-ZZZZZZZZZZZZ");
  EXPECT_EQ(transfer_reference("ADH-", "0193a1b2c3d4e5f6000000000000000"), "ADH-000000000000");
  // Not hex: its end in capitals.
  EXPECT_EQ(transfer_reference("ADH-", "abc"), "ADH-ABC");
  EXPECT_EQ(transfer_reference("ADH-", "abcdefghijklmnopq"), "ADH-FGHIJKLMNOPQ");
}

TEST(TransferReference, NeverHoldsALetterThatReadsAsAnother) {
  auto crypto = essor::adapters::make_sodium_crypto({});
  for (int idx = 0; idx < 500; ++idx) {
    const auto reference = transfer_reference("ESSOR-", crypto->random_id());
    ASSERT_EQ(reference.size(), 18u);
    EXPECT_EQ(reference.substr(6).find_first_of("ILOU"), std::string::npos) << reference;
  }
}

// Ids are made in order (their first 48 bits are the creation time in
// milliseconds) so that new rows append to every index; the rest stays
// random, and so do the references cut from it.
TEST(RandomIds, SortByCreationAndKeepTheirRandomEnd) {
  auto crypto = essor::adapters::make_sodium_crypto({});
  const std::string first = crypto->random_id();
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string second = crypto->random_id();
  ASSERT_EQ(first.size(), 32u);
  EXPECT_LT(first, second);
  std::set<std::string> references;
  for (int idx = 0; idx < 2000; ++idx)
    references.insert(transfer_reference("ESSOR-", crypto->random_id()));
  EXPECT_EQ(references.size(), 2000u);  // ids of the same millisecond differ at the end
}

// A person's id and wallet are public: they must not tell when the person
// signed up, so they are random from their first digit.
TEST(RandomIds, UndatedIdsAreRandomThroughout) {
  auto crypto = essor::adapters::make_sodium_crypto({});
  std::set<std::string> prefixes;
  for (int idx = 0; idx < 200; ++idx) {
    const std::string id = crypto->undated_id();
    ASSERT_EQ(id.size(), 32u);
    prefixes.insert(id.substr(0, 12));
  }
  EXPECT_EQ(prefixes.size(), 200u);  // made within a few ms: dated ids would share these
}

// Crypto::seal (a secret vote's ballots until it closes): only the same
// key opens it, an altered text opens to nothing, and sealing the same
// text twice gives two texts (a random nonce each time).
TEST(SealedText, OpensOnlyUnderItsKeyAndUnaltered) {
  auto crypto = essor::adapters::make_sodium_crypto({});
  const std::string text = std::string("cl\xc3\xa9\n1\n") + std::string(300, ' ');
  const std::string sealed = crypto->seal("the ballot key", text);
  EXPECT_EQ(crypto->unseal("the ballot key", sealed), text);
  EXPECT_NE(crypto->seal("the ballot key", text), sealed);
  EXPECT_EQ(crypto->seal("the ballot key", text).size(), sealed.size());
  EXPECT_EQ(crypto->unseal("another key", sealed), std::nullopt);
  std::string altered = sealed;
  altered[altered.size() / 2] = altered[altered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(crypto->unseal("the ballot key", altered), std::nullopt);
  EXPECT_EQ(crypto->unseal("the ballot key", sealed.substr(0, 20)), std::nullopt);
  EXPECT_EQ(crypto->unseal("the ballot key", "not base64 at all!"), std::nullopt);
  EXPECT_EQ(crypto->unseal("the ballot key", crypto->seal("the ballot key", "")), "");
}

TEST(Images, DetectedByContent) {
  EXPECT_EQ(detect_image_type(std::string("\xFF\xD8\xFF\xDB", 4)), "image/jpeg");
  EXPECT_EQ(detect_image_type(std::string("\x89PNG\r\n\x1A\n", 8)), "image/png");
  EXPECT_EQ(detect_image_type(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)), "image/webp");
  EXPECT_FALSE(detect_image_type("GIF89a"));
  EXPECT_FALSE(detect_image_type("<svg></svg>"));
  EXPECT_FALSE(detect_image_type(""));
}

// Property: decoding an encoding gives the bytes back; junk is refused.
TEST(Base64, RoundTripAndRefusals) {
  std::mt19937 random(5);
  for (int idx = 0; idx < 500; ++idx) {
    std::string bytes(static_cast<std::size_t>(random() % 40), '\0');
    for (auto& c : bytes) c = static_cast<char>(random());
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes);
  }
  EXPECT_EQ(base64_encode("Essor"), "RXNzb3I=");
  // The last two: unused bits set, found by the fuzzer (fuzz/values.cpp).
  for (const char* bad : {"R", "RXN", "RX=z", "R===", "RXNz!3I=", "=XNz", "202=", "RXNzb3J="})
    EXPECT_FALSE(base64_decode(bad)) << bad;
}

}  // namespace
}  // namespace essor::core
