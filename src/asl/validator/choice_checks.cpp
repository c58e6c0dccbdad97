// Checks of Choice states (ASL.md §5 Choice): JSONPath rules (one comparison operator or
// And/Or/Not, typed operands, nested rules without Next) and JSONata rules (Condition).
#include "asl/validator/state_checks.hpp"
#include "asl/validator/timestamp_syntax.hpp"
#include "asl/validator/value_checks.hpp"

#include <algorithm>
#include <array>

namespace stepline::asl::validation {
namespace {

enum class Operand { String, Pattern, Number, Boolean, Timestamp, TypeTest, Path };

struct Operator {
  std::string_view name;
  Operand operand;
};

constexpr std::array<Operator, 39> kOperators{{
    {"StringEquals", Operand::String},
    {"StringLessThan", Operand::String},
    {"StringGreaterThan", Operand::String},
    {"StringLessThanEquals", Operand::String},
    {"StringGreaterThanEquals", Operand::String},
    {"StringMatches", Operand::Pattern},
    {"NumericEquals", Operand::Number},
    {"NumericLessThan", Operand::Number},
    {"NumericGreaterThan", Operand::Number},
    {"NumericLessThanEquals", Operand::Number},
    {"NumericGreaterThanEquals", Operand::Number},
    {"BooleanEquals", Operand::Boolean},
    {"TimestampEquals", Operand::Timestamp},
    {"TimestampLessThan", Operand::Timestamp},
    {"TimestampGreaterThan", Operand::Timestamp},
    {"TimestampLessThanEquals", Operand::Timestamp},
    {"TimestampGreaterThanEquals", Operand::Timestamp},
    {"IsNull", Operand::TypeTest},
    {"IsPresent", Operand::TypeTest},
    {"IsNumeric", Operand::TypeTest},
    {"IsString", Operand::TypeTest},
    {"IsBoolean", Operand::TypeTest},
    {"IsTimestamp", Operand::TypeTest},
    {"StringEqualsPath", Operand::Path},
    {"StringLessThanPath", Operand::Path},
    {"StringGreaterThanPath", Operand::Path},
    {"StringLessThanEqualsPath", Operand::Path},
    {"StringGreaterThanEqualsPath", Operand::Path},
    {"NumericEqualsPath", Operand::Path},
    {"NumericLessThanPath", Operand::Path},
    {"NumericGreaterThanPath", Operand::Path},
    {"NumericLessThanEqualsPath", Operand::Path},
    {"NumericGreaterThanEqualsPath", Operand::Path},
    {"BooleanEqualsPath", Operand::Path},
    {"TimestampEqualsPath", Operand::Path},
    {"TimestampLessThanPath", Operand::Path},
    {"TimestampGreaterThanPath", Operand::Path},
    {"TimestampLessThanEqualsPath", Operand::Path},
    {"TimestampGreaterThanEqualsPath", Operand::Path},
}};

const Operator* find_operator(std::string_view name) {
  for (const auto& op : kOperators)
    if (op.name == name) return &op;
  return nullptr;
}

bool is_jsonpath_rule_field(std::string_view key) {
  return key == "Variable" || key == "And" || key == "Or" || key == "Not" || find_operator(key);
}

// StringMatches: only `\*` and `\\` are escapes.
bool valid_pattern(std::string_view pattern) {
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '\\') continue;
    if (i + 1 >= pattern.size() || (pattern[i + 1] != '*' && pattern[i + 1] != '\\')) return false;
    ++i;
  }
  return true;
}

class RuleChecker {
 public:
  explicit RuleChecker(const StateSite& site) : site_(site), sink_(site.run.sink) {}

  void top_level_rule(const json::Value& rule, const std::string& location) {
    if (!expect_object(sink_, rule, location)) return;
    const auto& object = rule.get_object();
    if (const auto* next = object.if_contains("Next")) {
      expect_string(sink_, *next, child(location, "Next"));
    } else {
      sink_.schema("The field 'Next' is required but was missing", location);
    }
    if (const auto* assign = object.if_contains("Assign"))
      check_assign(site_, *assign, child(location, "Assign"));
    if (site_.language == Language::JSONata) {
      jsonata_rule(object, location);
    } else {
      jsonpath_rule(object, location, 0, true);
    }
  }

 private:
  void mismatch(std::string_view field, const std::string& location) {
    const Language other =
        site_.language == Language::JSONPath ? Language::JSONata : Language::JSONPath;
    sink_.schema("The QueryLanguage is set to '" + std::string(language_name(site_.language)) +
                     "', but field '" + std::string(field) + "' is only supported for the '" +
                     std::string(language_name(other)) + "' QueryLanguage",
                 location);
  }

  void jsonata_rule(const json::Object& rule, const std::string& location) {
    for (const auto& [key, value] : rule) {
      (void)value;
      if (key == "Condition" || key == "Next" || key == "Assign" || key == "Output" ||
          key == "Comment")
        continue;
      if (is_jsonpath_rule_field(key)) {
        mismatch(key, location);
      } else {
        sink_.schema("Field '" + std::string(key) + "' is not supported", location);
      }
    }
    const auto* condition = rule.if_contains("Condition");
    if (!condition) {
      sink_.schema("The field 'Condition' is required but was missing", location);
    } else if (is_expression_string(*condition)) {
      check_jsonata_strings(sink_, *condition, child(location, "Condition"));
    } else {
      expect_bool(sink_, *condition, child(location, "Condition"));
    }
    if (const auto* output = rule.if_contains("Output"))
      check_jsonata_strings(sink_, *output, child(location, "Output"));
  }

  void jsonpath_rule(const json::Object& rule, const std::string& location, int depth,
                     bool top_level) {
    if (depth > kMaxChoiceRuleDepth) {
      sink_.error("TOO_DEEPLY_NESTED", "The Choice Rule is nested too deeply", location);
      return;
    }
    std::vector<std::string_view> tests;  // And/Or/Not and comparison operators present
    for (const auto& [key, value] : rule) {
      (void)value;
      if (key == "Variable" || key == "Comment") continue;
      if (top_level && (key == "Next" || key == "Assign")) continue;
      if (key == "And" || key == "Or" || key == "Not" || find_operator(key)) {
        tests.push_back(key);
      } else if (key == "Condition" || key == "Output") {
        mismatch(key, location);
      } else {
        sink_.schema("Field '" + std::string(key) + "' is not supported", location);
      }
    }
    if (const auto* comment = rule.if_contains("Comment"))
      expect_string(sink_, *comment, child(location, "Comment"));
    if (tests.size() != 1) {
      sink_.schema(
          "A Choice Rule must have exactly one comparison operator or one of the fields: [And, "
          "Or, Not]",
          location);
      return;
    }
    const std::string_view test = tests.front();
    const json::Value& operand = *rule.if_contains(test);
    const std::string operand_location = child(location, test);
    if (test == "And" || test == "Or") {
      if (rule.contains("Variable")) sink_.schema("Field 'Variable' is not supported", location);
      if (!expect_array(sink_, operand, operand_location)) return;
      const auto& rules = operand.get_array();
      if (rules.empty()) sink_.schema("Value cannot be empty", operand_location);
      for (std::size_t i = 0; i < rules.size(); ++i)
        nested_rule(rules[i], child(operand_location, i), depth);
      return;
    }
    if (test == "Not") {
      if (rule.contains("Variable")) sink_.schema("Field 'Variable' is not supported", location);
      nested_rule(operand, operand_location, depth);
      return;
    }
    const auto* variable = rule.if_contains("Variable");
    if (!variable) {
      sink_.schema("The field 'Variable' is required but was missing", location);
    } else {
      check_reference_path_field(sink_, *variable, child(location, "Variable"), {});
    }
    comparison_operand(*find_operator(test), operand, operand_location);
  }

  void nested_rule(const json::Value& rule, const std::string& location, int depth) {
    if (!expect_object(sink_, rule, location)) return;
    jsonpath_rule(rule.get_object(), location, depth + 1, false);
  }

  void comparison_operand(const Operator& op, const json::Value& value,
                          const std::string& location) {
    switch (op.operand) {
      case Operand::String:
      case Operand::Pattern:
        if (!expect_string(sink_, value, location)) return;
        if (op.operand == Operand::Pattern && !valid_pattern(value.get_string()))
          sink_.schema("Value is not a valid StringMatches pattern", location);
        warn_path_like(op, value.get_string(), location);
        return;
      case Operand::Number: {
        double ignored = 0;
        if (!json::as_double(value, ignored))
          sink_.schema("Expected value of type: Number", location);
        return;
      }
      case Operand::Boolean:
      case Operand::TypeTest:
        expect_bool(sink_, value, location);
        return;
      case Operand::Timestamp:
        if (!expect_string(sink_, value, location)) return;
        if (!is_rfc3339_timestamp(value.get_string()))
          sink_.schema("String does not match RFC3339 timestamp", location);
        return;
      case Operand::Path:
        check_reference_path_field(sink_, value, location, {});
        return;
    }
  }

  void warn_path_like(const Operator& op, std::string_view text, const std::string& location) {
    if (text.starts_with("$.") || text.starts_with("$$.") || text == "$")
      sink_.warning("NO_PATH",
                    "The value of the field '" + std::string(op.name) +
                        "' looks like a path but the field name does not end with 'Path'",
                    location);
  }

  const StateSite& site_;
  Sink& sink_;
};

}  // namespace

void check_choice_state(const StateSite& site, const json::Object& state) {
  Sink& sink = site.run.sink;
  if (const auto* def = state.if_contains("Default"))
    expect_string(sink, *def, child(site.pointer, "Default"));
  check_io_fields(site, state);
  const auto* choices = state.if_contains("Choices");
  if (!choices) {
    sink.schema("These fields are required: [Choices]", site.pointer);
    return;
  }
  const std::string location = child(site.pointer, "Choices");
  if (!expect_array(sink, *choices, location)) return;
  const auto& rules = choices->get_array();
  if (rules.empty()) {
    sink.schema("Value cannot be empty", location);
    return;
  }
  RuleChecker checker(site);
  for (std::size_t i = 0; i < rules.size(); ++i)
    checker.top_level_rule(rules[i], child(location, i));
}

}  // namespace stepline::asl::validation
