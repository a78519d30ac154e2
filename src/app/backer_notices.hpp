// "New backers" told to a campaign's organisation as a summary (issue 14),
// not one notification per pledge: the scheduler compares each live
// campaign's running totals with what its admins and treasurers were last
// told, and tells them what changed, at most once an hour. Exactly once
// whatever the instances: the snapshot moves by a guarded statement in the
// notifications' own transaction. The pledge path is not touched.
#pragma once

#include <atomic>

#include "app/ports.hpp"

namespace essor::app {

class BackerNotices {
 public:
  BackerNotices(Store& store, Crypto& crypto, Clock& clock)
      : store_(store), crypto_(crypto), clock_(clock) {}

  // The scheduler's work: at most once an hour (force: now). Returns the
  // number of campaigns whose organisation was told.
  int run_due(bool force = false);

 private:
  Store& store_;
  Crypto& crypto_;
  Clock& clock_;
  std::atomic<TimestampMs> last_run_{0};
};

}  // namespace essor::app
