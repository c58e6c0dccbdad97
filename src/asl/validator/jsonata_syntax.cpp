#include "asl/validator/jsonata_syntax.hpp"

#include "query/syntax_error.hpp"

#include <cctype>

namespace stepline::asl::validation {

bool is_jsonata_expression(std::string_view text) {
  return text.size() >= 4 && text.starts_with("{%") && text.ends_with("%}");
}

std::string_view jsonata_body(std::string_view text) {
  return text.substr(2, text.size() - 4);
}

void check_jsonata_expression(std::string_view text) {
  if (!is_jsonata_expression(text)) throw query::SyntaxError("Not a JSONata expression");
  for (char c : jsonata_body(text))
    if (!std::isspace(static_cast<unsigned char>(c))) return;
  throw query::SyntaxError("Empty JSONata expression");
}

}  // namespace stepline::asl::validation
