#include "app/accounts.hpp"

#include "app/bilingual_mail.hpp"
#include "app/rate_limits.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::ErrorKind;
using core::Result;

namespace {

constexpr std::int64_t kTouchEveryMs = 5 * 60 * 1000;  // last_seen_at's resolution

Error invalid_token() {
  return Error{ErrorKind::validation,
               "invalid_token",
               "This link is not valid any more: it was used already or it expired.",
               {}};
}

Error invalid_credentials() {
  return Error{ErrorKind::unauthenticated,
               "invalid_credentials",
               "The email address or the password is not right.",
               {}};
}

}  // namespace

Accounts::Accounts(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
                   AccountsOptions options)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      wording_(wording),
      options_(std::move(options)) {
  decoy_hash_ = crypto_.hash_password(crypto_.random_token());
}

Principal Accounts::principal_of(const UserRecord& user, std::string session_hash) const {
  const bool verified = user.email_verified_at.has_value();
  return Principal{user.id,
                   user.email,
                   user.display_name,
                   user.created_at,
                   verified && options_.moderator_emails.count(user.email_norm) > 0,
                   verified,
                   std::move(session_hash)};
}

std::string Accounts::open_session(Tx& tx, const core::UserId& user_id) {
  std::string token = crypto_.random_token();
  const TimestampMs now = clock_.now();
  tx.accounts().insert_session(
      SessionRecord{crypto_.sha256_hex(token), user_id, now, now + options_.session_ttl_ms, now});
  return token;
}

std::string Accounts::issue_link(Tx& tx, const UserRecord& user, const std::string& purpose,
                                 core::Place place, std::int64_t ttl_ms) {
  const TimestampMs now = clock_.now();
  const std::string token = crypto_.random_token();
  tx.accounts().drop_one_time_tokens(user.id, purpose);
  tx.accounts().insert_one_time_token(
      {crypto_.sha256_hex(token), purpose, user.id, user.email_norm, now, now + ttl_ms});
  return options_.public_url + wording_.path({place, token});
}

std::optional<UserRecord> Accounts::redeem(Tx& tx, const std::string& token,
                                           const std::string& purpose) {
  if (token.empty() || token.size() > 256) return std::nullopt;
  const TimestampMs now = clock_.now();
  auto used = tx.accounts().use_one_time_token(crypto_.sha256_hex(token), purpose, now);
  if (!used) return std::nullopt;
  auto user = tx.accounts().user_by_id(used->user_id);
  // The address must still be the one the link was sent to; reaching it
  // proves it.
  if (!user || user->email_norm != used->email_norm) return std::nullopt;
  tx.accounts().set_email_verified(user->id, now);
  if (!user->email_verified_at) user->email_verified_at = now;
  return user;
}

void Accounts::queue_verification(Tx& tx, const UserRecord& user) {
  const std::string link =
      issue_link(tx, user, "verify_email", core::Place::verify_email, options_.verify_ttl_ms);
  const std::map<std::string, std::string> params = {{"name", user.display_name}, {"link", link}};
  auto mail = bilingual_mail(wording_, "mail_verify_subject", "mail_verify_body", params, params);
  tx.outbox().insert_outbox({crypto_.random_id(), user.id, "verify_email", user.email,
                             std::move(mail.subject), std::move(mail.body), "", clock_.now(), 0});
}

Result<Authenticated> Accounts::signup(const SignupInput& input,
                                       const std::string& client_address) {
  const std::string email = core::trim(input.email);
  const std::string display_name = core::trim(input.display_name);
  std::map<std::string, std::string> problems;
  if (auto p = core::check_email(email)) problems["email"] = *p;
  if (auto p = core::check_password(input.password)) problems["password"] = *p;
  if (auto p = core::check_name(display_name, 100)) problems["display_name"] = *p;
  if (!problems.empty()) return Error::validation(std::move(problems));

  UserRecord user;
  user.id = core::UserId{crypto_.undated_id()};  // a person's id does not tell when they signed up
  user.wallet_id = crypto_.undated_id();
  user.email = email;
  user.email_norm = core::ascii_lower(email);
  user.display_name = display_name;
  user.created_at = clock_.now();
  // Hash before the transaction: argon2id must never hold the writer.
  user.password_hash = crypto_.hash_password(input.password);

  return write_result<Authenticated>(store_, [&](Tx& tx) -> Result<Authenticated> {
    if (options_.rate_limits && !client_address.empty()) {
      if (auto limited = rate_limit(tx, kSignupsPerAddress, client_address, user.created_at)) {
        return *limited;
      }
    }
    if (!tx.accounts().insert_user(user)) {
      return Error::conflict("email_taken", "An account already uses this email address.");
    }
    queue_verification(tx, user);
    return Authenticated{principal_of(user), open_session(tx, user.id)};
  });
}

std::optional<Error> Accounts::reserve_attempt(Tx& tx, const std::string& key,
                                               std::int64_t free_failures, TimestampMs now) {
  const ThrottleState state = tx.throttles().throttle_state(key);
  const bool stale = state.last_at < now - options_.failure_window_ms;
  if (!stale && now < state.next_at) {
    return Error{ErrorKind::rate_limited,
                 "rate_limited",
                 "Too many failed attempts. Wait a moment and try again.",
                 {},
                 (state.next_at - now + 999) / 1000};
  }
  const std::int64_t failures = (stale ? 0 : state.failures) + 1;
  // 1 s at the free_failures-th failure, doubling after (the shift is capped
  // long before it could overflow).
  const std::int64_t delay =
      failures < free_failures
          ? 0
          : std::min<std::int64_t>(
                options_.max_delay_ms,
                std::int64_t{1000} << std::min<std::int64_t>(failures - free_failures, 20));
  if (!tx.throttles().throttle_advance(key, state.failures,
                                       ThrottleState{failures, now, now + delay})) {
    // Another attempt on the same key took this turn at the same moment.
    return Error{ErrorKind::rate_limited,
                 "rate_limited",
                 "Too many attempts at once. Wait a moment and try again.",
                 {},
                 1};
  }
  return std::nullopt;
}

Result<Authenticated> Accounts::login(const std::string& email_in, const std::string& password,
                                      const std::string& client_address) {
  const std::string email_norm = core::ascii_lower(core::trim(email_in));
  const TimestampMs now = clock_.now();
  const std::string account_key = "acct:" + email_norm;
  const std::string address_key = "addr:" + client_address;

  // Every attempt is counted as a failure before the password is checked,
  // in one write: concurrent attempts cannot all slip under the count. A
  // right password takes its count back below.
  std::optional<UserRecord> user;
  std::optional<Error> refused;
  store_.write([&](Tx& tx) {
    user = tx.accounts().user_by_email(email_norm);
    if (!options_.rate_limits) return false;
    refused = reserve_attempt(tx, account_key, options_.free_failures_per_account, now);
    if (!refused) {
      refused = reserve_attempt(tx, address_key, options_.free_failures_per_address, now);
    }
    return !refused;
  });
  if (refused) return *refused;

  const bool valid = user ? crypto_.verify_password(user->password_hash, password)
                          : (crypto_.verify_password(decoy_hash_, password), false);
  if (!valid) return invalid_credentials();
  return write_result<Authenticated>(store_, [&](Tx& tx) -> Result<Authenticated> {
    if (options_.rate_limits) {
      tx.throttles().throttle_clear(account_key);
      tx.throttles().throttle_forgive(address_key);
    }
    return Authenticated{principal_of(*user), open_session(tx, user->id)};
  });
}

void Accounts::logout(const std::string& token) {
  const std::string hash = crypto_.sha256_hex(token);
  store_.write([&](Tx& tx) {
    tx.accounts().delete_session(hash);
    return true;
  });
}

std::optional<std::string> Accounts::session_hash(const std::string& token) {
  if (token.empty() || token.size() > 256) return std::nullopt;
  return crypto_.sha256_hex(token);
}

void Accounts::touch_if_stale(const SessionRecord& session, TimestampMs now) {
  if (session.last_seen_at + kTouchEveryMs >= now) return;
  // Not waited for: the request does not need it (a write that fails is
  // tried again by the session's next request).
  store_.write_then(
      [hash = session.token_hash, now](Tx& tx) {
        tx.accounts().touch_session(hash, now);
        return true;
      },
      [](std::exception_ptr) {});
}

std::optional<Principal> Accounts::authenticate(const std::string& token) {
  const auto hash = session_hash(token);
  if (!hash) return std::nullopt;
  const TimestampMs now = clock_.now();
  std::optional<std::pair<SessionRecord, UserRecord>> found;
  // One statement (the session joined to its person): no transaction of its
  // own, every API request pays this read.
  store_.read_statement(
      [&](ReadTx& tx) { found = tx.accounts().live_session_with_user(*hash, now); });
  if (!found) return std::nullopt;
  touch_if_stale(found->first, now);
  return principal_of(found->second, *hash);
}

core::Error no_live_session() {
  return core::Error::unauthenticated("A valid bearer token is required.");
}

std::optional<Asker> Accounts::asker(const std::string& token) {
  if (store_.suits_io_threads()) {
    if (auto principal = authenticate(token)) return Asker{std::move(*principal)};
    return std::nullopt;
  }
  auto hash = session_hash(token);
  if (!hash) return std::nullopt;
  return Asker{SessionToCheck{*hash, [this, hash = *hash](Tx& tx) -> std::optional<Principal> {
                                const TimestampMs now = clock_.now();
                                auto found = tx.accounts().live_session_with_user(hash, now);
                                if (!found) return std::nullopt;
                                // In the same transaction: undone with the write.
                                if (found->first.last_seen_at + kTouchEveryMs < now)
                                  tx.accounts().touch_session(hash, now);
                                return principal_of(found->second, hash);
                              }}};
}

std::optional<ReaderParts> Accounts::reader(const std::string& token,
                                            const ReaderQuestion& question) {
  const auto hash = session_hash(token);
  if (!hash) return std::nullopt;
  const TimestampMs now = clock_.now();
  std::optional<ReaderRow> found;
  store_.read_statement(
      [&](ReadTx& tx) { found = tx.accounts().live_reader(*hash, now, question); });
  if (!found) return std::nullopt;
  touch_if_stale(found->session, now);
  return ReaderParts{principal_of(found->user, *hash),
                     found->role,
                     found->unread,
                     found->balance,
                     found->following,
                     found->session.expires_at};
}

Result<Principal> Accounts::verify_email(const std::string& token) {
  return write_result<Principal>(store_, [&](Tx& tx) -> Result<Principal> {
    auto user = redeem(tx, token, "verify_email");
    if (!user) return invalid_token();
    return principal_of(*user);
  });
}

core::Status Accounts::resend_verification(const Principal& who) {
  const TimestampMs now = clock_.now();
  return write_result<core::Unit>(store_, [&](Tx& tx) -> core::Status {
    auto user = tx.accounts().user_by_id(who.user_id);
    if (!user) return Error::unauthenticated();
    if (user->email_verified_at) {
      return Error::conflict("already_verified", "This address is verified already.");
    }
    if (options_.rate_limits) {
      if (auto limited = rate_limit(tx, kMailsPerAccount, user->id, now)) return *limited;
    }
    queue_verification(tx, *user);
    return core::Unit{};
  });
}

void Accounts::request_password_reset(const std::string& email_in,
                                      const std::string& client_address) {
  const std::string email_norm = core::ascii_lower(core::trim(email_in));
  if (core::check_email(email_norm)) return;
  const TimestampMs now = clock_.now();
  store_.write([&](Tx& tx) {
    if (options_.rate_limits) {
      // Over either limit, no mail; the answer stays the same.
      if (rate_limit(tx, kResetsPerAddress, client_address, now)) return false;
    }
    auto user = tx.accounts().user_by_email(email_norm);
    if (!user) return true;  // the address counted above, nothing else
    if (options_.rate_limits && rate_limit(tx, kMailsPerAccount, user->id, now)) return true;
    const std::string link =
        issue_link(tx, *user, "password_reset", core::Place::password_reset, options_.reset_ttl_ms);
    const std::map<std::string, std::string> params = {{"name", user->display_name},
                                                       {"link", link}};
    auto mail = bilingual_mail(wording_, "mail_reset_subject", "mail_reset_body", params, params);
    tx.outbox().insert_outbox({crypto_.random_id(), user->id, "password_reset", user->email,
                               std::move(mail.subject), std::move(mail.body), "", now, 0});
    return true;
  });
}

Result<Principal> Accounts::reset_password(const std::string& token, const std::string& password) {
  if (auto p = core::check_password(password)) return Error::validation({{"password", *p}});
  if (token.empty() || token.size() > 256) return invalid_token();  // before hashing
  const std::string hash = crypto_.hash_password(password);
  return write_result<Principal>(store_, [&](Tx& tx) -> Result<Principal> {
    auto user = redeem(tx, token, "password_reset");
    if (!user) return invalid_token();
    tx.accounts().set_password_hash(user->id, hash);
    tx.accounts().delete_sessions_of_user(user->id, "");
    tx.throttles().throttle_clear("acct:" + user->email_norm);
    return principal_of(*user);
  });
}

core::Status Accounts::change_password(const Principal& who, const std::string& current_password,
                                       const std::string& new_password) {
  if (auto p = core::check_password(new_password)) {
    return Error::validation({{"password", *p}});
  }
  std::optional<UserRecord> user;
  store_.read([&](ReadTx& tx) { user = tx.accounts().user_by_id(who.user_id); });
  if (!user) return Error::unauthenticated();
  if (!crypto_.verify_password(user->password_hash, current_password)) {
    return invalid_credentials();
  }
  const std::string hash = crypto_.hash_password(new_password);
  store_.write([&](Tx& tx) {
    tx.accounts().set_password_hash(who.user_id, hash);
    tx.accounts().delete_sessions_of_user(who.user_id, who.session_hash);
    tx.accounts().drop_one_time_tokens(who.user_id, "password_reset");
    return true;
  });
  return core::ok_status();
}

std::vector<PersonalTable> Accounts::export_data(const Principal& who) {
  return read_value<std::vector<PersonalTable>>(
      store_, [&](ReadTx& tx) { return tx.accounts().personal_data(who.user_id); });
}

core::Status Accounts::delete_account(const Principal& who, const std::string& password) {
  std::optional<UserRecord> user;
  store_.read([&](ReadTx& tx) { user = tx.accounts().user_by_id(who.user_id); });
  if (!user) return Error::unauthenticated();
  if (!crypto_.verify_password(user->password_hash, password)) return invalid_credentials();
  const TimestampMs now = clock_.now();
  return write_result<core::Unit>(store_, [&](Tx& tx) -> core::Status {
    for (const auto& [org, role] : tx.orgs().orgs_of_user(who.user_id)) {
      if (role == core::Role::admin &&
          tx.orgs().count_members_with_role(org.id, core::Role::admin) <= 1) {
        return Error::conflict("last_admin", "You are the only admin of " + org.name +
                                                 ": name another admin first, so that the "
                                                 "organisation is not left without one.");
      }
    }
    tx.accounts().erase_person(who.user_id, now);
    return core::Unit{};
  });
}

core::Status Accounts::confirm_address(const std::string& email) {
  const std::string email_norm = core::ascii_lower(core::trim(email));
  return write_result<core::Unit>(store_, [&](Tx& tx) -> core::Status {
    auto user = tx.accounts().user_by_email(email_norm);
    if (!user) return Error::not_found("No account has this address.");
    tx.accounts().set_email_verified(user->id, clock_.now());
    return core::Unit{};
  });
}

std::vector<SessionView> Accounts::sessions(const Principal& who) {
  const TimestampMs now = clock_.now();
  std::vector<SessionView> out;
  store_.read([&](ReadTx& tx) {
    for (const auto& s : tx.accounts().sessions_of_user(who.user_id, now)) {
      out.push_back({s.token_hash, s.created_at, s.last_seen_at, s.token_hash == who.session_hash});
    }
  });
  return out;
}

core::Status Accounts::revoke_session(const Principal& who, const std::string& session_id) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> core::Status {
    auto session = tx.accounts().live_session(session_id, clock_.now());
    if (!session || session->user_id != who.user_id) return Error::not_found("No such session.");
    tx.accounts().delete_session(session_id);
    return core::Unit{};
  });
}

}  // namespace essor::app
