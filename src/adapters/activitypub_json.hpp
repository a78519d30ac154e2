// app::ActivityCodec with nlohmann::json: inbound activities and remote
// actors read defensively (any shape may come), outbound activities in the
// form Mastodon and Mobilizon display (Event with startTime, endTime and a
// Place; Article; Note), addressed to the public and the followers.
#pragma once

#include "app/federation_port.hpp"

namespace essor::adapters {

class ActivityPubJson final : public app::ActivityCodec {
 public:
  std::optional<app::InboundActivity> parse_inbound(const std::string& body) const override;
  std::optional<app::RemoteActor> parse_actor(const std::string& body,
                                              const std::string& key_id) const override;
  std::string accept(const app::ActorUrls& actor, const std::string& accept_id,
                     const std::string& follow_body) const override;
  std::string create(const app::ActorUrls& actor, const app::PublicItem& item,
                     const std::string& public_url) const override;
  std::string update(const app::ActorUrls& actor, const app::PublicItem& item,
                     const std::string& public_url, core::TimestampMs at) const override;
};

}  // namespace essor::adapters
