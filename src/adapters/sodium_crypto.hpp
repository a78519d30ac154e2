// app::Crypto over libsodium. argon2id runs on its own bounded pool of
// threads (never on an io thread, never more than `hash_threads` at once,
// each using ~19 MiB); callers wait for their turn. Safe from many threads.
#pragma once

#include <memory>

#include "app/ports.hpp"

namespace essor::adapters {

struct PasswordHashing {
  int hash_threads = 2;
  unsigned long long ops_limit = 2;                 // argon2id t (ASVS: t >= 2)
  std::size_t mem_limit_bytes = 19u * 1024 * 1024;  // argon2id m (ASVS: >= 19 MiB)
};

std::unique_ptr<app::Crypto> make_sodium_crypto(const PasswordHashing& options);

}  // namespace essor::adapters
