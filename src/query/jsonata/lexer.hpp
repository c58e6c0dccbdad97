// Tokenizer for JSONata source text. Positions are the offset just past each token, as the
// reference reports them.
#pragma once

#include "query/jsonata/value.hpp"

#include <string>
#include <string_view>

namespace stepline::jsonata {

enum class TokenType { End, Operator, Name, Variable, String, Number, Literal, Regex };

struct Token {
  TokenType type = TokenType::End;
  std::string value;  // operator text, name, variable name, string contents, regex pattern
  std::string flags;  // regex flags
  double number = 0;
  Value literal;  // true / false / null
  int position = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view source) : src_(source) {}
  // `infix`: the previous token was an operand, so '/' divides rather than opening a regex.
  Token next(bool infix);

 private:
  Token make(TokenType type, std::string value) const;
  Token scan_regex();
  std::string_view src_;
  std::size_t pos_ = 0;
};

bool is_operator_char(char c);

// Appends the UTF-8 (WTF-8 for lone surrogates) encoding of a code point.
void append_utf8(std::string& out, unsigned cp);

}  // namespace stepline::jsonata
