// Helpers shared by the HTML pages: forms, redirects, errors in the
// reader's language, option lists.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/id.hpp"
#include "core/time.hpp"
#include "web/http.hpp"
#include "web/json_api.hpp"
#include "web/services.hpp"

namespace essor::web {

struct PageContext;

using Form = std::map<std::string, std::string>;
using Json = nlohmann::json;

extern const char* const kRoles[3];

// The body's fields (urlencoded, or multipart/form-data with files as
// their bytes), or no fields when malformed.
Form form_of(const Request& request);
std::string field(const Form& form, const std::string& name);
// Only paths on this site: "/x", never "//host" or "/\host".
std::string safe_next(const std::string& next, const std::string& fallback);
// A long list on a page, shown per_page items at a time: ?page=N (from 1;
// anything else reads as 1). Its use case reads limit() items from
// offset(): one more than shown, to know whether another page follows.
struct ListPage {
  std::int64_t number = 1;
  std::int64_t per_page = 50;
  std::int64_t offset() const { return (number - 1) * per_page; }
  std::int64_t limit() const { return per_page + 1; }
};
ListPage list_page(const std::string& number, std::int64_t per_page);
// The same from the request's query parameter name.
ListPage list_page(const Request& request, std::int64_t per_page, const std::string& name = "page");
// The links between a list's pages (templates/pager.html), or "" when it
// fits on one. href is the list's address ending with "page=" (anchor
// after the number), label names the list for screen readers, pages is
// how many there are when known.
std::string pager_html(const std::string& lang, const std::string& label, const ListPage& page,
                       bool has_next, std::optional<std::int64_t> pages, const std::string& href,
                       const std::string& anchor = "");
// rows as read for page: the extra one taken off (trim_to_page); whether
// another page follows.
template <class Row>
bool trim_to_list_page(std::vector<Row>& rows, const ListPage& page) {
  return trim_to_page(rows, PageRequest{page.per_page, page.offset()}).has_value();
}
// {fields: {name: message}, summary: [{field?, message}]} in lang.
Json errors_json(const std::string& lang, const core::Error& error);
Json options_json(const std::string& lang, const char* prefix, std::span<const char* const> values,
                  const std::string& selected);
// Every legal form as options_json does, `selected` its word.
Json legal_form_options(const std::string& lang, const std::string& selected);
Response with_session_cookie(Response response, Services& services, const std::string& token,
                             long max_age_s);
// 303 to /login?next=<this page>.
Response login_redirect(const Request& request);
// The instant of a date field and a time field ("2027-03-31", "18:00"), on
// the clocks of Europe/Paris.
std::optional<core::TimestampMs> date_time_field(const Form& form, const std::string& date_name,
                                                 const std::string& time_name);
// An action that cannot be undone, asked from a page: until the form
// carries confirmed=yes, the answer is a page (200) that says what will
// happen ("<key>_title", "<key>_text", "<key>_yes" in the catalogs) and
// posts the same fields again with confirmed=yes, or goes back to `back`.
// Nothing changes before. Works without JavaScript. Returns nothing once
// confirmed (the caller then acts); the caller has checked the CSRF token.
std::optional<Response> confirmation_first(Services& services, const PageContext& context,
                                           const Request& request, const Form& form,
                                           const std::string& key, const std::string& back,
                                           const std::string& subject = "");
// What a person needs to make a bank transfer (templates/transfer.html):
// beneficiary, IBAN, BIC, amount, reference and the SEPA QR code; intro_key
// names the sentence above them.
std::string transfer_html(const std::string& lang, const app::TransferInstructions& transfer,
                          const std::string& intro_key);
// The details a donor gives for a tax receipt (templates/receipt_fields.html),
// closed until a name is there: ids prefixed by `prefix` when a page has
// several such forms; `values` the form sent back, `errors` its fields'
// problems (errors_json's "fields"), both null for a blank form.
std::string receipt_fields_html(const std::string& lang, const std::string& prefix,
                                const Json& values, const Json& errors);
// The details read back from a form: nothing without a name.
std::optional<app::DonorDetails> receipt_of(const Form& form);
// Horizontal bars drawn by the server (SVG, no script): a label on its own
// line (its first 40 characters), then a bar proportional to the count and
// the count. An image its caption describes; the page shows the same
// figures in a table.
std::string bar_chart(const std::vector<std::pair<std::string, std::int64_t>>& rows);
// When date_time_field finds nothing, the field to blame: the time field's
// name when the date is a date, else `date_problem` (the instant's field).
std::string date_time_blame(const Form& form, const std::string& date_name,
                            const std::string& time_name, const std::string& date_problem);
// The notice a page shows after an action: the catalog's
// "<prefix><done>" for the query's ?done=, when there is such a key (""
// otherwise, so that a crafted link shows nothing).
std::string notice_of(const Request& request, const std::string& lang,
                      const std::string& prefix = "notice_");
// The non-blank lines of a text area, trimmed.
std::vector<std::string> lines_of(const std::string& text);

// Lists shown on other pages (pages_campaigns.cpp).
Json live_campaigns_json(Services& services, const std::string& lang, std::int64_t limit);
// The person's pledges, newest first, page of them: {items, more}.
Json my_pledges_json(Services& services, const std::string& lang, const app::Principal& who,
                     const ListPage& page);
Json org_campaigns_json(Services& services, const std::string& lang,
                        const std::optional<app::Principal>& who, const core::OrgId& org_id);

// Loans on a campaign's page (pages_loans.cpp): the terms, and the
// schedule of a succeeded loan (null when there is none).
Json loan_terms_json(Services& services, const std::string& lang, const core::LoanTerms& terms);
Json loan_schedule_json(Services& services, const std::string& lang,
                        const std::optional<app::Principal>& who,
                        const app::CampaignRecord& campaign);

// Governance on an organisation's page (pages_governance.cpp): its
// proposals (proposals_page of them, newest first) and the member's
// proxies, named from members (all of them: Orgs::roster).
Json org_governance_json(Services& services, const std::string& lang, const app::Principal& who,
                         const core::OrgId& org_id, std::span<const app::MemberRecord> members,
                         const ListPage& proposals_page);

// Community on a campaign's and an organisation's page
// (pages_community.cpp): news with their comments, the campaign's comment
// threads, whether the reader follows; an organisation's upcoming events.
// The campaign's comment threads are shown threads.per_page at a time.
inline constexpr std::int64_t kThreadsPerPage = 50;
Json campaign_community_json(Services& services, const std::string& lang,
                             const std::optional<app::Principal>& who,
                             const app::CampaignRecord& campaign, bool is_admin,
                             const ListPage& threads);
// The organisation's page, with extra (errors, the values of a failed
// form, the tab) merged into its data.
Response render_org_page(Services& services, const PageContext& context, const core::OrgId& org_id,
                         Json extra, int status);
// The membership plans and the join form of the organisation's page.
// join: the plan and values of a failed join, if any.
Json org_dues_json(Services& services, const PageContext& context, const app::OrgRecord& org,
                   std::optional<core::Role> role, const Json& join);
Json org_community_json(Services& services, const std::string& lang,
                        const std::optional<app::Principal>& who, const core::OrgId& org_id);

}  // namespace essor::web
