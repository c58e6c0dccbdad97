// Compiles JSONPath text (Jayway dialect, restricted to what Step Functions accepts) into
// segments. Functions (`length()`) and regex filters are rejected, as on AWS.
#include "common/json.hpp"
#include "query/jsonpath/path.hpp"
#include "query/jsonpath/path_ast.hpp"
#include "query/syntax_error.hpp"

#include <charconv>
#include <string>

namespace stepline::query::jsonpath {
namespace {

constexpr int kMaxFilterDepth = 64;

[[noreturn]] void fail(std::string_view text, std::size_t pos, std::string_view what) {
  throw SyntaxError("Invalid JSONPath '" + std::string(text) + "': " + std::string(what) +
                    " at position " + std::to_string(pos));
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void skip_spaces(std::string_view text, std::size_t& pos) {
  while (pos < text.size() && is_space(text[pos])) ++pos;
}

// A character that may continue a variable name after `$`: ASCII letters, digits, `_`, and any
// non-ASCII byte (Unicode identifiers are checked by the validator).
bool is_identifier_char(char c) {
  auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' ||
         u >= 0x80;
}

std::int64_t parse_integer(std::string_view text, std::size_t& pos) {
  std::size_t start = pos;
  if (pos < text.size() && text[pos] == '-') ++pos;
  std::size_t digits = pos;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
  if (pos == digits) fail(text, start, "expected an integer");
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + start, text.data() + pos, value);
  if (ec != std::errc() || ptr != text.data() + pos) fail(text, start, "integer out of range");
  return value;
}

// A quoted name inside brackets. `\'` (or `\"`) yields the quote; any other backslash is kept
// as written, which is what AWS does (`$['Test\""Name"']` matches the key `Test\""Name"`).
std::string parse_quoted(std::string_view text, std::size_t& pos) {
  char quote = text[pos++];
  std::string out;
  while (pos < text.size() && text[pos] != quote) {
    if (text[pos] == '\\' && pos + 1 < text.size() && text[pos + 1] == quote) {
      out += quote;
      pos += 2;
      continue;
    }
    out += text[pos++];
  }
  if (pos >= text.size()) fail(text, pos, "unterminated quoted name");
  ++pos;
  return out;
}

// A dot-notation name: up to the next `.` or `[`; `\.` escapes a dot (ASL allows `$.foo\.bar`).
std::string parse_dot_name(std::string_view text, std::size_t& pos, bool in_filter) {
  std::string out;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '.' || c == '[') break;
    if (in_filter && (is_space(c) || c == ')' || c == '=' || c == '!' || c == '<' || c == '>' ||
                      c == '&' || c == '|'))
      break;
    if (c == '\\' && pos + 1 < text.size()) {
      out += text[pos + 1];
      pos += 2;
      continue;
    }
    if (c == '(' || c == ')') fail(text, pos, "functions are not supported");
    if (c == ']' || c == '\'' || c == '"' || is_space(c)) fail(text, pos, "unexpected character");
    out += c;
    ++pos;
  }
  if (out.empty()) fail(text, pos, "empty property name");
  if (out == "*") fail(text, pos, "unexpected '*'");
  return out;
}

std::shared_ptr<const FilterExpr> parse_or(std::string_view text, std::size_t& pos, int depth);

FilterOperand parse_operand(std::string_view text, std::size_t& pos, int depth) {
  skip_spaces(text, pos);
  if (pos >= text.size()) fail(text, pos, "incomplete filter");
  FilterOperand operand;
  char c = text[pos];
  if (c == '@' || c == '$') {
    operand.kind = c == '@' ? FilterOperand::Kind::Current : FilterOperand::Kind::Root;
    ++pos;
    operand.segments = parse_segments(text, pos, true, depth + 1);
    for (const auto& s : operand.segments) {
      if (s.deep || (s.kind != Segment::Kind::Member && s.kind != Segment::Kind::Index))
        operand.definite = false;
    }
    return operand;
  }
  operand.kind = FilterOperand::Kind::Literal;
  if (c == '\'' || c == '"') {
    operand.literal = json::String(parse_quoted(text, pos));
    return operand;
  }
  std::size_t start = pos;
  while (pos < text.size() && !is_space(text[pos]) && text[pos] != ')' && text[pos] != '=' &&
         text[pos] != '!' && text[pos] != '<' && text[pos] != '>' && text[pos] != '&' &&
         text[pos] != '|')
    ++pos;
  std::string_view word = text.substr(start, pos - start);
  if (word.empty()) fail(text, start, "expected a value");
  if (word == "true") {
    operand.literal = true;
  } else if (word == "false") {
    operand.literal = false;
  } else if (word == "null") {
    operand.literal = nullptr;
  } else {
    try {
      operand.literal = json::parse(word);
    } catch (const json::ParseError&) {
      fail(text, start, "invalid literal '" + std::string(word) + "'");
    }
    if (!operand.literal.is_number()) fail(text, start, "invalid literal");
  }
  return operand;
}

std::shared_ptr<const FilterExpr> parse_unary(std::string_view text, std::size_t& pos, int depth) {
  if (depth > kMaxFilterDepth) fail(text, pos, "filter nested too deeply");
  skip_spaces(text, pos);
  if (pos < text.size() && text[pos] == '!' && (pos + 1 >= text.size() || text[pos + 1] != '=')) {
    ++pos;
    auto expr = std::make_shared<FilterExpr>();
    expr->kind = FilterExpr::Kind::Not;
    expr->left = parse_unary(text, pos, depth + 1);
    return expr;
  }
  if (pos < text.size() && text[pos] == '(') {
    ++pos;
    auto inner = parse_or(text, pos, depth + 1);
    skip_spaces(text, pos);
    if (pos >= text.size() || text[pos] != ')') fail(text, pos, "expected ')'");
    ++pos;
    return inner;
  }
  auto expr = std::make_shared<FilterExpr>();
  expr->a = parse_operand(text, pos, depth);
  skip_spaces(text, pos);
  static constexpr std::pair<std::string_view, FilterExpr::Op> kOps[] = {
      {"==", FilterExpr::Op::Eq}, {"!=", FilterExpr::Op::Ne}, {"<=", FilterExpr::Op::Le},
      {">=", FilterExpr::Op::Ge}, {"<", FilterExpr::Op::Lt},  {">", FilterExpr::Op::Gt}};
  for (const auto& [token, op] : kOps) {
    if (text.substr(pos, token.size()) == token) {
      pos += token.size();
      expr->kind = FilterExpr::Kind::Compare;
      expr->op = op;
      expr->b = parse_operand(text, pos, depth);
      return expr;
    }
  }
  if (text.substr(pos, 2) == "=~") fail(text, pos, "regular expressions are not supported");
  if (expr->a.kind == FilterOperand::Kind::Literal) fail(text, pos, "expected a comparison");
  expr->kind = FilterExpr::Kind::Exists;
  return expr;
}

std::shared_ptr<const FilterExpr> parse_and(std::string_view text, std::size_t& pos, int depth) {
  auto left = parse_unary(text, pos, depth);
  for (;;) {
    skip_spaces(text, pos);
    if (text.substr(pos, 2) != "&&") return left;
    pos += 2;
    auto expr = std::make_shared<FilterExpr>();
    expr->kind = FilterExpr::Kind::And;
    expr->left = left;
    expr->right = parse_unary(text, pos, depth);
    left = expr;
  }
}

std::shared_ptr<const FilterExpr> parse_or(std::string_view text, std::size_t& pos, int depth) {
  auto left = parse_and(text, pos, depth);
  for (;;) {
    skip_spaces(text, pos);
    if (text.substr(pos, 2) != "||") return left;
    pos += 2;
    auto expr = std::make_shared<FilterExpr>();
    expr->kind = FilterExpr::Kind::Or;
    expr->left = left;
    expr->right = parse_and(text, pos, depth);
    left = expr;
  }
}

// The inside of `[...]`, positioned after `[`.
Segment parse_bracket(std::string_view text, std::size_t& pos, int depth) {
  Segment segment;
  skip_spaces(text, pos);
  if (pos >= text.size()) fail(text, pos, "unterminated '['");
  char c = text[pos];
  if (c == '*') {
    ++pos;
    segment.kind = Segment::Kind::Wildcard;
  } else if (c == '?') {
    ++pos;
    skip_spaces(text, pos);
    if (pos >= text.size() || text[pos] != '(') fail(text, pos, "expected '(' after '?'");
    ++pos;
    segment.kind = Segment::Kind::Filter;
    segment.filter = parse_or(text, pos, depth + 1);
    skip_spaces(text, pos);
    if (pos >= text.size() || text[pos] != ')') fail(text, pos, "expected ')' closing the filter");
    ++pos;
  } else if (c == '\'' || c == '"') {
    for (;;) {
      skip_spaces(text, pos);
      if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
        fail(text, pos, "expected a quoted name");
      segment.names.push_back(parse_quoted(text, pos));
      skip_spaces(text, pos);
      if (pos < text.size() && text[pos] == ',') {
        ++pos;
        continue;
      }
      break;
    }
    segment.kind = segment.names.size() == 1 ? Segment::Kind::Member : Segment::Kind::MemberUnion;
  } else if (c == ':' || c == '-' || (c >= '0' && c <= '9')) {
    std::optional<std::int64_t> first;
    if (c != ':') first = parse_integer(text, pos);
    skip_spaces(text, pos);
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      skip_spaces(text, pos);
      segment.kind = Segment::Kind::Slice;
      segment.slice_start = first;
      if (pos < text.size() && text[pos] != ']') segment.slice_end = parse_integer(text, pos);
    } else {
      segment.indexes.push_back(*first);
      while (pos < text.size() && text[pos] == ',') {
        ++pos;
        skip_spaces(text, pos);
        segment.indexes.push_back(parse_integer(text, pos));
        skip_spaces(text, pos);
      }
      segment.kind = segment.indexes.size() == 1 ? Segment::Kind::Index : Segment::Kind::IndexUnion;
    }
  } else {
    fail(text, pos, "unexpected character in brackets");
  }
  skip_spaces(text, pos);
  if (pos >= text.size() || text[pos] != ']') fail(text, pos, "expected ']'");
  ++pos;
  return segment;
}

}  // namespace

std::vector<Segment> parse_segments(std::string_view text, std::size_t& pos, bool in_filter,
                                    int depth) {
  if (depth > kMaxFilterDepth) fail(text, pos, "path nested too deeply");
  std::vector<Segment> segments;
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '.') {
      bool deep = pos + 1 < text.size() && text[pos + 1] == '.';
      pos += deep ? 2 : 1;
      if (pos >= text.size()) fail(text, pos, "path must not end with '.'");
      if (text[pos] == '.') fail(text, pos, "unexpected '.'");
      Segment segment;
      if (text[pos] == '*') {
        ++pos;
        segment.kind = Segment::Kind::Wildcard;
      } else if (text[pos] == '[') {
        if (!deep) fail(text, pos, "unexpected '[' after '.'");
        ++pos;
        segment = parse_bracket(text, pos, depth);
      } else {
        segment.kind = Segment::Kind::Member;
        segment.names.push_back(parse_dot_name(text, pos, in_filter));
      }
      segment.deep = deep;
      segments.push_back(std::move(segment));
    } else if (c == '[') {
      ++pos;
      segments.push_back(parse_bracket(text, pos, depth));
    } else if (in_filter) {
      break;
    } else {
      fail(text, pos, "unexpected character '" + std::string(1, c) + "'");
    }
  }
  return segments;
}

std::string normalized_step(const Segment& segment) {
  std::string out = segment.deep ? ".." : "";
  auto join = [&](const auto& items, auto&& render) {
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) out += ',';
      out += render(items[i]);
    }
    out += ']';
  };
  switch (segment.kind) {
    case Segment::Kind::Member:
    case Segment::Kind::MemberUnion:
      join(segment.names, [](const std::string& n) { return "'" + n + "'"; });
      break;
    case Segment::Kind::Index:
    case Segment::Kind::IndexUnion:
      join(segment.indexes, [](std::int64_t i) { return std::to_string(i); });
      break;
    case Segment::Kind::Wildcard:
      out += "[*]";
      break;
    case Segment::Kind::Slice:
      out += '[';
      if (segment.slice_start) out += std::to_string(*segment.slice_start);
      out += ':';
      if (segment.slice_end) out += std::to_string(*segment.slice_end);
      out += ']';
      break;
    case Segment::Kind::Filter:
      out += "[?]";
      break;
  }
  return out;
}

Path Path::compile(std::string_view text) {
  auto compiled = std::make_shared<CompiledPath>();
  compiled->text = std::string(text);
  // Jayway ignores surrounding whitespace.
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty() || text[0] != '$') throw SyntaxError("A JSONPath must begin with '$'");
  std::size_t pos = 1;
  if (pos < text.size() && text[pos] == '$') {
    compiled->root = Root::Context;
    ++pos;
  } else if (pos < text.size() && is_identifier_char(text[pos])) {
    compiled->root = Root::Variable;
    while (pos < text.size() && is_identifier_char(text[pos])) compiled->variable += text[pos++];
  }
  compiled->segments = parse_segments(text, pos, false, 0);
  const auto& segments = compiled->segments;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const Segment& s = segments[i];
    bool single = !s.deep && (s.kind == Segment::Kind::Member || s.kind == Segment::Kind::Index);
    // Jayway merges a final multi-name selection (`$['a','b']`) into one object: definite.
    bool merge = !s.deep && s.kind == Segment::Kind::MemberUnion && i + 1 == segments.size();
    if (!single) compiled->reference = false;
    if (!single && !merge) compiled->definite = false;
  }
  return Path(std::move(compiled));
}

Path::Path(std::shared_ptr<const CompiledPath> compiled) : compiled_(std::move(compiled)) {}

bool Path::is_reference() const {
  return compiled_->reference;
}
bool Path::is_definite() const {
  return compiled_->definite;
}
Root Path::root() const {
  return compiled_->root;
}
const std::string& Path::variable() const {
  return compiled_->variable;
}
const std::string& Path::text() const {
  return compiled_->text;
}

void Path::add_variable_references(std::vector<std::string>& out) const {
  if (compiled_->root == Root::Variable) out.push_back(compiled_->variable);
}

}  // namespace stepline::query::jsonpath
