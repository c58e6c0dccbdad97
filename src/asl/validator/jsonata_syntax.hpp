// JSONata expressions inside definitions: recognising the `{% ... %}` framing and checking the
// expression between the delimiters.
#pragma once

#include <string_view>

namespace stepline::asl::validation {

// True when the string is a JSONata expression: starts with "{%" and ends with "%}" with no
// whitespace outside the delimiters. Any other string is a literal.
bool is_jsonata_expression(std::string_view text);

// The text between the delimiters of an expression recognised by is_jsonata_expression.
std::string_view jsonata_body(std::string_view text);

// Throws query::SyntaxError when the expression cannot be compiled.
// Seam: only the framing is checked today (the body must not be blank); when the JSONata parser
// (src/query/jsonata) lands this is where it compiles the body, so AWS's create-time refusal of
// unparseable expressions is reproduced.
void check_jsonata_expression(std::string_view text);

}  // namespace stepline::asl::validation
