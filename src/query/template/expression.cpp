// Compiles and evaluates the value of a `.$` field: a path (`$`, `$$`, `$var`) or an intrinsic.
#include "query/template/expression.hpp"

#include "common/errors.hpp"
#include "query/syntax_error.hpp"

namespace stepline::query {

std::string missing_path_cause(std::string_view path, std::string_view field,
                               const json::Value& document) {
  return "The JSONPath '" + std::string(path) + "' specified for the field '" + std::string(field) +
         "' could not be found in the input '" + json::dump(document) + "'";
}

Expression Expression::compile(std::string_view text) {
  Expression expression;
  expression.text_ = std::string(text);
  if (!text.empty() && text[0] == '$') {
    expression.path_ = jsonpath::Path::compile(text);
  } else if (intrinsics::IntrinsicCall::looks_like_call(text)) {
    expression.call_ = intrinsics::IntrinsicCall::compile(text);
  } else {
    throw SyntaxError("'" + std::string(text) +
                      "' is neither a JSONPath nor an intrinsic function call");
  }
  return expression;
}

json::Value Expression::evaluate(const EvalContext& ctx, std::string_view field) const {
  if (call_) return call_->evaluate(ctx, field);
  if (const json::Value* node = find(ctx)) return *node;
  jsonpath::PathResult result = path_->evaluate(ctx);
  switch (result.status) {
    case jsonpath::PathResult::Status::Found:
      if (result.node) return *result.node;
      return std::move(result.matches);
    case jsonpath::PathResult::Status::UnknownVariable:
      throw StatesException(errors::kRuntime,
                            "The JSONPath '" + text_ + "' specified for the field '" +
                                std::string(field) + "' references the variable '" +
                                path_->variable() + "', which is not defined");
    case jsonpath::PathResult::Status::Missing:
      break;
  }
  static const json::Value kNull;
  throw StatesException(errors::kRuntime,
                        missing_path_cause(text_, field, ctx.input ? *ctx.input : kNull));
}

void Expression::add_variable_references(std::vector<std::string>& out) const {
  if (path_) path_->add_variable_references(out);
  if (call_) call_->add_variable_references(out);
}

}  // namespace stepline::query
