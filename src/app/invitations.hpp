// Invitations with consent (spec "Invitations (consent)"): adding someone
// to an organisation or a circle mails them an invitation, whether or not
// the address has an account, and the answer never says which; the person
// becomes a member only by accepting, signed in with that address verified.
// Members leave when they wish (Orgs::remove_member, Community::leave…).
// Safe to use from many threads; every call blocks on the database.
#pragma once

#include <optional>
#include <string>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct InvitationsOptions {
  std::string public_url = "http://127.0.0.1:8080";  // links in mails
  bool rate_limits = true;
  std::int64_t ttl_ms = 14LL * 24 * 3600 * 1000;  // an invitation is valid 14 days
};

// What the invitation page shows to whoever holds the link.
struct InvitationView {
  InvitationRecord invitation;
  std::string target_name;   // the organisation's or the circle's name
  std::string inviter_name;  // who invited
  bool expired = false;
};

class Invitations {
 public:
  Invitations(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
              InvitationsOptions options);

  // An organisation's admins invite with a role (member, treasurer, admin).
  core::Result<InvitationRecord> invite_to_org(const Principal& who, const core::OrgId& org_id,
                                               const std::string& email, const std::string& role);
  // Any member of a circle invites.
  core::Result<InvitationRecord> invite_to_circle(const Principal& who,
                                                  const std::string& circle_id,
                                                  const std::string& email);

  // 400 invalid_token for a link that is unknown, used or expired.
  core::Result<InvitationView> view(const std::string& token);
  // Signed in, with the invitation's address as the account's verified
  // email (else 403 forbidden); the person becomes a member (already one:
  // nothing changes).
  core::Result<InvitationRecord> accept(const Principal& who, const std::string& token);
  // Anyone holding the link; nothing else changes.
  core::Status decline(const std::string& token);

 private:
  core::Result<InvitationRecord> invite(Tx& tx, const Principal& who, core::InvitationTarget kind,
                                        const std::string& target_id,
                                        const std::string& target_name, const std::string& email,
                                        core::Role role);
  core::Result<InvitationRecord> pending(ReadTx& tx, const std::string& token, TimestampMs now);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  const Wording& wording_;
  InvitationsOptions options_;
};

}  // namespace essor::app
