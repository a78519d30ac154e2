// Where tests keep their databases. Suites are parameterised by back end:
// "sqlite" always runs; "postgresql" runs when ESSOR_TEST_PG_URL is set
// (CI sets it) and is skipped otherwise.
#pragma once

#include <string>
#include <vector>

namespace essor::testing {

std::vector<std::string> backends();  // {"sqlite", "postgresql"}
bool backend_available(const std::string& backend);
// A new, empty, unmigrated database for one test: a file in a fresh temporary
// directory (SQLite) or a fresh schema named after the suite (PostgreSQL).
std::string fresh_database_url(const std::string& backend, const std::string& suite);

}  // namespace essor::testing
