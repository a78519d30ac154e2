#include "app/idempotency.hpp"

namespace essor::app {

std::optional<core::Error> check_idempotency_key(const std::string& key) {
  if (key.empty() || key.size() > 255) {
    return core::Error::validation(
        {{"Idempotency-Key", "required: a header of 1 to 255 characters"}});
  }
  return std::nullopt;
}

core::Result<Rendered> run_idempotent(Tx& tx, const std::string& user_id, const std::string& key,
                                      const std::string& request_hash, TimestampMs now,
                                      const std::function<core::Result<Rendered>()>& work) {
  if (!tx.idempotency().claim_idempotency_key(user_id, key, request_hash, now)) {
    const auto stored = tx.idempotency().stored_response(user_id, key);
    if (!stored || stored->request_hash != request_hash) {
      return core::Error{core::ErrorKind::unprocessable,
                         "idempotency_key_reused",
                         "This Idempotency-Key was used with another request.",
                         {}};
    }
    if (stored->status == 0) {
      return core::Error::conflict("request_in_progress",
                                   "The first request with this key is still running.");
    }
    return Rendered{stored->status, stored->body};
  }
  auto rendered = work();
  if (rendered) tx.idempotency().store_response(user_id, key, rendered->status, rendered->body);
  return rendered;
}

}  // namespace essor::app
