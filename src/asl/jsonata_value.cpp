#include "asl/jsonata_value.hpp"

#include <fmt/format.h>

namespace stepline::asl {

struct JsonataValue::Node {
  enum class Kind { Literal, Expression, Object, Array };
  Kind kind = Kind::Literal;
  json::Value literal;
  std::optional<jsonata::Expression> expression;
  std::string source;
  std::vector<std::pair<std::string, std::shared_ptr<const Node>>> members;
  std::vector<std::shared_ptr<const Node>> elements;
};

namespace {

using Node = JsonataValue::Node;

// `{%` … `%}` with nothing outside the delimiters.
std::optional<std::string_view> expression_text(const json::Value& v) {
  if (!v.is_string()) return std::nullopt;
  std::string_view s(v.as_string().data(), v.as_string().size());
  if (s.size() < 4 || s.substr(0, 2) != "{%" || s.substr(s.size() - 2) != "%}") {
    return std::nullopt;
  }
  return s.substr(2, s.size() - 4);
}

bool has_expression(const json::Value& v) {
  if (expression_text(v)) return true;
  if (v.is_object()) {
    for (const auto& [k, m] : v.as_object()) {
      if (has_expression(m)) return true;
    }
  }
  if (v.is_array()) {
    for (const auto& e : v.as_array()) {
      if (has_expression(e)) return true;
    }
  }
  return false;
}

std::shared_ptr<const Node> compile_node(const json::Value& v) {
  auto node = std::make_shared<Node>();
  if (auto text = expression_text(v)) {
    node->kind = Node::Kind::Expression;
    node->source = std::string(*text);
    // AWS reports the expression trimmed of the blanks next to the delimiters.
    auto first = node->source.find_first_not_of(" \t\n\r");
    auto last = node->source.find_last_not_of(" \t\n\r");
    node->source = first == std::string::npos ? "" : node->source.substr(first, last - first + 1);
    node->expression = jsonata::Expression::compile(*text);
  } else if (!has_expression(v)) {
    node->literal = v;
  } else if (v.is_object()) {
    node->kind = Node::Kind::Object;
    for (const auto& [k, m] : v.as_object()) {
      node->members.emplace_back(std::string(k), compile_node(m));
    }
  } else {
    node->kind = Node::Kind::Array;
    for (const auto& e : v.as_array()) node->elements.push_back(compile_node(e));
  }
  return node;
}

json::Value evaluate_node(const Node& node, const json::Object& bindings,
                          const jsonata::EvaluateOptions& options, const std::string& field) {
  switch (node.kind) {
    case Node::Kind::Literal:
      return node.literal;
    case Node::Kind::Object: {
      json::Object out;
      for (const auto& [k, m] : node.members) {
        out[k] = evaluate_node(*m, bindings, options, field + "/" + k);
      }
      return out;
    }
    case Node::Kind::Array: {
      json::Array out;
      for (const auto& e : node.elements)
        out.push_back(evaluate_node(*e, bindings, options, field));
      return out;
    }
    case Node::Kind::Expression:
      break;
  }
  std::optional<json::Value> result;
  try {
    // No input document: ASL binds everything under `$states` and the variables.
    result = node.expression->evaluate(nullptr, &bindings, options);
  } catch (const jsonata::Error& e) {
    throw JsonataFailure(fmt::format("The JSONata expression '{}' specified for the field '{}' "
                                     "threw an error during evaluation. {}: {}",
                                     node.source, field, e.code(), e.message()),
                         field);
  }
  if (!result) {
    throw JsonataFailure(fmt::format("The JSONata expression '{}' specified for the field '{}' "
                                     "returned nothing (undefined).",
                                     node.source, field),
                         field);
  }
  return std::move(*result);
}

}  // namespace

JsonataValue JsonataValue::compile(const json::Value& definition) {
  return JsonataValue(compile_node(definition));
}

bool JsonataValue::is_expression() const {
  return root_->kind == Node::Kind::Expression;
}

const std::string& JsonataValue::source() const {
  return root_->source;
}

json::Value JsonataValue::evaluate(const json::Object& bindings,
                                   const jsonata::EvaluateOptions& options,
                                   std::string_view field) const {
  return evaluate_node(*root_, bindings, options, std::string(field));
}

}  // namespace stepline::asl
