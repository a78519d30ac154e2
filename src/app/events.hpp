// Events and workshops of an organisation, with seats, a waiting list and
// reminders the day before.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/community_section.hpp"
#include "core/id.hpp"

namespace essor::app {

struct EventInput {
  std::string title;
  std::string description_md;
  TimestampMs starts_at = 0;
  TimestampMs ends_at = 0;
  std::optional<std::string> location, online_url;
  std::optional<std::int64_t> capacity;
};

struct EventView {
  EventRecord event;
  std::string org_name;
  std::int64_t waiting = 0;
  std::optional<RegistrationRecord> mine;  // the reader's registration
  std::vector<RegistrationRecord> people;  // for the organisation's admins only
  bool can_manage = false;
  // The online meeting link: for registered people and the organisation's
  // admins only (app/policy.hpp, may_see_meeting_link).
  bool show_link = false;
};

class Events : CommunitySection {
 public:
  explicit Events(CommunityDeps deps) : CommunitySection(std::move(deps)) {}

  // Org admins create them; the organisation's followers are told.
  core::Result<EventRecord> create_event(const Principal& who, const core::OrgId& org_id,
                                         const EventInput& input);
  core::Result<EventView> event(const std::optional<Principal>& who, const std::string& id);
  // By start, limit at a time from offset: those not over, those a
  // calendar shows (not over, or over within the last year), or every one.
  enum class Span { upcoming, calendar, all };
  core::Result<std::vector<EventRecord>> org_events(const core::OrgId& org_id, Span span,
                                                    std::int64_t limit, std::int64_t offset = 0);
  // 409 event_full when no seat is left, unless waitlist: then a place on
  // the waiting list. Registering twice is one registration.
  core::Result<RegistrationRecord> register_for(const Principal& who, const std::string& event_id,
                                                bool waitlist);
  // Frees the seat; the first on the waiting list takes it and is notified.
  core::Status unregister(const Principal& who, const std::string& event_id);

  // Scheduled work: those registered are reminded; how many events.
  int remind(TimestampMs now);
};

}  // namespace essor::app
