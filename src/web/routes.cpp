#include "web/routes.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <stdexcept>

#include "app/policy.hpp"
#include "web/embedded.hpp"
#include "web/json_api.hpp"
#include "web/render.hpp"

namespace essor::web {

namespace {

std::string_view content_type_of(std::string_view key) {
  if (key.ends_with(".css")) return "text/css; charset=utf-8";
  if (key.ends_with(".js")) return "text/javascript; charset=utf-8";
  if (key.ends_with(".svg")) return "image/svg+xml";
  if (key.ends_with(".png")) return "image/png";
  return "application/octet-stream";
}

Response static_file(const Request& request) {
  const auto file = find_embedded("static/" + request.params.at("name"));
  if (!file) return text_response(404, "Not found.\n");
  return cacheable_response(request, file->etag, std::string(content_type_of(file->key)),
                            std::string(file->data));
}

// /metrics tells a lot about the platform's traffic: it is served to the
// machine itself (a connection from loopback that no proxy forwarded) or
// to whoever shows ESSOR_METRICS_TOKEN as a bearer token.
bool metrics_allowed(const Request& request, const std::string& token) {
  if (const auto presented = bearer_token(request);
      !token.empty() && presented && constant_time_equal(*presented, token)) {
    return true;
  }
  const std::string& peer = request.peer_address;
  const bool loopback =
      peer.starts_with("127.") || peer == "::1" || peer.starts_with("::ffff:127.");
  return loopback && request.header("x-forwarded-for").empty() &&
         request.header("forwarded").empty() && request.header("x-real-ip").empty();
}

// The database work of this thread since before, by route (/metrics).
void observe_work_since(app::Metrics& metrics, const std::string& route,
                        const app::DbWork& before) {
  const app::DbWork& after = app::db_work_of_this_thread();
  metrics.observe_db_work(route, {after.statements - before.statements,
                                  after.read_transactions - before.read_transactions});
}

// Routes request into match; what it threw, if it did (a 500).
std::optional<std::runtime_error> match_into(const Router& router, Request& request,
                                             RouteMatch& match) {
  try {
    match = router.match(request);
  } catch (const std::exception& e) {
    return std::runtime_error(e.what());
  }
  return std::nullopt;
}

}  // namespace

App::App(Services services) : services_(services) {
  router_.add("GET", "/healthz", [](Request&) { return text_response(200, "ok\n"); });
  router_.add("GET", "/metrics", [this](Request& request) {
    if (!metrics_allowed(request, services_.options.metrics_token)) {
      return text_response(404, "Not found.\n");
    }
    Response response = text_response(200, services_.metrics.prometheus_text());
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    return response;
  });
  router_.add("GET", "/static/{name}", [](Request& request) { return static_file(request); });
  add_community_routes(router_, services_);
  add_community_pages(router_, services_);
  add_account_routes(router_, services_);
  add_account_lifecycle_pages(router_, services_);
  add_invitation_pages(router_, services_);
  add_org_routes(router_, services_);
  add_campaign_routes(router_, services_);
  add_pledge_routes(router_, services_);
  add_page_routes(router_, services_);
  add_campaign_pages(router_, services_);
  add_export_routes(router_, services_);
  add_loan_routes(router_, services_);
  add_governance_routes(router_, services_);
  add_governance_pages(router_, services_);
  add_budget_routes(router_, services_);
  add_membership_routes(router_, services_);
  add_membership_pages(router_, services_);
  add_call_routes(router_, services_);
  add_call_pages(router_, services_);
  add_cowriting_routes(router_, services_);
  add_course_routes(router_, services_);
  add_cowriting_pages(router_, services_);
  add_course_pages(router_, services_);
  add_federation_routes(router_, services_);
  add_budget_pages(router_, services_);
  add_loan_pages(router_, services_);
  if (services_.options.page_cache && services_.write_generation) {
    page_cache_ = std::make_unique<PageCache>(
        services_.write_generation, [this] { return services_.clock.now(); }, PageCache::Options{});
    // Pages that read the same for every anonymous visitor, and whose GET
    // changes nothing.
    public_ = {"/", "/campaigns", "/campaigns/{id}", "/orgs/{id}", "/events/{id}"};
    // Of these, the pages whose every part that is one reader's own is a
    // hole of web/render.hpp's ReaderHole.
    readers_ = {"/", "/campaigns", "/campaigns/{id}"};
  }
}

namespace {
std::string page_key(const Request& request) {
  return negotiate_language(request) + (large_text_chosen(request) ? "+large " : " ") +
         request.path + '?' + request.query;
}
}  // namespace

bool App::may_keep(const Request& request, const RouteMatch& match) const {
  return page_cache_ && request.method == "GET" && public_.contains(match.pattern) &&
         !request.cookie(kSessionCookie);
}

App::VisitorToken App::visitor_token(const Request& request) {
  if (auto cookie = csrf_cookie(request)) {
    return {csrf_form_token(services_, request, *cookie), std::nullopt};
  }
  const std::string cookie = services_.crypto.random_token();
  return {csrf_form_token(services_, request, cookie), csrf_set_cookie(services_, cookie)};
}

std::optional<std::string> App::token_rendered(const Request& request, const Response& response) {
  auto cookie = csrf_cookie(request);
  if (!cookie) cookie = csrf_set_by(response);  // the cookie the page was given
  if (!cookie) return std::nullopt;
  return csrf_form_token(services_, request, *cookie);
}

std::optional<Response> App::kept_page(const Request& request) {
  const auto page = page_cache_->find(page_key(request));
  if (!page) return std::nullopt;
  services_.metrics.count_page_cache(true);
  // The page holds no part of the visitor's input: only the form token,
  // which the server derives from the visitor's cookie.
  const auto token = visitor_token(request);
  Response response = page->with_token(token.form_token);
  if (token.set_cookie) response.header("Set-Cookie", *token.set_cookie);
  return response;
}

Response App::public_page(Request& request, const Handler& handler) {
  services_.metrics.count_page_cache(false);
  const auto generation = page_cache_->generation();
  Response response = handler(request);
  if (const auto token = token_rendered(request, response)) {
    page_cache_->keep(page_key(request), generation, response, *token);
  }
  return response;
}

bool App::may_keep_for_reader(const Request& request, const RouteMatch& match) const {
  return page_cache_ && request.method == "GET" && readers_.contains(match.pattern) &&
         request.cookie(kSessionCookie);
}

std::optional<app::ReaderParts> App::reader_of(const Request& request,
                                               const app::ReaderQuestion& question, bool may_read) {
  const std::string token(*request.cookie(kSessionCookie));
  if (token.empty() || token.size() > 256) return std::nullopt;
  const std::string key = services_.crypto.sha256_hex(token) + '\n' + question.org_id + '\n' +
                          core::to_string(question.follow_type) + '\n' + question.follow_id;
  if (auto kept = page_cache_->find_reader(key)) return kept;
  if (!may_read) return std::nullopt;
  const auto generation = page_cache_->generation();
  auto reader = services_.accounts.reader(token, question);
  if (reader) page_cache_->keep_reader(key, generation, *reader);
  return reader;
}

Response App::filled_for(const Request& request, const PageCache::Page& page,
                         const app::ReaderParts& reader) {
  const auto token = visitor_token(request);
  Response response =
      page.filled(reader_holes(services_, negotiate_language(request), token.form_token, reader));
  if (token.set_cookie) response.header("Set-Cookie", *token.set_cookie);
  return response;
}

std::optional<Response> App::kept_reader_page(const Request& request) {
  const auto page = page_cache_->find("reader " + page_key(request));
  if (!page) return std::nullopt;
  const auto reader = reader_of(request, page->question(), false);
  if (!reader || !app::reads_as_any_reader(reader->who, reader->role)) return std::nullopt;
  services_.metrics.count_page_cache(true);
  return filled_for(request, *page, *reader);
}

std::optional<Response> App::reader_page(Request& request, const Handler& handler,
                                         std::unique_ptr<app::ReadScope>& snapshot) {
  const std::string key = "reader " + page_key(request);
  auto page = page_cache_->find(key);
  if (!page) {
    if (!snapshot && services_.share_reads) snapshot = services_.share_reads();
    services_.metrics.count_page_cache(false);
    const auto generation = page_cache_->generation();
    ReaderKeeping keeping;
    for (auto& marker : keeping.markers) marker = "zzhole" + services_.crypto.random_token();
    Response rendered;
    {
      RenderingForAnyReader any_reader(keeping);
      rendered = handler(request);
    }
    auto token = token_rendered(request, rendered);
    if (!token) return std::nullopt;
    keeping.markers[static_cast<std::size_t>(ReaderHole::csrf)] = std::move(*token);
    page = page_cache_->keep(key, generation, rendered, keeping.markers, keeping.question);
    if (!page) return std::nullopt;
  } else {
    services_.metrics.count_page_cache(true);
  }
  const auto reader = reader_of(request, page->question(), true);
  if (!reader || !app::reads_as_any_reader(reader->who, reader->role)) return std::nullopt;
  return filled_for(request, *page, *reader);
}

std::optional<Response> App::handle_at_hand(Request& request) {
  const auto started = std::chrono::steady_clock::now();
  std::optional<Response> response;
  const RouteMatch match = router_.match(request);
  if (match.outcome != RouteMatch::Outcome::found) return std::nullopt;
  try {
    if (match.pattern == "/healthz" || match.pattern == "/static/{name}") {
      response = (*match.handler)(request);
    } else if (may_keep(request, match)) {
      response = kept_page(request);
    } else if (may_keep_for_reader(request, match)) {
      response = kept_reader_page(request);
    }
  } catch (const std::exception&) {
    return std::nullopt;  // the handler pool's path answers and logs
  }
  if (response) account(request, match.pattern, *response, started);
  return response;
}

Response App::not_found(const Request& request) {
  if (request.path.starts_with("/api/")) {
    return error_response(core::Error::not_found("No such endpoint."));
  }
  return render_error_page(services_, request, 404);
}

void App::handle(Request& request, const Reply& reply) {
  RouteMatch match;
  if (auto problem = match_into(router_, request, match)) return reply(failed(request, *problem));
  if (match.outcome == RouteMatch::Outcome::found && match.deferred) {
    handle_deferred(request, match, reply);
  } else {
    reply(handle(request, match));
  }
}

bool App::hand_on(Request& request, const Reply& reply) {
  RouteMatch match;
  if (match_into(router_, request, match)) return false;  // the handler pool answers and logs
  if (match.outcome != RouteMatch::Outcome::found || !match.deferred) return false;
  handle_deferred(request, match, reply);
  return true;
}

void App::handle_deferred(Request& request, const RouteMatch& match, const Reply& reply) {
  const auto started = std::chrono::steady_clock::now();
  const app::DbWork work_before = app::db_work_of_this_thread();
  const std::string& route = match.pattern;
  try {
    (*match.deferred)(request, [this, &request, route, started, reply](Response response) {
      account(request, route, response, started);
      reply(std::move(response));
    });
  } catch (const std::exception& e) {
    Response response = failed(request, e);
    account(request, route, response, started);
    reply(std::move(response));
  }
  // What it did on this thread (its write is the writer's).
  observe_work_since(services_.metrics, route, work_before);
}

Response App::failed(const Request& request, const std::exception& e) {
  if (request.path.starts_with("/api/")) return internal_error_response(request.path, e);
  spdlog::error(
      Json{{"event", "handler_failed"}, {"path", request.path}, {"error", e.what()}}.dump());
  return render_error_page(services_, request, 500);
}

Response App::handle(Request& request, const RouteMatch& match) {
  const auto started = std::chrono::steady_clock::now();
  const app::DbWork work_before = app::db_work_of_this_thread();
  Response response;
  std::string route = "unmatched";
  try {
    // A page's reads share one snapshot (a write in between ends it).
    std::unique_ptr<app::ReadScope> one_snapshot;
    const auto share_reads = [&] {
      if (!one_snapshot && (request.method == "GET" || request.method == "HEAD") &&
          services_.share_reads) {
        one_snapshot = services_.share_reads();
      }
    };
    if (match.outcome == RouteMatch::Outcome::found) {
      route = match.pattern;
      std::optional<Response> kept;
      if (may_keep_for_reader(request, match)) {
        kept = reader_page(request, *match.handler, one_snapshot);
      }
      if (kept) {
        response = std::move(*kept);
      } else if (may_keep(request, match)) {
        share_reads();
        response = public_page(request, *match.handler);
      } else {
        share_reads();
        response = (*match.handler)(request);
      }
    } else if (match.outcome == RouteMatch::Outcome::method_not_allowed) {
      route = match.pattern;
      response = request.path.starts_with("/api/")
                     ? error_response(core::Error{core::ErrorKind::validation,
                                                  "method_not_allowed",
                                                  "This method is not allowed here.",
                                                  {}})
                     : text_response(405, "Method not allowed.\n");
      response.status = 405;
      response.header("Allow", match.allowed);
    } else {
      response = not_found(request);
    }
  } catch (const std::exception& e) {
    response = failed(request, e);
  }
  account(request, route, response, started);
  observe_work_since(services_.metrics, route, work_before);
  return response;
}

void App::account(const Request& request, const std::string& route, const Response& response,
                  std::chrono::steady_clock::time_point started) {
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  services_.metrics.observe_request(request.method, route, response.status, seconds);
  if (!spdlog::should_log(spdlog::level::info)) return;
  spdlog::info(Json{{"event", "request"},
                    {"method", request.method},
                    {"route", route},
                    {"status", response.status},
                    {"ms", seconds * 1000},
                    {"client", request.client_address}}
                   .dump(-1, ' ', false, Json::error_handler_t::replace));
}

Response App::limit_response(int status) {
  if (status == 413) {
    return error_response(core::Error{core::ErrorKind::payload_too_large,
                                      "payload_too_large",
                                      "The request body is too large.",
                                      {}});
  }
  if (status == 400) {
    Response response = error_response(core::Error{
        core::ErrorKind::validation, "bad_request", "The request is not valid HTTP/1.1.", {}});
    response.status = 400;
    return response;
  }
  Response response = error_response(core::Error{
      core::ErrorKind::validation, "headers_too_large", "The request headers are too large.", {}});
  response.status = status;
  return response;
}

}  // namespace essor::web
