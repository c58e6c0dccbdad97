// Parses `States.Name(arg, ...)` text into a call tree and evaluates it.
#include "query/intrinsics/intrinsic_call.hpp"

#include "common/errors.hpp"
#include "query/intrinsics/call_ast.hpp"
#include "query/syntax_error.hpp"
#include "query/template/expression.hpp"

#include <string>

namespace stepline::query::intrinsics {
namespace {

constexpr int kMaxNesting = 32;

class CallParser {
 public:
  explicit CallParser(std::string_view text) : text_(text) {}

  std::shared_ptr<const CallNode> parse_all() {
    auto call = parse_call(0);
    skip_spaces();
    if (pos_ != text_.size()) fail("unexpected text after the closing ')'");
    return call;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw SyntaxError("Invalid intrinsic function call '" + std::string(text_) + "': " + what +
                      " at position " + std::to_string(pos_));
  }

  void skip_spaces() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  static bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.';
  }

  std::shared_ptr<const CallNode> parse_call(int depth) {
    if (depth > kMaxNesting) fail("calls nested too deeply");
    std::size_t start = pos_;
    while (pos_ < text_.size() && is_name_char(text_[pos_])) ++pos_;
    std::string_view name = text_.substr(start, pos_ - start);
    auto node = std::make_shared<CallNode>();
    node->function = find_function(name);
    if (!node->function) {
      pos_ = start;
      fail("unknown function '" + std::string(name) + "'");
    }
    skip_spaces();
    if (pos_ >= text_.size() || text_[pos_] != '(') fail("expected '('");
    ++pos_;
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == ')') {
      ++pos_;
    } else {
      for (;;) {
        node->args.push_back(parse_argument(depth));
        skip_spaces();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < text_.size() && text_[pos_] == ')') {
          ++pos_;
          break;
        }
        fail("expected ',' or ')'");
      }
    }
    const Function& f = *node->function;
    if (node->args.size() < f.min_args || node->args.size() > f.max_args) {
      std::string expected =
          f.min_args == f.max_args
              ? std::to_string(f.min_args)
              : (f.max_args == static_cast<std::size_t>(-1)
                     ? "at least " + std::to_string(f.min_args)
                     : std::to_string(f.min_args) + " to " + std::to_string(f.max_args));
      throw SyntaxError("The function " + std::string(f.name) + " takes " + expected +
                        " argument(s) but was given " + std::to_string(node->args.size()) +
                        " in '" + std::string(text_) + "'");
    }
    return node;
  }

  Argument parse_argument(int depth) {
    skip_spaces();
    if (pos_ >= text_.size()) fail("missing argument");
    Argument arg;
    char c = text_[pos_];
    if (c == '\'') {
      arg.kind = Argument::Kind::Literal;
      std::string raw, value;
      ++pos_;
      for (;;) {
        if (pos_ >= text_.size()) fail("unterminated string literal");
        char ch = text_[pos_];
        if (ch == '\'') break;
        if (ch == '\\') {
          if (pos_ + 1 >= text_.size()) fail("lone backslash in string literal");
          char next = text_[pos_ + 1];
          if (next != '\'' && next != '{' && next != '}' && next != '\\')
            fail("invalid escape '\\" + std::string(1, next) + "' in string literal");
          raw += ch;
          raw += next;
          value += next;
          pos_ += 2;
          continue;
        }
        raw += ch;
        value += ch;
        ++pos_;
      }
      ++pos_;
      arg.literal = json::String(value);
      arg.raw_string = std::move(raw);
      return arg;
    }
    if (c == '$') {
      arg.kind = Argument::Kind::Path;
      arg.path = jsonpath::Path::compile(take_path());
      return arg;
    }
    if (text_.substr(pos_, 7) == "States.") {
      arg.kind = Argument::Kind::Call;
      arg.call = parse_call(depth + 1);
      return arg;
    }
    std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ')' && text_[pos_] != ' ' &&
           text_[pos_] != '\t')
      ++pos_;
    std::string_view word = text_.substr(start, pos_ - start);
    arg.kind = Argument::Kind::Literal;
    if (word == "true") {
      arg.literal = true;
    } else if (word == "false") {
      arg.literal = false;
    } else if (word == "null") {
      arg.literal = nullptr;
    } else {
      bool ok = !word.empty();
      if (ok) {
        try {
          arg.literal = json::parse(word);
          ok = arg.literal.is_number();
        } catch (const json::ParseError&) {
          ok = false;
        }
      }
      if (!ok) {
        pos_ = start;
        fail("invalid argument '" + std::string(word) + "'");
      }
    }
    return arg;
  }

  // A path argument runs to the next top-level ',' or ')' (brackets and quotes may hold both).
  std::string_view take_path() {
    std::size_t start = pos_;
    int brackets = 0, parens = 0;
    char quote = 0;
    for (; pos_ < text_.size(); ++pos_) {
      char ch = text_[pos_];
      if (quote) {
        if (ch == '\\') {
          ++pos_;
        } else if (ch == quote) {
          quote = 0;
        }
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = ch;
      } else if (ch == '[') {
        ++brackets;
      } else if (ch == ']') {
        --brackets;
      } else if (ch == '(') {
        ++parens;
      } else if (ch == ')') {
        if (brackets == 0 && parens == 0) break;
        --parens;
      } else if (ch == ',' && brackets == 0 && parens == 0) {
        break;
      }
    }
    if (pos_ > text_.size()) pos_ = text_.size();
    std::string_view path = text_.substr(start, pos_ - start);
    while (!path.empty() && (path.back() == ' ' || path.back() == '\t')) path.remove_suffix(1);
    return path;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

json::Value evaluate_node(const CallNode& node, const EvalContext& ctx, std::string_view field,
                          std::string_view whole_text) {
  std::vector<ArgValue> values(node.args.size());
  for (std::size_t i = 0; i < node.args.size(); ++i) {
    const Argument& arg = node.args[i];
    ArgValue& value = values[i];
    switch (arg.kind) {
      case Argument::Kind::Literal:
        value.node = &arg.literal;
        if (arg.raw_string) value.raw_string = &*arg.raw_string;
        break;
      case Argument::Kind::Call:
        value.owned = evaluate_node(*arg.call, ctx, field, whole_text);
        break;
      case Argument::Kind::Path: {
        jsonpath::PathResult result = arg.path->evaluate(ctx);
        if (result.status == jsonpath::PathResult::Status::UnknownVariable)
          throw StatesException(errors::kRuntime, result.failure + " (referenced by '" +
                                                      arg.path->text() + "' in '" +
                                                      std::string(whole_text) + "')");
        if (!result.found()) {
          static const json::Value kNull;
          throw StatesException(
              errors::kRuntime,
              missing_path_cause(arg.path->text(), field, ctx.input ? *ctx.input : kNull));
        }
        if (result.node) {
          value.node = result.node;
        } else {
          value.owned = std::move(result.matches);
        }
        break;
      }
    }
  }
  return node.function->impl(values, ctx);
}

void collect_variables(const CallNode& node, std::vector<std::string>& out) {
  for (const auto& arg : node.args) {
    if (arg.path) arg.path->add_variable_references(out);
    if (arg.call) collect_variables(*arg.call, out);
  }
}

}  // namespace

IntrinsicCall IntrinsicCall::compile(std::string_view text) {
  if (!looks_like_call(text))
    throw SyntaxError("'" + std::string(text) + "' is not an intrinsic function call");
  return IntrinsicCall(CallParser(text).parse_all(), std::string(text));
}

bool IntrinsicCall::looks_like_call(std::string_view text) {
  if (text.substr(0, 7) != "States.") return false;
  std::size_t pos = 7;
  while (pos < text.size() &&
         ((text[pos] >= 'a' && text[pos] <= 'z') || (text[pos] >= 'A' && text[pos] <= 'Z') ||
          (text[pos] >= '0' && text[pos] <= '9')))
    ++pos;
  return pos > 7 && pos < text.size() && text[pos] == '(';
}

IntrinsicCall::IntrinsicCall(std::shared_ptr<const CallNode> root, std::string text)
    : root_(std::move(root)), text_(std::move(text)) {}

json::Value IntrinsicCall::evaluate(const EvalContext& ctx, std::string_view field) const {
  return evaluate_node(*root_, ctx, field, text_);
}

std::string_view IntrinsicCall::function_name() const {
  return root_->function->name;
}

void IntrinsicCall::add_variable_references(std::vector<std::string>& out) const {
  collect_variables(*root_, out);
}

}  // namespace stepline::query::intrinsics
