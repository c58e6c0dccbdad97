// Builds Choice rules from their JSON: one operator per data test, the operand type the operator
// demands, Reference Paths for Variable and the `...Path` operands.
#include "asl/choice/choice_rule.hpp"
#include "asl/choice/rules.hpp"
#include "common/time.hpp"
#include "query/syntax_error.hpp"

#include <string>

namespace stepline::asl::choice {
namespace {

constexpr int kMaxNesting = 100;

struct OperatorSpec {
  std::string_view name;
  ValueType type;
  Comparison comparison;
};

constexpr OperatorSpec kComparisons[] = {
    {"StringEquals", ValueType::String, Comparison::Equals},
    {"StringLessThan", ValueType::String, Comparison::LessThan},
    {"StringGreaterThan", ValueType::String, Comparison::GreaterThan},
    {"StringLessThanEquals", ValueType::String, Comparison::LessThanEquals},
    {"StringGreaterThanEquals", ValueType::String, Comparison::GreaterThanEquals},
    {"NumericEquals", ValueType::Numeric, Comparison::Equals},
    {"NumericLessThan", ValueType::Numeric, Comparison::LessThan},
    {"NumericGreaterThan", ValueType::Numeric, Comparison::GreaterThan},
    {"NumericLessThanEquals", ValueType::Numeric, Comparison::LessThanEquals},
    {"NumericGreaterThanEquals", ValueType::Numeric, Comparison::GreaterThanEquals},
    {"BooleanEquals", ValueType::Boolean, Comparison::Equals},
    {"TimestampEquals", ValueType::Timestamp, Comparison::Equals},
    {"TimestampLessThan", ValueType::Timestamp, Comparison::LessThan},
    {"TimestampGreaterThan", ValueType::Timestamp, Comparison::GreaterThan},
    {"TimestampLessThanEquals", ValueType::Timestamp, Comparison::LessThanEquals},
    {"TimestampGreaterThanEquals", ValueType::Timestamp, Comparison::GreaterThanEquals},
};

struct TypeTestSpec {
  std::string_view name;
  TypeTestRule::Test test;
};

constexpr TypeTestSpec kTypeTests[] = {
    {"IsNull", TypeTestRule::Test::Null},       {"IsPresent", TypeTestRule::Test::Present},
    {"IsNumeric", TypeTestRule::Test::Numeric}, {"IsString", TypeTestRule::Test::String},
    {"IsBoolean", TypeTestRule::Test::Boolean}, {"IsTimestamp", TypeTestRule::Test::Timestamp},
};

[[noreturn]] void fail(const std::string& message) {
  throw query::SyntaxError(message);
}

query::jsonpath::Path reference_path(const json::Value& value, std::string_view field) {
  if (!value.is_string()) fail("The field '" + std::string(field) + "' must be a string path");
  query::jsonpath::Path path = query::jsonpath::Path::compile(std::string_view(value.get_string()));
  if (!path.is_reference())
    fail("The value of the field '" + std::string(field) + "' is not a Reference Path");
  return path;
}

bool literal_fits(const json::Value& value, ValueType type) {
  switch (type) {
    case ValueType::String:
      return value.is_string();
    case ValueType::Numeric:
      return value.is_number();
    case ValueType::Boolean:
      return value.is_bool();
    case ValueType::Timestamp:
      return value.is_string() && parse_rfc3339(std::string_view(value.get_string())).has_value();
  }
  return false;
}

std::unique_ptr<const Rule> compile(const json::Value& definition, bool top_level, int depth);

std::unique_ptr<const Rule> compile_boolean(std::string_view key, const json::Value& value,
                                            int depth) {
  std::vector<std::unique_ptr<const Rule>> operands;
  if (key == "Not") {
    if (!value.is_object()) fail("The field 'Not' must be a rule object");
    operands.push_back(compile(value, false, depth + 1));
    return std::make_unique<BooleanRule>(BooleanRule::Kind::Not, std::move(operands));
  }
  if (!value.is_array() || value.get_array().empty())
    fail("The field '" + std::string(key) + "' must be a non-empty array of rules");
  for (const auto& item : value.get_array()) operands.push_back(compile(item, false, depth + 1));
  return std::make_unique<BooleanRule>(
      key == "And" ? BooleanRule::Kind::And : BooleanRule::Kind::Or, std::move(operands));
}

std::unique_ptr<const Rule> compile_data_test(const json::Value& variable_value,
                                              std::string_view op, const json::Value& operand) {
  query::jsonpath::Path variable = reference_path(variable_value, "Variable");
  if (op == "StringMatches") {
    if (!operand.is_string()) fail("The field 'StringMatches' must be a string");
    return std::make_unique<StringMatchesRule>(
        std::move(variable), StringPattern::compile(std::string_view(operand.get_string())));
  }
  for (const auto& spec : kTypeTests) {
    if (spec.name != op) continue;
    if (!operand.is_bool()) fail("The field '" + std::string(op) + "' must be a boolean");
    return std::make_unique<TypeTestRule>(std::move(variable), spec.test, operand.get_bool());
  }
  for (const auto& spec : kComparisons) {
    if (op == spec.name) {
      if (!literal_fits(operand, spec.type))
        fail("The value of the field '" + std::string(op) +
             "' has the wrong type: " + json::dump(operand));
      return std::make_unique<ComparisonRule>(std::move(variable), spec.type, spec.comparison,
                                              operand, std::nullopt);
    }
    if (op.size() == spec.name.size() + 4 && op.substr(0, spec.name.size()) == spec.name &&
        op.substr(spec.name.size()) == "Path") {
      return std::make_unique<ComparisonRule>(std::move(variable), spec.type, spec.comparison,
                                              nullptr, reference_path(operand, op));
    }
  }
  fail("Unknown comparison operator '" + std::string(op) + "'");
}

std::unique_ptr<const Rule> compile(const json::Value& definition, bool top_level, int depth) {
  if (depth > kMaxNesting) fail("Choice rules are nested too deeply");
  const auto* object = definition.if_object();
  if (!object) fail("A Choice rule must be an object");
  const json::Value* variable = nullptr;
  std::string_view op_name;
  const json::Value* op_value = nullptr;
  int operators = 0;
  for (const auto& entry : *object) {
    std::string_view key = entry.key();
    if (key == "Comment") continue;
    if (key == "Next" || key == "Assign" || key == "Output") {
      if (top_level) continue;
      fail("The field '" + std::string(key) + "' is not allowed in a nested Choice rule");
    }
    if (key == "Variable") {
      variable = &entry.value();
      continue;
    }
    ++operators;
    op_name = key;
    op_value = &entry.value();
  }
  if (operators == 0) fail("A Choice rule must have exactly one operator; found none");
  if (operators > 1)
    fail("A Choice rule must have exactly one operator; found several, among them '" +
         std::string(op_name) + "'");
  if (op_name == "And" || op_name == "Or" || op_name == "Not") {
    if (variable) fail("The field 'Variable' cannot be used with '" + std::string(op_name) + "'");
    return compile_boolean(op_name, *op_value, depth);
  }
  if (!variable) fail("The field 'Variable' is required with '" + std::string(op_name) + "'");
  return compile_data_test(*variable, op_name, *op_value);
}

}  // namespace

std::unique_ptr<const Rule> compile_rule(const json::Value& rule, bool top_level) {
  return compile(rule, top_level, 0);
}

}  // namespace stepline::asl::choice
