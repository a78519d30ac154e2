// France's regions drawn by the server as an SVG choropleth (no tile
// server, no script): each region's simplified outline, shaded by a value,
// with its name and figures as the shape's <title>; the five overseas
// regions as labelled boxes. An image the page's table repeats in full.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace essor::web {

struct MapRegionValue {
  std::int64_t value = 0;  // what shades it (0: no activity, light grey)
  std::string title;       // the tooltip and the shape's accessible name
};

// regions: by INSEE code. caption_id: the id of the element that
// describes the image (aria-labelledby).
std::string france_regions_svg(const std::map<std::string, MapRegionValue>& regions,
                               const std::string& caption_id);

}  // namespace essor::web
