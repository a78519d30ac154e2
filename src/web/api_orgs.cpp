// JSON API, spec "Organisations".
#include "web/json_api.hpp"
#include "web/route_kinds.hpp"
#include "web/routes.hpp"

namespace essor::web {

namespace {

// Reads the organisation fields a body may carry.
core::Result<app::OrgPatch> org_patch(const Json& body) {
  std::map<std::string, std::string> problems;
  app::OrgPatch patch;
  auto read = [&](const char* name, app::PatchField& target) {
    const auto field = string_field(body, name, problems);
    target.present = field.present;
    target.value = field.value;
  };
  read("name", patch.name);
  read("legal_form", patch.legal_form);
  read("description", patch.description);
  read("siren", patch.siren);
  read("region", patch.region);
  read("department", patch.department);
  read("iban", patch.iban);
  read("bic", patch.bic);
  if (const auto it = body.find("voting_requires_dues"); it != body.end()) {
    if (it->is_boolean())
      patch.voting_requires_dues = it->get<bool>();
    else
      problems["voting_requires_dues"] = "must be true or false";
  }
  if (!problems.empty()) return core::Error::validation(problems);
  return patch;
}

}  // namespace

void add_org_routes(Router& router, Services& services) {
  add_api(router, services, "POST", "/api/v1/orgs",
          [&services](Request& request, const app::Principal& principal) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            auto patch = org_patch(*body);
            if (!patch) return error_response(patch.error());
            // iban and bic are set afterwards by PATCH, where the treasurer may too.
            patch->iban = {};
            patch->bic = {};
            auto org = services.orgs.create(principal, *patch);
            if (!org) return error_response(org.error());
            return json_response(201, Json{{"org", org_json(*org)}});
          });

  add_api(router, services, "PATCH", "/api/v1/orgs/{id}",
          [&services](Request& request, const app::Principal& principal) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            auto patch = org_patch(*body);
            if (!patch) return error_response(patch.error());
            // Tax receipts' settings: read and checked before anything changes.
            std::optional<app::ReceiptSettingsInput> receipts;
            if (const auto it = body->find("tax_receipts"); it != body->end()) {
              std::map<std::string, std::string> problems;
              if (!it->is_object()) {
                problems["tax_receipts"] =
                    "must be {enabled, legal_basis, object, address, signatory}";
              } else {
                app::ReceiptSettingsInput input;
                if (const auto e = it->find("enabled"); e != it->end() && e->is_boolean())
                  input.enabled = e->get<bool>();
                else
                  problems["tax_receipts.enabled"] = "required, true or false";
                std::map<std::string, std::string> inner;
                input.legal_basis = string_field(*it, "legal_basis", inner).value.value_or("");
                input.object = string_field(*it, "object", inner).value.value_or("");
                input.address = string_field(*it, "address", inner).value.value_or("");
                input.signatory = string_field(*it, "signatory", inner).value.value_or("");
                for (auto& [name, problem] : app::check_receipt_settings(input))
                  inner.emplace(name, problem);
                for (auto& [name, problem] : inner) problems["tax_receipts." + name] = problem;
                receipts = input;
              }
              if (!problems.empty()) {
                // Only an admin learns what is wrong with the settings.
                auto allowed =
                    services.orgs.update(principal, request.id<core::OrgId>(), app::OrgPatch{});
                if (!allowed) return error_response(allowed.error());
                return error_response(core::Error::validation(problems));
              }
            }
            auto org = services.orgs.update(principal, request.id<core::OrgId>(), *patch);
            if (!org) return error_response(org.error());
            Json answer = org_json(*org);
            if (receipts) {
              auto settings = services.receipts.configure(principal, org->id, *receipts);
              if (!settings) return error_response(settings.error());
            }
            if (auto settings = services.receipts.settings(org->id))
              answer["tax_receipts"] = tax_receipts_json(*settings);
            return json_response(200, Json{{"org", answer}});
          });

  router.add("GET", "/api/v1/orgs/{id}", [&services](Request& request) {
    auto org = services.orgs.get(request.id<core::OrgId>());
    if (!org) return error_response(org.error());
    Json answer = org_json(*org);
    if (auto settings = services.receipts.settings(org->id))
      answer["tax_receipts"] = tax_receipts_json(*settings);
    return json_response(200, Json{{"org", answer}});
  });

  router.add("GET", "/api/v1/orgs/{id}/members", [&services](Request& request) {
    auto page = page_request(request);
    if (!page) return error_response(page.error());
    auto members = services.orgs.members(request.id<core::OrgId>(), page->limit, page->offset);
    if (!members) return error_response(members.error());
    Json items = Json::array();
    for (const auto& member : members->items) items.push_back(member_json(member));
    return json_response(200, list_body(items, members->next_offset));
  });

  add_api(router, services, "POST", "/api/v1/orgs/{id}/members",
          [&services](Request& request, const app::Principal& principal) {
            auto body = parse_json_object(request);
            if (!body) return error_response(body.error());
            std::map<std::string, std::string> problems;
            const auto email = string_field(*body, "email", problems);
            const auto role = string_field(*body, "role", problems);
            if (!problems.empty()) return error_response(core::Error::validation(problems));
            // An invitation, never a membership: the person says yes or no
            // (spec "Invitations (consent)"); the answer is the same whether or not
            // the address has an account.
            auto invitation = services.invitations.invite_to_org(
                principal, request.id<core::OrgId>(), email.value.value_or(""),
                role.value.value_or("member"));
            if (!invitation) return error_response(invitation.error());
            return json_response(202, Json{{"invitation", invitation_json(*invitation)}});
          });

  add_api(router, services, "POST", "/api/v1/invitations/{token}/accept",
          [&services](Request& request, const app::Principal& principal) {
            auto invitation = services.invitations.accept(principal, request.params["token"]);
            if (!invitation) return error_response(invitation.error());
            return json_response(200, Json{{"invitation", invitation_json(*invitation)}});
          });

  router.add("POST", "/api/v1/invitations/{token}/decline", [&services](Request& request) {
    auto status = services.invitations.decline(request.params["token"]);
    if (!status) return error_response(status.error());
    return no_content();
  });

  add_api(router, services, "DELETE", "/api/v1/orgs/{id}/members/{user_id}",
          [&services](Request& request, const app::Principal& principal) {
            auto status = services.orgs.remove_member(principal, request.id<core::OrgId>(),
                                                      request.id<core::UserId>("user_id"));
            if (!status) return error_response(status.error());
            return no_content();
          });
}

}  // namespace essor::web
