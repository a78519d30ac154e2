// Installs every route of the program, and the dispatcher that the server
// calls: routing, errors, metrics, logs.
#pragma once

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <set>

#include "web/page_cache.hpp"
#include "web/router.hpp"
#include "web/server.hpp"
#include "web/services.hpp"

namespace essor::web {

void add_account_routes(Router& router, Services& services);
void add_account_lifecycle_pages(Router& router, Services& services);
void add_invitation_pages(Router& router, Services& services);
void add_org_routes(Router& router, Services& services);
void add_page_routes(Router& router, Services& services);
void add_campaign_routes(Router& router, Services& services);
void add_pledge_routes(Router& router, Services& services);
void add_campaign_pages(Router& router, Services& services);
void add_export_routes(Router& router, Services& services);
void add_loan_routes(Router& router, Services& services);
void add_governance_routes(Router& router, Services& services);
void add_governance_pages(Router& router, Services& services);
void add_budget_routes(Router& router, Services& services);
void add_membership_routes(Router& router, Services& services);
void add_call_routes(Router& router, Services& services);
void add_call_pages(Router& router, Services& services);
void add_cowriting_routes(Router& router, Services& services);
void add_course_routes(Router& router, Services& services);
void add_cowriting_pages(Router& router, Services& services);
void add_course_pages(Router& router, Services& services);
void add_federation_routes(Router& router, Services& services);
void add_membership_pages(Router& router, Services& services);
void add_budget_pages(Router& router, Services& services);
void add_loan_pages(Router& router, Services& services);
void add_community_routes(Router& router, Services& services);
void add_community_pages(Router& router, Services& services);

// The full application: every route plus /healthz, /metrics and /static.
class App {
 public:
  explicit App(Services services);
  // Never throws: failures become 500 responses (logged). Replies once,
  // on this thread, or later from another (a deferred route's).
  void handle(Request& request, const Reply& reply);
  // On the io thread: a deferred route (router.hpp) is run there, its
  // reply coming later; false for any other route (handle() runs it on the
  // handler pool).
  bool hand_on(Request& request, const Reply& reply);
  // On the io thread, before handle(): the answers that need no database
  // and no wait (health, static files, kept pages), or nothing.
  std::optional<Response> handle_at_hand(Request& request);
  // For limits hit while reading a request (413, 431).
  Response limit_response(int status);

 private:
  Response not_found(const Request& request);
  // A route's answer, made on this thread.
  Response handle(Request& request, const RouteMatch& match);
  // A deferred route's (router.hpp): metrics and log when it replies.
  void handle_deferred(Request& request, const RouteMatch& match, const Reply& reply);
  // The 500 of a handler that threw (logged).
  Response failed(const Request& request, const std::exception& e);
  // The form token a kept page is given for this visitor, and the
  // Set-Cookie of a new CSRF cookie when they have none.
  struct VisitorToken {
    std::string form_token;
    std::optional<std::string> set_cookie;
  };
  VisitorToken visitor_token(const Request& request);
  // The form token response was rendered with: the visitor's cookie's, or
  // the new cookie's the page gave them.
  std::optional<std::string> token_rendered(const Request& request, const Response& response);
  // Whether this request may be answered with a kept page.
  bool may_keep(const Request& request, const RouteMatch& match) const;
  // The kept page for this visitor, if fresh.
  std::optional<Response> kept_page(const Request& request);
  // A public page for an anonymous visitor, rendered and kept (kept pages
  // are served by handle_at_hand, before the request reaches handle).
  Response public_page(Request& request, const Handler& handler);
  // Whether this request is a signed-in reader's of a page kept for any
  // signed-in reader.
  bool may_keep_for_reader(const Request& request, const RouteMatch& match) const;
  // That page with this reader's own parts put in (one statement), after
  // rendering and keeping it if it was not kept; nothing when the reader
  // must have the page rendered for them (app::reads_as_any_reader), or it
  // cannot be kept. snapshot: the request's shared reads, opened here when
  // the page is rendered.
  std::optional<Response> reader_page(Request& request, const Handler& handler,
                                      std::unique_ptr<app::ReadScope>& snapshot);
  // On the io thread: that page, when both it and the reader's parts are
  // kept (no database), or nothing.
  std::optional<Response> kept_reader_page(const Request& request);
  // The reader's parts for question, kept (PageCache::find_reader) or, when
  // may_read, read in one statement and kept; nothing for an unknown or
  // expired session (or when not kept and !may_read).
  std::optional<app::ReaderParts> reader_of(const Request& request,
                                            const app::ReaderQuestion& question, bool may_read);
  // page with the reader's parts put in its holes.
  Response filled_for(const Request& request, const PageCache::Page& page,
                      const app::ReaderParts& reader);
  // Metrics and the request's log line.
  void account(const Request& request, const std::string& route, const Response& response,
               std::chrono::steady_clock::time_point started);
  Services services_;
  Router router_;
  std::unique_ptr<PageCache> page_cache_;       // null when off
  std::set<std::string, std::less<>> public_;   // route patterns that may be kept
  std::set<std::string, std::less<>> readers_;  // ... for any signed-in reader too
};

}  // namespace essor::web
