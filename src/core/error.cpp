#include "core/error.hpp"

namespace essor::core {

Error Error::validation(std::map<std::string, std::string> fields, std::string message) {
  return Error{ErrorKind::validation, "validation_failed", std::move(message), std::move(fields)};
}
Error Error::not_found(std::string message) {
  return Error{ErrorKind::not_found, "not_found", std::move(message), {}};
}
Error Error::forbidden(std::string message) {
  return Error{ErrorKind::forbidden, "forbidden", std::move(message), {}};
}
Error Error::unauthenticated(std::string message) {
  return Error{ErrorKind::unauthenticated, "unauthenticated", std::move(message), {}};
}
Error Error::conflict(std::string code, std::string message) {
  return Error{ErrorKind::conflict, std::move(code), std::move(message), {}};
}

}  // namespace essor::core
