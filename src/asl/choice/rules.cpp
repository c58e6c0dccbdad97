// Evaluation of Choice rules. Comparisons between values of the wrong type are false, never
// errors, as on AWS; a Variable that does not resolve is a States.Runtime error.
#include "asl/choice/rules.hpp"

#include "common/errors.hpp"
#include "common/time.hpp"

namespace stepline::asl::choice {
namespace {

template <typename T>
bool ordered(const T& a, const T& b, Comparison comparison) {
  switch (comparison) {
    case Comparison::Equals:
      return a == b;
    case Comparison::LessThan:
      return a < b;
    case Comparison::GreaterThan:
      return a > b;
    case Comparison::LessThanEquals:
      return a <= b;
    case Comparison::GreaterThanEquals:
      return a >= b;
  }
  return false;
}

bool compare_numbers(const json::Value& a, const json::Value& b, Comparison comparison) {
  // AWS compares as Java doubles, so integers beyond 2^53 lose precision exactly as there.
  double x, y;
  if (!json::as_double(a, x) || !json::as_double(b, y)) return false;
  return ordered(x, y, comparison);
}

bool compare(const json::Value& a, const json::Value& b, ValueType type, Comparison comparison) {
  switch (type) {
    case ValueType::String:
      if (!a.is_string() || !b.is_string()) return false;
      return ordered(std::string_view(a.get_string()), std::string_view(b.get_string()),
                     comparison);
    case ValueType::Numeric:
      return compare_numbers(a, b, comparison);
    case ValueType::Boolean:
      return a.is_bool() && b.is_bool() && a.get_bool() == b.get_bool();
    case ValueType::Timestamp: {
      if (!a.is_string() || !b.is_string()) return false;
      auto x = parse_rfc3339(std::string_view(a.get_string()));
      auto y = parse_rfc3339(std::string_view(b.get_string()));
      if (!x || !y) return false;
      return ordered(*x, *y, comparison);
    }
  }
  return false;
}

}  // namespace

const json::Value& resolve_operand(const query::jsonpath::Path& path, const query::EvalContext& ctx,
                                   query::jsonpath::PathResult& storage) {
  storage = path.evaluate(ctx);
  if (!storage.found())
    throw StatesException(errors::kRuntime,
                          "Invalid path '" + path.text() +
                              "': The choice state's condition path references an invalid "
                              "value.");
  return storage.value();
}

bool BooleanRule::evaluate(const query::EvalContext& ctx) const {
  switch (kind_) {
    case Kind::Not:
      return !operands_.front()->evaluate(ctx);
    case Kind::And:
      for (const auto& rule : operands_) {
        if (!rule->evaluate(ctx)) return false;
      }
      return true;
    case Kind::Or:
      for (const auto& rule : operands_) {
        if (rule->evaluate(ctx)) return true;
      }
      return false;
  }
  return false;
}

void BooleanRule::add_variable_references(std::vector<std::string>& out) const {
  for (const auto& rule : operands_) rule->add_variable_references(out);
}

ComparisonRule::ComparisonRule(query::jsonpath::Path variable, ValueType type,
                               Comparison comparison, json::Value literal,
                               std::optional<query::jsonpath::Path> operand_path)
    : variable_(std::move(variable)),
      type_(type),
      comparison_(comparison),
      literal_(std::move(literal)),
      operand_path_(std::move(operand_path)) {}

bool ComparisonRule::evaluate(const query::EvalContext& ctx) const {
  query::jsonpath::PathResult left_storage, right_storage;
  const json::Value& left = resolve_operand(variable_, ctx, left_storage);
  const json::Value& right =
      operand_path_ ? resolve_operand(*operand_path_, ctx, right_storage) : literal_;
  return compare(left, right, type_, comparison_);
}

void ComparisonRule::add_variable_references(std::vector<std::string>& out) const {
  variable_.add_variable_references(out);
  if (operand_path_) operand_path_->add_variable_references(out);
}

bool StringMatchesRule::evaluate(const query::EvalContext& ctx) const {
  query::jsonpath::PathResult storage;
  const json::Value& value = resolve_operand(variable_, ctx, storage);
  return value.is_string() && pattern_.matches(std::string_view(value.get_string()));
}

void StringMatchesRule::add_variable_references(std::vector<std::string>& out) const {
  variable_.add_variable_references(out);
}

bool TypeTestRule::evaluate(const query::EvalContext& ctx) const {
  query::jsonpath::PathResult storage;
  if (test_ == Test::Present) return variable_.evaluate(ctx).found() == expected_;
  const json::Value& value = resolve_operand(variable_, ctx, storage);
  bool is = false;
  switch (test_) {
    case Test::Null:
      is = value.is_null();
      break;
    case Test::Numeric:
      is = value.is_number();
      break;
    case Test::String:
      is = value.is_string();
      break;
    case Test::Boolean:
      is = value.is_bool();
      break;
    case Test::Timestamp:
      is = value.is_string() && parse_rfc3339(std::string_view(value.get_string())).has_value();
      break;
    case Test::Present:
      break;
  }
  return is == expected_;
}

void TypeTestRule::add_variable_references(std::vector<std::string>& out) const {
  variable_.add_variable_references(out);
}

}  // namespace stepline::asl::choice
