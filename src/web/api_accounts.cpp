// JSON API, spec "Accounts".
#include "web/json_api.hpp"
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
    auto result = services.accounts.signup(app::SignupInput{
        email.value.value_or(""), password.value.value_or(""), name.value.value_or("")});
    if (!result) return error_response(result.error());
    return authenticated(201, *result);
  });

  router.add("POST", "/api/v1/auth/login", [&services](Request& request) {
    auto body = parse_json_object(request);
    if (!body) return error_response(body.error());
    std::map<std::string, std::string> problems;
    const auto email = string_field(*body, "email", problems);
    const auto password = string_field(*body, "password", problems);
    if (!email.value) problems.emplace("email", "required");
    if (!password.value) problems.emplace("password", "required");
    if (!problems.empty()) return error_response(core::Error::validation(problems));
    auto result = services.accounts.login(*email.value, *password.value, request.client_address);
    if (!result) return error_response(result.error());
    return authenticated(200, *result);
  });

  router.add("POST", "/api/v1/auth/logout", [&services](Request& request) {
    auto principal = require_bearer(services, request);
    if (!principal) return error_response(principal.error());
    services.accounts.logout(*bearer_token(request));
    Response response;
    response.status = 204;
    return response;
  });

  router.add("GET", "/api/v1/me", [&services](Request& request) {
    auto principal = require_bearer(services, request);
    if (!principal) return error_response(principal.error());
    return json_response(200, Json{{"user", user_json(*principal)}});
  });
}

}  // namespace essor::web
