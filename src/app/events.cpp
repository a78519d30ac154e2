#include "app/events.hpp"

#include "app/policy.hpp"
#include "app/tx_helpers.hpp"
#include "core/id.hpp"
#include "core/validation.hpp"

namespace essor::app {

using core::Error;
using core::Result;
using core::Status;

namespace {

bool is_http_url(const std::string& url) {
  return (url.starts_with("https://") || url.starts_with("http://")) && url.size() > 10 &&
         url.find_first_of(" \t\r\n\"<>") == std::string::npos;
}

// An event's fields as an admin gives them; its start is checked against
// now only when it is new (an event under way may have its end moved).
std::map<std::string, std::string> event_problems(const EventInput& in, TimestampMs now,
                                                  bool new_start) {
  std::map<std::string, std::string> problems;
  if (auto p = core::check_name(in.title, 200)) problems["title"] = *p;
  if (auto p = core::check_text(in.description_md, 20000, false)) problems["description_md"] = *p;
  if (new_start && in.starts_at <= now) problems["starts_at"] = "must be in the future";
  if (in.ends_at <= in.starts_at) problems["ends_at"] = "must be after the start";
  constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
  if (in.ends_at - in.starts_at > 31 * kDayMs)
    problems["ends_at"] = "an event lasts 31 days at most";
  if (in.location) {
    if (auto p = core::check_name(*in.location, 300)) problems["location"] = *p;
  }
  if (in.online_url && !is_http_url(*in.online_url))
    problems["online_url"] = "must be an http:// or https:// address";
  if (!in.location && !in.online_url)
    problems["location"] = "give a place, an online meeting link, or both";
  if (in.capacity && (*in.capacity < 1 || *in.capacity > 100000))
    problems["capacity"] = "must be between 1 and 100000";
  return problems;
}

}  // namespace

Result<EventRecord> Events::create_event(const Principal& who, const core::OrgId& org_id,
                                         const EventInput& in) {
  const TimestampMs now = clock_.now();
  auto problems = event_problems(in, now, true);
  if (!problems.empty()) return Error::validation(std::move(problems));
  return write_result<EventRecord>(store_, [&](Tx& tx) -> Result<EventRecord> {
    auto org = tx.orgs().org_by_id(org_id);
    if (!org) return no_such("organisation");
    if (!campaign_allows(who, tx.orgs().member_role(org_id, who.user_id),
                         CampaignActionKind::manage))
      return Error::forbidden("Only the organisation's admins create events.");
    EventRecord e;
    e.id = crypto_.random_id();
    e.org_id = org_id;
    e.title = core::trim(in.title);
    e.description_md = core::trim(in.description_md);
    e.starts_at = in.starts_at;
    e.ends_at = in.ends_at;
    if (in.location) e.location = core::trim(*in.location);
    e.online_url = in.online_url;
    e.capacity = in.capacity;
    e.created_by = who.user_id;
    e.created_at = now;
    tx.events().insert_event(e);
    const core::Link link{core::Place::event, e.id};
    const Params params = {
        {"org", org->name}, {"event", e.title}, {"starts_at", std::to_string(e.starts_at)}};
    record_activity(tx, crypto_, now, "event_created", who.user_id, org_id, std::nullopt,
                    core::Subject::event, e.id, link, params);
    for (const auto& follower : tx.follows().followers_of(core::Subject::org, org_id)) {
      if (follower != who.user_id)
        notify(tx, follower, "event_created", params, link, core::Subject::event, e.id);
    }
    return e;
  });
}

void Events::tell_attendees(Tx& tx, const EventRecord& e, const std::string& kind) {
  const Params params = {{"event", e.title}, {"starts_at", std::to_string(e.starts_at)}};
  for (const auto& r : tx.events().registrations_of(e.id))
    notify(tx, r.user_id, kind, params, {core::Place::event, e.id}, core::Subject::event, e.id);
}

Result<EventRecord> Events::changeable(Tx& tx, const Principal& who, const std::string& id,
                                       TimestampMs now) {
  auto e = tx.events().event_by_id(id);
  if (!e) return no_such("event");
  if (!campaign_allows(who, tx.orgs().member_role(e->org_id, who.user_id),
                       CampaignActionKind::manage))
    return Error::forbidden("Only the organisation's admins change its events.");
  if (e->cancelled_at) return Error::conflict("event_cancelled", "This event is cancelled.");
  if (e->ends_at <= now) return Error::conflict("event_over", "This event is over.");
  return *e;
}

Result<EventRecord> Events::edit_event(const Principal& who, const std::string& id,
                                       const EventChanges& changes) {
  const TimestampMs now = clock_.now();
  return write_result<EventRecord>(store_, [&](Tx& tx) -> Result<EventRecord> {
    auto found = changeable(tx, who, id, now);
    if (!found) return found.error();
    const EventRecord before = *found;
    EventInput in{changes.title.value_or(before.title),
                  changes.description_md.value_or(before.description_md),
                  changes.starts_at.value_or(before.starts_at),
                  changes.ends_at.value_or(before.ends_at),
                  changes.location.value_or(before.location),
                  changes.online_url.value_or(before.online_url),
                  changes.capacity.value_or(before.capacity)};
    if (in.location && core::trim(*in.location).empty()) in.location.reset();
    if (in.online_url && core::trim(*in.online_url).empty()) in.online_url.reset();
    auto problems = event_problems(in, now, in.starts_at != before.starts_at);
    if (in.capacity && *in.capacity < before.registered && !problems.count("capacity"))
      problems["capacity"] =
          "must leave a seat to each of the " + std::to_string(before.registered) + " registered";
    if (!problems.empty()) return Error::validation(std::move(problems));
    EventRecord after = before;
    after.title = core::trim(in.title);
    after.description_md = core::trim(in.description_md);
    after.starts_at = in.starts_at;
    after.ends_at = in.ends_at;
    after.location = in.location ? std::optional(core::trim(*in.location)) : std::nullopt;
    after.online_url = in.online_url;
    after.capacity = in.capacity;
    if (after.title == before.title && after.description_md == before.description_md &&
        after.starts_at == before.starts_at && after.ends_at == before.ends_at &&
        after.location == before.location && after.online_url == before.online_url &&
        after.capacity == before.capacity)
      return before;  // nothing changed: nobody is told
    // Moved: the reminder goes again before the new start.
    if (after.starts_at != before.starts_at) after.reminded_at.reset();
    if (!tx.events().update_event(after))
      return Error::conflict("edit_conflict", "The event changed meanwhile: read it again.");
    ++after.sequence;
    tell_attendees(tx, after, "event_changed");
    // Seats added: the waiting list takes them, first come first served.
    for (const auto& r : tx.events().registrations_of(id)) {
      if (r.status != core::RegistrationStatus::waiting) continue;
      if (!tx.events().take_seat(id)) break;
      if (!tx.events().set_registration_status(id, r.user_id, core::RegistrationStatus::waiting,
                                               core::RegistrationStatus::registered)) {
        tx.events().release_seat(id);
        continue;
      }
      ++after.registered;
      notify(tx, r.user_id, "event_seat",
             {{"event", after.title}, {"starts_at", std::to_string(after.starts_at)}},
             {core::Place::event, id}, core::Subject::event, id);
    }
    return after;
  });
}

Result<EventRecord> Events::cancel_event(const Principal& who, const std::string& id) {
  const TimestampMs now = clock_.now();
  return write_result<EventRecord>(store_, [&](Tx& tx) -> Result<EventRecord> {
    auto found = changeable(tx, who, id, now);
    if (!found) return found.error();
    EventRecord e = *found;
    if (!tx.events().cancel_event(id, now))
      return Error::conflict("event_cancelled", "This event is cancelled.");
    e.cancelled_at = now;
    ++e.sequence;
    tell_attendees(tx, e, "event_cancelled");
    return e;
  });
}

Result<EventView> Events::event(const std::optional<Principal>& who, const std::string& id) {
  return read_value<Result<EventView>>(store_, [&](ReadTx& tx) -> Result<EventView> {
    auto e = tx.events().event_by_id(id);
    if (!e) return no_such("event");
    EventView view;
    view.event = *e;
    view.org_name = tx.orgs().org_by_id(e->org_id)->name;
    const auto people = tx.events().registrations_of(id);
    for (const auto& r : people) {
      if (r.status == core::RegistrationStatus::waiting) ++view.waiting;
      if (who && r.user_id == who->user_id) view.mine = r;
    }
    if (who) {
      view.can_manage = campaign_allows(*who, tx.orgs().member_role(e->org_id, who->user_id),
                                        CampaignActionKind::manage);
      if (view.can_manage) view.people = people;
    }
    view.show_link = may_see_meeting_link(
        view.can_manage, view.mine ? std::optional(view.mine->status) : std::nullopt);
    return view;
  });
}

Result<std::vector<EventRecord>> Events::org_events(const core::OrgId& org_id, Span span,
                                                    std::int64_t limit, std::int64_t offset) {
  constexpr std::int64_t kYear = 365LL * 24 * 3600 * 1000;
  const TimestampMs now = clock_.now();
  const TimestampMs from = span == Span::upcoming   ? now
                           : span == Span::calendar ? TimestampMs{now - kYear}
                                                    : TimestampMs{0};
  return read_value<Result<std::vector<EventRecord>>>(
      store_, [&](ReadTx& tx) -> Result<std::vector<EventRecord>> {
        if (!tx.orgs().org_by_id(org_id)) return no_such("organisation");
        return tx.events().events_of_org(org_id, from, limit, offset);
      });
}

Result<RegistrationRecord> Events::register_for(const Principal& who, const std::string& event_id,
                                                bool waitlist) {
  const TimestampMs now = clock_.now();
  return write_result<RegistrationRecord>(store_, [&](Tx& tx) -> Result<RegistrationRecord> {
    auto e = tx.events().event_by_id(event_id);
    if (!e) return no_such("event");
    if (auto existing = tx.events().registration(event_id, who.user_id)) return *existing;
    if (e->cancelled_at) return Error::conflict("event_cancelled", "This event is cancelled.");
    if (e->ends_at <= now) return Error::conflict("event_over", "This event is over.");
    RegistrationRecord r{event_id, who.user_id, who.display_name,
                         core::RegistrationStatus::registered, now};
    if (!tx.events().take_seat(event_id)) {
      if (!waitlist) {
        return Error::conflict("event_full",
                               "No seat is left. You can join the waiting list instead.");
      }
      r.status = core::RegistrationStatus::waiting;
    }
    if (!tx.events().insert_registration(r)) {
      // The same person registered meanwhile (two clicks, two devices):
      // theirs stands, and the seat taken for this one goes back.
      if (r.status == core::RegistrationStatus::registered) tx.events().release_seat(event_id);
      if (auto existing = tx.events().registration(event_id, who.user_id)) return *existing;
      return Error::conflict("registration_changed",
                             "Your registration changed meanwhile: try again.");
    }
    return r;
  });
}

Status Events::unregister(const Principal& who, const std::string& event_id) {
  return write_result<core::Unit>(store_, [&](Tx& tx) -> Status {
    auto e = tx.events().event_by_id(event_id);
    if (!e) return no_such("event");
    auto mine = tx.events().registration(event_id, who.user_id);
    if (!mine || !tx.events().delete_registration(event_id, who.user_id))
      return Error::not_found("You are not registered to this event.");
    if (mine->status != core::RegistrationStatus::registered) return core::ok_status();
    // The seat goes to the first on the waiting list, if any (none of a
    // cancelled event).
    for (const auto& r : tx.events().registrations_of(event_id)) {
      if (r.status != core::RegistrationStatus::waiting || e->cancelled_at) continue;
      if (tx.events().set_registration_status(event_id, r.user_id,
                                              core::RegistrationStatus::waiting,
                                              core::RegistrationStatus::registered)) {
        notify(tx, r.user_id, "event_seat",
               {{"event", e->title}, {"starts_at", std::to_string(e->starts_at)}},
               {core::Place::event, event_id}, core::Subject::event, event_id);
        return core::ok_status();
      }
    }
    tx.events().release_seat(event_id);
    return core::ok_status();
  });
}

int Events::remind(TimestampMs now) {
  const auto due = read_value<std::vector<EventRecord>>(store_, [&](ReadTx& tx) {
    return tx.events().events_to_remind(now, now + options_.reminder_ahead_ms, 100);
  });
  int reminded = 0;
  for (const auto& e : due) {
    write_counted(store_, reminded, [&](Tx& tx) {
      if (!tx.events().mark_reminded(e.id, now)) return false;  // another instance did it
      std::string where = e.location.value_or("");
      if (e.online_url) where += (where.empty() ? "" : " — ") + *e.online_url;
      const Params params = {
          {"event", e.title}, {"starts_at", std::to_string(e.starts_at)}, {"where", where}};
      for (const auto& r : tx.events().registrations_of(e.id)) {
        if (r.status != core::RegistrationStatus::registered) continue;
        notify(tx, r.user_id, "event_reminder", params, {core::Place::event, e.id},
               core::Subject::event, e.id);
      }
      ++reminded;
      return true;
    });
  }
  return reminded;
}

}  // namespace essor::app
