// A compiled JSONPath-mode payload template (Parameters, ResultSelector, ItemSelector, Assign,
// Credentials, ItemReader/ResultWriter Parameters, BatchInput): `.$` keys are evaluated and
// renamed, everything else is copied literally, recursively through objects and arrays.
#pragma once

#include "common/json.hpp"
#include "query/eval_context.hpp"

#include <memory>
#include <string>
#include <vector>

namespace stepline::query {

struct TemplateNode;  // defined in template_node.hpp

class PayloadTemplate {
 public:
  // Throws SyntaxError: non-string `.$` value, bad path/intrinsic, duplicate key after renaming.
  static PayloadTemplate compile(const json::Value& definition);

  // Builds the output value. Throws StatesException as Expression::evaluate does.
  json::Value evaluate(const EvalContext& ctx) const;

  void add_variable_references(std::vector<std::string>& out) const;

 private:
  explicit PayloadTemplate(std::shared_ptr<const TemplateNode> root);
  std::shared_ptr<const TemplateNode> root_;
};

}  // namespace stepline::query
