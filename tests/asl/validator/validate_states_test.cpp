// State-level schema rules: Type, the allowed-field matrix per type and query language, Next/End,
// mutually exclusive fields, and the Task, Pass, Wait, Succeed and Fail specific checks.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::diagnostics_of;
using testing::errors_of;
using testing::one_jsonata_state;
using testing::one_state;

TEST(ValidateStates, TypeMustBeKnown) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Nope","End":true})")),
            "SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, "
            "Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/S/Type");
  EXPECT_EQ(errors_of(one_state(R"({"End":true})")),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [Type] at /States/S");
  EXPECT_EQ(errors_of(one_state(R"("Pass")")),
            "SCHEMA_VALIDATION_FAILED: Expected value of type: Object at /States/S");
}

TEST(ValidateStates, UnsupportedFieldsAreRefusedAtTheState) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","TimeoutSeconds":3,"End":true})")),
            "SCHEMA_VALIDATION_FAILED: Field 'TimeoutSeconds' is not supported at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","Retry":[],"End":true})")),
            "SCHEMA_VALIDATION_FAILED: Field 'Retry' is not supported at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Succeed","Assign":{"a":1}})")),
            "SCHEMA_VALIDATION_FAILED: Field 'Assign' is not supported at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Fail","InputPath":"$"})")),
            "SCHEMA_VALIDATION_FAILED: Field 'InputPath' is not supported at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Succeed","Next":"S"})")),
            "SCHEMA_VALIDATION_FAILED: Field 'Next' is not supported at /States/S");
}

TEST(ValidateStates, FieldsOfTheOtherQueryLanguage) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","Output":{},"End":true})")),
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' "
            "is only supported for the 'JSONata' QueryLanguage at /States/S");
  EXPECT_EQ(errors_of(one_jsonata_state(R"({"Type":"Pass","InputPath":"$","End":true})")),
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field "
            "'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/S");
  EXPECT_EQ(
      errors_of(one_state(
          R"({"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $states.input %}","End":true})")),
      "");
}

TEST(ValidateStates, JsonPathStateInJsonataMachine) {
  EXPECT_EQ(
      errors_of(one_jsonata_state(R"({"Type":"Pass","QueryLanguage":"JSONPath","End":true})")),
      "SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' "
      "for whole state machine at /States/S");
}

TEST(ValidateStates, NextOrEnd) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass"})")),
            "SCHEMA_VALIDATION_FAILED: Exactly one of these fields must be set: [Next, End] at "
            "/States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","End":false})")),
            "SCHEMA_VALIDATION_FAILED: Exactly one of these fields must be set: [Next, End] at "
            "/States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","End":true,"Next":"S"})")),
            "SCHEMA_VALIDATION_FAILED: There should only be one of the following fields: [Next, "
            "End] at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Pass","End":"yes"})")),
            "SCHEMA_VALIDATION_FAILED: Expected value of type: Boolean at /States/S/End | "
            "SCHEMA_VALIDATION_FAILED: Exactly one of these fields must be set: [Next, End] at "
            "/States/S");
}

TEST(ValidateStates, TaskResourceAndTimeouts) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Task","End":true})")),
            "SCHEMA_VALIDATION_FAILED: These fields are required: [Resource] at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Task","Resource":"lambda","End":true})")),
            "INVALID_RESOURCE: The resource provided lambda is not recognized. The value is not a "
            "valid resource ARN, or the resource is not available in this region. at "
            "/States/S/Resource");
  const std::string task =
      R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,)";
  EXPECT_EQ(errors_of(one_state(task + R"("TimeoutSeconds":0})")),
            "SCHEMA_VALIDATION_FAILED: Minimum value is 1 at /States/S/TimeoutSeconds");
  EXPECT_EQ(errors_of(one_state(task + R"("TimeoutSeconds":100000000})")),
            "SCHEMA_VALIDATION_FAILED: Maximum value is 99999999 at /States/S/TimeoutSeconds");
  EXPECT_EQ(
      errors_of(one_state(task + R"("TimeoutSeconds":1.5})")),
      "SCHEMA_VALIDATION_FAILED: Expected value of type: Integer at /States/S/TimeoutSeconds");
  EXPECT_EQ(errors_of(one_state(task + R"("TimeoutSeconds":10,"HeartbeatSeconds":10})")),
            "SCHEMA_VALIDATION_FAILED: HeartbeatSeconds must be smaller than TimeoutSeconds at "
            "/States/S/HeartbeatSeconds");
  EXPECT_EQ(errors_of(one_state(task + R"("TimeoutSeconds":10,"TimeoutSecondsPath":"$.t"})")),
            "SCHEMA_VALIDATION_FAILED: There should only be one of the following fields: "
            "[TimeoutSeconds, TimeoutSecondsPath] at /States/S");
  EXPECT_EQ(errors_of(one_state(task + R"("HeartbeatSecondsPath":"$.a[*]"})")),
            "SCHEMA_VALIDATION_FAILED: Value is not a Reference Path at "
            "/States/S/HeartbeatSecondsPath");
  EXPECT_EQ(
      errors_of(one_jsonata_state(
          R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,"TimeoutSeconds":"{% $states.input.t %}"})")),
      "");
}

TEST(ValidateStates, TaskCredentialsNeedRoleArn) {
  const std::string task =
      R"({"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,)";
  EXPECT_EQ(errors_of(one_state(task + R"("Credentials":{"InvalidField":"x"}})")),
            "SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at "
            "/States/S/Credentials");
  EXPECT_EQ(errors_of(one_state(task + R"("Credentials":{"RoleArn.$":"$.role"}})")), "");
  EXPECT_EQ(errors_of(one_jsonata_state(task + R"("Credentials":{"RoleArn.$":"$.role"}})")),
            "SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at "
            "/States/S/Credentials");
}

TEST(ValidateStates, WaitNeedsExactlyOneDelay) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Wait","End":true})")),
            "SCHEMA_VALIDATION_FAILED: Exactly one of these fields must be set: [Seconds, "
            "Timestamp, SecondsPath, TimestampPath] at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Wait","Seconds":1,"SecondsPath":"$.s","End":true})")),
            "SCHEMA_VALIDATION_FAILED: There should only be one of the following fields: "
            "[Seconds, SecondsPath] at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Wait","Seconds":-1,"End":true})")),
            "SCHEMA_VALIDATION_FAILED: Minimum value is 0 at /States/S/Seconds");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Wait","Seconds":0,"End":true})")), "");
}

TEST(ValidateStates, WaitTimestampMustBeRfc3339) {
  for (const char* bad : {"2016-12-05 21:29:29Z", "2016-12-05T25:29:29Z", "2016-12-05T21:29:29",
                          "{% '2016-03-14T01:59:00Z' %}"})
    EXPECT_EQ(errors_of(one_state(std::string(R"({"Type":"Wait","End":true,"Timestamp":")") + bad +
                                  "\"}")),
              "SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at "
              "/States/S/Timestamp")
        << bad;
  for (const char* good :
       {"2016-03-14T01:59:00.5+01:00", "2016-02-29T00:00:00Z", "9999-12-31T23:59:59.123456789Z"})
    EXPECT_EQ(errors_of(one_state(std::string(R"({"Type":"Wait","End":true,"Timestamp":")") + good +
                                  "\"}")),
              "")
        << good;
  EXPECT_EQ(
      errors_of(one_state(R"({"Type":"Wait","End":true,"Timestamp":"2015-02-29T00:00:00Z"})")),
      "SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at "
      "/States/S/Timestamp");
  EXPECT_EQ(errors_of(one_jsonata_state(
                R"({"Type":"Wait","End":true,"Timestamp":"{% '2016-03-14T01:59:00Z' %}"})")),
            "");
}

TEST(ValidateStates, FailFields) {
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Fail","Error":"E","ErrorPath":"$.e"})")),
            "SCHEMA_VALIDATION_FAILED: There should only be one of the following fields: [Error, "
            "ErrorPath] at /States/S");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Fail","Cause":42})")),
            "SCHEMA_VALIDATION_FAILED: Expected value of type: String at /States/S/Cause");
  EXPECT_EQ(errors_of(one_state(
                R"j({"Type":"Fail","ErrorPath":"$.e","CausePath":"States.Format('x{}', $.c)"})j")),
            "");
  EXPECT_EQ(errors_of(one_state(R"({"Type":"Fail","CausePath":"$..c"})")),
            "SCHEMA_VALIDATION_FAILED: Value is not a Reference Path at /States/S/CausePath");
}

TEST(ValidateStates, PassResultWithDollarKeysIsStaticWarning) {
  EXPECT_EQ(diagnostics_of(one_state(R"({"Type":"Pass","Result":{"a.$":"$.x"},"End":true})")),
            "WARNING PASS_RESULT_IS_STATIC: The Result field of a Pass state is static: the field "
            "'a.$' will not be evaluated as a path at /States/S/Result");
}

TEST(ValidateStates, StateNamesLongerThan80) {
  const std::string name(81, 'n');
  EXPECT_EQ(
      errors_of(R"({"StartAt":")" + name + R"(","States":{")" + name + R"(":{"Type":"Succeed"}}})"),
      "INVALID_STATE_NAME: State name must be between 1 and 80 characters at /States/" + name);
}

}  // namespace
}  // namespace stepline::asl
