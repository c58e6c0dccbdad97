// The concrete Choice rule kinds: boolean combinations, data tests (comparisons, StringMatches,
// type tests). Built by compile_rule().
#pragma once

#include "asl/choice/choice_rule.hpp"
#include "asl/choice/string_pattern.hpp"
#include "query/jsonpath/path.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace stepline::asl::choice {

class BooleanRule final : public Rule {
 public:
  enum class Kind { And, Or, Not };
  BooleanRule(Kind kind, std::vector<std::unique_ptr<const Rule>> operands)
      : kind_(kind), operands_(std::move(operands)) {}
  bool evaluate(const query::EvalContext& ctx) const override;
  void add_variable_references(std::vector<std::string>& out) const override;

 private:
  Kind kind_;
  std::vector<std::unique_ptr<const Rule>> operands_;
};

enum class ValueType { String, Numeric, Boolean, Timestamp };
enum class Comparison { Equals, LessThan, GreaterThan, LessThanEquals, GreaterThanEquals };

// `Variable` compared with a literal or with the value of another path (the `...Path` twins).
class ComparisonRule final : public Rule {
 public:
  ComparisonRule(query::jsonpath::Path variable, ValueType type, Comparison comparison,
                 json::Value literal, std::optional<query::jsonpath::Path> operand_path);
  bool evaluate(const query::EvalContext& ctx) const override;
  void add_variable_references(std::vector<std::string>& out) const override;

 private:
  query::jsonpath::Path variable_;
  ValueType type_;
  Comparison comparison_;
  json::Value literal_;
  std::optional<query::jsonpath::Path> operand_path_;
};

class StringMatchesRule final : public Rule {
 public:
  StringMatchesRule(query::jsonpath::Path variable, StringPattern pattern)
      : variable_(std::move(variable)), pattern_(std::move(pattern)) {}
  bool evaluate(const query::EvalContext& ctx) const override;
  void add_variable_references(std::vector<std::string>& out) const override;

 private:
  query::jsonpath::Path variable_;
  StringPattern pattern_;
};

// IsNull, IsPresent, IsNumeric, IsString, IsBoolean, IsTimestamp; `expected` false negates.
class TypeTestRule final : public Rule {
 public:
  enum class Test { Null, Present, Numeric, String, Boolean, Timestamp };
  TypeTestRule(query::jsonpath::Path variable, Test test, bool expected)
      : variable_(std::move(variable)), test_(test), expected_(expected) {}
  bool evaluate(const query::EvalContext& ctx) const override;
  void add_variable_references(std::vector<std::string>& out) const override;

 private:
  query::jsonpath::Path variable_;
  Test test_;
  bool expected_;
};

// The value a Variable (or `...Path` operand) names; throws States.Runtime when there is none.
const json::Value& resolve_operand(const query::jsonpath::Path& path, const query::EvalContext& ctx,
                                   query::jsonpath::PathResult& storage);

}  // namespace stepline::asl::choice
