// JSON API, spec "Accounts".
#include "core/time.hpp"
#include "web/json_api.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"

namespace essor::web {

namespace {

Response authenticated(int status, const app::Authenticated& auth) {
  return json_response(status, Json{{"user", user_json(auth.principal)}, {"token", auth.token}});
}

}  // namespace

void add_account_routes(Router& router, Services& services) {
  router.add("POST", "/api/v1/auth/signup", [&services](Request& request) {
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    const auto email = string_field(*body, "email", problems);
    const auto password = string_field(*body, "password", problems);
    const auto name = string_field(*body, "display_name", problems);
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    auto result = services.accounts.signup(
        app::SignupInput{email.value.value_or(""), password.value.value_or(""),
                         name.value.value_or("")},
        request.client_address);
    if (!result) return error_response(result.error());
    return authenticated(201, *result);
  });

  router.add("POST", "/api/v1/auth/login", [&services](Request& request) {
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    const auto email = required_string(*body, "email", problems);
    const auto password = required_string(*body, "password", problems);
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    auto result = services.accounts.login(*email, *password, request.client_address);
    if (!result) return error_response(result.error());
    return authenticated(200, *result);
  });

  add_api(router, services, "POST", "/api/v1/auth/logout",
          [&services](Request& request, const app::Principal&) {
            services.accounts.logout(*bearer_token(request));
            Response response;
            response.status = 204;
            return response;
          });

  add_api(router, services, "GET", "/api/v1/me",
          [&services](Request&, const app::Principal& principal) {
            return json_response(200, Json{{"user", user_json(principal)}});
          });

  // Spec "Account lifecycle".
  router.add("POST", "/api/v1/auth/verify-email", [&services](Request& request) {
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    const auto token = required_string(*body, "token", problems);
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    auto result = services.accounts.verify_email(*token);
    if (!result) return error_response(result.error());
    return json_response(200, Json{{"user", user_json(*result)}});
  });

  add_api(router, services, "POST", "/api/v1/auth/verify-email/resend",
          [&services](Request&, const app::Principal& principal) {
            auto done = services.accounts.resend_verification(principal);
            if (!done) return error_response(done.error());
            return no_content();
          });

  router.add("POST", "/api/v1/auth/password-reset", [&services](Request& request) {
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    const auto email = required_string(*body, "email", problems);
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    services.accounts.request_password_reset(*email, request.client_address);
    return no_content();
  });

  router.add("POST", "/api/v1/auth/password-reset/confirm", [&services](Request& request) {
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    const auto token = required_string(*body, "token", problems);
    const auto password = required_string(*body, "password", problems);
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    auto result = services.accounts.reset_password(*token, *password);
    if (!result) return error_response(result.error());
    return json_response(200, Json{{"user", user_json(*result)}});
  });

  add_api(router, services, "POST", "/api/v1/me/password",
          [&services](Request& request, const app::Principal& principal) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto current = required_string(*body, "current_password", problems);
            const auto password = required_string(*body, "password", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto done = services.accounts.change_password(principal, *current, *password);
            if (!done) return error_response(done.error());
            return json_response(200, Json{{"user", user_json(principal)}});
          });

  add_api(router, services, "GET", "/api/v1/me/export",
          [&services](Request&, const app::Principal& principal) {
            Response response = json_response(
                200,
                personal_data_json(services.accounts.export_data(principal), services.clock.now()));
            response.header("Cache-Control", "no-store");
            return response;
          });

  add_api(router, services, "DELETE", "/api/v1/me",
          [&services](Request& request, const app::Principal& principal) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto password = required_string(*body, "password", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            auto done = services.accounts.delete_account(principal, *password);
            if (!done) return error_response(done.error());
            return no_content();
          });

  add_api(router, services, "GET", "/api/v1/me/sessions",
          [&services](Request& request, const app::Principal& principal) {
            Json items = Json::array();
            for (const auto& s : services.accounts.sessions(principal)) {
              items.push_back({{"id", s.id},
                               {"created_at", core::format_rfc3339(s.created_at)},
                               {"last_seen_at", core::format_rfc3339(s.last_seen_at)},
                               {"current", s.current}});
            }
            return paged_list(request, items);
          });

  add_api(router, services, "DELETE", "/api/v1/me/sessions/{id}",
          [&services](Request& request, const app::Principal& principal) {
            auto done = services.accounts.revoke_session(principal, request.params["id"]);
            if (!done) return error_response(done.error());
            return no_content();
          });
}

}  // namespace essor::web
