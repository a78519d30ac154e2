// Federation (spec "Federation (ActivityPub)"): public organisations are
// Group actors found by WebFinger; their inboxes take Follow and Undo of a
// Follow, each POST signed (draft-cavage rsa-sha256 over (request-target),
// host, date and digest) by a key its actor publishes, fetched and kept a
// day; a Follow is answered by a signed Accept. Their public events,
// campaign launches and the news of live campaigns are announced once each
// (the outbox) and delivered to followers' inboxes (a shared inbox once)
// from a queue in the database, retried with backoff and given up after
// two days: never inside a request. Nothing of governance, circles,
// members, pledges or personal data goes out. Safe from many threads.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/federation_port.hpp"
#include "app/ports.hpp"
#include "core/error.hpp"
#include "core/id.hpp"

namespace essor::app {

struct FederationOptions {
  bool enabled = true;
  std::string public_url = "http://127.0.0.1:8080";
  std::size_t max_body = 256 * 1024;
  bool rate_limits = true;                         // ESSOR_RATE_LIMITS
  std::int64_t date_window_ms = 5 * 60 * 1000;     // a Date older or newer is refused
  std::int64_t key_ttl_ms = 86'400'000;            // a fetched key is kept a day
  std::int64_t give_up_after_ms = 2 * 86'400'000;  // then a delivery is given up
};

struct ActorView {
  ActorRecord actor;  // with its keys
  OrgRecord org;
  ActorUrls urls;
  std::int64_t followers = 0;
  std::int64_t outbox = 0;
};

// An inbox POST as it came.
struct InboxRequest {
  core::OrgId org_id;                          // empty: the shared inbox
  std::string method, target;                  // target: path (and query) as requested
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string client_address;  // for the rate limit
};

class Federation {
 public:
  Federation(Store& store, Crypto& crypto, Clock& clock, SignatureCrypto& signatures,
             FederationClient& client, ActivityCodec& codec, FederationOptions options)
      : store_(store),
        crypto_(crypto),
        clock_(clock),
        signatures_(signatures),
        client_(client),
        codec_(codec),
        options_(std::move(options)) {}

  bool enabled() const { return options_.enabled; }
  const FederationOptions& options() const { return options_; }
  ActorUrls urls_of(const core::OrgId& org_id) const;
  // The host of ESSOR_PUBLIC_URL (with its port when it has one).
  std::string host() const;

  // The organisation's actor, its handle and keys made at first need; 404
  // for an unknown organisation (and when federation is off).
  core::Result<ActorView> actor(const core::OrgId& org_id);
  core::Result<ActorView> by_handle(const std::string& handle);
  // The handle people follow ("ressourcerie"), made if need be; nothing
  // when federation is off.
  std::optional<std::string> handle_of(const core::OrgId& org_id);
  core::Result<std::vector<PublishedRecord>> outbox(const core::OrgId& org_id, std::int64_t limit);

  // An inbox POST: 401 unauthenticated for a missing, stale, replayed or
  // wrong signature or a key that is not the actor's; 400 for a body that
  // is not an activity; 404 for an organisation that does not exist; 413
  // for a body over the bound. Follow and Undo of a Follow act; anything
  // else is taken (202) and dropped.
  core::Status receive(const InboxRequest& request);

  // The scheduler's: handles for organisations that have none, items to
  // announce (and events announced, then changed or cancelled, to announce
  // again), deliveries due. Each returns how many it did.
  int ensure_handles();
  int publish_due();
  int deliver_due();

  // The headers of a request signed as the organisation's actor (Date,
  // Digest, Host, Signature), for deliveries and for tests.
  std::map<std::string, std::string> signed_headers(const ActorRecord& signer,
                                                    const std::string& method,
                                                    const std::string& url,
                                                    const std::string& body) const;

 private:
  core::Result<ActorRecord> ensure_actor(const core::OrgId& org_id);
  core::Result<RemoteKey> key_for(const std::string& key_id);
  void enqueue(Tx& tx, const core::OrgId& org_id, const std::vector<std::string>& inboxes,
               const std::string& activity, core::TimestampMs now);

  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  SignatureCrypto& signatures_;
  FederationClient& client_;
  ActivityCodec& codec_;
  FederationOptions options_;
};

}  // namespace essor::app
