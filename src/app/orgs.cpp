#include "app/orgs.hpp"

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;

namespace {

// Validates and applies the fields present in patch to org; collects problems.
void apply_patch(const OrgPatch& patch, OrgRecord& org,
                 std::map<std::string, std::string>& problems) {
  auto optional_text = [&](const PatchField& field, const char* name, std::size_t max,
                           std::optional<std::string>& target) {
    if (!field.present) return;
    if (!field.value || core::trim(*field.value).empty()) {
      target.reset();
      return;
    }
    if (auto p = core::check_text(*field.value, max)) {
      problems[name] = *p;
      return;
    }
    target = core::trim(*field.value);
  };
  if (patch.name.present) {
    const std::string name = patch.name.value ? core::trim(*patch.name.value) : "";
    if (auto p = core::check_name(name, 200))
      problems["name"] = *p;
    else
      org.name = name;
  }
  if (patch.voting_requires_dues) org.voting_requires_dues = *patch.voting_requires_dues;
  if (patch.legal_form.present) {
    const auto form =
        patch.legal_form.value ? core::parse_legal_form(*patch.legal_form.value) : std::nullopt;
    if (!form) {
      std::string forms;
      for (const auto each : core::kLegalForms)
        forms += (forms.empty() ? "" : ", ") + core::to_string(each);
      problems["legal_form"] = "must be one of " + forms;
    } else {
      org.legal_form = *form;
    }
  }
  if (patch.description.present) {
    const std::string text = patch.description.value.value_or("");
    if (auto p = core::check_text(text, 10000, false))
      problems["description"] = *p;
    else
      org.description = core::trim(text);
  }
  optional_text(patch.region, "region", 100, org.region);
  optional_text(patch.department, "department", 100, org.department);
  if (patch.siren.present) {
    std::string siren;
    for (char c : patch.siren.value.value_or("")) {
      if (c != ' ') siren.push_back(c);
    }
    if (siren.empty())
      org.siren.reset();
    else if (!core::is_valid_siren(siren))
      problems["siren"] = "must be 9 digits with a valid checksum";
    else
      org.siren = siren;
  }
  if (patch.iban.present) {
    const std::string text = core::trim(patch.iban.value.value_or(""));
    if (text.empty())
      org.iban.reset();
    else if (auto iban = core::normalize_iban(text))
      org.iban = *iban;
    else
      problems["iban"] = "not a valid IBAN (check the digits)";
  }
  if (patch.bic.present) {
    const std::string text = core::trim(patch.bic.value.value_or(""));
    if (text.empty())
      org.bic.reset();
    else if (auto bic = core::normalize_bic(text))
      org.bic = *bic;
    else
      problems["bic"] = "not a valid BIC (8 or 11 characters)";
  }
}

bool touches_profile(const OrgPatch& patch) {
  return patch.name.present || patch.legal_form.present || patch.description.present ||
         patch.siren.present || patch.region.present || patch.department.present ||
         patch.voting_requires_dues.has_value();
}

}  // namespace

Orgs::Orgs(Store& store, Crypto& crypto, Clock& clock)
    : store_(store), crypto_(crypto), clock_(clock) {}

Result<OrgRecord> Orgs::create(const Principal& who, const OrgPatch& input) {
  OrgRecord org;
  std::map<std::string, std::string> problems;
  if (!input.name.present) problems["name"] = "required";
  if (!input.legal_form.present) problems["legal_form"] = "required";
  apply_patch(input, org, problems);
  if (!problems.empty()) return Error::validation(std::move(problems));
  org.id = core::OrgId{crypto_.random_id()};
  org.created_by = who.user_id;
  org.created_at = clock_.now();
  return write_result<OrgRecord>(store_, [&](Tx& tx) -> Result<OrgRecord> {
    tx.orgs().insert_org(org);
    (void)tx.orgs().insert_member(org.id, who.user_id, core::Role::admin, org.created_at);  // new
    return org;
  });
}

Result<OrgRecord> Orgs::update(const Principal& who, const core::OrgId& org_id,
                               const OrgPatch& patch) {
  return write_result<OrgRecord>(store_, [&](Tx& tx) -> Result<OrgRecord> {
    auto org = tx.orgs().org_by_id(org_id);
    if (!org) return Error::not_found("No organisation with this id.");
    const auto role = tx.orgs().member_role(org_id, who.user_id);
    const bool bank = patch.iban.present || patch.bic.present;
    // An empty patch is judged as a profile edit: only admins get a 200.
    const bool profile = touches_profile(patch) || !bank;
    if ((profile && !org_allows(who, role, OrgAction::edit_profile)) ||
        (bank && !org_allows(who, role, OrgAction::edit_bank_details))) {
      return Error::forbidden();
    }
    std::map<std::string, std::string> problems;
    apply_patch(patch, *org, problems);
    if (!problems.empty()) return Error::validation(std::move(problems));
    tx.orgs().update_org(*org);
    return *org;
  });
}

Result<OrgRecord> Orgs::get(const core::OrgId& org_id) {
  auto org = read_value<std::optional<OrgRecord>>(
      store_, [&](ReadTx& tx) { return tx.orgs().org_by_id(org_id); });
  if (!org) return Error::not_found("No organisation with this id.");
  return *org;
}

Result<MemberPage> Orgs::members(const core::OrgId& org_id, std::int64_t limit,
                                 std::int64_t offset) {
  return read_value<Result<MemberPage>>(store_, [&](ReadTx& tx) -> Result<MemberPage> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    MemberPage page;
    page.items = tx.orgs().members(org_id, limit + 1, offset);
    if (static_cast<std::int64_t>(page.items.size()) > limit) {
      page.items.pop_back();
      page.next_offset = offset + limit;
    }
    return page;
  });
}

std::int64_t Orgs::member_count(const core::OrgId& org_id) {
  return read_value<std::int64_t>(store_,
                                  [&](ReadTx& tx) { return tx.orgs().count_members(org_id); });
}

std::vector<MemberRecord> Orgs::roster(const core::OrgId& org_id) {
  return read_value<std::vector<MemberRecord>>(
      store_, [&](ReadTx& tx) { return tx.orgs().members_with_roles(org_id, {}); });
}

Result<MemberRecord> Orgs::add_member(const Principal& who, const core::OrgId& org_id,
                                      const std::string& email, const std::string& role) {
  std::map<std::string, std::string> problems;
  const std::string email_norm = core::ascii_lower(core::trim(email));
  if (auto p = core::check_email(email_norm)) problems["email"] = *p;
  const auto parsed_role = core::parse_role(role);
  if (!parsed_role) problems["role"] = "must be one of member, treasurer, admin";
  return write_result<MemberRecord>(store_, [&](Tx& tx) -> Result<MemberRecord> {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    if (!org_allows(who, tx.orgs().member_role(org_id, who.user_id), OrgAction::manage_members)) {
      return Error::forbidden();
    }
    if (!problems.empty()) return Error::validation(problems);
    auto user = tx.accounts().user_by_email(email_norm);
    if (!user) {
      return Error::validation(
          {{"email", "no account uses this address; ask the person to sign up first"}});
    }
    const TimestampMs now = clock_.now();
    if (!tx.orgs().insert_member(org_id, user->id, *parsed_role, now)) {
      return Error::conflict("already_member", "This person is already a member.");
    }
    return MemberRecord{user->id, user->display_name, *parsed_role, now};
  });
}

core::Status Orgs::remove_member(const Principal& who, const core::OrgId& org_id,
                                 const core::UserId& user_id) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> core::Status {
    if (!tx.orgs().org_by_id(org_id)) return Error::not_found("No organisation with this id.");
    // Anyone may leave; only admins remove others.
    if (user_id != who.user_id &&
        !org_allows(who, tx.orgs().member_role(org_id, who.user_id), OrgAction::manage_members)) {
      return Error::forbidden();
    }
    const auto role = tx.orgs().member_role(org_id, user_id);
    if (!role) return Error::not_found("This person is not a member.");
    if (*role == core::Role::admin &&
        tx.orgs().count_members_with_role(org_id, core::Role::admin) <= 1) {
      return Error::conflict("last_admin", "An organisation keeps at least one admin.");
    }
    (void)tx.orgs().delete_member(org_id, user_id);  // removed meanwhile is as good
    return core::Unit{};
  });
}

std::optional<core::Role> Orgs::role_of(const core::UserId& user_id, const core::OrgId& org_id) {
  return read_value<std::optional<core::Role>>(
      store_, [&](ReadTx& tx) { return tx.orgs().member_role(org_id, user_id); });
}

std::vector<OrgOfUser> Orgs::orgs_of(const core::UserId& user_id) {
  return read_value<std::vector<OrgOfUser>>(
      store_, [&](ReadTx& tx) { return tx.orgs().orgs_of_user(user_id); });
}

std::vector<OrgRecord> Orgs::latest(std::int64_t limit) {
  return read_value<std::vector<OrgRecord>>(
      store_, [&](ReadTx& tx) { return tx.orgs().list_orgs(limit, 0); });
}

}  // namespace essor::app
