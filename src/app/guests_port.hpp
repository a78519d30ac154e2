// The store's part for giving without an account: the links that let a
// guest's gifts be claimed by an account, and the hand-over. A small port
// (ReadTx::guests() has nothing to read; Tx::guests() writes).
#pragma once

#include <optional>
#include <string>

#include "core/id.hpp"
#include "core/time.hpp"

namespace essor::app {

class GuestsReads {
 public:
  virtual ~GuestsReads() = default;
};

class GuestsWrites : public GuestsReads {
 public:
  // Keeps the hash of a claim link for the guest account, until expires_at.
  virtual void insert_claim(const std::string& token_hash, const core::UserId& guest_user_id,
                            core::TimestampMs now, core::TimestampMs expires_at) = 0;
  // Uses a claim link once (one guarded statement): the guest account it
  // was for, or nothing when used, expired or unknown.
  [[nodiscard]] virtual std::optional<core::UserId> use_claim(const std::string& token_hash,
                                                              core::TimestampMs now) = 0;
  // What the guest account holds (pledges, memberships, recurring gifts,
  // receipts and the details given for them) now belongs to user_id.
  // Returns how many records moved.
  virtual std::int64_t hand_over(const core::UserId& guest_user_id,
                                 const core::UserId& user_id) = 0;
};

}  // namespace essor::app
