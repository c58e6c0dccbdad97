// The StringMatches pattern language: `*` matches any sequence (also empty), `\*` is a literal
// star and `\\` a literal backslash; every other backslash sequence is a definition error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stepline::asl::choice {

class StringPattern {
 public:
  // Throws query::SyntaxError for an invalid escape.
  static StringPattern compile(std::string_view pattern);
  // Whole-string match.
  bool matches(std::string_view text) const;

 private:
  // Literal pieces between stars: pieces_[0] must start the text, pieces_.back() must end it,
  // those in between appear in order. One piece means no star at all.
  std::vector<std::string> pieces_;
};

}  // namespace stepline::asl::choice
