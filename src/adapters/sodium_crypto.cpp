#include "adapters/sodium_crypto.hpp"

#include <pthread.h>
#include <sodium.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace essor::adapters {
namespace {

// A fixed set of threads taking tasks from a bounded queue.
class BoundedPool {
 public:
  explicit BoundedPool(int threads) {
    for (int idx = 0; idx < threads; ++idx) {
      workers_.emplace_back([this] {
        pthread_setname_np(pthread_self(), "essor-hash");  // for top -H and perf
        run();
      });
    }
  }
  ~BoundedPool() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    ready_.notify_all();
    for (auto& worker : workers_) worker.join();
  }

  template <class T>
  T run_task(std::function<T()> task) {
    // Shared with the worker: the caller may wake and return while the
    // worker is still finishing the task's call, so neither may own it alone.
    auto packaged = std::make_shared<std::packaged_task<T()>>(std::move(task));
    auto result = packaged->get_future();
    {
      std::unique_lock lock(mutex_);
      space_.wait(lock, [&] { return tasks_.size() < kMaxQueued; });
      tasks_.emplace_back([packaged] { (*packaged)(); });
    }
    ready_.notify_one();
    return result.get();
  }

 private:
  static constexpr std::size_t kMaxQueued = 256;

  void run() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      space_.notify_one();
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<std::function<void()>> tasks_;  // GUARDED_BY(mutex_)
  bool stopping_ = false;                    // GUARDED_BY(mutex_)
  std::vector<std::thread> workers_;
};

std::string to_hex(const unsigned char* bytes, std::size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

constexpr int kBase64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

// Crypto::seal's key: BLAKE2b of the text given, in a domain of its own
// (the same text used elsewhere, a ballot key's hashes, gives another key).
std::array<unsigned char, crypto_secretbox_KEYBYTES> sealing_key(const std::string& key) {
  static constexpr char kDomain[] = "essor sealed text v1\n";
  std::array<unsigned char, crypto_secretbox_KEYBYTES> out{};
  crypto_generichash_state state;
  crypto_generichash_init(&state, nullptr, 0, out.size());
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kDomain),
                            sizeof kDomain - 1);
  crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
  crypto_generichash_final(&state, out.data(), out.size());
  return out;
}

class SodiumCrypto final : public app::Crypto {
 public:
  explicit SodiumCrypto(const PasswordHashing& options)
      : options_(options), pool_(options.hash_threads) {}

  std::string hash_password(const std::string& password) override {
    return pool_.run_task<std::string>([&] {
      char out[crypto_pwhash_STRBYTES];
      if (crypto_pwhash_str_alg(out, password.data(), password.size(), options_.ops_limit,
                                options_.mem_limit_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("out of memory while hashing a password");
      }
      return std::string(out);
    });
  }

  bool verify_password(const std::string& hash, const std::string& password) override {
    if (hash.size() >= crypto_pwhash_STRBYTES) return false;
    return pool_.run_task<bool>([&] {
      return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
    });
  }

  std::string random_token() override {
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    char out[64];
    sodium_bin2base64(out, sizeof out, bytes, sizeof bytes,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
  }

  // 48 bits of the wall clock's milliseconds, then 80 random bits: ids made
  // one after another sort one after another, so a new row's key lands on
  // the last page of each index instead of a random one (a batch of pledges
  // then rewrites a few pages, not one per row and index).
  std::string random_id() override {
    unsigned char bytes[16];
    const auto ms =
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
    for (int idx = 0; idx < 6; ++idx)
      bytes[idx] = static_cast<unsigned char>(ms >> (8 * (5 - idx)));
    randombytes_buf(bytes + 6, sizeof bytes - 6);
    return to_hex(bytes, sizeof bytes);
  }

  std::string undated_id() override {
    unsigned char bytes[16];
    randombytes_buf(bytes, sizeof bytes);
    return to_hex(bytes, sizeof bytes);
  }

  std::string seal(const std::string& key, const std::string& plaintext) override {
    const auto secret = sealing_key(key);
    std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(),
                    '\0');
    auto* bytes = reinterpret_cast<unsigned char*>(out.data());
    randombytes_buf(bytes, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(bytes + crypto_secretbox_NONCEBYTES,
                          reinterpret_cast<const unsigned char*>(plaintext.data()),
                          plaintext.size(), bytes, secret.data());
    std::string text(sodium_base64_ENCODED_LEN(out.size(), kBase64), '\0');
    sodium_bin2base64(text.data(), text.size(), bytes, out.size(), kBase64);
    text.resize(std::strlen(text.c_str()));
    return text;
  }

  std::optional<std::string> unseal(const std::string& key, const std::string& sealed) override {
    std::string bytes(sealed.size(), '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                          sealed.data(), sealed.size(), nullptr, &length, nullptr, kBase64) != 0 ||
        length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
      return std::nullopt;
    const auto secret = sealing_key(key);
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    std::string out(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(out.data()),
                                   in + crypto_secretbox_NONCEBYTES,
                                   length - crypto_secretbox_NONCEBYTES, in, secret.data()) != 0)
      return std::nullopt;
    return out;
  }

  std::string sha256_hex(const std::string& data) override {
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(data.data()), data.size());
    return to_hex(digest, sizeof digest);
  }

  std::string hmac_sha256_hex(const std::string& key, const std::string& message) override {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                  message.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    return to_hex(mac, sizeof mac);
  }

 private:
  PasswordHashing options_;
  BoundedPool pool_;
};

}  // namespace

std::unique_ptr<app::Crypto> make_sodium_crypto(const PasswordHashing& options) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  return std::make_unique<SodiumCrypto>(options);
}

}  // namespace essor::adapters
