// Atom feeds (RFC 4287): a feed with its entries, text escaped for XML.
#pragma once

#include <string>
#include <vector>

#include "core/time.hpp"

namespace essor::core {

struct AtomEntry {
  std::string id;  // a permanent URI
  std::string title;
  std::string link;  // absolute URL of the entry's page
  std::string author;
  TimestampMs updated = 0;
  std::string content_html;  // already safe HTML (escaped again as text here)
};

struct AtomFeed {
  std::string id;  // a permanent URI
  std::string title;
  std::string link;       // the page the feed is about
  std::string self_link;  // the feed's own URL
  TimestampMs updated = 0;
  std::vector<AtomEntry> entries;
};

std::string atom_xml(const AtomFeed& feed);
// & < > " ' as entities; control characters XML forbids are dropped.
std::string xml_escape(const std::string& text);

}  // namespace essor::core
