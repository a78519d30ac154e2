#include "support/test_env.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string_view>

#include "store/database.hpp"

namespace essor::testing {

std::vector<std::string> backends() {
  return {"sqlite", "postgresql"};
}

bool backend_available(const std::string& backend) {
  if (backend == "sqlite") return true;
  const char* url = std::getenv("ESSOR_TEST_PG_URL");
  return url != nullptr && *url != '\0';
}

std::string fresh_database_url(const std::string& backend, const std::string& suite) {
  static std::atomic<int> counter{0};
  if (backend == "sqlite") {
    std::random_device random;
    const auto dir =
        std::filesystem::temp_directory_path() /
        ("essor-test-" + suite + "-" + std::to_string(random()) + "-" + std::to_string(counter++));
    std::filesystem::create_directories(dir);
    return "sqlite:" + (dir / "essor.db").string();
  }
  const char* base = std::getenv("ESSOR_TEST_PG_URL");
  if (!base) throw std::runtime_error("ESSOR_TEST_PG_URL is not set");
  return store::fresh_postgresql_schema(
      base, "t_" + suite + "_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
}

void drop_database(const std::string& url) {
  constexpr std::string_view sqlite = "sqlite:";
  if (url.starts_with(sqlite)) {
    std::error_code ignored;
    std::filesystem::remove_all(std::filesystem::path(url.substr(sqlite.size())).parent_path(),
                                ignored);
    return;
  }
  constexpr std::string_view option = "search_path%3D";
  const auto at = url.find(option);
  const char* base = std::getenv("ESSOR_TEST_PG_URL");
  if (at == std::string::npos || !base) return;
  store::execute_for_tests(base,
                           "DROP SCHEMA IF EXISTS " + url.substr(at + option.size()) + " CASCADE");
}

}  // namespace essor::testing
