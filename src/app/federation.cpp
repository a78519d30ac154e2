#include "app/federation.hpp"

#include <algorithm>
#include <set>

#include "app/rate_limits.hpp"
#include "app/tx_helpers.hpp"
#include "core/http_signature.hpp"
#include "core/id.hpp"
#include "core/words.hpp"

namespace essor::app {

using core::Error;
using core::Result;

std::string to_string(PublicKind kind) {
  switch (kind) {
    case PublicKind::event:
      return "event";
    case PublicKind::launch:
      return "launch";
    case PublicKind::news:
      return "news";
  }
  return "event";
}

std::optional<PublicKind> parse_public_kind(std::string_view text) {
  return core::parse_word(text, {PublicKind::event, PublicKind::launch, PublicKind::news});
}

namespace {

Error unsigned_request(const std::string& why) {
  return Error::unauthenticated("This inbox takes requests signed by their actor's key: " + why);
}

Error no_actor() {
  return Error::not_found("No organisation with this id.");
}

struct UrlParts {
  std::string host;  // with the port, as the Host header says
  std::string path;  // with the query
};

std::optional<UrlParts> split_url(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return std::nullopt;
  const auto start = scheme + 3;
  const auto slash = url.find('/', start);
  UrlParts parts;
  parts.host = url.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
  parts.path = slash == std::string::npos ? "/" : url.substr(slash);
  if (parts.host.empty()) return std::nullopt;
  return parts;
}

// The organisation's handle, made from its name ("_2", "_3"… when taken):
// nothing when none is free.
std::optional<std::string> claim_handle(Tx& tx, const core::OrgId& org_id,
                                        const std::string& name) {
  const std::string base = core::handle_of(name);
  for (int n = 1; n < 1000; ++n) {
    const std::string handle = n == 1 ? base : base + "_" + std::to_string(n);
    if (tx.federation().insert_actor(org_id, handle)) return handle;
  }
  return std::nullopt;
}

std::string strip_fragment(const std::string& url) {
  return url.substr(0, url.find('#'));
}

}  // namespace

ActorUrls Federation::urls_of(const core::OrgId& org_id) const {
  ActorUrls urls;
  urls.id = options_.public_url + "/ap/orgs/" + org_id;
  urls.inbox = urls.id + "/inbox";
  urls.outbox = urls.id + "/outbox";
  urls.followers = urls.id + "/followers";
  urls.shared_inbox = options_.public_url + "/ap/inbox";
  urls.key_id = urls.id + "#main-key";
  urls.page = options_.public_url + "/orgs/" + org_id;
  return urls;
}

std::string Federation::host() const {
  auto parts = split_url(options_.public_url);
  return parts ? parts->host : std::string("localhost");
}

Result<ActorRecord> Federation::ensure_actor(const core::OrgId& org_id) {
  if (!options_.enabled) return no_actor();
  auto actor = read_value<std::optional<ActorRecord>>(
      store_, [&](ReadTx& tx) { return tx.federation().actor(org_id); });
  if (!actor) {
    auto made = write_result<ActorRecord>(store_, [&](Tx& tx) -> Result<ActorRecord> {
      if (auto already = tx.federation().actor(org_id)) return *already;
      const auto org = tx.orgs().org_by_id(org_id);
      if (!org) return no_actor();
      if (auto handle = claim_handle(tx, org_id, org->name))
        return ActorRecord{org_id, *handle, "", ""};
      return Error::conflict("handle_taken", "No free handle for this organisation.");
    });
    if (!made) return made.error();
    actor = *made;
  }
  if (actor->public_pem.empty()) {
    // Made outside any transaction (RSA takes a while); the first one
    // written wins.
    const auto keys = signatures_.generate_rsa();
    store_.write([&](Tx& tx) {
      (void)tx.federation().set_keys(org_id, keys.public_pem, keys.private_pem);
      return true;
    });
    actor = read_value<std::optional<ActorRecord>>(
        store_, [&](ReadTx& tx) { return tx.federation().actor(org_id); });
    if (!actor) return no_actor();
  }
  return *actor;
}

Result<ActorView> Federation::actor(const core::OrgId& org_id) {
  auto actor = ensure_actor(org_id);
  if (!actor) return actor.error();
  return read_value<Result<ActorView>>(store_, [&](ReadTx& tx) -> Result<ActorView> {
    auto org = tx.orgs().org_by_id(org_id);
    if (!org) return no_actor();
    ActorView view;
    view.actor = *actor;
    view.org = std::move(*org);
    view.urls = urls_of(org_id);
    view.followers = tx.federation().followers_count(org_id);
    view.outbox = tx.federation().outbox_count(org_id);
    return view;
  });
}

Result<ActorView> Federation::by_handle(const std::string& handle) {
  if (!options_.enabled) return no_actor();
  auto found = read_value<std::optional<ActorRecord>>(
      store_, [&](ReadTx& tx) { return tx.federation().actor_by_handle(handle); });
  if (!found) {
    // Organisations made since the scheduler's last round have none yet.
    ensure_handles();
    found = read_value<std::optional<ActorRecord>>(
        store_, [&](ReadTx& tx) { return tx.federation().actor_by_handle(handle); });
  }
  if (!found) return Error::not_found("No organisation with this handle.");
  return actor(found->org_id);
}

std::optional<std::string> Federation::handle_of(const core::OrgId& org_id) {
  if (!options_.enabled) return std::nullopt;
  auto actor = read_value<std::optional<ActorRecord>>(
      store_, [&](ReadTx& tx) { return tx.federation().actor(org_id); });
  if (actor) return actor->handle;
  ensure_handles();
  actor = read_value<std::optional<ActorRecord>>(
      store_, [&](ReadTx& tx) { return tx.federation().actor(org_id); });
  if (!actor) return std::nullopt;
  return actor->handle;
}

Result<std::vector<PublishedRecord>> Federation::outbox(const core::OrgId& org_id,
                                                        std::int64_t limit) {
  if (!options_.enabled) return no_actor();
  return read_value<Result<std::vector<PublishedRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<PublishedRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return no_actor();
        return tx.federation().outbox(org_id, limit);
      });
}

int Federation::ensure_handles() {
  if (!options_.enabled) return 0;
  const auto missing = read_value<std::vector<std::pair<core::OrgId, std::string>>>(
      store_, [&](ReadTx& tx) { return tx.federation().orgs_without_handle(500); });
  int made = 0;
  for (const auto& org : missing) {
    const core::OrgId& org_id = org.first;
    const std::string& name = org.second;
    write_counted(store_, made, [&](Tx& tx) {
      if (!tx.federation().actor(org_id) && claim_handle(tx, org_id, name)) ++made;
      return true;
    });
  }
  return made;
}

Result<RemoteKey> Federation::key_for(const std::string& key_id) {
  const core::TimestampMs now = clock_.now();
  auto cached = read_value<std::optional<RemoteKey>>(
      store_, [&](ReadTx& tx) { return tx.federation().remote_key(key_id); });
  if (cached && cached->fetched_at + options_.key_ttl_ms > now) return *cached;
  const std::map<std::string, std::string> accept = {
      {"Accept", "application/activity+json, application/ld+json"}};
  auto fetched = client_.get(strip_fragment(key_id), accept);
  if (!fetched)
    return unsigned_request("the key could not be fetched (" + fetched.error().message + ")");
  if (fetched->status != 200)
    return unsigned_request("the key's address answered " + std::to_string(fetched->status));
  auto remote = codec_.parse_actor(fetched->body, key_id);
  if (!remote) return unsigned_request("no such key in the document at its address");
  if (remote->inbox.empty() && !remote->key_owner.empty()) {
    // A key document: its owner is the actor, whose key must be the same.
    auto owner = client_.get(strip_fragment(remote->key_owner), accept);
    if (!owner || owner->status != 200)
      return unsigned_request("the key's owner could not be fetched");
    auto actor = codec_.parse_actor(owner->body, key_id);
    if (!actor || actor->public_pem != remote->public_pem)
      return unsigned_request("the key's owner does not publish it");
    remote = actor;
  }
  if (remote->inbox.empty() || remote->id.empty() || remote->key_owner != remote->id)
    return unsigned_request("the key is not its actor's");
  RemoteKey key{key_id, remote->id, remote->public_pem, remote->inbox, remote->shared_inbox, now};
  store_.write([&](Tx& tx) {
    tx.federation().put_remote_key(key);
    return true;
  });
  return key;
}

core::Status Federation::receive(const InboxRequest& request) {
  if (!options_.enabled) return no_actor();
  if (request.body.size() > options_.max_body) {
    return Error{core::ErrorKind::payload_too_large,
                 "payload_too_large",
                 "An activity is at most " + std::to_string(options_.max_body / 1024) + " KiB.",
                 {}};
  }
  if (options_.rate_limits) {
    const core::TimestampMs at = clock_.now();
    auto limited = write_result<core::Unit>(store_, [&](Tx& tx) -> Result<core::Unit> {
      if (auto refused = rate_limit(tx, kInboxPerAddress, request.client_address, at))
        return *refused;
      return core::Unit{};
    });
    if (!limited) return limited.error();
  }
  auto header = [&](const std::string& name) -> std::optional<std::string> {
    auto it = request.headers.find(name);
    if (it == request.headers.end()) return std::nullopt;
    return it->second;
  };
  const auto signature_header = header("signature");
  if (!signature_header) return unsigned_request("no Signature header.");
  const auto params = core::parse_signature(*signature_header);
  if (!params) return unsigned_request("the Signature header cannot be read.");
  if (!params->algorithm.empty() && params->algorithm != "rsa-sha256" &&
      params->algorithm != "hs2019")
    return unsigned_request("only rsa-sha256 is accepted.");
  for (const char* needed : {"(request-target)", "host", "date", "digest"}) {
    if (std::find(params->headers.begin(), params->headers.end(), needed) == params->headers.end())
      return unsigned_request(std::string("the signature must cover ") + needed + ".");
  }
  const core::TimestampMs now = clock_.now();
  const auto date = header("date") ? core::parse_http_date(*header("date")) : std::nullopt;
  if (!date) return unsigned_request("no readable Date.");
  if (*date < now - options_.date_window_ms || *date > now + options_.date_window_ms)
    return unsigned_request("the Date is too far from now.");
  const std::string digest = "SHA-256=" + signatures_.sha256_base64(request.body);
  const auto sent_digest = header("digest");
  bool digest_ok = false;
  if (sent_digest) {
    // "SHA-256=…" possibly among others, separated by commas.
    std::size_t start = 0;
    while (start <= sent_digest->size()) {
      auto comma = sent_digest->find(',', start);
      if (comma == std::string::npos) comma = sent_digest->size();
      std::string part = sent_digest->substr(start, comma - start);
      while (!part.empty() && part.front() == ' ') part.erase(part.begin());
      const auto eq = part.find('=');
      if (eq != std::string::npos) {
        std::string algo = part.substr(0, eq);
        std::transform(algo.begin(), algo.end(), algo.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (algo == "sha-256" && "SHA-256=" + part.substr(eq + 1) == digest) digest_ok = true;
      }
      start = comma + 1;
    }
  }
  if (!digest_ok) return unsigned_request("the Digest is not the body's.");
  const auto signed_text =
      core::signing_string(params->headers, request.method, request.target, header);
  if (!signed_text) return unsigned_request("a signed header is missing.");
  auto key = key_for(params->key_id);
  if (!key) return key.error();
  if (!signatures_.verify(key->public_pem, *signed_text, params->signature))
    return unsigned_request("the signature does not match the key.");
  const auto activity = codec_.parse_inbound(request.body);
  if (!activity) {
    return Error::validation({{"body", "an ActivityStreams activity with a type and an actor"}},
                             "This is not an activity.");
  }
  if (activity->actor != key->actor_id)
    return unsigned_request("the key is not the activity's actor's.");
  // Which organisation: the inbox's, or (shared inbox) the followed one.
  const std::string prefix = options_.public_url + "/ap/orgs/";
  auto org_of = [&](const std::string& actor_url) -> core::OrgId {
    if (!actor_url.starts_with(prefix)) return {};
    std::string rest = actor_url.substr(prefix.size());
    return rest.find('/') == std::string::npos ? core::OrgId{std::move(rest)} : core::OrgId{};
  };
  const std::string signature_hash = crypto_.sha256_hex(params->signature);
  if (activity->type == "Follow") {
    const core::OrgId org_id = org_of(activity->object_id);
    if (org_id.empty() || (!request.org_id.empty() && org_id != request.org_id))
      return Error::not_found("This server has no such actor to follow.");
    auto signer = ensure_actor(org_id);
    if (!signer) return signer.error();
    const auto urls = urls_of(org_id);
    const std::string accept_id = urls.id + "#accepts/" + crypto_.random_id();
    const std::string accept = codec_.accept(urls, accept_id, request.body);
    return write_result<core::Unit>(store_, [&](Tx& tx) -> Result<core::Unit> {
      if (!tx.orgs().org_by_id(org_id)) return no_actor();
      if (!tx.federation().remember_signature(signature_hash, now))
        return unsigned_request("this request was already received.");
      tx.federation().put_follower({org_id, key->actor_id, key->inbox, key->shared_inbox, now});
      enqueue(tx, org_id, {key->inbox}, accept, now);
      return core::Unit{};
    });
  }
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Result<core::Unit> {
    if (!tx.federation().remember_signature(signature_hash, now))
      return unsigned_request("this request was already received.");
    tx.federation().forget_signatures_before(now - 2 * options_.date_window_ms);
    if (activity->type == "Undo" &&
        (activity->object_type == "Follow" || activity->object_type.empty())) {
      core::OrgId org_id = org_of(activity->object_object);
      if (org_id.empty()) org_id = request.org_id;
      if (!org_id.empty()) tx.federation().remove_follower(org_id, key->actor_id);
    }
    return core::Unit{};
  });
}

void Federation::enqueue(Tx& tx, const core::OrgId& org_id, const std::vector<std::string>& inboxes,
                         const std::string& activity, core::TimestampMs now) {
  for (const auto& inbox : inboxes) {
    tx.federation().insert_delivery({crypto_.random_id(), org_id, inbox, activity, 0, now, now});
  }
}

int Federation::publish_due() {
  if (!options_.enabled) return 0;
  const auto items = read_value<std::vector<PublicItem>>(
      store_, [&](ReadTx& tx) { return tx.federation().unpublished(0, 200); });
  int published = 0;
  // To the organisation's followers: one delivery per server with a shared
  // inbox, one per inbox otherwise.
  const auto announce = [&](Tx& tx, const PublicItem& item, const std::string& activity,
                            core::TimestampMs now) {
    std::set<std::string> inboxes;
    for (const auto& follower : tx.federation().followers(item.org_id))
      inboxes.insert(follower.shared_inbox.value_or(follower.inbox));
    enqueue(tx, item.org_id, {inboxes.begin(), inboxes.end()}, activity, now);
    ++published;
  };
  for (const auto& item : items) {
    const core::TimestampMs now = clock_.now();
    const std::string activity = codec_.create(urls_of(item.org_id), item, options_.public_url);
    write_counted(store_, published, [&](Tx& tx) {
      if (tx.federation().insert_published(
              {item.kind, item.id, item.org_id, activity, now, item.sequence}))
        announce(tx, item, activity, now);
      return true;
    });
  }
  // Events announced, then changed or cancelled: an Update, once for each
  // state (another instance, or a later change, may have sent it first).
  const auto changed = read_value<std::vector<PublicItem>>(
      store_, [&](ReadTx& tx) { return tx.federation().changed_events(200); });
  for (const auto& item : changed) {
    const core::TimestampMs now = clock_.now();
    const std::string activity =
        codec_.update(urls_of(item.org_id), item, options_.public_url, now);
    write_counted(store_, published, [&](Tx& tx) {
      if (tx.federation().republish(
              {item.kind, item.id, item.org_id, activity, now, item.sequence}))
        announce(tx, item, activity, now);
      return true;
    });
  }
  return published;
}

std::map<std::string, std::string> Federation::signed_headers(const ActorRecord& signer,
                                                              const std::string& method,
                                                              const std::string& url,
                                                              const std::string& body) const {
  const auto parts = split_url(url).value_or(UrlParts{"", "/"});
  std::map<std::string, std::string> headers = {
      {"host", parts.host},
      {"date", core::http_date(clock_.now())},
      {"digest", "SHA-256=" + signatures_.sha256_base64(body)}};
  const std::vector<std::string> names = {"(request-target)", "host", "date", "digest"};
  const auto text = core::signing_string(
      names, method, parts.path, [&](const std::string& name) -> std::optional<std::string> {
        auto it = headers.find(name);
        return it == headers.end() ? std::nullopt : std::optional<std::string>(it->second);
      });
  const std::string signature = signatures_.sign(signer.private_pem, text.value_or(""));
  return {{"Host", parts.host},
          {"Date", headers["date"]},
          {"Digest", headers["digest"]},
          {"Content-Type", "application/activity+json"},
          {"Signature", "keyId=\"" + urls_of(signer.org_id).key_id +
                            "\",algorithm=\"rsa-sha256\",headers=\"(request-target) host date "
                            "digest\",signature=\"" +
                            signature + "\""}};
}

int Federation::deliver_due() {
  if (!options_.enabled) return 0;
  const core::TimestampMs now = clock_.now();
  const auto due = read_value<std::vector<DeliveryRecord>>(
      store_, [&](ReadTx& tx) { return tx.federation().due_deliveries(now, 50); });
  int delivered = 0;
  for (const auto& delivery : due) {
    // Taken for five minutes: another instance leaves it alone meanwhile.
    bool mine = false;
    store_.write([&](Tx& tx) {
      mine = tx.federation().claim_delivery(delivery.id, delivery.next_at, now + 5 * 60'000);
      return mine;
    });
    if (!mine) continue;
    auto signer = ensure_actor(delivery.org_id);
    std::string error;
    if (!signer) {
      error = signer.error().message;
    } else {
      auto answer = client_.post(delivery.inbox,
                                 signed_headers(*signer, "POST", delivery.inbox, delivery.activity),
                                 delivery.activity);
      if (answer && answer->status >= 200 && answer->status < 300) {
        store_.write([&](Tx& tx) {
          tx.federation().delivered(delivery.id, clock_.now());
          return true;
        });
        ++delivered;
        continue;
      }
      error = answer ? "answered " + std::to_string(answer->status) : answer.error().message;
    }
    const core::TimestampMs at = clock_.now();
    store_.write([&](Tx& tx) {
      if (at - delivery.created_at > options_.give_up_after_ms) {
        tx.federation().delivery_given_up(delivery.id, at, error);
      } else {
        // One minute, then twice as long each time, at most six hours.
        const std::int64_t shift = std::min<std::int64_t>(delivery.attempts, 9);
        const std::int64_t wait = std::min<std::int64_t>(60'000LL << shift, 6 * 3'600'000LL);
        tx.federation().delivery_failed(delivery.id, at + wait, error);
      }
      return true;
    });
  }
  return delivered;
}

}  // namespace essor::app
