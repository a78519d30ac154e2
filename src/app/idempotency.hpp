// Idempotency-Key semantics shared by every money-moving request (pledges,
// repayments): the key is claimed first, in the same transaction as the
// money, and the answer is stored with it; the same key and request give
// the first answer again, another request with the key is 422.
#pragma once

#include <functional>
#include <string>

#include "app/ports.hpp"
#include "core/error.hpp"

namespace essor::app {

// The first answer to a request, as the web layer rendered it.
struct Rendered {
  int status = 0;
  std::string body;
};

// 400 validation_failed unless the key has 1 to 255 characters.
std::optional<core::Error> check_idempotency_key(const std::string& key);

// Inside a write transaction: runs work once for (user_id, key) and stores
// its answer; a replay returns the stored answer without running work.
core::Result<Rendered> run_idempotent(Tx& tx, const std::string& user_id, const std::string& key,
                                      const std::string& request_hash, TimestampMs now,
                                      const std::function<core::Result<Rendered>()>& work);

}  // namespace essor::app
