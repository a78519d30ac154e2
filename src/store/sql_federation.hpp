// app::FederationWrites (actors, followers, remote keys, seen signatures,
// the outbox and deliveries) over the transaction's session, through
// statements kept prepared (store/native.hpp). Internal to store/.
#pragma once

#include "app/federation_port.hpp"
#include "core/id.hpp"
#include "store/database.hpp"

namespace soci {
class session;
}

namespace essor::store {

class SqlFederation final : public app::FederationWrites {
 public:
  SqlFederation(soci::session& sql, Backend backend, bool writable)
      : sql_(sql), backend_(backend), writable_(writable) {}

  std::optional<app::ActorRecord> actor(const core::OrgId& org_id) override;
  std::optional<app::ActorRecord> actor_by_handle(const std::string& handle) override;
  std::vector<app::FollowerRecord> followers(const core::OrgId& org_id) override;
  std::int64_t followers_count(const core::OrgId& org_id) override;
  std::optional<app::RemoteKey> remote_key(const std::string& key_id) override;
  std::vector<app::PublishedRecord> outbox(const core::OrgId& org_id, std::int64_t limit) override;
  std::int64_t outbox_count(const core::OrgId& org_id) override;
  std::vector<app::PublicItem> unpublished(core::TimestampMs since, std::int64_t limit) override;
  std::vector<app::PublicItem> changed_events(std::int64_t limit) override;
  std::vector<std::pair<core::OrgId, std::string>> orgs_without_handle(std::int64_t limit) override;
  std::vector<app::DeliveryRecord> due_deliveries(core::TimestampMs now,
                                                  std::int64_t limit) override;

  bool insert_actor(const core::OrgId& org_id, const std::string& handle) override;
  bool set_keys(const core::OrgId& org_id, const std::string& public_pem,
                const std::string& private_pem) override;
  void put_follower(const app::FollowerRecord& follower) override;
  void remove_follower(const core::OrgId& org_id, const std::string& actor_id) override;
  void put_remote_key(const app::RemoteKey& key) override;
  bool remember_signature(const std::string& hash, core::TimestampMs now) override;
  void forget_signatures_before(core::TimestampMs before) override;
  bool insert_published(const app::PublishedRecord& published) override;
  bool republish(const app::PublishedRecord& published) override;
  void insert_delivery(const app::DeliveryRecord& delivery) override;
  bool claim_delivery(const std::string& id, core::TimestampMs due_at,
                      core::TimestampMs until) override;
  void delivered(const std::string& id, core::TimestampMs now) override;
  void delivery_failed(const std::string& id, core::TimestampMs next_at,
                       const std::string& error) override;
  void delivery_given_up(const std::string& id, core::TimestampMs now,
                         const std::string& error) override;

 private:
  void require_writable() const;
  soci::session& sql_;
  Backend backend_;
  bool writable_;
};

}  // namespace essor::store
