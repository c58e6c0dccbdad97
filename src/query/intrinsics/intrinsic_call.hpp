// An intrinsic function call (`States.Format('{}', $.x)`, nested calls allowed), compiled once
// and evaluated against an EvalContext.
#pragma once

#include "common/json.hpp"
#include "query/eval_context.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::query::intrinsics {

struct CallNode;  // parsed call tree; defined in call_ast.hpp

class IntrinsicCall {
 public:
  // Throws SyntaxError on bad syntax, an unknown function or a wrong argument count.
  static IntrinsicCall compile(std::string_view text);

  // True when `text` starts like a call (`States.` followed by a name and `(`).
  static bool looks_like_call(std::string_view text);

  // Throws StatesException(States.IntrinsicFailure, cause) on bad arguments at run time and
  // StatesException(States.Runtime, ...) when an argument path or variable cannot be resolved;
  // `field` (e.g. "Payload.$") names the template field in that message.
  json::Value evaluate(const EvalContext& ctx, std::string_view field = "") const;

  // "States.Format", the outermost function's name.
  std::string_view function_name() const;
  const std::string& text() const { return text_; }
  void add_variable_references(std::vector<std::string>& out) const;

 private:
  IntrinsicCall(std::shared_ptr<const CallNode> root, std::string text);
  std::shared_ptr<const CallNode> root_;
  std::string text_;
};

}  // namespace stepline::query::intrinsics
