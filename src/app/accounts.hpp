// Accounts: sign-up, log-in with throttling, sessions, logout, and the rest
// of an account's life: email verification, password reset and change, the
// list of sessions (spec "Account lifecycle").
// Safe to use from many threads; every call blocks (database, argon2id), so
// callers run it off the io threads. Except asker, which the API's pledge
// calls on an io thread: one read that never waits where
// Store::suits_io_threads (SQLite), else none.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

// Who is making a request, once their token checked out.
struct Principal {
  core::UserId user_id;
  std::string email;
  std::string display_name;
  TimestampMs created_at = 0;
  bool moderator = false;  // listed in ESSOR_ADMIN_EMAILS and the address verified
  bool email_verified = false;
  std::string session_hash;  // the session this request came with ("" when none)
};

// A signed-in reader and what a page shows of them (ReaderQuestion).
struct ReaderParts {
  Principal who;
  std::optional<core::Role> role;  // in the page's organisation
  std::int64_t unread = 0;
  core::Cents balance = 0;
  bool following = false;
  TimestampMs session_expires_at = 0;
};

// A bearer token whose session a write checks in its own transaction
// (Accounts::asker): the principal, or nothing when the session
// is over.
struct SessionToCheck {
  std::string session_hash;
  std::function<std::optional<Principal>(Tx&)> check;
};
// Who asks for a write: known already, or to be checked by the write.
using Asker = std::variant<Principal, SessionToCheck>;
// 401 unauthenticated, for a bearer token that is no live session.
core::Error no_live_session();

struct AccountsOptions {
  std::set<std::string> moderator_emails;            // lower-cased (ESSOR_ADMIN_EMAILS)
  bool rate_limits = true;                           // ESSOR_RATE_LIMITS=off turns them off
  std::string public_url = "http://127.0.0.1:8080";  // links in mails
  std::int64_t session_ttl_ms = 30LL * 24 * 3600 * 1000;
  std::int64_t verify_ttl_ms = 48LL * 3600 * 1000;  // email verification link
  std::int64_t reset_ttl_ms = 3600LL * 1000;        // password reset link
  // Failed logins: the first free_failures in a row cost nothing, then each
  // waits twice as long as the one before (1 s, 2 s, 4 s …) up to
  // max_delay_ms, per account and per client address (the address allows
  // more: one NAT, many people). Counts reset after failure_window_ms without
  // a failure, and for the account at a successful login.
  std::int64_t free_failures_per_account = 5;
  std::int64_t free_failures_per_address = 50;
  std::int64_t max_delay_ms = 60 * 1000;
  std::int64_t failure_window_ms = 15LL * 60 * 1000;
};

struct SignupInput {
  std::string email, password, display_name;
};

struct Authenticated {
  Principal principal;
  std::string token;  // shown once; only its hash is stored
};

struct SessionView {
  std::string id;  // the SHA-256 of the token: naming it reveals nothing usable
  TimestampMs created_at = 0;
  TimestampMs last_seen_at = 0;
  bool current = false;
};

class Accounts {
 public:
  Accounts(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
           AccountsOptions options);

  // 409 email_taken when the address (case-insensitive) has an account;
  // 429 after too many sign-ups from one address. Mails a verification link.
  core::Result<Authenticated> signup(const SignupInput& input,
                                     const std::string& client_address = "");
  // 401 invalid_credentials, the same whether or not the address exists;
  // 429 rate_limited while the account or the address must wait.
  core::Result<Authenticated> login(const std::string& email, const std::string& password,
                                    const std::string& client_address);
  // Revokes the session of this token. Not an error if it had expired.
  void logout(const std::string& token);
  // The principal of a live session, or nothing.
  std::optional<Principal> authenticate(const std::string& token);
  // Who asks for a write that runs on the writer (a pledge): where reads
  // never wait (Store::suits_io_threads: SQLite), authenticate's principal;
  // else the session for the write to check in its own transaction, which
  // spares the read its own round trip and the request a thread to wait
  // in. Nothing when the token is no live session, or cannot be one.
  std::optional<Asker> asker(const std::string& token);
  // authenticate, and what a page shows of the reader, in one statement.
  std::optional<ReaderParts> reader(const std::string& token, const ReaderQuestion& question);

  // 400 invalid_token when unknown, used or expired (48 h).
  core::Result<Principal> verify_email(const std::string& token);
  // 409 already_verified; 429 after a few mails in an hour.
  core::Status resend_verification(const Principal& who);
  // Mails a reset link when the address has an account; says nothing either way.
  void request_password_reset(const std::string& email, const std::string& client_address);
  // Every session of the user is revoked. 400 invalid_token; 400 validation_failed.
  core::Result<Principal> reset_password(const std::string& token, const std::string& password);
  // Every other session is revoked. 401 invalid_credentials when current is wrong.
  // Everything held about the user (GDPR art. 15/20), table by table.
  std::vector<PersonalTable> export_data(const Principal& who);
  // Erases the account (GDPR art. 17) once the password is given again:
  // 401 invalid_credentials for a wrong one, 409 last_admin while the user
  // is an organisation's only admin. Money records and the ledger stay,
  // under the person's wallet, linked to nobody.
  core::Status delete_account(const Principal& who, const std::string& password);
  core::Status change_password(const Principal& who, const std::string& current_password,
                               const std::string& new_password);
  std::vector<SessionView> sessions(const Principal& who);
  // 404 when the session is not the user's.
  core::Status revoke_session(const Principal& who, const std::string& session_id);

  // An operator's word that the address belongs to its account (`essor user
  // verify`, the demo). 404 when no account has it.
  core::Status confirm_address(const std::string& email);

  const AccountsOptions& options() const { return options_; }

 private:
  Principal principal_of(const UserRecord& user, std::string session_hash = "") const;
  std::string open_session(Tx& tx, const core::UserId& user_id);
  // The hash a session token is kept under; nothing for a token that
  // cannot be one.
  std::optional<std::string> session_hash(const std::string& token);
  // Records the session's use, at most once every few minutes (a write).
  void touch_if_stale(const SessionRecord& session, TimestampMs now);
  // A new single-use token for purpose (older unused ones stop working),
  // as the absolute link to place (whose id is the token).
  std::string issue_link(Tx& tx, const UserRecord& user, const std::string& purpose,
                         core::Place place, std::int64_t ttl_ms);
  // Spends a token of purpose: its user, whose address the link proved
  // (now verified), or nothing when unknown, used, expired or sent to an
  // address the account no longer has.
  std::optional<UserRecord> redeem(Tx& tx, const std::string& token, const std::string& purpose);
  // Puts a verification mail for user in the outbox.
  void queue_verification(Tx& tx, const UserRecord& user);
  // Counts an attempt against key before the password is checked; an error
  // when the key must wait or a concurrent attempt took the same turn.
  std::optional<core::Error> reserve_attempt(Tx& tx, const std::string& key,
                                             std::int64_t free_failures, TimestampMs now);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  const Wording& wording_;
  AccountsOptions options_;
  std::string decoy_hash_;  // verified when the address is unknown, to take the same time
};

}  // namespace essor::app
