// Accounts: sign-up, log-in with throttling, sessions, logout.
// Safe to use from many threads; every call blocks (database, argon2id), so
// callers run it off the io threads.
#pragma once

#include <set>
#include <string>

#include "app/ports.hpp"
#include "core/error.hpp"

namespace essor::app {

// Who is making a request, once their token checked out.
struct Principal {
  std::string user_id;
  std::string email;
  std::string display_name;
  TimestampMs created_at = 0;
  bool moderator = false;
};

struct AccountsOptions {
  std::set<std::string> moderator_emails;  // lower-cased (ESSOR_ADMIN_EMAILS)
  bool rate_limits = true;                 // ESSOR_RATE_LIMITS=off turns them off
  TimestampMs session_ttl_ms = 30LL * 24 * 3600 * 1000;
  // Failed logins allowed in one window before 429, per account and per
  // client address (the address limit is higher: one NAT, many people).
  std::int64_t max_failures_per_account = 10;
  std::int64_t max_failures_per_address = 100;
  TimestampMs failure_window_ms = 15LL * 60 * 1000;
};

struct SignupInput {
  std::string email, password, display_name;
};

struct Authenticated {
  Principal principal;
  std::string token;  // shown once; only its hash is stored
};

class Accounts {
 public:
  Accounts(Store& store, Crypto& crypto, Clock& clock, AccountsOptions options);

  // 409 email_taken when the address (case-insensitive) has an account.
  core::Result<Authenticated> signup(const SignupInput& input);
  // 401 invalid_credentials, the same whether or not the address exists;
  // 429 rate_limited after too many failures for the account or the address.
  core::Result<Authenticated> login(const std::string& email, const std::string& password,
                                    const std::string& client_address);
  // Revokes the session of this token. Not an error if it had expired.
  void logout(const std::string& token);
  // The principal of a live session, or nothing.
  std::optional<Principal> authenticate(const std::string& token);

  const AccountsOptions& options() const { return options_; }

 private:
  Principal principal_of(const UserRecord& user) const;
  std::string open_session(Tx& tx, const std::string& user_id);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  AccountsOptions options_;
  std::string decoy_hash_;  // verified when the address is unknown, to take the same time
};

}  // namespace essor::app
