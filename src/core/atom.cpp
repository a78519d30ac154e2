#include "core/atom.hpp"

namespace essor::core {

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        if (u < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
        out += c;
    }
  }
  return out;
}

std::string atom_xml(const AtomFeed& feed) {
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"fr\">\n";
  out += "  <id>" + xml_escape(feed.id) + "</id>\n";
  out += "  <title>" + xml_escape(feed.title) + "</title>\n";
  out += "  <updated>" + format_rfc3339(feed.updated) + "</updated>\n";
  out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape(feed.link) + "\"/>\n";
  out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + xml_escape(feed.self_link) +
         "\"/>\n";
  out += "  <author><name>" + xml_escape(feed.title) + "</name></author>\n";
  out += "  <generator>Essor</generator>\n";
  for (const auto& e : feed.entries) {
    out += "  <entry>\n";
    out += "    <id>" + xml_escape(e.id) + "</id>\n";
    out += "    <title>" + xml_escape(e.title) + "</title>\n";
    out += "    <updated>" + format_rfc3339(e.updated) + "</updated>\n";
    out += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + xml_escape(e.link) + "\"/>\n";
    out += "    <author><name>" + xml_escape(e.author.empty() ? "Essor" : e.author) +
           "</name></author>\n";
    out += "    <content type=\"html\">" + xml_escape(e.content_html) + "</content>\n";
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace essor::core
