#include "adapters/camt053_expat.hpp"

#include <expat.h>

#include <optional>
#include <string>
#include <vector>

namespace essor::adapters {

namespace {

constexpr std::string_view kNamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:camt.053.";

struct State {
  XML_Parser parser = nullptr;
  std::string problem;
  bool saw_root = false;
  std::vector<std::string> path;  // local names from the root
  std::string text;
  std::vector<app::StatementEntry> entries;
  std::optional<app::StatementEntry> entry;
  std::string acct_svcr_ref;
  bool amount_seen = false;

  void stop(std::string why) {
    if (problem.empty()) problem = std::move(why);
    XML_StopParser(parser, XML_FALSE);
  }
  bool in_entry_at(std::size_t depth_below_entry, std::string_view name) const {
    // .../Ntry/<…>/name with depth_below_entry elements between.
    if (path.size() < depth_below_entry + 2) return false;
    return path[path.size() - depth_below_entry - 2] == "Ntry" && path.back() == name;
  }
};

// "ns<sep>local" → local; the namespace checked on the root only.
std::string_view local_name(const XML_Char* name, std::string_view* ns = nullptr) {
  std::string_view full(name);
  const auto sep = full.find('|');
  if (sep == std::string_view::npos) {
    if (ns) *ns = {};
    return full;
  }
  if (ns) *ns = full.substr(0, sep);
  return full.substr(sep + 1);
}

std::optional<core::Cents> decimal_cents(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t'))
    text.remove_suffix(1);
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t whole = 0, fraction = 0;
  int decimals = -1;
  for (char c : text) {
    if (c == '.') {
      if (decimals >= 0) return std::nullopt;
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (decimals >= 0) {
      if (++decimals > 2) return std::nullopt;
      fraction = fraction * 10 + (c - '0');
    } else {
      whole = whole * 10 + (c - '0');
    }
  }
  if (decimals == 1) fraction *= 10;
  if (decimals == 0) return std::nullopt;
  return core::Cents{whole * 100 + fraction};
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& s = *static_cast<State*>(data);
  std::string_view ns;
  const auto local = local_name(name, &ns);
  if (!s.saw_root) {
    s.saw_root = true;
    if (local != "Document" || !ns.starts_with(kNamespacePrefix))
      return s.stop("not a CAMT.053 statement (namespace " + std::string(kNamespacePrefix) +
                    "…, root Document)");
  }
  s.path.emplace_back(local);
  s.text.clear();
  if (local == "Ntry" && s.path.size() >= 2 && s.path[s.path.size() - 2] == "Stmt") {
    s.entry.emplace();
    s.acct_svcr_ref.clear();
    s.amount_seen = false;
  }
  if (s.entry && local == "Amt" && s.path.size() >= 2 && s.path[s.path.size() - 2] == "Ntry") {
    for (const XML_Char** a = attributes; a && *a; a += 2) {
      if (local_name(a[0]) == "Ccy") s.entry->currency = a[1];
    }
  }
}

void XMLCALL on_end(void* data, const XML_Char* name) {
  auto& s = *static_cast<State*>(data);
  const auto local = local_name(name);
  if (s.entry) {
    if (s.in_entry_at(0, "Amt")) {
      auto cents = decimal_cents(s.text);
      if (!cents) return s.stop("an entry's amount is not a decimal with at most two places");
      s.entry->amount_cents = *cents;
      s.amount_seen = true;
    } else if (s.in_entry_at(0, "CdtDbtInd")) {
      s.entry->credit = s.text == "CRDT";
    } else if (s.in_entry_at(0, "NtryRef")) {
      s.entry->entry_ref = s.text;
    } else if (s.in_entry_at(0, "AcctSvcrRef")) {
      s.acct_svcr_ref = s.text;
    } else if (local == "Ustrd") {
      if (!s.entry->remittance.empty()) s.entry->remittance += ' ';
      s.entry->remittance += s.text;
    } else if (local == "Ntry" && s.path.size() >= 2 && s.path[s.path.size() - 2] == "Stmt") {
      if (!s.amount_seen) return s.stop("an entry has no amount");
      if (s.entry->entry_ref.empty()) s.entry->entry_ref = s.acct_svcr_ref;
      if (s.entry->entry_ref.empty())
        s.entry->entry_ref = "#" + std::to_string(s.entries.size() + 1);
      s.entries.push_back(std::move(*s.entry));
      s.entry.reset();
    }
  }
  if (!s.path.empty()) s.path.pop_back();
  s.text.clear();
}

void XMLCALL on_text(void* data, const XML_Char* text, int length) {
  auto& s = *static_cast<State*>(data);
  if (s.text.size() + static_cast<std::size_t>(length) > 4096)
    return s.stop("a text of the statement is too long");
  s.text.append(text, static_cast<std::size_t>(length));
}

// A statement never declares a DTD: refusing one refuses every entity
// (billion laughs, external entities) before it is read.
void XMLCALL on_doctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  static_cast<State*>(data)->stop("a DTD is not allowed in a statement");
}

void XMLCALL on_entity(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                       const XML_Char*, const XML_Char*, const XML_Char*) {
  static_cast<State*>(data)->stop("an entity declaration is not allowed in a statement");
}

class Camt053Reader final : public app::StatementReader {
 public:
  core::Result<std::vector<app::StatementEntry>> entries(std::string_view xml) const override {
    State state;
    XML_Parser parser = XML_ParserCreateNS("UTF-8", '|');
    if (!parser) return core::Error::validation({{"statement", "could not be read"}});
    state.parser = parser;
    XML_SetUserData(parser, &state);
    XML_SetElementHandler(parser, on_start, on_end);
    XML_SetCharacterDataHandler(parser, on_text);
    XML_SetStartDoctypeDeclHandler(parser, on_doctype);
    XML_SetEntityDeclHandler(parser, on_entity);
    XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);
    const auto status = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
    std::string problem = state.problem;
    if (problem.empty() && status != XML_STATUS_OK) {
      problem = std::string("malformed XML: ") + XML_ErrorString(XML_GetErrorCode(parser)) +
                " (line " + std::to_string(XML_GetCurrentLineNumber(parser)) + ")";
    }
    if (problem.empty() && !state.saw_root) problem = "empty statement";
    XML_ParserFree(parser);
    if (!problem.empty()) return core::Error::validation({{"statement", problem}});
    return std::move(state.entries);
  }
};

}  // namespace

std::unique_ptr<app::StatementReader> make_camt053_reader() {
  return std::make_unique<Camt053Reader>();
}

}  // namespace essor::adapters
