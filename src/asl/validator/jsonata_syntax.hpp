// JSONata expressions inside definitions: recognising the `{% ... %}` framing and compiling the
// expression between the delimiters, as AWS does when a state machine is created.
#pragma once

#include <string_view>

namespace stepline::asl::validation {

// True when the string is a JSONata expression: starts with "{%" and ends with "%}" with no
// whitespace outside the delimiters. Any other string is a literal.
bool is_jsonata_expression(std::string_view text);

// The text between the delimiters of an expression recognised by is_jsonata_expression.
std::string_view jsonata_body(std::string_view text);

// Scanning an expression's text character by character: true when body[i] belongs to a string
// literal (quote marks included), advancing `i` over escapes; `quote` carries the open quote
// between calls (0 outside literals).
bool in_string_literal(std::string_view body, std::size_t& i, char& quote);

// Throws query::SyntaxError (message "<code>: <jsonata message>") when the expression between
// the delimiters does not compile with the JSONata parser (src/query/jsonata).
void check_jsonata_expression(std::string_view text);

}  // namespace stepline::asl::validation
