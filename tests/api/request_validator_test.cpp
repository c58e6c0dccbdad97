// Request validation against the embedded service model, with the texts AWS answered in the
// recorded cases (conformance/aws-recorded.jsonl).
#include "api/request_validator.hpp"
#include "api/service_model.hpp"

#include <gtest/gtest.h>

#include <string>

namespace stepline::api {
namespace {

std::optional<ApiError> check(std::string_view operation, std::string_view body) {
  const ServiceModel& model = step_functions_model();
  return validate_request(model, model.input_shape(operation), json::parse(body));
}

std::string validation_message(std::string_view operation, std::string_view body) {
  auto error = check(operation, body);
  if (!error) return "<valid>";
  EXPECT_EQ(error->type, "ValidationException");
  EXPECT_EQ(error->status, 400);
  return error->message;
}

const char* kVersionArn = "arn:aws:states:us-east-1:111111111111:stateMachine:sm";

TEST(ServiceModel, KnowsTheThirtySevenOperations) {
  const ServiceModel& model = step_functions_model();
  EXPECT_EQ(model.target_prefix(), "AWSStepFunctions");
  EXPECT_EQ(model.operation_names().size(), 37u);
  EXPECT_EQ(model.input_shape("StartExecution"), "StartExecutionInput");
  EXPECT_EQ(model.operation("NoSuchOperation"), nullptr);
}

TEST(RequestValidator, AcceptsAValidRequestAndIgnoresUnknownMembers) {
  EXPECT_EQ(validation_message("ListStateMachines", R"({"maxResults": 1000, "extra": 1})"),
            "<valid>");
  EXPECT_EQ(validation_message("ValidateStateMachineDefinition",
                               R"({"definition": "{}", "type": "EXPRESS", "severity": "WARNING"})"),
            "<valid>");
}

TEST(RequestValidator, ValueAboveMaximum) {
  EXPECT_EQ(validation_message("ListStateMachines", R"({"maxResults": 1001})"),
            "1 validation error detected: Value '1001' at 'maxResults' failed to satisfy "
            "constraint: Member must have value less than or equal to 1000");
  EXPECT_EQ(validation_message("ListStateMachines", R"({"maxResults": -1})"),
            "1 validation error detected: Value '-1' at 'maxResults' failed to satisfy "
            "constraint: Member must have value greater than or equal to 0");
}

TEST(RequestValidator, StringLongerThanMaximum) {
  const std::string token(1025, 'a');
  EXPECT_EQ(validation_message("ListStateMachines", R"({"nextToken": ")" + token + R"("})"),
            "1 validation error detected: Value '" + token +
                "' at 'nextToken' failed to satisfy constraint: Member must have length less "
                "than or equal to 1024");
  const std::string long_token(3097, 'b');
  EXPECT_EQ(validation_message("ListExecutions", R"({"nextToken": ")" + long_token + R"("})"),
            "1 validation error detected: Value '" + long_token +
                "' at 'nextToken' failed to satisfy constraint: Member must have length less "
                "than or equal to 3096");
}

TEST(RequestValidator, LengthCountsUtf16UnitsLikeJava) {
  // 40 characters outside the BMP are 80 UTF-16 units: still within the 80 limit...
  std::string name;
  for (int i = 0; i < 40; ++i) name += "\xF0\x9F\x98\x80";
  EXPECT_EQ(validation_message("CreateActivity", R"({"name": ")" + name + R"("})"), "<valid>");
  // ...one more is 82.
  name += "\xF0\x9F\x98\x80";
  EXPECT_NE(validation_message("CreateActivity", R"({"name": ")" + name + R"("})")
                .find("Member must have length less than or equal to 80"),
            std::string::npos);
}

TEST(RequestValidator, EnumViolationListsTheAllowedValues) {
  const std::string message =
      validation_message("ListExecutions", R"({"stateMachineArn": "a", "statusFilter": "x"})");
  EXPECT_EQ(message.rfind("1 validation error detected: Value 'x' at 'statusFilter' failed to "
                          "satisfy constraint: Member must satisfy enum value set: [",
                          0),
            0u);
  for (const char* status :
       {"RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED", "PENDING_REDRIVE"})
    EXPECT_NE(message.find(status), std::string::npos) << status;
}

TEST(RequestValidator, PatternViolation) {
  const std::string routing = R"("routingConfiguration": [{"stateMachineVersionArn": ")" +
                              std::string(kVersionArn) + R"(:1", "weight": 100}])";
  EXPECT_EQ(
      validation_message("CreateStateMachineAlias", R"({"name": "!INVALID", )" + routing + "}"),
      "1 validation error detected: Value '!INVALID' at 'name' failed to satisfy "
      "constraint: Member must satisfy regular expression pattern: "
      "^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$");
  // The lookahead demands one non-digit: an all-digit alias name would read as a version.
  EXPECT_NE(validation_message("CreateStateMachineAlias", R"({"name": "123", )" + routing + "}"),
            "<valid>");
  EXPECT_EQ(
      validation_message("CreateStateMachineAlias", R"({"name": "prod.v2", )" + routing + "}"),
      "<valid>");
}

TEST(RequestValidator, NestedListMemberPath) {
  const std::string body =
      R"({"name": "alias", "routingConfiguration": [{"stateMachineVersionArn": ")" +
      std::string(kVersionArn) + R"(:1", "weight": 101}]})";
  EXPECT_EQ(validation_message("CreateStateMachineAlias", body),
            "1 validation error detected: Value '101' at 'routingConfiguration.1.member.weight' "
            "failed to satisfy constraint: Member must have value less than or equal to 100");
}

TEST(RequestValidator, ListTooLongRendersItemsAsJavaObjects) {
  std::string items;
  for (int i = 1; i <= 3; ++i)
    items += std::string(i > 1 ? ", " : "") + R"({"stateMachineVersionArn": ")" + kVersionArn +
             ":" + std::to_string(i) + R"(", "weight": )" + std::to_string(i * 10) + "}";
  const std::string body = R"({"name": "alias", "routingConfiguration": [)" + items + "]}";
  const std::string arn(kVersionArn);
  EXPECT_EQ(
      validation_message("CreateStateMachineAlias", body),
      "1 validation error detected: Value '[RoutingConfigurationListItem(stateMachineVersionArn=" +
          arn + ":1, weight=10), RoutingConfigurationListItem(stateMachineVersionArn=" + arn +
          ":2, weight=20), RoutingConfigurationListItem(stateMachineVersionArn=" + arn +
          ":3, weight=30)]' at 'routingConfiguration' failed to satisfy constraint: Member "
          "must have length less than or equal to 2");
}

TEST(RequestValidator, MissingRequiredMembersAreJoined) {
  EXPECT_EQ(validation_message("CreateStateMachineAlias", "{}"),
            "2 validation errors detected: Value null at 'name' failed to satisfy constraint: "
            "Member must not be null; Value null at 'routingConfiguration' failed to satisfy "
            "constraint: Member must not be null");
  EXPECT_EQ(validation_message("ValidateStateMachineDefinition", R"({"definition": null})"),
            "1 validation error detected: Value null at 'definition' failed to satisfy "
            "constraint: Member must not be null");
}

TEST(RequestValidator, SensitiveValuesAreNotEchoed) {
  EXPECT_EQ(validation_message("ValidateStateMachineDefinition", R"({"definition": ""})"),
            "1 validation error detected: Value '*** Sensitive Data Redacted ***' at "
            "'definition' failed to satisfy constraint: Member must have length greater than or "
            "equal to 1");
}

TEST(RequestValidator, WrongJsonTypeIsASerializationError) {
  for (const char* body : {R"({"maxResults": "10"})", R"({"maxResults": 1.5})",
                           R"({"nextToken": 5})", R"({"nextToken": ["a"]})"}) {
    auto error = check("ListStateMachines", body);
    ASSERT_TRUE(error) << body;
    EXPECT_EQ(error->type, "com.amazon.coral.service#SerializationException") << body;
  }
  auto not_object = check("ListStateMachines", "[1]");
  ASSERT_TRUE(not_object);
  EXPECT_EQ(not_object->type, "com.amazon.coral.service#SerializationException");
}

}  // namespace
}  // namespace stepline::api
