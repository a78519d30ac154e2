// Giving without an account: a pledge or a membership with only an email
// address and a name. The gift belongs to a guest account (no password; an
// address nobody signs in with, so it never answers a login or a reset);
// the confirmation mail carries a single-use link that hands everything
// the guest account holds over to the account that opens it.
#pragma once

#include <map>
#include <string>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"

namespace essor::app {

struct GuestInput {
  std::string email;
  std::string display_name;
};

// Problems by field ("email", "display_name").
std::map<std::string, std::string> check_guest(const GuestInput& guest);
// The scope of a guest's Idempotency-Keys and rate limits: their address.
std::string guest_scope(const GuestInput& guest);

// Inside tx: a new guest account for this gift, as a principal.
Principal make_guest(Tx& tx, Crypto& crypto, TimestampMs now, const GuestInput& guest);

// Inside tx: the mail that confirms a guest's gift (what: the campaign or
// the organisation) with the link that lets an account claim it.
void mail_guest(Tx& tx, Crypto& crypto, const Wording& wording, const std::string& public_url,
                TimestampMs now, const Principal& guest, const std::string& what,
                core::Cents amount_cents);

class Guests {
 public:
  Guests(Store& store, Crypto& crypto, Clock& clock)
      : store_(store), crypto_(crypto), clock_(clock) {}
  // The link's token, opened by a signed-in account: what the guest gave is
  // now theirs. 400 invalid_token when used, expired or unknown.
  core::Result<std::int64_t> claim(const Principal& who, const std::string& token);

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
};

}  // namespace essor::app
