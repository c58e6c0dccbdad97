#include "asl/validator/query_syntax.hpp"

#include "query/syntax_error.hpp"

#include <cctype>
#include <string>

namespace stepline::asl::validation {
namespace {

[[noreturn]] void fail(std::string message) {
  throw query::SyntaxError(std::move(message));
}

bool is_identifier_start(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}
bool is_identifier_char(unsigned char c) {
  return std::isalnum(c) || c == '_' || c >= 0x80;
}

// Length of the root (`$`, `$$`, `$name`) at the start of `text`; 0 when there is none.
std::size_t root_length(std::string_view text, bool& is_context, bool& is_variable) {
  is_context = is_variable = false;
  if (text.empty() || text[0] != '$') return 0;
  if (text.size() > 1 && text[1] == '$') {
    is_context = true;
    return 2;
  }
  std::size_t i = 1;
  if (i < text.size() && is_identifier_start(static_cast<unsigned char>(text[i]))) {
    is_variable = true;
    while (i < text.size() && is_identifier_char(static_cast<unsigned char>(text[i]))) ++i;
  }
  return i;
}

// Skips a quoted string starting at text[i] (a quote); returns the index after the closing quote.
std::size_t skip_quoted(std::string_view text, std::size_t i) {
  const char quote = text[i++];
  while (i < text.size() && text[i] != quote) {
    if (text[i] == '\\') ++i;
    ++i;
  }
  if (i >= text.size()) fail("Unterminated quoted name");
  return i + 1;
}

}  // namespace

void check_path(std::string_view text) {
  bool is_context = false, is_variable = false;
  std::size_t i = root_length(text, is_context, is_variable);
  if (i == 0) fail("A path must start with '$'");
  // The full JsonPath grammar is the query layer's; here brackets and quotes must balance and
  // steps must not be empty, which is what a definition can get wrong without being a Path.
  int depth = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (c == '\'' || c == '"') {
      i = skip_quoted(text, i);
      continue;
    }
    if (c == '[' || c == '(') ++depth;
    if (c == ']' || c == ')') {
      if (--depth < 0) fail("Unbalanced brackets");
    }
    if (depth == 0 && c == '.' && i + 1 == text.size()) fail("A path cannot end with '.'");
    if (depth == 0 && c == '.' && text.substr(i, 3) == "...") fail("Invalid '...'");
    if (depth == 0 && std::isspace(static_cast<unsigned char>(c)) && i == 1) fail("Invalid path");
    ++i;
  }
  if (depth != 0) fail("Unbalanced brackets");
}

void check_reference_path(std::string_view text, bool allow_context, bool allow_variables) {
  bool is_context = false, is_variable = false;
  std::size_t i = root_length(text, is_context, is_variable);
  if (i == 0) fail("A reference path must start with '$'");
  if (is_context && !allow_context) fail("Context paths are not allowed here");
  if (is_variable && !allow_variables) fail("Variables are not allowed here");
  while (i < text.size()) {
    if (text[i] == '.') {
      ++i;
      const std::size_t start = i;
      while (i < text.size() && text[i] != '.' && text[i] != '[') {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
          i += 2;
          continue;
        }
        if (c == '*' || c == ',' || c == ':' || c == '?' || c == '@' || c == ']' || c == '(' ||
            c == ')')
          fail("Not a single-node step");
        ++i;
      }
      if (i == start) fail("Empty step");
    } else if (text[i] == '[') {
      ++i;
      if (i < text.size() && (text[i] == '\'' || text[i] == '"')) {
        i = skip_quoted(text, i);
      } else {
        const std::size_t start = i;
        if (i < text.size() && text[i] == '-') ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
        if (i == start || (text[start] == '-' && i == start + 1)) fail("Not an index");
      }
      if (i >= text.size() || text[i] != ']') fail("Expected ']'");
      ++i;
    } else {
      fail("Unexpected character in reference path");
    }
  }
}

bool looks_like_intrinsic(std::string_view text) {
  return text.starts_with("States.") && text.find('(') != std::string_view::npos;
}

namespace {

struct Arity {
  std::string_view name;
  int min;
  int max;  // -1: unbounded
};

constexpr Arity kFunctions[] = {
    {"Format", 1, -1},     {"StringToJson", 1, 1},   {"JsonToString", 1, 1},
    {"Array", 0, -1},      {"ArrayPartition", 2, 2}, {"ArrayContains", 2, 2},
    {"ArrayRange", 3, 3},  {"ArrayGetItem", 2, 2},   {"ArrayLength", 1, 1},
    {"ArrayUnique", 1, 1}, {"Base64Encode", 1, 1},   {"Base64Decode", 1, 1},
    {"Hash", 2, 2},        {"JsonMerge", 3, 3},      {"MathRandom", 2, 3},
    {"MathAdd", 2, 2},     {"StringSplit", 2, 2},    {"UUID", 0, 0},
};

// Recursive-descent recogniser over one intrinsic call; depth-limited so hostile input cannot
// exhaust the stack.
class IntrinsicParser {
 public:
  explicit IntrinsicParser(std::string_view text) : text_(text) {}

  void parse() {
    call(0);
    skip_spaces();
    if (pos_ != text_.size()) fail("Unexpected text after the intrinsic call");
  }

 private:
  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  void call(int depth) {
    if (depth > 50) fail("Intrinsic calls nested too deeply");
    if (!text_.substr(pos_).starts_with("States.")) fail("Expected an intrinsic function");
    pos_ += 7;
    const std::size_t start = pos_;
    while (pos_ < text_.size() && std::isalnum(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    const std::string_view name = text_.substr(start, pos_ - start);
    const Arity* arity = nullptr;
    for (const auto& f : kFunctions)
      if (f.name == name) arity = &f;
    if (!arity) fail("Unknown intrinsic function: States." + std::string(name));
    if (pos_ >= text_.size() || text_[pos_] != '(') fail("Expected '('");
    ++pos_;
    int count = 0;
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == ')') {
      ++pos_;
    } else {
      while (true) {
        argument(depth);
        ++count;
        skip_spaces();
        if (pos_ >= text_.size()) fail("Unterminated intrinsic call");
        if (text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (text_[pos_] == ')') {
          ++pos_;
          break;
        }
        fail("Expected ',' or ')'");
      }
    }
    if (count < arity->min || (arity->max >= 0 && count > arity->max))
      fail("Wrong number of arguments for States." + std::string(name));
  }

  void argument(int depth) {
    skip_spaces();
    if (pos_ >= text_.size()) fail("Missing argument");
    const char c = text_[pos_];
    if (c == '\'') return string_literal();
    if (c == '$') return path_argument();
    if (c == '-' || std::isdigit(static_cast<unsigned char>(c))) return number();
    if (text_.substr(pos_).starts_with("States.")) return call(depth + 1);
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_).starts_with(word)) {
        pos_ += word.size();
        return;
      }
    }
    fail("Invalid argument");
  }

  void string_literal() {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '\'') {
      if (text_[pos_] == '\\') {
        if (pos_ + 1 >= text_.size()) fail("Dangling escape");
        const char e = text_[pos_ + 1];
        if (e != '\'' && e != '{' && e != '}' && e != '\\') fail("Invalid escape sequence");
        pos_ += 2;
        continue;
      }
      ++pos_;
    }
    if (pos_ >= text_.size()) fail("Unterminated string literal");
    ++pos_;
  }

  void number() {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    std::size_t digits = 0;
    while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
      ++digits;
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    }
    if (digits == 0) fail("Invalid number: " + std::string(text_.substr(start, pos_ - start)));
  }

  // A path argument runs to the next top-level ',' or ')' (brackets, parentheses and quotes
  // inside filters nest).
  void path_argument() {
    const std::size_t start = pos_;
    int depth = 0;
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\'' || c == '"') {
        pos_ = skip_quoted(text_, pos_);
        continue;
      }
      if (c == '[' || c == '(') ++depth;
      if ((c == ',' || c == ')') && depth == 0) break;
      if (c == ']' || c == ')') --depth;
      ++pos_;
    }
    std::string_view path = text_.substr(start, pos_ - start);
    while (!path.empty() && path.back() == ' ') path.remove_suffix(1);
    check_path(path);
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

void check_intrinsic(std::string_view text) {
  IntrinsicParser(text).parse();
}

}  // namespace stepline::asl::validation
