// StringMatches: a glob with `*` only, matched over the whole string.
#include "asl/choice/string_pattern.hpp"

#include "query/syntax_error.hpp"

namespace stepline::asl::choice {

StringPattern StringPattern::compile(std::string_view pattern) {
  StringPattern compiled;
  compiled.pieces_.emplace_back();
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      if (i + 1 >= pattern.size() || (pattern[i + 1] != '*' && pattern[i + 1] != '\\'))
        throw query::SyntaxError("The StringMatches pattern '" + std::string(pattern) +
                                 "' contains an invalid escape sequence; only \\* and \\\\ "
                                 "are allowed");
      compiled.pieces_.back() += pattern[++i];
    } else if (c == '*') {
      compiled.pieces_.emplace_back();
    } else {
      compiled.pieces_.back() += c;
    }
  }
  return compiled;
}

bool StringPattern::matches(std::string_view text) const {
  const std::string& first = pieces_.front();
  if (pieces_.size() == 1) return text == first;
  const std::string& last = pieces_.back();
  if (text.size() < first.size() + last.size()) return false;
  if (text.substr(0, first.size()) != first) return false;
  if (text.substr(text.size() - last.size()) != last) return false;
  // Leftmost matching of the middle pieces is optimal for a star-only glob.
  std::size_t pos = first.size();
  std::size_t limit = text.size() - last.size();
  for (std::size_t i = 1; i + 1 < pieces_.size(); ++i) {
    const std::string& piece = pieces_[i];
    std::size_t found = text.substr(0, limit).find(piece, pos);
    if (found == std::string_view::npos) return false;
    pos = found + piece.size();
  }
  return true;
}

}  // namespace stepline::asl::choice
