// The ports the use cases need from the outside world. Each is a small
// interface implemented in store/ or adapters/; the app knows nothing of SQL,
// HTTP or libsodium.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace essor::app {

using core::TimestampMs;

struct UserRecord {
  std::string id;
  std::string email;       // as typed at sign-up
  std::string email_norm;  // lower-cased, unique
  std::string display_name;
  std::string password_hash;
  TimestampMs created_at = 0;
};

struct SessionRecord {
  std::string token_hash;  // SHA-256 of the bearer token: tokens are never stored
  std::string user_id;
  TimestampMs created_at = 0;
  TimestampMs expires_at = 0;
};

struct OrgRecord {
  std::string id;
  std::string name;
  std::string legal_form;
  std::string description;
  std::optional<std::string> siren, region, department, iban, bic;
  std::string created_by;
  TimestampMs created_at = 0;
};

struct MemberRecord {
  std::string user_id;
  std::string display_name;
  std::string role;
  TimestampMs joined_at = 0;
};

// One transaction on the database. Every method runs inside the
// transaction that Store::read or Store::write opened; write methods called
// from a read transaction throw. Not safe to share between threads.
class Tx {
 public:
  virtual ~Tx() = default;

  virtual std::optional<UserRecord> user_by_id(const std::string& id) = 0;
  virtual std::optional<UserRecord> user_by_email(const std::string& email_norm) = 0;
  // False when the normalised email is already taken (nothing written).
  virtual bool insert_user(const UserRecord& user) = 0;

  virtual void insert_session(const SessionRecord& session) = 0;
  // The session whose token hashes to token_hash and that expires after now.
  virtual std::optional<SessionRecord> live_session(const std::string& token_hash,
                                                    TimestampMs now) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;

  // Failed logins counted per key ("acct:…", "addr:…") in a fixed window
  // starting at the first failure; a failure after the window starts a new one.
  virtual std::int64_t login_failures(const std::string& key, TimestampMs window_start) = 0;
  virtual void record_login_failure(const std::string& key, TimestampMs now,
                                    TimestampMs window_start) = 0;
  virtual void clear_login_failures(const std::string& key) = 0;

  virtual void insert_org(const OrgRecord& org) = 0;
  virtual void update_org(const OrgRecord& org) = 0;
  virtual std::optional<OrgRecord> org_by_id(const std::string& id) = 0;
  // Newest first.
  virtual std::vector<OrgRecord> list_orgs(std::int64_t limit, std::int64_t offset) = 0;
  virtual std::vector<OrgRecord> orgs_of_user(const std::string& user_id) = 0;

  virtual std::optional<std::string> member_role(const std::string& org_id,
                                                 const std::string& user_id) = 0;
  // False when the user is already a member (nothing written).
  virtual bool insert_member(const std::string& org_id, const std::string& user_id,
                             const std::string& role, TimestampMs joined_at) = 0;
  // False when the user was not a member.
  virtual bool delete_member(const std::string& org_id, const std::string& user_id) = 0;
  virtual std::int64_t count_members_with_role(const std::string& org_id,
                                               const std::string& role) = 0;
  // Ordered by joined_at then user_id.
  virtual std::vector<MemberRecord> members(const std::string& org_id, std::int64_t limit,
                                            std::int64_t offset) = 0;
};

// The database. Safe to use from many threads. Never call it from an io
// thread: it blocks on disk.
class Store {
 public:
  virtual ~Store() = default;
  // Runs fn on a read connection.
  virtual void read(const std::function<void(Tx&)>& fn) = 0;
  // Runs fn in a write transaction: committed when fn returns true, rolled
  // back when it returns false or throws (the exception propagates). Returns
  // only once the outcome is durable.
  virtual void write(const std::function<bool(Tx&)>& fn) = 0;
};

// Password hashing, tokens and digests. Safe to use from many threads.
class Crypto {
 public:
  virtual ~Crypto() = default;
  // argon2id; runs on a bounded pool, blocking the caller until done.
  virtual std::string hash_password(const std::string& password) = 0;
  virtual bool verify_password(const std::string& hash, const std::string& password) = 0;
  // A new random token of at least 128 bits, URL-safe.
  virtual std::string random_token() = 0;
  // A new random identifier (128 bits, hex).
  virtual std::string random_id() = 0;
  virtual std::string sha256_hex(const std::string& data) = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimestampMs now() const = 0;
};

}  // namespace essor::app
