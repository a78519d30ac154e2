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

// What an organisation's admin changes in an event: each field given; an
// empty location, online_url or capacity inside takes it away (a capacity
// taken away: no limit).
struct EventChanges {
  std::optional<std::string> title, description_md;
  std::optional<TimestampMs> starts_at, ends_at;
  std::optional<std::optional<std::string>> location, online_url;
  std::optional<std::optional<std::int64_t>> capacity;
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
  // Org admins change an event not over nor cancelled, checked as at its
  // creation (a new start must be in the future; its seats at least those
  // registered); those registered or waiting are told, and reminded again
  // when it moved; seats added go to the waiting list in its order, each
  // told. Nothing changed, nothing told. 409 event_over, event_cancelled;
  // edit_conflict when another change or registration came first.
  core::Result<EventRecord> edit_event(const Principal& who, const std::string& id,
                                       const EventChanges& changes);
  // Org admins cancel an event not over: nobody registers any more, no
  // reminder goes, those registered or waiting are told; it stays listed,
  // marked cancelled. 409 event_over, event_cancelled.
  core::Result<EventRecord> cancel_event(const Principal& who, const std::string& id);
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

 private:
  // Those registered or waiting, told of a change or a cancellation (kind).
  void tell_attendees(Tx& tx, const EventRecord& event, const std::string& kind);
  // The event if who may change it now: found, who its organisation's
  // admin, neither over nor cancelled.
  core::Result<EventRecord> changeable(Tx& tx, const Principal& who, const std::string& id,
                                       TimestampMs now);
};

}  // namespace essor::app
