// Validation of values that come from outside: pure functions, no I/O.
// Each returns either the normalised value or a short problem text that the
// caller puts in the `fields` map of a validation error.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace essor::core {

// The problem with a value, or nothing when it is acceptable.
using Problem = std::optional<std::string>;

bool is_valid_utf8(std::string_view text);
// The text with every byte that is not part of valid UTF-8 replaced by
// U+FFFD; valid text comes back unchanged.
std::string to_valid_utf8(std::string_view text);
// Number of code points; counts each invalid byte as one.
std::size_t utf8_length(std::string_view text);
// The first `code_points` code points of the text (counted as utf8_length
// counts them): a cut never falls inside a character.
std::string utf8_prefix(std::string_view text, std::size_t code_points);
// Trims ASCII white space at both ends.
std::string trim(std::string_view text);
// ASCII lower case; addresses are compared case-insensitively on ASCII only.
std::string ascii_lower(std::string_view text);

inline constexpr std::size_t kPasswordMinLength = 10;
inline constexpr std::size_t kPasswordMaxBytes = 1024;

Problem check_email(std::string_view email);
Problem check_password(std::string_view password);
// Required text of 1..max_chars code points after trimming, no control characters.
Problem check_text(std::string_view text, std::size_t max_chars, bool required = true);

// A name or title shown to other people (a display name, an organisation's
// name, a campaign's, event's or proposal's title, a donor's name and
// address on a receipt): check_text on one line,
// without bidirectional overrides or isolates (U+202A-U+202E,
// U+2066-U+2069) that could make it read as something else.
Problem check_name(std::string_view text, std::size_t max_chars);
// True when the text has a letter or digit (any byte above ASCII counts):
// a search made only of punctuation matches nothing.
bool has_word_character(std::string_view text);

// SIREN: 9 digits whose Luhn checksum is valid (INSEE).
bool is_valid_siren(std::string_view siren);
// IBAN (ISO 13616): spaces removed and letters upper-cased, then the
// country, check digits, length 15..34 and the mod-97 remainder of 1.
// Returns the compact form, or nothing when invalid.
std::optional<std::string> normalize_iban(std::string_view iban);
// BIC (ISO 9362): 8 or 11 characters, 4 letters bank, 2 letters country,
// 2 alphanumerics location, optional 3 alphanumerics branch. Upper-cased.
std::optional<std::string> normalize_bic(std::string_view bic);

// Every legal form an organisation may have, spelled once: the ESS's
// forms, then funders' (core/matchfunding.hpp: is_funder_form).
enum class LegalForm {
  association,
  scop,
  scic,
  cooperative,
  mutuelle,
  fondation,
  esus,
  other,
  collectivite,
  entreprise,
  etat
};
inline constexpr std::array<LegalForm, 11> kLegalForms = {
    LegalForm::association,  LegalForm::scop,       LegalForm::scic, LegalForm::cooperative,
    LegalForm::mutuelle,     LegalForm::fondation,  LegalForm::esus, LegalForm::other,
    LegalForm::collectivite, LegalForm::entreprise, LegalForm::etat};
std::optional<LegalForm> parse_legal_form(std::string_view text);
std::string to_string(LegalForm form);
bool is_legal_form(std::string_view value);
// A member's role in an organisation.
enum class Role { member, treasurer, admin };
std::optional<Role> parse_role(std::string_view text);
std::string to_string(Role role);
// An invitation to an organisation or a circle: waits for its answer.
enum class InvitationStatus { pending, accepted, declined };
std::optional<InvitationStatus> parse_invitation_status(std::string_view text);
std::string to_string(InvitationStatus status);
// What an invitation is to: an organisation or a private circle.
enum class InvitationTarget { org, circle };
std::optional<InvitationTarget> parse_invitation_target(std::string_view text);
std::string to_string(InvitationTarget target);
// A registration to an event: a seat, or a place on the waiting list.
enum class RegistrationStatus { registered, waiting };
// How a person's notifications are mailed: one mail each, one digest a
// day, or none.
enum class MailMode { immediate, daily, none };
std::optional<MailMode> parse_mail_mode(std::string_view text);
std::string to_string(MailMode mode);
std::optional<RegistrationStatus> parse_registration_status(std::string_view text);
std::string to_string(RegistrationStatus status);

}  // namespace essor::core
