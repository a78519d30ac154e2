// iCalendar, Atom and mail formatting: the laws a reader of each format
// relies on, checked over many generated texts (property tests) and on
// hand cases.
#include <gtest/gtest.h>

#include <random>

#include "adapters/smtp_mailer.hpp"
#include "core/atom.hpp"
#include "core/icalendar.hpp"
#include "core/validation.hpp"

namespace essor {
namespace {

// Texts mixing ASCII, the characters each format escapes, and multi-byte
// UTF-8 (é, €, emoji).
std::string random_text(std::mt19937& rng, std::size_t max_len) {
  static const std::vector<std::string> pieces = {"a", "Z", " ", ",", ";", "\\", "\n", ":", "é",
                                                  "€", "😀", "<", ">", "&", "\"", "'",  "=", "."};
  std::uniform_int_distribution<std::size_t> len(0, max_len), pick(0, pieces.size() - 1);
  std::string out;
  for (std::size_t i = len(rng); i > 0; --i) out += pieces[pick(rng)];
  return out;
}

// The logical lines of an iCalendar document: CRLF ends, folded lines
// joined back.
std::vector<std::string> unfold(const std::string& ics) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < ics.size()) {
    const auto end = ics.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    if (end == std::string::npos) break;
    const std::string physical = ics.substr(start, end - start);
    EXPECT_LE(physical.size(), 75u) << physical;
    EXPECT_TRUE(core::is_valid_utf8(physical)) << "a fold never cuts a character";
    if (!physical.empty() && physical[0] == ' ') {
      lines.back() += physical.substr(1);
    } else {
      lines.push_back(physical);
    }
    start = end + 2;
  }
  return lines;
}

std::string ical_unescape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char next = text[++i];
      out += next == 'n' ? '\n' : next;
    } else {
      out += text[i];
    }
  }
  return out;
}

TEST(ICalendar, FoldsEscapesAndRoundTripsAnyText) {
  std::mt19937 rng(20261126);
  for (int round = 0; round < 500; ++round) {
    core::CalendarEvent e;
    e.uid = "id" + std::to_string(round) + "@essor";
    e.stamp = 1'790'000'000'000;
    e.starts_at = 1'800'000'000'000;
    e.ends_at = e.starts_at + 3'600'000;
    e.summary = random_text(rng, 120);
    e.description = random_text(rng, 400);
    const auto lines = unfold(core::icalendar("Cal", {e}));
    std::map<std::string, std::string> fields;
    for (const auto& line : lines) {
      const auto colon = line.find(':');
      ASSERT_NE(colon, std::string::npos) << line;
      fields[line.substr(0, colon)] = line.substr(colon + 1);
    }
    EXPECT_EQ(ical_unescape(fields["SUMMARY"]), e.summary);
    if (!e.description.empty()) {
      EXPECT_EQ(ical_unescape(fields["DESCRIPTION"]), e.description);
    }
    EXPECT_EQ(fields["DTSTART"], "20270115T080000Z");
    EXPECT_EQ(fields["DTEND"], "20270115T090000Z");
    EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
    EXPECT_EQ(lines.back(), "END:VCALENDAR");
  }
}

TEST(Atom, EscapesEverythingAReaderWouldTakeForMarkup) {
  EXPECT_EQ(core::xml_escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(core::xml_escape(std::string("x\x01y\x1Fz\n", 6)), "xyz\n");
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    const std::string escaped = core::xml_escape(random_text(rng, 200));
    EXPECT_EQ(escaped.find('<'), std::string::npos);
    EXPECT_EQ(escaped.find('"'), std::string::npos);
  }
  core::AtomFeed feed{"urn:x", "Les <Fours>", "http://h/", "http://h/f.atom", 0, {}};
  const std::string xml = core::atom_xml(feed);
  EXPECT_NE(xml.find("<title>Les &lt;Fours&gt;</title>"), std::string::npos);
  EXPECT_NE(xml.find("<author><name>"), std::string::npos)
      << "a feed with no entry names an author";
}

// Decodes quoted-printable as a mail reader does.
std::string qp_decode(const std::string& body) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '=' && i + 2 < body.size() && body[i + 1] == '\r' && body[i + 2] == '\n') {
      i += 2;  // soft break
    } else if (body[i] == '=' && i + 2 < body.size()) {
      out += static_cast<char>(std::stoi(body.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (body[i] == '\r') {
      continue;
    } else {
      out += body[i];
    }
  }
  return out;
}

TEST(Mail, QuotedPrintableBodiesDecodeToTheTextAndNoHeaderCanBeInjected) {
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    std::string text = random_text(rng, 600);
    const std::string message = adapters::rfc5322_message(
        {"a@b.example", "Sujet", text, "http://h/unsubscribe/t"}, "essor@h", "id@h", 0);
    const auto blank = message.find("\r\n\r\n");
    ASSERT_NE(blank, std::string::npos);
    const std::string body = message.substr(blank + 4);
    std::size_t start = 0;
    while (start < body.size()) {
      const auto end = body.find("\r\n", start);
      ASSERT_NE(end, std::string::npos);
      EXPECT_LE(end - start, 76u);
      for (std::size_t i = start; i < end; ++i)
        EXPECT_LT(static_cast<unsigned char>(body[i]), 0x80) << "7-bit only";
      start = end + 2;
    }
    // Trailing spaces are encoded, so the decoded text is the text (line
    // ends as LF), give or take a final line feed.
    std::string decoded = qp_decode(body);
    if (!decoded.empty() && decoded.back() == '\n' && (text.empty() || text.back() != '\n'))
      decoded.pop_back();
    EXPECT_EQ(decoded, text);
  }
  const std::string evil = adapters::rfc5322_message(
      {"a@b.example\r\nBcc: c@d.example", "Bonjour\r\nBcc: e@f.example", "x", ""}, "essor@h",
      "id@h", 0);
  EXPECT_EQ(evil.find("\r\nBcc:"), std::string::npos);
  EXPECT_NE(evil.find("Subject: Bonjour  Bcc: e@f.example\r\n"), std::string::npos);
  EXPECT_NE(adapters::rfc5322_message({"a@b.example", "Réunion", "x", ""}, "e@h", "i@h", 0)
                .find("Subject: =?UTF-8?B?UsOpdW5pb24=?=\r\n"),
            std::string::npos);
  EXPECT_NE(evil.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
}

}  // namespace
}  // namespace essor
