#include "support/test_env.hpp"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <stdexcept>

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
  return store::fresh_postgresql_schema(base, "t_" + suite);
}

}  // namespace essor::testing
