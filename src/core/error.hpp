// Errors as values. An Error names what went wrong for the caller
// (a stable snake_case `code` from spec/api.md), a human message, and, for
// validation, the problem with each field. `kind` tells the outer layers how
// to answer (the web layer maps it to an HTTP status).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace essor::core {

enum class ErrorKind {
  validation,         // 400
  invalid_json,       // 400
  unauthenticated,    // 401
  forbidden,          // 403
  not_found,          // 404
  conflict,           // 409
  payload_too_large,  // 413
  unprocessable,      // 422
  rate_limited,       // 429
  unavailable,        // 503
  internal,           // 500
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string code;
  std::string message;
  std::map<std::string, std::string> fields;
  std::int64_t retry_after_s = 0;  // rate_limited: when to try again (0: not said)

  static Error validation(std::map<std::string, std::string> fields,
                          std::string message = "Some fields are not valid.");
  static Error not_found(std::string message = "Not found.");
  static Error forbidden(std::string message = "You are not allowed to do this.");
  static Error unauthenticated(std::string message = "Sign in first.");
  static Error conflict(std::string code, std::string message);
};

// Result<T>: a T or an Error. [[nodiscard]] so that an ignored failure is a
// compile error (Abseil tip #181).
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(Error error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  const T& value() const& { return std::get<0>(state_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() {
  return Unit{};
}

}  // namespace essor::core
