// Choice rules: one comparison operator (or And/Or/Not) per rule, operand types, nested rules
// without Next, JSONata Condition rules.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::diagnostics_of;
using testing::errors_of;

std::string choice(const std::string& rule) {
  return R"({"StartAt":"C","States":{"C":{"Type":"Choice","Choices":[)" + rule +
         R"(],"Default":"D"},"D":{"Type":"Succeed"},"N":{"Type":"Succeed"}}})";
}

std::string jsonata_choice(const std::string& rule) {
  return R"({"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[)" +
         rule + R"(],"Default":"D"},"D":{"Type":"Succeed"},"N":{"Type":"Succeed"}}})";
}

TEST(ValidateChoice, ChoicesAreRequiredAndNonEmpty) {
  EXPECT_EQ(errors_of(R"({"StartAt":"C","States":{"C":{"Type":"Choice","Default":"D"},
                          "D":{"Type":"Succeed"}}})"),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [Choices] at /States/C");
  EXPECT_EQ(errors_of(choice("")),
            "SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/C/Choices");
}

TEST(ValidateChoice, ValidRules) {
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a","NumericGreaterThanEquals":5,"Next":"N"},
      {"And":[{"Variable":"$$.Execution.Name","StringMatches":"log-*.txt"},
              {"Not":{"Variable":"$v.x","IsNull":true}}],"Next":"N"},
      {"Variable":"$.t","TimestampLessThanPath":"$.u","Next":"N"},
      {"Variable":"$.t","TimestampEquals":"2016-03-14T01:59:00Z","Next":"N"})")),
            "");
}

TEST(ValidateChoice, ExactlyOneOperator) {
  const std::string message =
      "SCHEMA_VALIDATION_FAILED: A Choice Rule must have exactly one comparison operator or one "
      "of the fields: [And, Or, Not] at /States/C/Choices/0";
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a","Next":"N"})")), message);
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a","StringEquals":"x","IsNull":false,"Next":"N"})")),
            message);
}

TEST(ValidateChoice, OperandTypes) {
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a","NumericEquals":"1","Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: Expected value of type: Number at "
            "/States/C/Choices/0/NumericEquals");
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a","BooleanEquals":1,"Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: Expected value of type: Boolean at "
            "/States/C/Choices/0/BooleanEquals");
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a","StringMatches":"a\\b","Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: Value is not a valid StringMatches pattern at "
            "/States/C/Choices/0/StringMatches");
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a","TimestampEquals":"yesterday","Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at "
            "/States/C/Choices/0/TimestampEquals");
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a[*]","IsPresent":true,"Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: Value is not a Reference Path at "
            "/States/C/Choices/0/Variable");
}

TEST(ValidateChoice, RulesNeedNextOnlyAtTheTop) {
  EXPECT_EQ(errors_of(choice(R"({"Variable":"$.a","IsNull":true})")),
            "SCHEMA_VALIDATION_FAILED: The field 'Next' is required but was missing at "
            "/States/C/Choices/0");
  EXPECT_EQ(errors_of(choice(R"({"Not":{"Variable":"$.a","IsNull":true,"Next":"N"},"Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: Field 'Next' is not supported at /States/C/Choices/0/Not");
  EXPECT_EQ(errors_of(choice(R"({"And":[],"Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/C/Choices/0/And");
}

TEST(ValidateChoice, PathLikeLiteralWarnsNoPath) {
  EXPECT_EQ(diagnostics_of(choice(R"({"Variable":"$.a","StringEquals":"$.b","Next":"N"})")),
            "WARNING NO_PATH: The value of the field 'StringEquals' looks like a path but the "
            "field name does not end with 'Path' at /States/C/Choices/0/StringEquals");
}

TEST(ValidateChoice, JsonataRulesUseCondition) {
  EXPECT_EQ(errors_of(jsonata_choice(R"({"Condition":"{% $states.input.a > 1 %}","Next":"N"})")),
            "");
  EXPECT_EQ(errors_of(jsonata_choice(R"({"Condition":true,"Next":"N","Output":{"x":1}})")), "");
  EXPECT_EQ(errors_of(jsonata_choice(R"({"Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: The field 'Condition' is required but was missing at "
            "/States/C/Choices/0");
  EXPECT_EQ(errors_of(jsonata_choice(R"({"Condition":true,"Variable":"$.a","Next":"N"})")),
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field "
            "'Variable' is only supported for the 'JSONPath' QueryLanguage at /States/C/Choices/0");
}

TEST(ValidateChoice, DeepNestingIsBounded) {
  std::string rule = R"({"Variable":"$.a","IsNull":true})";
  for (int i = 0; i < 150; ++i) rule = R"({"Not":)" + rule + "}";
  const std::string definition = choice(rule.substr(0, rule.size() - 1) + R"(,"Next":"N"})");
  EXPECT_NE(errors_of(definition).find("TOO_DEEPLY_NESTED"), std::string::npos);
}

}  // namespace
}  // namespace stepline::asl
