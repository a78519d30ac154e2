#include "app/accounts.hpp"

#include "app/tx_helpers.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::ErrorKind;
using core::Result;

Accounts::Accounts(Store& store, Crypto& crypto, Clock& clock, AccountsOptions options)
    : store_(store), crypto_(crypto), clock_(clock), options_(std::move(options)) {
  decoy_hash_ = crypto_.hash_password(crypto_.random_token());
}

Principal Accounts::principal_of(const UserRecord& user) const {
  return Principal{user.id, user.email, user.display_name, user.created_at,
                   options_.moderator_emails.count(user.email_norm) > 0};
}

std::string Accounts::open_session(Tx& tx, const std::string& user_id) {
  std::string token = crypto_.random_token();
  const TimestampMs now = clock_.now();
  tx.insert_session(
      SessionRecord{crypto_.sha256_hex(token), user_id, now, now + options_.session_ttl_ms});
  return token;
}

Result<Authenticated> Accounts::signup(const SignupInput& input) {
  const std::string email = core::trim(input.email);
  const std::string display_name = core::trim(input.display_name);
  std::map<std::string, std::string> problems;
  if (auto p = core::check_email(email)) problems["email"] = *p;
  if (auto p = core::check_password(input.password)) problems["password"] = *p;
  if (auto p = core::check_text(display_name, 100)) problems["display_name"] = *p;
  if (!problems.empty()) return Error::validation(std::move(problems));

  UserRecord user;
  user.id = crypto_.random_id();
  user.email = email;
  user.email_norm = core::ascii_lower(email);
  user.display_name = display_name;
  user.created_at = clock_.now();
  // Hash before the transaction: argon2id must never hold the writer.
  user.password_hash = crypto_.hash_password(input.password);

  return write_result<Authenticated>(store_, [&](Tx& tx) -> Result<Authenticated> {
    if (!tx.insert_user(user)) {
      return Error::conflict("email_taken", "An account already uses this email address.");
    }
    return Authenticated{principal_of(user), open_session(tx, user.id)};
  });
}

Result<Authenticated> Accounts::login(const std::string& email_in, const std::string& password,
                                      const std::string& client_address) {
  const std::string email_norm = core::ascii_lower(core::trim(email_in));
  const TimestampMs now = clock_.now();
  const TimestampMs window_start = now - options_.failure_window_ms;
  const std::string account_key = "acct:" + email_norm;
  const std::string address_key = "addr:" + client_address;

  std::optional<UserRecord> user;
  std::int64_t account_failures = 0, address_failures = 0;
  store_.read([&](Tx& tx) {
    user = tx.user_by_email(email_norm);
    if (options_.rate_limits) {
      account_failures = tx.login_failures(account_key, window_start);
      address_failures = tx.login_failures(address_key, window_start);
    }
  });
  if (account_failures >= options_.max_failures_per_account ||
      address_failures >= options_.max_failures_per_address) {
    return Error{ErrorKind::rate_limited,
                 "rate_limited",
                 "Too many failed attempts. Wait a few minutes and try again.",
                 {}};
  }

  const bool valid = user ? crypto_.verify_password(user->password_hash, password)
                          : (crypto_.verify_password(decoy_hash_, password), false);
  if (!valid) {
    if (options_.rate_limits) {
      store_.write([&](Tx& tx) {
        tx.record_login_failure(account_key, now, window_start);
        tx.record_login_failure(address_key, now, window_start);
        return true;
      });
    }
    return Error{ErrorKind::unauthenticated,
                 "invalid_credentials",
                 "The email address or the password is not right.",
                 {}};
  }
  return write_result<Authenticated>(store_, [&](Tx& tx) -> Result<Authenticated> {
    if (options_.rate_limits) tx.clear_login_failures(account_key);
    return Authenticated{principal_of(*user), open_session(tx, user->id)};
  });
}

void Accounts::logout(const std::string& token) {
  const std::string hash = crypto_.sha256_hex(token);
  store_.write([&](Tx& tx) {
    tx.delete_session(hash);
    return true;
  });
}

std::optional<Principal> Accounts::authenticate(const std::string& token) {
  if (token.empty() || token.size() > 256) return std::nullopt;
  const std::string hash = crypto_.sha256_hex(token);
  const TimestampMs now = clock_.now();
  std::optional<Principal> principal;
  store_.read([&](Tx& tx) {
    auto session = tx.live_session(hash, now);
    if (!session) return;
    if (auto user = tx.user_by_id(session->user_id)) principal = principal_of(*user);
  });
  return principal;
}

}  // namespace essor::app
