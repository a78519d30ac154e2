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
// directory (SQLite) or a fresh schema named after the suite and this
// process (PostgreSQL), so that tests run side by side (ctest -j, or two
// checkouts on one server) never share one.
std::string fresh_database_url(const std::string& backend, const std::string& suite);
// Removes what fresh_database_url made (once nothing uses it).
void drop_database(const std::string& url);

}  // namespace essor::testing
