#include "core/validation.hpp"

#include <array>
#include <cstdint>

#include "core/words.hpp"

namespace essor::core {
namespace {

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
char to_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra;
    std::uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are invalid.
    static constexpr std::array<std::uint32_t, 4> min_for_length = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[extra] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::string to_valid_utf8(std::string_view text) {
  if (is_valid_utf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = c < 0x80             ? 1
                               : (c & 0xE0) == 0xC0 ? 2
                               : (c & 0xF0) == 0xE0 ? 3
                               : (c & 0xF8) == 0xF0 ? 4
                                                    : 0;
    if (length > 0 && i + length <= text.size() && is_valid_utf8(text.substr(i, length))) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string utf8_prefix(std::string_view text, std::size_t code_points) {
  std::size_t end = 0, count = 0;
  for (; end < text.size(); ++end) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80 && count++ == code_points) break;
  }
  return std::string(text.substr(0, end));
}

std::string trim(std::string_view text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && is_ascii_space(text[begin])) ++begin;
  while (end > begin && is_ascii_space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return out;
}

Problem check_email(std::string_view email) {
  if (email.empty()) return "required";
  if (email.size() > 254) return "too long (254 characters at most)";
  const auto at = email.find('@');
  if (at == std::string_view::npos || at == 0 ||
      email.find('@', at + 1) != std::string_view::npos) {
    return "not an email address";
  }
  const auto domain = email.substr(at + 1);
  const auto dot = domain.find('.');
  if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.') {
    return "not an email address";
  }
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == ',' ||
        c == ';' || c == '"' || c == '\\') {
      return "not an email address";
    }
  }
  if (!is_valid_utf8(email)) return "not an email address";
  return std::nullopt;
}

Problem check_password(std::string_view password) {
  if (password.size() > kPasswordMaxBytes) return "too long (1024 bytes at most)";
  if (!is_valid_utf8(password)) return "not valid UTF-8";
  if (utf8_length(password) < kPasswordMinLength) return "too short (10 characters at least)";
  return std::nullopt;
}

Problem check_text(std::string_view text, std::size_t max_chars, bool required) {
  if (!is_valid_utf8(text)) return "not valid UTF-8";
  const std::string trimmed = trim(text);
  if (required && trimmed.empty()) return "required";
  if (utf8_length(trimmed) > max_chars) {
    return "too long (" + std::to_string(max_chars) + " characters at most)";
  }
  for (char c : trimmed) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7F) {
      return "contains control characters";
    }
  }
  return std::nullopt;
}

Problem check_name(std::string_view text, std::size_t max_chars) {
  if (auto problem = check_text(text, max_chars)) return problem;
  // White space around it is trimmed away (as check_text does), not refused.
  for (char c : trim(text)) {
    if (c == '\n' || c == '\r' || c == '\t') return "must be on one line";
  }
  // U+202A..U+202E are E2 80 AA..AE; U+2066..U+2069 are E2 81 A6..A9.
  for (std::size_t i = 0; i + 2 < text.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    const auto b1 = static_cast<unsigned char>(text[i + 1]);
    const auto b2 = static_cast<unsigned char>(text[i + 2]);
    if (b0 != 0xE2) continue;
    if ((b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) || (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9)) {
      return "contains direction control characters";
    }
  }
  return std::nullopt;
}

bool has_word_character(std::string_view text) {
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || is_digit(c) || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z')) return true;
  }
  return false;
}

bool is_valid_siren(std::string_view siren) {
  if (siren.size() != 9) return false;
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    if (!is_digit(siren[i])) return false;
    int digit = siren[i] - '0';
    // Luhn: double every second digit from the right (positions 2, 4, … of 9).
    if (i % 2 == 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 == 0;
}

std::optional<std::string> normalize_iban(std::string_view iban) {
  std::string compact;
  for (char c : iban) {
    if (c == ' ') continue;
    compact.push_back(to_upper(c));
  }
  if (compact.size() < 15 || compact.size() > 34) return std::nullopt;
  if (!is_upper(compact[0]) || !is_upper(compact[1]) || !is_digit(compact[2]) ||
      !is_digit(compact[3])) {
    return std::nullopt;
  }
  // Move the first four characters to the end, letters become 10..35, and
  // the whole number modulo 97 must be 1. Computed piecewise: no big integers.
  const std::string rearranged = compact.substr(4) + compact.substr(0, 4);
  int remainder = 0;
  for (char c : rearranged) {
    if (is_digit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else if (is_upper(c)) {
      const int value = c - 'A' + 10;
      remainder = (remainder * 100 + value) % 97;
    } else {
      return std::nullopt;
    }
  }
  if (remainder != 1) return std::nullopt;
  return compact;
}

std::optional<std::string> normalize_bic(std::string_view bic) {
  std::string upper;
  for (char c : bic) {
    if (c != ' ') upper.push_back(to_upper(c));
  }
  if (upper.size() != 8 && upper.size() != 11) return std::nullopt;
  for (std::size_t i = 0; i < upper.size(); ++i) {
    const char c = upper[i];
    const bool ok = i < 6 ? is_upper(c) : (is_upper(c) || is_digit(c));
    if (!ok) return std::nullopt;
  }
  return upper;
}

std::string to_string(LegalForm form) {
  switch (form) {
    case LegalForm::association:
      return "association";
    case LegalForm::scop:
      return "scop";
    case LegalForm::scic:
      return "scic";
    case LegalForm::cooperative:
      return "cooperative";
    case LegalForm::mutuelle:
      return "mutuelle";
    case LegalForm::fondation:
      return "fondation";
    case LegalForm::esus:
      return "esus";
    case LegalForm::other:
      return "other";
    case LegalForm::collectivite:
      return "collectivite";
    case LegalForm::entreprise:
      return "entreprise";
    case LegalForm::etat:
      return "etat";
  }
  return "other";
}

std::optional<LegalForm> parse_legal_form(std::string_view text) {
  for (LegalForm form : kLegalForms) {
    if (to_string(form) == text) return form;
  }
  return std::nullopt;
}

bool is_legal_form(std::string_view value) {
  return parse_legal_form(value).has_value();
}

std::optional<InvitationStatus> parse_invitation_status(std::string_view text) {
  return parse_word(
      text, {InvitationStatus::pending, InvitationStatus::accepted, InvitationStatus::declined});
}

std::optional<InvitationTarget> parse_invitation_target(std::string_view text) {
  return parse_word(text, {InvitationTarget::org, InvitationTarget::circle});
}

std::string to_string(InvitationTarget target) {
  switch (target) {
    case InvitationTarget::org:
      return "org";
    case InvitationTarget::circle:
      return "circle";
  }
  return "org";
}

std::optional<MailMode> parse_mail_mode(std::string_view text) {
  return parse_word(text, {MailMode::immediate, MailMode::daily, MailMode::none});
}

std::string to_string(MailMode mode) {
  switch (mode) {
    case MailMode::immediate:
      return "immediate";
    case MailMode::daily:
      return "daily";
    case MailMode::none:
      return "none";
  }
  return "immediate";
}

std::optional<RegistrationStatus> parse_registration_status(std::string_view text) {
  return parse_word(text, {RegistrationStatus::registered, RegistrationStatus::waiting});
}

std::string to_string(RegistrationStatus status) {
  switch (status) {
    case RegistrationStatus::registered:
      return "registered";
    case RegistrationStatus::waiting:
      return "waiting";
  }
  return "waiting";
}

std::string to_string(InvitationStatus status) {
  switch (status) {
    case InvitationStatus::pending:
      return "pending";
    case InvitationStatus::accepted:
      return "accepted";
    case InvitationStatus::declined:
      return "declined";
  }
  return "pending";
}

std::optional<Role> parse_role(std::string_view text) {
  return parse_word(text, {Role::member, Role::treasurer, Role::admin});
}

std::string to_string(Role role) {
  switch (role) {
    case Role::member:
      return "member";
    case Role::treasurer:
      return "treasurer";
    case Role::admin:
      return "admin";
  }
  return "member";
}

}  // namespace essor::core
