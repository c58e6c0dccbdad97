// Payload templates: compile once (rename `.$` keys, compile their expressions), evaluate often.
#include "query/template/payload_template.hpp"

#include "query/syntax_error.hpp"
#include "query/template/template_node.hpp"

#include <unordered_set>

namespace stepline::query {
namespace {

constexpr std::size_t kMaxDepth = 1000;

bool ends_with_dollar(std::string_view key) {
  return key.size() >= 2 && key.substr(key.size() - 2) == ".$";
}

// True when some object key at any depth ends in `.$` (iterative: literals may be deep).
bool needs_evaluation(const json::Value& value) {
  std::vector<const json::Value*> stack{&value};
  while (!stack.empty()) {
    const json::Value* v = stack.back();
    stack.pop_back();
    if (const auto* object = v->if_object()) {
      for (const auto& entry : *object) {
        if (ends_with_dollar(entry.key())) return true;
        if (entry.value().is_structured()) stack.push_back(&entry.value());
      }
    } else if (const auto* array = v->if_array()) {
      for (const auto& item : *array) {
        if (item.is_structured()) stack.push_back(&item);
      }
    }
  }
  return false;
}

TemplateNode compile_node(const json::Value& value, std::size_t depth) {
  if (depth > kMaxDepth) throw SyntaxError("The payload template is nested too deeply");
  TemplateNode node;
  if (!needs_evaluation(value)) {
    node.literal = value;
    return node;
  }
  if (const auto* array = value.if_array()) {
    node.kind = TemplateNode::Kind::Array;
    for (const auto& item : *array) node.items.push_back(compile_node(item, depth + 1));
    return node;
  }
  node.kind = TemplateNode::Kind::Object;
  std::unordered_set<std::string_view> names;
  for (const auto& entry : value.get_object()) {
    std::string_view key = entry.key();
    TemplateNode child;
    std::string name;
    if (ends_with_dollar(key)) {
      name = std::string(key.substr(0, key.size() - 2));
      if (!entry.value().is_string())
        throw SyntaxError("The value for the field '" + std::string(key) +
                          "' must be a STRING that contains a JSONPath or an intrinsic "
                          "function call");
      child.kind = TemplateNode::Kind::Expression;
      child.field = std::string(key);
      try {
        child.expression = Expression::compile(std::string_view(entry.value().get_string()));
      } catch (const SyntaxError&) {
        // AWS's wording, without our detail, so that diagnostics match it exactly.
        throw SyntaxError("The value for the field '" + std::string(key) +
                          "' must be a valid JSONPath or a valid intrinsic function call");
      }
    } else {
      name = std::string(key);
      child = compile_node(entry.value(), depth + 1);
    }
    node.member_names.push_back(std::move(name));
    node.member_values.push_back(std::move(child));
  }
  for (const auto& name : node.member_names) {
    if (!names.insert(name).second)
      throw SyntaxError("The field '" + name +
                        "' appears more than once after the '.$' suffixes are removed");
  }
  return node;
}

json::Value evaluate_node(const TemplateNode& node, const EvalContext& ctx) {
  switch (node.kind) {
    case TemplateNode::Kind::Literal:
      return node.literal;
    case TemplateNode::Kind::Expression:
      return node.expression->evaluate(ctx, node.field);
    case TemplateNode::Kind::Array: {
      json::Array out;
      out.reserve(node.items.size());
      for (const auto& item : node.items) out.push_back(evaluate_node(item, ctx));
      return out;
    }
    case TemplateNode::Kind::Object: {
      json::Object out;
      out.reserve(node.member_names.size());
      for (std::size_t i = 0; i < node.member_names.size(); ++i) {
        // Literals and the nodes reference paths reach are copied straight into their member,
        // not into a temporary first.
        const TemplateNode& member = node.member_values[i];
        const json::Value* found = nullptr;
        if (member.kind == TemplateNode::Kind::Literal) {
          found = &member.literal;
        } else if (member.kind == TemplateNode::Kind::Expression) {
          found = member.expression->find(ctx);
        }
        if (found) {
          out.emplace(node.member_names[i], *found);
        } else {
          out.emplace(node.member_names[i], evaluate_node(member, ctx));
        }
      }
      return out;
    }
  }
  return nullptr;
}

void collect_variables(const TemplateNode& node, std::vector<std::string>& out) {
  if (node.expression) node.expression->add_variable_references(out);
  for (const auto& member : node.member_values) collect_variables(member, out);
  for (const auto& item : node.items) collect_variables(item, out);
}

}  // namespace

PayloadTemplate PayloadTemplate::compile(const json::Value& definition) {
  return PayloadTemplate(std::make_shared<const TemplateNode>(compile_node(definition, 0)));
}

PayloadTemplate::PayloadTemplate(std::shared_ptr<const TemplateNode> root)
    : root_(std::move(root)) {}

json::Value PayloadTemplate::evaluate(const EvalContext& ctx) const {
  return evaluate_node(*root_, ctx);
}

void PayloadTemplate::add_variable_references(std::vector<std::string>& out) const {
  collect_variables(*root_, out);
}

}  // namespace stepline::query
