#include "app/invitations.hpp"

#include "app/bilingual_mail.hpp"
#include "app/policy.hpp"
#include "app/rate_limits.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

Error invalid_token() {
  return Error{core::ErrorKind::validation,
               "invalid_token",
               "This invitation link is unknown, already answered or expired.",
               {}};
}

// Invitations are mails to addresses of the inviter's choosing: counted per
// account, so that nobody uses Essor to flood an inbox.
inline constexpr RateRule kInvitationsPerAccount{"invite:acct", 30, 3600 * 1000};

}  // namespace

Invitations::Invitations(Store& store, Crypto& crypto, Clock& clock, const Wording& wording,
                         InvitationsOptions options)
    : store_(store),
      crypto_(crypto),
      clock_(clock),
      wording_(wording),
      options_(std::move(options)) {}

Result<InvitationRecord> Invitations::invite(Tx& tx, const Principal& who,
                                             core::InvitationTarget kind,
                                             const std::string& target_id,
                                             const std::string& target_name,
                                             const std::string& email, core::Role role) {
  const TimestampMs now = clock_.now();
  if (options_.rate_limits) {
    if (auto limited = rate_limit(tx, kInvitationsPerAccount, who.user_id, now)) return *limited;
  }
  const std::string token = crypto_.random_token();
  InvitationRecord invitation;
  invitation.id = crypto_.random_id();
  invitation.token_hash = crypto_.sha256_hex(token);
  invitation.target_kind = kind;
  invitation.target_id = target_id;
  invitation.email_norm = core::ascii_lower(core::trim(email));
  invitation.role = role;
  invitation.invited_by = who.user_id;
  invitation.status = core::InvitationStatus::pending;
  invitation.created_at = now;
  invitation.expires_at = now + options_.ttl_ms;
  tx.circles().insert_invitation(invitation);
  const std::string link = options_.public_url + wording_.path({core::Place::invitation, token});
  const std::string what_key =
      kind == core::InvitationTarget::org ? "mail_invitation_org" : "mail_invitation_circle";
  auto params_in = [&](const std::string& lang) {
    return std::map<std::string, std::string>{
        {"target", target_name},
        {"inviter", who.display_name},
        {"what", wording_.say(lang, what_key, {{"target", target_name}})},
        {"link", link}};
  };
  auto mail = bilingual_mail(wording_, "mail_invitation_subject", "mail_invitation_body",
                             params_in("fr"), params_in("en"));
  // The mail is queued under the inviter (the address may have no account).
  tx.outbox().insert_outbox({crypto_.random_id(), who.user_id, "invitation", invitation.email_norm,
                             std::move(mail.subject), std::move(mail.body), "", now, 0});
  return invitation;
}

Result<InvitationRecord> Invitations::invite_to_org(const Principal& who, const core::OrgId& org_id,
                                                    const std::string& email,
                                                    const std::string& role) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_email(core::trim(email))) problems["email"] = *p;
  const auto parsed_role = core::parse_role(role);
  if (!parsed_role) problems["role"] = "must be one of member, treasurer, admin";
  return write_result<InvitationRecord>(store_, [&](Tx& tx) -> Result<InvitationRecord> {
    auto org = tx.orgs().org_by_id(org_id);
    if (!org) return Error::not_found("No organisation with this id.");
    if (!org_allows(who, tx.orgs().member_role(org_id, who.user_id), OrgAction::manage_members)) {
      return Error::forbidden();
    }
    if (!problems.empty()) return Error::validation(problems);
    return invite(tx, who, core::InvitationTarget::org, org_id, org->name, email, *parsed_role);
  });
}

Result<InvitationRecord> Invitations::invite_to_circle(const Principal& who,
                                                       const std::string& circle_id,
                                                       const std::string& email) {
  auto problem = core::check_email(core::trim(email));
  return write_result<InvitationRecord>(store_, [&](Tx& tx) -> Result<InvitationRecord> {
    auto circle = tx.circles().circle_by_id(circle_id);
    // A circle is invisible from outside: the same 404 as no circle.
    if (!circle || !tx.circles().is_circle_member(circle_id, who.user_id)) {
      return Error::not_found("No circle with this id.");
    }
    if (problem) return Error::validation({{"email", *problem}});
    return invite(tx, who, core::InvitationTarget::circle, circle_id, circle->name, email,
                  core::Role::member);
  });
}

Result<InvitationRecord> Invitations::pending(ReadTx& tx, const std::string& token,
                                              TimestampMs now) {
  if (token.empty() || token.size() > 128) return invalid_token();
  auto invitation = tx.circles().invitation_by_token(crypto_.sha256_hex(token));
  if (!invitation || invitation->status != core::InvitationStatus::pending ||
      invitation->expires_at <= now) {
    return invalid_token();
  }
  return *invitation;
}

Result<InvitationView> Invitations::view(const std::string& token) {
  const TimestampMs now = clock_.now();
  return read_value<Result<InvitationView>>(store_, [&](ReadTx& tx) -> Result<InvitationView> {
    auto invitation = pending(tx, token, now);
    if (!invitation) return invitation.error();
    InvitationView view;
    if (invitation->target_kind == core::InvitationTarget::org) {
      if (auto org = tx.orgs().org_by_id(core::OrgId{invitation->target_id}))
        view.target_name = org->name;
    } else if (auto circle = tx.circles().circle_by_id(invitation->target_id)) {
      view.target_name = circle->name;
    }
    if (auto inviter = tx.accounts().user_by_id(invitation->invited_by))
      view.inviter_name = inviter->display_name;
    view.invitation = std::move(*invitation);
    return view;
  });
}

Result<InvitationRecord> Invitations::accept(const Principal& who, const std::string& token) {
  const TimestampMs now = clock_.now();
  return write_result<InvitationRecord>(store_, [&](Tx& tx) -> Result<InvitationRecord> {
    auto invitation = pending(tx, token, now);
    if (!invitation) return invitation.error();
    if (!who.email_verified || core::ascii_lower(who.email) != invitation->email_norm) {
      return Error::forbidden(
          "This invitation was sent to another address: sign in with the account of that "
          "address, once it is verified.");
    }
    if (!tx.circles().answer_invitation(invitation->id, core::InvitationStatus::accepted, now))
      return invalid_token();
    if (invitation->target_kind == core::InvitationTarget::org) {
      const core::OrgId org_id{invitation->target_id};
      if (!tx.orgs().org_by_id(org_id)) return invalid_token();
      // Already a member: the invitation is answered all the same.
      (void)tx.orgs().insert_member(org_id, who.user_id, invitation->role, now);
    } else {
      if (!tx.circles().circle_by_id(invitation->target_id)) return invalid_token();
      (void)tx.circles().insert_circle_member(invitation->target_id, who.user_id, now);
    }
    invitation->status = core::InvitationStatus::accepted;
    invitation->answered_at = now;
    return *invitation;
  });
}

core::Status Invitations::decline(const std::string& token) {
  const TimestampMs now = clock_.now();
  return write_result<core::Unit>(store_, [&](Tx& tx) -> core::Status {
    auto invitation = pending(tx, token, now);
    if (!invitation) return invitation.error();
    if (!tx.circles().answer_invitation(invitation->id, core::InvitationStatus::declined, now))
      return invalid_token();
    return core::Unit{};
  });
}

}  // namespace essor::app
