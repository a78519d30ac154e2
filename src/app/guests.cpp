#include "app/guests.hpp"

#include "app/bilingual_mail.hpp"
#include "app/tx_helpers.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

constexpr std::int64_t kClaimTtlMs = 30LL * 86'400'000;

}  // namespace

std::map<std::string, std::string> check_guest(const GuestInput& guest) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_email(core::ascii_lower(core::trim(guest.email))))
    problems["email"] = *p;
  if (auto p = core::check_name(core::trim(guest.display_name), 100)) problems["display_name"] = *p;
  return problems;
}

std::string guest_scope(const GuestInput& guest) {
  return "guest:" + core::ascii_lower(core::trim(guest.email));
}

Principal make_guest(Tx& tx, Crypto& crypto, TimestampMs now, const GuestInput& guest) {
  UserRecord user;
  user.id = core::UserId{crypto.undated_id()};
  user.email = core::trim(guest.email);
  // Unique and never typed at a login: nobody signs in as a guest.
  user.email_norm = "guest:" + user.id;
  user.display_name = core::trim(guest.display_name);
  user.password_hash = "";
  user.created_at = now;
  user.wallet_id = crypto.undated_id();
  (void)tx.accounts().insert_user(user);  // its email_norm is new: "guest:" and a new id
  Principal who;
  who.user_id = user.id;
  who.email = user.email;
  who.display_name = user.display_name;
  who.created_at = now;
  return who;
}

void mail_guest(Tx& tx, Crypto& crypto, const Wording& wording, const std::string& public_url,
                TimestampMs now, const Principal& guest, const std::string& what,
                core::Cents amount_cents) {
  const std::string token = crypto.random_token();
  tx.guests().insert_claim(crypto.sha256_hex(token), guest.user_id, now, now + kClaimTtlMs);
  const std::map<std::string, std::string> params = {
      {"name", guest.display_name},
      {"what", what},
      {"amount_cents", std::to_string(amount_cents)},
      {"link", public_url + wording.path({core::Place::claim, token})}};
  auto mail = bilingual_mail(wording, "mail_guest_subject", "mail_guest_body", params, params);
  tx.outbox().insert_outbox({crypto.random_id(), guest.user_id, "guest_gift", guest.email,
                             std::move(mail.subject), std::move(mail.body), "", now, 0});
}

Result<std::int64_t> Guests::claim(const Principal& who, const std::string& token) {
  if (token.empty() || token.size() > 256)
    return Error{core::ErrorKind::validation, "invalid_token", "This link is not valid.", {}};
  const TimestampMs now = clock_.now();
  return write_result<std::int64_t>(store_, [&](Tx& tx) -> Result<std::int64_t> {
    auto guest = tx.guests().use_claim(crypto_.sha256_hex(token), now);
    if (!guest) {
      return Error{core::ErrorKind::validation,
                   "invalid_token",
                   "This link is not valid any more: it was used already or it expired.",
                   {}};
    }
    const auto moved = tx.guests().hand_over(*guest, who.user_id);
    // Dues of a voting plan now paid by an account: its role, as if the
    // account had joined itself.
    for (const auto& m : tx.dues().memberships_of_user(who.user_id)) {
      if (m.status != core::MembershipStatus::active ||
          tx.orgs().member_role(m.org_id, who.user_id))
        continue;
      const auto plan = tx.dues().plan_by_id(m.plan_id);
      if (plan && plan->voting &&
          tx.orgs().insert_member(m.org_id, who.user_id, core::Role::member, now))
        tx.dues().set_made_member(m.id);
    }
    return moved;
  });
}

}  // namespace essor::app
