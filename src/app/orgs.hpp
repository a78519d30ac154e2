// Organisations and their memberships. Safe to use from many threads;
// every call blocks on the database.
#pragma once

#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

// One field of a patch: absent, set to a value, or cleared (null).
struct PatchField {
  bool present = false;
  std::optional<std::string> value;
};

struct OrgPatch {
  PatchField name, legal_form, description, siren, region, department, iban, bic;
  std::optional<bool> voting_requires_dues;
};

struct MemberPage {
  std::vector<MemberRecord> items;
  std::optional<std::int64_t> next_offset;
};

class Orgs {
 public:
  Orgs(Store& store, Crypto& crypto, Clock& clock);

  // The creator becomes its first admin. name and legal_form are required.
  core::Result<OrgRecord> create(const Principal& who, const OrgPatch& input);
  // Admins change anything; treasurers only iban and bic.
  core::Result<OrgRecord> update(const Principal& who, const core::OrgId& org_id,
                                 const OrgPatch& patch);
  core::Result<OrgRecord> get(const core::OrgId& org_id);
  // In the order they joined, limit of them from offset.
  core::Result<MemberPage> members(const core::OrgId& org_id, std::int64_t limit,
                                   std::int64_t offset);
  std::int64_t member_count(const core::OrgId& org_id);
  // Every member, in the order they joined, however many: for the pages
  // that name or offer any of them (proxies, co-authors). Empty for an
  // organisation that does not exist.
  std::vector<MemberRecord> roster(const core::OrgId& org_id);
  // Adds at once, without asking (the demo's seed data; people are invited
  // through app/invitations.hpp). 404 when no account has this address;
  // 409 already_member.
  core::Result<MemberRecord> add_member(const Principal& who, const core::OrgId& org_id,
                                        const std::string& email, const std::string& role);
  // Admins remove anyone, and every member may remove themselves (leave).
  // 409 last_admin: an organisation always keeps an admin.
  core::Status remove_member(const Principal& who, const core::OrgId& org_id,
                             const core::UserId& user_id);
  std::optional<core::Role> role_of(const core::UserId& user_id, const core::OrgId& org_id);
  // The person's organisations with their role in each: one read.
  std::vector<OrgOfUser> orgs_of(const core::UserId& user_id);
  std::vector<OrgRecord> latest(std::int64_t limit);

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
};

}  // namespace essor::app
