#include "asl/validator/jsonata_syntax.hpp"

#include "query/jsonata/jsonata.hpp"
#include "query/syntax_error.hpp"

#include <cctype>
#include <string>

namespace stepline::asl::validation {

bool is_jsonata_expression(std::string_view text) {
  return text.size() >= 4 && text.starts_with("{%") && text.ends_with("%}");
}

std::string_view jsonata_body(std::string_view text) {
  return text.substr(2, text.size() - 4);
}

namespace {

// The JSONata parser recurses once per operator, bracket and path step and has no depth limit
// of its own yet, so an adversarial definition ("1+1+1+..." thousands of times) would exhaust
// the stack. Operator characters outside string literals bound that recursion; real expressions
// stay far below this budget.
constexpr std::size_t kMaxOperatorCharacters = 1000;

std::size_t operator_characters(std::string_view body) {
  std::size_t count = 0;
  char quote = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (in_string_literal(body, i, quote)) continue;
    const char c = body[i];
    const auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u)) {
      // The word operators chain like symbols do.
      std::size_t end = i;
      while (end < body.size() && std::isalnum(static_cast<unsigned char>(body[end]))) ++end;
      const std::string_view word = body.substr(i, end - i);
      if (word == "and" || word == "or" || word == "in") ++count;
      i = end - 1;
      continue;
    }
    if (!std::isdigit(u) && !std::isspace(u) && c != '_' && c != '$' && u < 0x80) ++count;
  }
  return count;
}

}  // namespace

bool in_string_literal(std::string_view body, std::size_t& i, char& quote) {
  const char c = body[i];
  if (quote) {
    if (c == '\\')
      ++i;
    else if (c == quote)
      quote = 0;
    return true;
  }
  if (c == '"' || c == '\'' || c == '`') {
    quote = c;
    return true;
  }
  return false;
}

void check_jsonata_expression(std::string_view text) {
  if (!is_jsonata_expression(text)) throw query::SyntaxError("Not a JSONata expression");
  const std::string_view body = jsonata_body(text);
  bool blank = true;
  for (char c : body) blank = blank && std::isspace(static_cast<unsigned char>(c));
  if (blank) throw query::SyntaxError("Empty JSONata expression");
  if (operator_characters(body) > kMaxOperatorCharacters)
    throw query::SyntaxError("The expression is too complex");
  try {
    (void)jsonata::Expression::compile(body);
  } catch (const jsonata::Error& e) {
    throw query::SyntaxError(e.code() + ": " + e.message());
  }
}

}  // namespace stepline::asl::validation
