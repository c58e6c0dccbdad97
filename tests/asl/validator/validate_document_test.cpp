// The document level: JSON parse errors, top-level fields, the InvalidDefinition message.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::errors_of;

TEST(ValidateDocument, NotJsonIsReportedAsJacksonWouldWordIt) {
  const auto diagnostics = validate_text("not a definition", {});
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].code, "INVALID_JSON_DESCRIPTION");
  EXPECT_EQ(diagnostics[0].message,
            "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token "
            "'null', 'true' or 'false')\n at [Source: (String)\"not a definition\"; line: 1, "
            "column: 4]");
  EXPECT_EQ(diagnostics[0].location, "[Source: (String)\"not a definition\"; line: 1, column: 4]");
}

TEST(ValidateDocument, BrokenJsonIsInvalidJsonDescription) {
  const auto diagnostics = validate_text(R"({"StartAt": )", {});
  ASSERT_EQ(diagnostics.size(), 1u);
  EXPECT_EQ(diagnostics[0].code, "INVALID_JSON_DESCRIPTION");
  ASSERT_TRUE(diagnostics[0].location.has_value());
  EXPECT_TRUE(diagnostics[0].location->starts_with("[Source: (String)"));
}

TEST(ValidateDocument, EmptyOrNonObjectDefinitions) {
  EXPECT_EQ(errors_of(""),
            "SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object at null");
  EXPECT_EQ(errors_of("  \n"),
            "SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object at null");
  EXPECT_EQ(errors_of("[]"),
            "SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object at /");
}

TEST(ValidateDocument, RequiredTopLevelFields) {
  EXPECT_EQ(errors_of("{}"),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /");
  EXPECT_EQ(errors_of(R"({"States":{"A":{"Type":"Succeed"}}})"),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /");
  EXPECT_EQ(errors_of(R"({"Comment":"x","StartAt":"A"})"),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /");
  EXPECT_EQ(errors_of(R"({"StartAt":"A","States":{}})"),
            "SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States");
}

TEST(ValidateDocument, TopLevelFieldsAndTypes) {
  EXPECT_EQ(errors_of(R"({"StartAt":"A","Foo":1,"States":{"A":{"Type":"Succeed"}}})"),
            "SCHEMA_VALIDATION_FAILED: Field 'Foo' is not supported at /");
  EXPECT_EQ(errors_of(R"({"StartAt":"A","TimeoutSeconds":0,"States":{"A":{"Type":"Succeed"}}})"),
            "SCHEMA_VALIDATION_FAILED: Minimum value is 1 at /TimeoutSeconds");
  EXPECT_EQ(errors_of(R"({"StartAt":7,"States":{"A":{"Type":"Succeed"}}})"),
            "SCHEMA_VALIDATION_FAILED: Expected value of type: String at /StartAt");
  EXPECT_EQ(
      errors_of(R"({"StartAt":"A","QueryLanguage":"XPath","States":{"A":{"Type":"Succeed"}}})"),
      "SCHEMA_VALIDATION_FAILED: The field 'QueryLanguage' should have one of these values: "
      "[JSONPath, JSONata] at /QueryLanguage");
  EXPECT_EQ(errors_of(R"({"Version":"1.0","Comment":"c","TimeoutSeconds":10,"StartAt":"A",
                          "States":{"A":{"Type":"Succeed"}}})"),
            "");
}

TEST(ValidateDocument, InvalidDefinitionMessageJoinsErrorsAndSkipsWarnings) {
  const std::vector<Diagnostic> diagnostics{
      {"ERROR", "MISSING_TRANSITION_TARGET", "Missing 'Next' target: pass3", "/States/pass1/Next"},
      {"WARNING", "NO_DOLLAR", "ignored", "/States/x"},
      {"ERROR", "MISSING_END_STATE", "Workflow has no terminal state", std::nullopt},
  };
  EXPECT_EQ(invalid_definition_message(diagnostics),
            "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: "
            "pass3 at /States/pass1/Next, MISSING_END_STATE: Workflow has no terminal state at "
            "null'");
  EXPECT_TRUE(has_errors(diagnostics));
  EXPECT_FALSE(has_errors({diagnostics[1]}));
}

TEST(ValidateDocument, AlreadyParsedValueGivesTheSameResult) {
  const auto value = json::parse(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})");
  EXPECT_TRUE(validate(value, {}).empty());
}

}  // namespace
}  // namespace stepline::asl

namespace stepline::asl {
namespace {

TEST(ValidationResponse, FiltersBySeverityAndKeepsTheResult) {
  const std::string definition =
      R"({"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"x":"$.a"},"End":true}}})";
  const auto errors_only = validation_response(definition, {});
  EXPECT_EQ(errors_only.result, "OK");
  EXPECT_TRUE(errors_only.diagnostics.empty());
  const auto with_warnings = validation_response(definition, {}, "WARNING");
  ASSERT_EQ(with_warnings.diagnostics.size(), 1u);
  EXPECT_EQ(with_warnings.diagnostics[0].code, "NO_DOLLAR");
  EXPECT_EQ(json::dump(to_json(errors_only)),
            R"({"result":"OK","diagnostics":[],"truncated":false})");
}

TEST(ValidationResponse, TruncatesAtMaxResults) {
  std::string states;
  for (int i = 0; i < 5; ++i)
    states += (i ? "," : "") + std::string(R"("S)") + std::to_string(i) +
              R"(":{"Type":"Pass","Next":"Nowhere"})";
  const std::string definition = R"({"StartAt":"S0","States":{)" + states + "}}";
  const auto response = validation_response(definition, {}, "ERROR", 2);
  EXPECT_EQ(response.result, "FAIL");
  EXPECT_EQ(response.diagnostics.size(), 2u);
  EXPECT_TRUE(response.truncated);
  EXPECT_EQ(
      json::dump(to_json(response)),
      R"({"result":"FAIL","diagnostics":[{"severity":"ERROR","code":"MISSING_TRANSITION_TARGET",)"
      R"("message":"Missing 'Next' target: Nowhere","location":"/States/S0/Next"},)"
      R"({"severity":"ERROR","code":"MISSING_TRANSITION_TARGET","message":"Missing 'Next' )"
      R"(target: Nowhere","location":"/States/S1/Next"}],"truncated":true})");
}

}  // namespace
}  // namespace stepline::asl
