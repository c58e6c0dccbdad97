// JSONata strings in definitions: `{% %}` framing, compilation with the JSONata parser, and the
// complexity bound that keeps adversarial expressions from exhausting the stack.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::errors_of;
using testing::one_jsonata_state;

TEST(ValidateJsonata, ExpressionsMustCompile) {
  EXPECT_EQ(errors_of(one_jsonata_state(
                R"({"Type":"Pass","End":true,"Output":{"a":"{% $states.input.x + %}"}})")),
            "SCHEMA_VALIDATION_FAILED: The JSONata expression '{% $states.input.x + %}' is not "
            "valid: S0207: Unexpected end of expression at /States/S/Output/a");
  EXPECT_EQ(errors_of(one_jsonata_state(
                R"({"Type":"Pass","End":true,"Assign":{"v":"{% $sum([1,2]) & 'x' %}"}})")),
            "");
}

TEST(ValidateJsonata, BlankExpressionsAreRefused) {
  EXPECT_EQ(errors_of(one_jsonata_state(R"({"Type":"Pass","End":true,"Output":{"a":"{%  %}"}})")),
            "SCHEMA_VALIDATION_FAILED: The JSONata expression '{%  %}' is not valid: Empty JSONata "
            "expression at /States/S/Output/a");
}

TEST(ValidateJsonata, OnlyFramedStringsAreExpressions) {
  EXPECT_EQ(errors_of(one_jsonata_state(
                R"({"Type":"Pass","End":true,"Output":{"a":"{% partial","b":" {% 1 %}"}})")),
            "");
}

TEST(ValidateJsonata, JsonPathStatesTreatFramedStringsAsLiterals) {
  EXPECT_EQ(errors_of(testing::one_state(
                R"({"Type":"Pass","End":true,"Parameters":{"a":"{% nonsense + %}"}})")),
            "");
}

TEST(ValidateJsonata, StatesResultAndErrorOutputOnlyWhereTheyExist) {
  const std::string task =
      R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,)";
  EXPECT_EQ(errors_of(one_jsonata_state(task + R"("Output":"{% $states.result %}",
      "Assign":{"r":"{% $states.result.Payload %}"},
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"S","Output":"{% $states.errorOutput %}",
                "Assign":{"e":"{% $states.errorOutput.Cause %}"}}]})")),
            "");
  EXPECT_EQ(
      errors_of(one_jsonata_state(R"({"Type":"Pass","End":true,"Output":"{% $states.result %}"})")),
      "SCHEMA_VALIDATION_FAILED: The JSONata expression '{% $states.result %}' is not valid: "
      "$states.result is only available in the Output and Assign of Task, Parallel and Map "
      "states at /States/S/Output");
  EXPECT_EQ(errors_of(one_jsonata_state(task + R"("Output":"{% $states.errorOutput %}"})")),
            "SCHEMA_VALIDATION_FAILED: The JSONata expression '{% $states.errorOutput %}' is not "
            "valid: $states.errorOutput is only available in the Output and Assign of a Catcher at "
            "/States/S/Output");
  EXPECT_EQ(errors_of(one_jsonata_state(R"({"Type":"Pass","End":true,"Output":"{% $$.x %}"})")),
            "SCHEMA_VALIDATION_FAILED: The JSONata expression '{% $$.x %}' is not valid: '$$' "
            "cannot be used in JSONata expressions; use $states.context instead at "
            "/States/S/Output");
  EXPECT_EQ(errors_of(one_jsonata_state(
                R"({"Type":"Pass","End":true,"Output":"{% '$states.result and $$' %}"})")),
            "");
}

TEST(ValidateJsonata, AdversarialExpressionsAreBoundedNotFatal) {
  std::string chain = "1";
  for (int i = 0; i < 20000; ++i) chain += "+1";
  const auto errors = errors_of(
      one_jsonata_state(R"({"Type":"Pass","End":true,"Output":"{% )" + chain + R"( %}"})"));
  EXPECT_NE(errors.find("The expression is too complex"), std::string::npos);
}

}  // namespace
}  // namespace stepline::asl
