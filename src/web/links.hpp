// The one place where the site's routes are spelled for links made outside
// the web layer (notifications, activities, mails): a core::Link names a
// place, path() gives its path.
#pragma once

#include <map>
#include <string>

#include "core/subject.hpp"

namespace essor::web {

std::string path(const core::Link& link);

// A shared page's Markdown with its [[Title]]s made into links to the
// pages named (title → page id), the words alone for the others.
std::string linked_md(const std::string& body_md,
                      const std::map<std::string, std::string>& linked_pages);

// The page of a notification's or an activity's row: its link, or the path
// stored with rows from before links.
template <typename Row>
std::string path_of(const Row& row) {
  return row.url.empty() ? path(row.link) : row.url;
}

}  // namespace essor::web
