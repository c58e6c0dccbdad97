// The compiled tree of a payload template: literal subtrees are kept whole, so evaluation only
// walks the parts that contain `.$` fields.
#pragma once

#include "common/json.hpp"
#include "query/template/expression.hpp"

#include <optional>
#include <string>
#include <vector>

namespace stepline::query {

struct TemplateNode {
  enum class Kind { Literal, Expression, Object, Array };
  Kind kind = Kind::Literal;
  json::Value literal;                   // Literal
  std::optional<Expression> expression;  // Expression
  std::string field;                     // Expression: the original key, e.g. "Payload.$"
  // Object: keys already renamed, parallel to member_values (std::pair cannot hold the
  // incomplete TemplateNode, std::vector can).
  std::vector<std::string> member_names;
  std::vector<TemplateNode> member_values;
  std::vector<TemplateNode> items;  // Array
};

}  // namespace stepline::query
