// Paths, reference paths, payload templates and intrinsic calls (checked with the query layer's
// compilers), and the NO_DOLLAR warning.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::diagnostics_of;
using testing::errors_of;
using testing::one_state;

std::string pass_with(const std::string& fields) {
  return one_state(R"({"Type":"Pass","End":true,)" + fields + "}");
}

TEST(ValidatePaths, InputAndOutputPathsArePaths) {
  EXPECT_EQ(errors_of(pass_with(R"("InputPath":"$.a[*].b","OutputPath":null)")), "");
  EXPECT_EQ(errors_of(pass_with(R"("InputPath":"a.b")")),
            "SCHEMA_VALIDATION_FAILED: The value for the field 'InputPath' must be a valid "
            "JSONPath at /States/S/InputPath");
}

TEST(ValidatePaths, ResultPathIsAReferencePathIntoTheInput) {
  EXPECT_EQ(errors_of(pass_with(R"("ResultPath":"$.a.b")")), "");
  EXPECT_EQ(errors_of(pass_with(R"("ResultPath":null)")), "");
  for (const char* bad : {"$.a[*]", "$$.Execution", "$var.x", "$..a"})
    EXPECT_EQ(errors_of(pass_with(std::string(R"("ResultPath":")") + bad + "\"")),
              "SCHEMA_VALIDATION_FAILED: Value is not a Reference Path at /States/S/ResultPath")
        << bad;
}

TEST(ValidatePaths, TemplateValuesArePathsOrIntrinsics) {
  EXPECT_EQ(errors_of(pass_with(R"j("Parameters":{"a.$":"$.x","b.$":"$$.Execution.Id",
      "c.$":"$var","d.$":"States.Format('{}', $.x)","e":{"f.$":"States.Array(1, 'two', null)"},
      "g":[{"h.$":"$.y"}]})j")),
            "");
  EXPECT_EQ(errors_of(pass_with(R"j("Parameters":{"a.$":"not a path"})j")),
            "SCHEMA_VALIDATION_FAILED: The value for the field 'a.$' must be a valid JSONPath or a "
            "valid intrinsic function call at /States/S/Parameters");
  EXPECT_EQ(errors_of(pass_with(R"j("Parameters":{"a":{"b.$":"States.Nope(1)"}})j")),
            "SCHEMA_VALIDATION_FAILED: The value for the field 'b.$' must be a valid JSONPath or a "
            "valid intrinsic function call at /States/S/Parameters/a");
  EXPECT_EQ(errors_of(pass_with(R"j("Parameters":{"a.$":1})j")),
            "SCHEMA_VALIDATION_FAILED: The value for the field 'a.$' must be a valid JSONPath or a "
            "valid intrinsic function call at /States/S/Parameters");
}

TEST(ValidatePaths, IllegalIntrinsicEscapeAsRecordedFromAws) {
  const std::string definition =
      R"j({"StartAt":"IntrinsicEscape","States":{"IntrinsicEscape":{"Type":"Pass","Parameters":)j"
      R"j({"parsed.$":"States.StringToJson('{\"text\":\"An \\\"escaped double quote\\\" here\"}')"},)j"
      R"j("End":true}}})j";
  EXPECT_EQ(invalid_definition_message(validate_text(definition, {})),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The value for the field "
            "'parsed.$' must be a valid JSONPath or a valid intrinsic function call at "
            "/States/IntrinsicEscape/Parameters'");
}

TEST(ValidatePaths, DuplicateKeysAfterRenaming) {
  EXPECT_EQ(errors_of(pass_with(R"("Parameters":{"a":1,"a.$":"$.x"})")),
            "SCHEMA_VALIDATION_FAILED: The field 'a' is defined more than once at "
            "/States/S/Parameters");
}

TEST(ValidatePaths, LiteralThatLooksLikeAPathWarnsNoDollar) {
  EXPECT_EQ(diagnostics_of(pass_with(R"("Parameters":{"a":"$.x"})")),
            "WARNING NO_DOLLAR: The value of the field 'a' looks like a path or an intrinsic "
            "function but the field name does not end with '.$' at /States/S/Parameters/a");
}

TEST(ValidatePaths, DeepTemplatesDoNotExhaustTheStack) {
  std::string nested = R"({"x.$":"$.y"})";
  for (int i = 0; i < 5000; ++i) nested = R"({"a":)" + nested + "}";
  EXPECT_EQ(errors_of(pass_with(R"("Parameters":)" + nested)), "");
}

}  // namespace
}  // namespace stepline::asl
