// Pages of an account's life (spec "Account lifecycle"): the link mailed to
// verify an address, forgotten and changed passwords, the list of sessions.
// Links in mails open a page with a button: GET never changes anything, so a
// mail scanner that follows links spends no token.
#include <map>

#include "core/time.hpp"
#include "core/validation.hpp"
#include "web/form.hpp"
#include "web/json_api.hpp"
#include "web/page_helpers.hpp"
#include "web/render.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"
#include "web/wording.hpp"

namespace essor::web {

namespace {

Response account_page(Services& services, const PageContext& context, Json data,
                      const std::string& title_key, int status = 200) {
  data["title"] = translate(context.lang, title_key);
  if (!data.contains("back")) {
    data["back"] = context.user ? "/me" : "/login";
    data["back_label"] =
        translate(context.lang, context.user ? "back_to_account" : "back_to_login");
  }
  return render_page(services, context, "account", data, title_key, status);
}

// /me/security: the password form and the reader's sessions; extra carries
// a notice or the errors of a failed change.
Response security_page(Services& services, const PageContext& context, Json extra,
                       int status = 200) {
  Json sessions = Json::array();
  for (const auto& s : services.accounts.sessions(*context.user)) {
    sessions.push_back({{"id", s.id},
                        {"created_at", core::format_rfc3339(s.created_at)},
                        {"created", when_json(context.lang, s.created_at)},
                        {"last_seen_at", core::format_rfc3339(s.last_seen_at)},
                        {"seen", when_json(context.lang, s.last_seen_at)},
                        {"current", s.current}});
  }
  extra["security"] = true;
  extra["sessions"] = sessions;
  return account_page(services, context, extra, "security_title", status);
}

Json security_notice(const Request& request, const std::string& lang) {
  const auto query = request.query_params();
  if (!query.count("done")) return Json();
  const std::string key = query.at("done");
  for (const char* known : {"security_password_changed", "security_session_revoked"}) {
    if (key == known) return translate(lang, key);
  }
  return Json();
}

// text with each {key} replaced by its value.
std::string fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    const std::string marker = "{" + key + "}";
    for (auto at = text.find(marker); at != std::string::npos;
         at = text.find(marker, at + value.size())) {
      text.replace(at, marker.size(), value);
    }
  }
  return text;
}

}  // namespace

// The page an invitation mail links to: what it is for, and the buttons to
// accept (signed in with the invited address, verified) or decline.
void add_invitation_pages(Router& router, Services& services) {
  router.add("GET", "/invitations/{token}", [&services](Request& request) {
    auto context = page_context(services, request);
    const std::string& token = request.params["token"];
    auto view = services.invitations.view(token);
    if (!view) {
      return account_page(services, context,
                          Json{{"notice", translate(context.lang, "invitation_invalid")}},
                          "invitation_title", 400);
    }
    const auto& invitation = view->invitation;
    const bool can_accept = context.user && context.user->email_verified &&
                            core::ascii_lower(context.user->email) == invitation.email_norm;
    Json data = {{"invitation", true},
                 {"token", percent_encode(token)},
                 {"invitation_text",
                  fill(translate(context.lang, invitation.target_kind == core::InvitationTarget::org
                                                   ? "invitation_org"
                                                   : "invitation_circle"),
                       {{"inviter", view->inviter_name}, {"name", view->target_name}})},
                 {"can_accept", can_accept},
                 {"signed_out", !context.user},
                 {"sign_in_text", translate(context.lang, context.user ? "invitation_other_address"
                                                                       : "invitation_signed_out")}};
    return account_page(services, context, data, "invitation_title");
  });

  add_page_form(
      router, services, "/invitations/{token}/accept",
      [&services](Request& request, PageContext& context, const Form&) {
        auto accepted = services.invitations.accept(*context.user, request.params["token"]);
        if (!accepted) {
          if (accepted.error().kind == core::ErrorKind::forbidden) {
            return account_page(
                services, context,
                Json{{"notice", translate(context.lang, "invitation_other_address")}},
                "invitation_title", 403);
          }
          return account_page(services, context,
                              Json{{"notice", translate(context.lang, "invitation_invalid")}},
                              "invitation_title", 400);
        }
        const std::string where =
            accepted->target_kind == core::InvitationTarget::org ? "/orgs/" : "/circles/";
        return redirect_response(where + accepted->target_id + "?done=invitation_accepted");
      });

  add_public_form(router, services, "/invitations/{token}/decline",
                  [&services](Request& request, PageContext& context, const Form&) {
                    auto declined = services.invitations.decline(request.params["token"]);
                    return account_page(
                        services, context,
                        Json{{"notice", translate(context.lang, declined ? "invitation_declined"
                                                                         : "invitation_invalid")}},
                        "invitation_title", declined ? 200 : 400);
                  });
}

void add_account_lifecycle_pages(Router& router, Services& services) {
  router.add("GET", "/verify-email/{token}", [&services](Request& request) {
    auto context = page_context(services, request);
    return account_page(services, context,
                        Json{{"verify", true}, {"token", percent_encode(request.params["token"])}},
                        "verify_title");
  });

  add_public_form(router, services, "/verify-email/{token}",
                  [&services](Request& request, PageContext& context, const Form&) {
                    auto verified = services.accounts.verify_email(request.params["token"]);
                    const std::string notice =
                        translate(context.lang, verified ? "verify_done" : "verify_failed");
                    return account_page(services, context, Json{{"notice", notice}}, "verify_title",
                                        verified ? 200 : 400);
                  });

  add_page_form(router, services, "/me/verify-email/resend",
                [&services](Request&, PageContext& context, const Form&) {
                  auto sent = services.accounts.resend_verification(*context.user);
                  if (!sent) {
                    return account_page(services, context,
                                        Json{{"errors", errors_json(context.lang, sent.error())}},
                                        "verify_title", status_of(sent.error().kind));
                  }
                  return account_page(services, context,
                                      Json{{"notice", translate(context.lang, "verify_resent")}},
                                      "verify_title");
                });

  router.add("GET", "/password-reset", [&services](Request& request) {
    auto context = page_context(services, request);
    return account_page(services, context, Json{{"forgot", true}}, "forgot_title");
  });

  add_public_form(router, services, "/password-reset",
                  [&services](Request& request, PageContext& context, const Form& form) {
                    services.accounts.request_password_reset(field(form, "email"),
                                                             request.client_address);
                    // The same answer whether or not the address has an account.
                    return account_page(services, context,
                                        Json{{"notice", translate(context.lang, "forgot_sent")}},
                                        "forgot_title");
                  });

  router.add("GET", "/password-reset/{token}", [&services](Request& request) {
    auto context = page_context(services, request);
    return account_page(services, context,
                        Json{{"reset", true}, {"token", percent_encode(request.params["token"])}},
                        "reset_title");
  });

  add_public_form(
      router, services, "/password-reset/{token}",
      [&services](Request& request, PageContext& context, const Form& form) {
        auto reset =
            services.accounts.reset_password(request.params["token"], field(form, "password"));
        if (!reset) {
          const bool expired = reset.error().code == "invalid_token";
          Json data = {{"errors", errors_json(context.lang, reset.error())}};
          if (expired) {
            data["notice"] = translate(context.lang, "verify_failed");
            data["forgot"] = true;
          } else {
            data["reset"] = true;
            data["token"] = percent_encode(request.params["token"]);
          }
          return account_page(services, context, data, "reset_title",
                              status_of(reset.error().kind));
        }
        // Every session was revoked, this browser's too.
        Response response =
            account_page(services, context,
                         Json{{"notice", translate(context.lang, "reset_done")},
                              {"back", "/login"},
                              {"back_label", translate(context.lang, "back_to_login")}},
                         "reset_title");
        response.header("Set-Cookie",
                        set_cookie_value(kSessionCookie, "",
                                         CookieOptions{services.options.secure_cookies, true, 0}));
        return response;
      });

  router.add("GET", "/me/security", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    return security_page(services, context,
                         Json{{"notice", security_notice(request, context.lang)}});
  });

  add_page_form(router, services, "/me/password",
                [&services](Request&, PageContext& context, const Form& form) {
                  auto changed = services.accounts.change_password(
                      *context.user, field(form, "current_password"), field(form, "password"));
                  if (!changed) {
                    return security_page(
                        services, context,
                        Json{{"errors", errors_json(context.lang, changed.error())}},
                        status_of(changed.error().kind));
                  }
                  return redirect_response("/me/security?done=security_password_changed");
                });

  // The GDPR export as a file to keep (the same JSON as GET /api/v1/me/export).
  router.add("GET", "/me/export.json", [&services](Request& request) {
    auto context = page_context(services, request);
    if (!context.user) return login_redirect(request);
    Response response = json_response(
        200,
        personal_data_json(services.accounts.export_data(*context.user), services.clock.now()));
    response.header("Content-Disposition", "attachment; filename=\"essor-mes-donnees.json\"");
    response.header("Cache-Control", "no-store");
    return response;
  });

  add_page_form(
      router, services, "/me/delete",
      [&services](Request&, PageContext& context, const Form& form) {
        auto deleted = services.accounts.delete_account(*context.user, field(form, "password"));
        if (!deleted) {
          return security_page(services, context,
                               Json{{"errors", errors_json(context.lang, deleted.error())}},
                               status_of(deleted.error().kind));
        }
        Response response = redirect_response("/?done=account_deleted");
        response.header("Set-Cookie",
                        set_cookie_value(kSessionCookie, "",
                                         CookieOptions{services.options.secure_cookies, true, 0}));
        return response;
      });

  add_page_form(router, services, "/me/sessions/{id}/revoke",
                [&services](Request& request, PageContext& context, const Form&) {
                  auto revoked =
                      services.accounts.revoke_session(*context.user, request.params["id"]);
                  if (!revoked)
                    return render_error_page(services, request, status_of(revoked.error().kind));
                  return redirect_response("/me/security?done=security_session_revoked");
                });
}

}  // namespace essor::web
