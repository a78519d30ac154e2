// A large, realistic data set for benchmarks and scale checks (issue "proof
// under load"): users, organisations with their admins, live campaigns and
// confirmed card pledges, each pledge with its ledger transfer on the hash
// chain, so that `essor verify` passes on the result. Written in bulk
// (prepared statements over arrays, one transaction), deterministic for a
// given seed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/ledger.hpp"

namespace essor::store {

struct DatasetSize {
  std::int64_t users = 100'000;
  std::int64_t orgs = 10'000;
  std::int64_t campaigns = 20'000;
  std::int64_t pledges = 1'000'000;
  std::uint64_t seed = 2026;
};

// Into an empty, migrated database (throws std::runtime_error when it has
// users already). Every account gets password_hash (one argon2id hash of a
// known password, computed by the caller). progress receives one line per
// step.
void generate_dataset(const std::string& url, const DatasetSize& size,
                      const std::string& password_hash, const core::Sha256Hex& sha256,
                      core::TimestampMs now,
                      const std::function<void(const std::string&)>& progress);

}  // namespace essor::store
