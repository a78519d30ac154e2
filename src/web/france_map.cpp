#include "web/france_map.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "core/atom.hpp"
#include "core/territory.hpp"

namespace essor::web {

namespace {

struct Outline {
  const char* code;
  std::vector<std::pair<double, double>> points;  // (longitude, latitude), simplified
};

// Metropolitan regions, simplified to a few dozen points that neighbours
// share, enough to recognise the map at a glance.
const std::vector<Outline>& outlines() {
  static const std::vector<Outline> all = {
      {"53",
       {{-1.5, 48.63},
        {-1.07, 48.5},
        {-1.1, 48.0},
        {-1.25, 47.75},
        {-2.1, 47.55},
        {-2.45, 47.5},
        {-3.5, 47.7},
        {-4.4, 47.8},
        {-4.8, 48.4},
        {-4.2, 48.7},
        {-3.0, 48.85},
        {-2.0, 48.6}}},
      {"28",
       {{-1.5, 48.63},
        {-1.8, 49.3},
        {-1.9, 49.7},
        {-1.25, 49.7},
        {-1.1, 49.35},
        {0.2, 49.45},
        {1.0, 49.9},
        {1.7, 50.05},
        {1.8, 49.7},
        {1.7, 49.25},
        {1.55, 48.75},
        {1.0, 48.6},
        {0.8, 48.35},
        {0.2, 48.5},
        {-0.6, 48.45},
        {-1.07, 48.5}}},
      {"32",
       {{1.7, 50.05},
        {1.6, 50.9},
        {2.55, 51.09},
        {3.2, 50.75},
        {4.2, 50.3},
        {4.8, 50.0},
        {4.2, 49.5},
        {3.6, 49.1},
        {3.45, 48.95},
        {3.1, 49.1},
        {2.6, 49.2},
        {1.7, 49.25},
        {1.8, 49.7}}},
      {"11",
       {{1.7, 49.25},
        {2.6, 49.2},
        {3.1, 49.1},
        {3.45, 48.95},
        {3.4, 48.4},
        {2.9, 48.15},
        {2.2, 48.15},
        {1.95, 48.3},
        {1.55, 48.75}}},
      {"44",
       {{4.8, 50.0},
        {5.4, 49.6},
        {6.4, 49.5},
        {7.6, 49.05},
        {8.2, 48.95},
        {7.6, 47.6},
        {7.15, 47.5},
        {6.8, 47.8},
        {5.9, 47.8},
        {5.4, 47.6},
        {4.8, 47.8},
        {4.0, 47.95},
        {3.5, 48.15},
        {3.4, 48.4},
        {3.45, 48.95},
        {3.6, 49.1},
        {4.2, 49.5}}},
      {"27",
       {{2.9, 48.15},
        {3.4, 48.4},
        {3.5, 48.15},
        {4.0, 47.95},
        {4.8, 47.8},
        {5.4, 47.6},
        {5.9, 47.8},
        {6.8, 47.8},
        {7.15, 47.5},
        {6.9, 47.3},
        {6.1, 46.6},
        {6.1, 46.4},
        {5.4, 46.3},
        {4.8, 46.2},
        {4.3, 46.2},
        {3.9, 46.3},
        {3.6, 46.6},
        {3.0, 46.8},
        {2.9, 47.3}}},
      {"24",
       {{1.55, 48.75},
        {1.95, 48.3},
        {2.2, 48.15},
        {2.9, 48.15},
        {2.9, 47.3},
        {3.0, 46.8},
        {2.6, 46.55},
        {2.2, 46.4},
        {1.4, 46.35},
        {0.9, 46.6},
        {0.3, 46.95},
        {0.05, 47.25},
        {0.2, 47.6},
        {0.7, 47.9},
        {0.8, 48.35},
        {1.0, 48.6}}},
      {"52",
       {{-1.07, 48.5},
        {-0.6, 48.45},
        {0.2, 48.5},
        {0.8, 48.35},
        {0.7, 47.9},
        {0.2, 47.6},
        {0.05, 47.25},
        {-0.1, 47.1},
        {-0.6, 46.9},
        {-0.8, 46.5},
        {-1.1, 46.3},
        {-1.8, 46.5},
        {-2.2, 46.9},
        {-2.05, 47.15},
        {-2.45, 47.5},
        {-2.1, 47.55},
        {-1.25, 47.75},
        {-1.1, 48.0}}},
      {"75", {{-1.1, 46.3},  {-0.8, 46.5},  {-0.6, 46.9},  {-0.1, 47.1}, {0.05, 47.25},
              {0.3, 46.95},  {0.9, 46.6},   {1.4, 46.35},  {2.2, 46.4},  {2.5, 46.0},
              {2.3, 45.5},   {2.4, 45.1},   {2.1, 44.9},   {1.4, 45.05}, {0.95, 44.6},
              {0.6, 44.2},   {0.1, 43.9},   {-0.2, 43.6},  {-0.1, 43.3}, {-0.3, 42.85},
              {-1.8, 43.35}, {-1.45, 43.6}, {-1.25, 44.6}, {-1.1, 45.5}, {-1.2, 46.0}}},
      {"84", {{2.2, 46.4}, {2.6, 46.55},  {3.0, 46.8},  {3.6, 46.6},  {3.9, 46.3},  {4.3, 46.2},
              {4.8, 46.2}, {5.4, 46.3},   {6.1, 46.4},  {6.8, 46.4},  {7.0, 46.0},  {7.0, 45.5},
              {6.9, 45.1}, {6.25, 44.85}, {5.6, 44.45}, {5.05, 44.2}, {4.65, 44.3}, {4.0, 44.4},
              {3.9, 44.6}, {3.3, 44.85},  {2.9, 44.8},  {2.5, 44.7},  {2.1, 44.9},  {2.4, 45.1},
              {2.3, 45.5}, {2.5, 46.0}}},
      {"76", {{2.1, 44.9},  {2.5, 44.7},   {2.9, 44.8}, {3.3, 44.85}, {3.9, 44.6},   {4.0, 44.4},
              {4.65, 44.3}, {4.7, 44.0},   {4.6, 43.7}, {4.3, 43.45}, {4.1, 43.55},  {3.5, 43.3},
              {3.05, 43.0}, {3.15, 42.43}, {1.7, 42.5}, {0.7, 42.7},  {-0.3, 42.85}, {-0.1, 43.3},
              {-0.2, 43.6}, {0.1, 43.9},   {0.6, 44.2}, {0.95, 44.6}, {1.4, 45.05}}},
      {"93",
       {{4.65, 44.3},
        {5.05, 44.2},
        {5.6, 44.45},
        {6.25, 44.85},
        {6.9, 45.1},
        {7.0, 44.85},
        {6.9, 44.4},
        {7.7, 44.15},
        {7.5, 43.78},
        {7.0, 43.55},
        {6.6, 43.15},
        {6.0, 43.1},
        {5.35, 43.25},
        {4.9, 43.35},
        {4.3, 43.45},
        {4.6, 43.7},
        {4.7, 44.0}}},
      {"94",
       {{9.4, 43.0},
        {9.5, 42.6},
        {9.55, 42.1},
        {9.2, 41.4},
        {8.8, 41.55},
        {8.6, 41.9},
        {8.6, 42.3},
        {9.0, 42.65},
        {9.35, 43.0}}},
  };
  return all;
}

double x_of(double lon) {
  return (lon + 5.2) * 72.0;
}
double y_of(double lat) {
  return (51.4 - lat) * 100.0;
}

std::string number(double value) {
  return std::to_string(static_cast<long>(value + 0.5));
}

// Five shades from light to dark (enough contrast with the text on each:
// the labels are drawn on a white halo).
const char* shade(std::int64_t value, std::int64_t most) {
  static const char* const kShades[5] = {"#d6e6f2", "#a9c9e2", "#6fa3cc", "#3a78ad", "#1f4e79"};
  if (value <= 0 || most <= 0) return "#eeeeee";
  const auto step = std::min<std::int64_t>(4, value * 5 / (most + 1));
  return kShades[step];
}

// The map's label: long names shortened as French maps print them.
std::string label_of(const std::string& code, const std::string& name) {
  if (code == "93") return "PACA";
  if (code == "84") return "Auvergne-Rhône-A.";
  if (code == "27") return "Bourgogne-F.-C.";
  if (code == "24") return "Centre-Val de L.";
  if (code == "75") return "Nouvelle-Aquit.";
  if (code == "32") return "Hauts-de-Fr.";
  return name;
}

std::string region_shape(const std::string& path_or_rect, const std::string& code,
                         const MapRegionValue& value, std::int64_t most, double label_x,
                         double label_y) {
  const std::string name = core::region_name(code).value_or(code);
  std::string out = "<g>";
  out += "<title>" + core::xml_escape(value.title.empty() ? name : value.title) + "</title>";
  out += path_or_rect;
  out.insert(out.size() - 2, std::string(" fill=\"") + shade(value.value, most) +
                                 "\" stroke=\"#ffffff\" stroke-width=\"2\"");
  out += "<text x=\"" + number(label_x) + "\" y=\"" + number(label_y) +
         "\" font-size=\"21\" text-anchor=\"middle\" fill=\"#1b1b1b\" stroke=\"#ffffff\" "
         "stroke-width=\"3\" paint-order=\"stroke\">" +
         core::xml_escape(label_of(code, name)) + "</text>";
  return out + "</g>";
}

}  // namespace

std::string france_regions_svg(const std::map<std::string, MapRegionValue>& regions,
                               const std::string& caption_id) {
  std::int64_t most = 0;
  for (const auto& [code, value] : regions) most = std::max(most, value.value);
  auto value_of = [&](const std::string& code) {
    const auto it = regions.find(code);
    return it == regions.end() ? MapRegionValue{} : it->second;
  };
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1060 1060\" width=\"100%\" "
      "role=\"img\" aria-labelledby=\"" +
      caption_id + "\" class=\"france-map\">";
  for (const auto& outline : outlines()) {
    std::string d;
    double sx = 0, sy = 0;
    for (const auto& [lon, lat] : outline.points) {
      d += (d.empty() ? "M" : " L") + number(x_of(lon)) + " " + number(y_of(lat));
      sx += x_of(lon);
      sy += y_of(lat);
    }
    const auto n = static_cast<double>(outline.points.size());
    svg += region_shape("<path d=\"" + d + " Z\"/>", outline.code, value_of(outline.code), most,
                        sx / n, sy / n);
  }
  // Overseas regions: boxes in a row under the mainland, as atlases do.
  const char* const kOverseas[5] = {"01", "02", "03", "04", "06"};
  for (int idx = 0; idx < 5; ++idx) {
    const double x = 20 + idx * 150;
    const double y = 960;
    svg += region_shape("<rect x=\"" + number(x) + "\" y=\"" + number(y) +
                            "\" width=\"130\" height=\"70\" rx=\"8\"/>",
                        kOverseas[idx], value_of(kOverseas[idx]), most, x + 65, y + 42);
  }
  return svg + "</svg>";
}

}  // namespace essor::web
