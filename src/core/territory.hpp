// France's territories as INSEE codes them (regions since 2016 and
// departments), for funders' criteria and the territorial open data. An
// organisation's region may be written as its code or its name; its
// department, when given, settles it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essor::core {

struct Region {
  std::string_view code;  // "11", "84", "94"…
  std::string_view name;  // "Île-de-France"
};

struct Department {
  std::string_view code;  // "75", "2A", "971"
  std::string_view name;
  std::string_view region;  // its region's code
};

const std::vector<Region>& regions();
const std::vector<Department>& departments();

std::optional<std::string> region_name(std::string_view code);
std::optional<std::string> department_name(std::string_view code);

// The region's code of an organisation from what it wrote: the
// department's region when the department is known, else the region given
// as a code or a name (letter case and spaces ignored).
std::optional<std::string> region_code_of(std::string_view region, std::string_view department);
// The department's code when it is one ("75", "2a" → "2A", "9" → "09").
std::optional<std::string> department_code_of(std::string_view department);

}  // namespace essor::core
