// The value of a `.$` key (and of Fail ErrorPath/CausePath): a path into `$`, a `$$` context
// path, a `$var...` variable path or an intrinsic call, compiled once.
#pragma once

#include "common/json.hpp"
#include "query/eval_context.hpp"
#include "query/intrinsics/intrinsic_call.hpp"
#include "query/jsonpath/path.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::query {

class Expression {
 public:
  // Throws SyntaxError when `text` is neither a path nor an intrinsic call.
  static Expression compile(std::string_view text);

  // `field` names the template field for error messages, e.g. "Payload.$" or "ErrorPath".
  // Missing path: StatesException(States.Runtime, "The JSONPath '<path>' specified for the field
  // '<field>' could not be found in the input '<input JSON>'"). Unknown variable: States.Runtime.
  // Intrinsic failures propagate as thrown by IntrinsicCall.
  json::Value evaluate(const EvalContext& ctx, std::string_view field) const;
  // The node a reference path reaches, uncopied (the caller copies it where it belongs); null
  // for intrinsics, other paths and misses: evaluate() then gives the value or the error.
  const json::Value* find(const EvalContext& ctx) const {
    return path_ ? path_->find(ctx) : nullptr;
  }

  bool is_path() const { return path_.has_value(); }
  bool is_intrinsic() const { return call_.has_value(); }
  const jsonpath::Path* path() const { return path_ ? &*path_ : nullptr; }
  const intrinsics::IntrinsicCall* intrinsic() const { return call_ ? &*call_ : nullptr; }
  const std::string& text() const { return text_; }
  void add_variable_references(std::vector<std::string>& out) const;

 private:
  Expression() = default;
  std::optional<jsonpath::Path> path_;
  std::optional<intrinsics::IntrinsicCall> call_;
  std::string text_;
};

// The States.Runtime cause for a path in `field` that matched nothing in `document`.
std::string missing_path_cause(std::string_view path, std::string_view field,
                               const json::Value& document);

}  // namespace stepline::query
