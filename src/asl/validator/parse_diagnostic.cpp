#include "asl/validator/parse_diagnostic.hpp"

#include <cctype>
#include <string>

namespace stepline::asl::validation {
namespace {

constexpr std::size_t kSourceExcerpt = 500;  // Jackson quotes at most this many characters

std::string source_reference(std::string_view text, std::size_t line, std::size_t column) {
  std::string out = "[Source: (String)\"";
  if (text.size() > kSourceExcerpt) {
    out += text.substr(0, kSourceExcerpt);
    out += "\"[truncated " + std::to_string(text.size() - kSourceExcerpt) + " chars]";
  } else {
    out += text;
    out += '"';
  }
  out += "; line: " + std::to_string(line) + ", column: " + std::to_string(column) + "]";
  return out;
}

// 1-based line and column of byte offset `offset`.
void position_of(std::string_view text, std::size_t offset, std::size_t& line,
                 std::size_t& column) {
  line = 1;
  column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
}

}  // namespace

Diagnostic parse_diagnostic(std::string_view text, const json::ParseError& error) {
  // A bare word where a value should start ("not a definition"): Jackson reads the whole word
  // and reports the column just past it.
  std::size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  if (start < text.size() && std::isalpha(static_cast<unsigned char>(text[start]))) {
    std::size_t end = start;
    while (end < text.size() && is_token_char(text[end])) ++end;
    const std::string_view token = text.substr(start, end - start);
    if (token != "true" && token != "false" && token != "null") {
      std::size_t line = 0, column = 0;
      position_of(text, end, line, column);
      const std::string where = source_reference(text, line, column);
      return {"ERROR", "INVALID_JSON_DESCRIPTION",
              "Unrecognized token '" + std::string(token) +
                  "': was expecting (JSON String, Number, Array, Object or token 'null', 'true' "
                  "or 'false')\n at " +
                  where,
              where};
    }
  }
  const std::string where = source_reference(text, error.line(), error.column());
  return {"ERROR", "INVALID_JSON_DESCRIPTION", std::string(error.what()) + "\n at " + where, where};
}

}  // namespace stepline::asl::validation
