// What federation (ActivityPub) needs from the outside world: the store's
// part (ReadTx::federation() reads, Tx::federation() writes), RSA keys and
// signatures, and an HTTP client that fetches remote actors and delivers
// activities. Actors are public organisations; nothing else is federated.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/id.hpp"
#include "core/money.hpp"
#include "core/time.hpp"

namespace essor::app {

// An organisation as an actor: its handle, and its keys once made.
struct ActorRecord {
  core::OrgId org_id;
  std::string handle;
  std::string public_pem, private_pem;  // empty until the first need
};

struct FollowerRecord {
  core::OrgId org_id;
  std::string actor_id;
  std::string inbox;
  std::optional<std::string> shared_inbox;
  core::TimestampMs followed_at = 0;
};

// A remote actor's key as fetched (and kept a day).
struct RemoteKey {
  std::string key_id;
  std::string actor_id;
  std::string public_pem;
  std::string inbox;
  std::optional<std::string> shared_inbox;
  core::TimestampMs fetched_at = 0;
};

struct DeliveryRecord {
  std::string id;
  core::OrgId org_id;  // who signs
  std::string inbox;
  std::string activity;  // JSON
  std::int64_t attempts = 0;
  core::TimestampMs next_at = 0;
  core::TimestampMs created_at = 0;
};

// What a public item is: an event, a campaign's launch, a campaign's news.
// The word is the store's (ap_published.kind) and the activity's id's.
enum class PublicKind { event, launch, news };
std::string to_string(PublicKind kind);
std::optional<PublicKind> parse_public_kind(std::string_view text);

// Something public to announce: an event, a campaign's launch, its news.
struct PublicItem {
  PublicKind kind = PublicKind::event;
  std::string id;
  core::OrgId org_id;
  std::string title, text_md;
  core::CampaignId campaign_id;                  // launch, news
  core::TimestampMs at = 0;                      // when it happened (published, posted, created)
  core::TimestampMs starts_at = 0, ends_at = 0;  // events
  std::optional<std::string> location;           // events (never the meeting link)
  core::Cents goal_cents = 0;                    // launches
  std::int64_t sequence = 0;                     // events: raised by each change
  bool cancelled = false;                        // events
};

struct PublishedRecord {
  PublicKind kind = PublicKind::event;
  std::string subject_id;
  core::OrgId org_id;
  std::string activity;  // JSON: the latest announced about it
  core::TimestampMs published_at = 0;
  std::int64_t sequence = 0;  // an event's, as last announced
};

class FederationReads {
 public:
  virtual ~FederationReads() = default;
  virtual std::optional<ActorRecord> actor(const core::OrgId& org_id) = 0;
  virtual std::optional<ActorRecord> actor_by_handle(const std::string& handle) = 0;
  virtual std::vector<FollowerRecord> followers(const core::OrgId& org_id) = 0;
  virtual std::int64_t followers_count(const core::OrgId& org_id) = 0;
  virtual std::optional<RemoteKey> remote_key(const std::string& key_id) = 0;
  // Newest first.
  virtual std::vector<PublishedRecord> outbox(const core::OrgId& org_id, std::int64_t limit) = 0;
  virtual std::int64_t outbox_count(const core::OrgId& org_id) = 0;
  // Public items not announced yet, oldest first; since: only those after.
  virtual std::vector<PublicItem> unpublished(core::TimestampMs since, std::int64_t limit) = 0;
  // Events announced that changed or were cancelled since (their sequence
  // moved on), as they are now.
  virtual std::vector<PublicItem> changed_events(std::int64_t limit) = 0;
  // Organisations without a handle yet, with their names.
  virtual std::vector<std::pair<core::OrgId, std::string>> orgs_without_handle(
      std::int64_t limit) = 0;
  virtual std::vector<DeliveryRecord> due_deliveries(core::TimestampMs now, std::int64_t limit) = 0;
};

class FederationWrites : public FederationReads {
 public:
  // False when the handle is taken (nothing written).
  [[nodiscard]] virtual bool insert_actor(const core::OrgId& org_id, const std::string& handle) = 0;
  // The keys, unless another transaction set them first (then false).
  [[nodiscard]] virtual bool set_keys(const core::OrgId& org_id, const std::string& public_pem,
                                      const std::string& private_pem) = 0;
  virtual void put_follower(const FollowerRecord& follower) = 0;
  virtual void remove_follower(const core::OrgId& org_id, const std::string& actor_id) = 0;
  virtual void put_remote_key(const RemoteKey& key) = 0;
  // False when this signature was already seen (a replay).
  [[nodiscard]] virtual bool remember_signature(const std::string& hash, core::TimestampMs now) = 0;
  virtual void forget_signatures_before(core::TimestampMs before) = 0;
  // False when this item was already announced.
  [[nodiscard]] virtual bool insert_published(const PublishedRecord& published) = 0;
  // An item announced again (its activity and sequence replace the last):
  // false when it was already announced at this sequence or a later one.
  [[nodiscard]] virtual bool republish(const PublishedRecord& published) = 0;
  virtual void insert_delivery(const DeliveryRecord& delivery) = 0;
  // Takes a due delivery for this instance until `until` (false when
  // another instance took it first).
  [[nodiscard]] virtual bool claim_delivery(const std::string& id, core::TimestampMs due_at,
                                            core::TimestampMs until) = 0;
  virtual void delivered(const std::string& id, core::TimestampMs now) = 0;
  virtual void delivery_failed(const std::string& id, core::TimestampMs next_at,
                               const std::string& error) = 0;
  virtual void delivery_given_up(const std::string& id, core::TimestampMs now,
                                 const std::string& error) = 0;
};

// RSA keys and rsa-sha256 signatures (adapters/openssl_signatures.cpp).
class SignatureCrypto {
 public:
  virtual ~SignatureCrypto() = default;
  struct KeyPair {
    std::string public_pem, private_pem;
  };
  virtual KeyPair generate_rsa() const = 0;
  // Base64 of the RSASSA-PKCS1-v1_5 SHA-256 signature of data.
  virtual std::string sign(const std::string& private_pem, const std::string& data) const = 0;
  virtual bool verify(const std::string& public_pem, const std::string& data,
                      const std::string& signature_base64) const = 0;
  // Base64 of SHA-256(data), for the Digest header.
  virtual std::string sha256_base64(const std::string& data) const = 0;
};

// HTTP to other servers (adapters/federation_http.cpp): bounded in time and
// size, no redirect followed, loopback and private addresses refused unless
// allowed (tests).
class FederationClient {
 public:
  virtual ~FederationClient() = default;
  struct Response {
    int status = 0;
    std::string body;
  };
  virtual core::Result<Response> get(const std::string& url,
                                     const std::map<std::string, std::string>& headers) const = 0;
  virtual core::Result<Response> post(const std::string& url,
                                      const std::map<std::string, std::string>& headers,
                                      const std::string& body) const = 0;
};

// An organisation's addresses as an actor (derived from ESSOR_PUBLIC_URL).
struct ActorUrls {
  std::string id, inbox, outbox, followers, shared_inbox, key_id, page;
};

// What an inbox POST says, read from its JSON.
struct InboundActivity {
  std::string id, type, actor;
  std::string object_id;      // the object's id (a string, or an object's "id")
  std::string object_type;    // an embedded object's type ("" for a bare id)
  std::string object_actor;   // an embedded object's actor (Undo of a Follow)
  std::string object_object;  // an embedded Follow's object (the followed actor)
};

// A remote actor's document, as far as federation needs it.
struct RemoteActor {
  std::string id, inbox;
  std::optional<std::string> shared_inbox;
  std::string key_id, key_owner, public_pem;
};

// ActivityStreams JSON, read and written (adapters/activitypub_json.cpp).
class ActivityCodec {
 public:
  virtual ~ActivityCodec() = default;
  // Nothing when the body is not a JSON object with a type and an actor.
  virtual std::optional<InboundActivity> parse_inbound(const std::string& body) const = 0;
  // The actor (or key) document fetched for key_id: its key must be
  // key_id's; nothing otherwise.
  virtual std::optional<RemoteActor> parse_actor(const std::string& body,
                                                 const std::string& key_id) const = 0;
  // The Accept of a Follow (as received), from `actor`.
  virtual std::string accept(const ActorUrls& actor, const std::string& accept_id,
                             const std::string& follow_body) const = 0;
  // Create{Event|Article|Note} of a public item, addressed to the public and
  // the followers. public_url links the item's page.
  virtual std::string create(const ActorUrls& actor, const PublicItem& item,
                             const std::string& public_url) const = 0;
  // Update{Event} of an event changed or cancelled (ical:status CANCELLED)
  // at `at`, as Mobilizon announces them.
  virtual std::string update(const ActorUrls& actor, const PublicItem& item,
                             const std::string& public_url, core::TimestampMs at) const = 0;
};

}  // namespace essor::app
