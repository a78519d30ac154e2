#include "core/validation.hpp"

#include <gtest/gtest.h>

#include <random>

namespace essor::core {
namespace {

TEST(Siren, LuhnChecksum) {
  EXPECT_TRUE(is_valid_siren("732829320"));
  EXPECT_TRUE(is_valid_siren("628194821"));
  EXPECT_FALSE(is_valid_siren("732829321"));
  EXPECT_FALSE(is_valid_siren("73282932"));
  EXPECT_FALSE(is_valid_siren("7328293200"));
  EXPECT_FALSE(is_valid_siren("73282932a"));
}

TEST(Siren, EverySingleDigitChangeIsDetected) {
  const std::string valid = "628194821";
  for (std::size_t pos = 0; pos < valid.size(); ++pos) {
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (digit == valid[pos]) continue;
      std::string altered = valid;
      altered[pos] = digit;
      EXPECT_FALSE(is_valid_siren(altered)) << altered;
    }
  }
}

TEST(Iban, NormalisesAndChecksMod97) {
  EXPECT_EQ(normalize_iban("FR76 3000 4000 0312 3456 7890 143"), "FR7630004000031234567890143");
  EXPECT_EQ(normalize_iban("de89370400440532013000"), "DE89370400440532013000");
  EXPECT_EQ(normalize_iban("GB82 WEST 1234 5698 7654 32"), "GB82WEST12345698765432");
  EXPECT_FALSE(normalize_iban("FR7630004000031234567890144"));
  EXPECT_FALSE(normalize_iban("FR76"));
  EXPECT_FALSE(normalize_iban("7630004000031234567890143FR"));
  EXPECT_FALSE(normalize_iban("FR76-3000-4000-0312-3456-7890-143"));
  EXPECT_FALSE(normalize_iban(std::string(40, '1')));
}

// Property: mod-97 catches every single-character substitution.
TEST(Iban, RandomSingleSubstitutionsAreRejected) {
  const std::string valid = "FR7630004000031234567890143";
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> position(4, valid.size() - 1);
  std::uniform_int_distribution<int> digit(0, 9);
  for (int idx = 0; idx < 2000; ++idx) {
    std::string altered = valid;
    const auto pos = position(random);
    const char replacement = static_cast<char>('0' + digit(random));
    if (replacement == altered[pos]) continue;
    altered[pos] = replacement;
    EXPECT_FALSE(normalize_iban(altered)) << altered;
  }
}

TEST(Bic, Shape) {
  EXPECT_EQ(normalize_bic("bnpafrpp"), "BNPAFRPP");
  EXPECT_EQ(normalize_bic("CMCIFR2AXXX"), "CMCIFR2AXXX");
  EXPECT_FALSE(normalize_bic("BNPAFRP"));
  EXPECT_FALSE(normalize_bic("BNP1FRPP"));
  EXPECT_FALSE(normalize_bic("BNPAFRPPXX"));
}

TEST(Email, AcceptsPlainAddressesOnly) {
  EXPECT_FALSE(check_email("ana@example.org"));
  EXPECT_FALSE(check_email("ana.o+tag@sub.example.fr"));
  for (const char* bad : {"", "ana", "@example.org", "ana@", "ana@example", "a b@example.org",
                          "ana@@example.org", "ana@example.org.", "<a@b.c>", "ana@.org"}) {
    EXPECT_TRUE(check_email(bad).has_value()) << bad;
  }
  EXPECT_TRUE(check_email(std::string(250, 'a') + "@b.fr").has_value());
}

TEST(Password, CountsCharactersNotBytes) {
  EXPECT_TRUE(check_password("123456789").has_value());
  EXPECT_FALSE(check_password("1234567890"));
  EXPECT_FALSE(check_password("éééééééééé"));
  EXPECT_TRUE(check_password("ééééééééé").has_value());
  EXPECT_TRUE(check_password(std::string(1025, 'a')).has_value());
  EXPECT_TRUE(check_password("abcdefghij\xff").has_value());
}

TEST(Text, TrimsAndBounds) {
  EXPECT_FALSE(check_text("  ok  ", 2));
  EXPECT_TRUE(check_text("   ", 10).has_value());
  EXPECT_FALSE(check_text("", 10, false));
  EXPECT_TRUE(check_text("abc", 2).has_value());
  EXPECT_TRUE(check_text("a\x01"
                         "b",
                         10)
                  .has_value());
  EXPECT_FALSE(check_text("ligne 1\nligne 2", 20));
}

TEST(Utf8, ValidatesEncoding) {
  EXPECT_TRUE(is_valid_utf8("Hélène 🌱"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_EQ(utf8_length("Hélène"), 6u);
}

TEST(Utf8, APrefixNeverCutsACharacter) {
  EXPECT_EQ(utf8_prefix("Hélène", 2), "Hé");
  EXPECT_EQ(utf8_prefix("Hélène", 0), "");
  EXPECT_EQ(utf8_prefix("Hélène", 6), "Hélène");
  EXPECT_EQ(utf8_prefix("Hélène", 60), "Hélène");
  const std::string text = "Réparer 🌱 l’atelier, ça coûte 1 200 €";
  for (std::size_t n = 0; n <= utf8_length(text) + 1; ++n) {
    const auto prefix = utf8_prefix(text, n);
    EXPECT_TRUE(is_valid_utf8(prefix)) << n;
    EXPECT_EQ(utf8_length(prefix), std::min(n, utf8_length(text))) << n;
    EXPECT_TRUE(text.starts_with(prefix)) << n;
  }
}

TEST(Enums, LegalFormsAndRoles) {
  for (const char* form :
       {"association", "scop", "scic", "cooperative", "mutuelle", "fondation", "esus", "other"}) {
    EXPECT_TRUE(is_legal_form(form)) << form;
  }
  EXPECT_FALSE(is_legal_form("sarl"));
  // Each form's word is the API's and the database's, and reads back.
  for (auto form : kLegalForms) EXPECT_EQ(parse_legal_form(to_string(form)), form);
  EXPECT_EQ(to_string(LegalForm::collectivite), "collectivite");
  EXPECT_EQ(to_string(LegalForm::etat), "etat");
  EXPECT_FALSE(is_legal_form("Association"));
  EXPECT_EQ(parse_role("treasurer"), Role::treasurer);
  EXPECT_FALSE(parse_role("owner"));
  EXPECT_FALSE(parse_role("Admin"));
  for (auto role : {Role::member, Role::treasurer, Role::admin}) {
    EXPECT_EQ(parse_role(to_string(role)), role);
  }
  for (auto status :
       {InvitationStatus::pending, InvitationStatus::accepted, InvitationStatus::declined}) {
    EXPECT_EQ(parse_invitation_status(to_string(status)), status);
  }
  EXPECT_FALSE(parse_invitation_status("expired"));
  // The words stored in the database and sent in the API, both ways.
  for (auto target : {InvitationTarget::org, InvitationTarget::circle})
    EXPECT_EQ(parse_invitation_target(to_string(target)), target);
  EXPECT_EQ(to_string(InvitationTarget::circle), "circle");
  EXPECT_FALSE(parse_invitation_target("campaign"));
  for (auto status : {RegistrationStatus::registered, RegistrationStatus::waiting})
    EXPECT_EQ(parse_registration_status(to_string(status)), status);
  EXPECT_EQ(to_string(RegistrationStatus::waiting), "waiting");
  EXPECT_FALSE(parse_registration_status("cancelled"));
  for (auto mode : {MailMode::immediate, MailMode::daily, MailMode::none})
    EXPECT_EQ(parse_mail_mode(to_string(mode)), mode);
  EXPECT_EQ(to_string(MailMode::daily), "daily");
  EXPECT_FALSE(parse_mail_mode("weekly"));
}

TEST(Utf8, InvalidBytesBecomeReplacementCharactersAndValidTextIsKept) {
  EXPECT_EQ(to_valid_utf8("Café €"), "Café €");
  EXPECT_EQ(to_valid_utf8("\xFF\xFE"), "\uFFFD\uFFFD");
  EXPECT_EQ(to_valid_utf8("a\xC3"), "a\uFFFD");                    // cut short
  EXPECT_EQ(to_valid_utf8("\xC0\xAFx"), "\uFFFD\uFFFDx");          // overlong "/"
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate
  // Whatever comes in, what comes out is valid.
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  EXPECT_TRUE(is_valid_utf8(to_valid_utf8(bytes)));
}

TEST(Names, OneLineWithoutDirectionControls) {
  EXPECT_FALSE(check_name("Ana-Lúcia مريم", 100));
  EXPECT_TRUE(check_name("Ana\nAdmin", 100));
  EXPECT_TRUE(check_name("a\tb", 100));
  EXPECT_TRUE(check_name("\u202Enimda", 100));
  EXPECT_TRUE(check_name("x\u2069", 100));
  EXPECT_FALSE(check_name("x\u2065y", 100));  // next to the isolates, but not one
  EXPECT_TRUE(check_name("   ", 100));        // still required
  EXPECT_FALSE(check_name(" Ana\n", 100));    // white space around it is trimmed, not refused
}

TEST(Search, PunctuationAloneHasNoWord) {
  EXPECT_FALSE(has_word_character("!!! *() -"));
  EXPECT_FALSE(has_word_character(""));
  EXPECT_TRUE(has_word_character("a"));
  EXPECT_TRUE(has_word_character("7"));
  EXPECT_TRUE(has_word_character("«é»"));
}

}  // namespace
}  // namespace essor::core
