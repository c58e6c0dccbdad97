// Retry and Catch: required fields, ranges, enums, and States.ALL alone and last.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::errors_of;

std::string task_with(const std::string& fields) {
  return R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true,)" +
         fields + R"(},"H":{"Type":"Succeed"}}})";
}

TEST(ValidateRetryCatch, ValidHandlers) {
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"ErrorEquals":["A","B"],"IntervalSeconds":1,
      "MaxAttempts":0,"BackoffRate":1.5,"MaxDelaySeconds":10,"JitterStrategy":"FULL"},
      {"ErrorEquals":["States.ALL"]}],
      "Catch":[{"ErrorEquals":["States.TaskFailed"],"Next":"H","ResultPath":"$.error"},
               {"ErrorEquals":["States.ALL"],"Next":"H","ResultPath":null}])")),
            "");
}

TEST(ValidateRetryCatch, RetrierRanges) {
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"ErrorEquals":["A"],"IntervalSeconds":0}])")),
            "SCHEMA_VALIDATION_FAILED: Minimum value is 1 at /States/T/Retry/0/IntervalSeconds");
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"ErrorEquals":["A"],"MaxAttempts":-1}])")),
            "SCHEMA_VALIDATION_FAILED: Minimum value is 0 at /States/T/Retry/0/MaxAttempts");
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"ErrorEquals":["A"],"BackoffRate":0.5}])")),
            "SCHEMA_VALIDATION_FAILED: Minimum value is 1.0 at /States/T/Retry/0/BackoffRate");
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"ErrorEquals":["A"],"MaxDelaySeconds":31622401}])")),
            "SCHEMA_VALIDATION_FAILED: Maximum value is 31622400 at "
            "/States/T/Retry/0/MaxDelaySeconds");
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"ErrorEquals":["A"],"JitterStrategy":"SOME"}])")),
            "SCHEMA_VALIDATION_FAILED: The field 'JitterStrategy' should have one of these values: "
            "[FULL, NONE] at /States/T/Retry/0/JitterStrategy");
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"ErrorEquals":["A"],"Next":"H"}])")),
            "SCHEMA_VALIDATION_FAILED: Field 'Next' is not supported at /States/T/Retry/0");
}

TEST(ValidateRetryCatch, ErrorEqualsIsRequiredAndNonEmpty) {
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"MaxAttempts":1}])")),
            "SCHEMA_VALIDATION_FAILED: The field 'ErrorEquals' is required but was missing at "
            "/States/T/Retry/0");
  EXPECT_EQ(errors_of(task_with(R"("Catch":[{"ErrorEquals":[],"Next":"H"}])")),
            "SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/T/Catch/0/ErrorEquals");
  EXPECT_EQ(errors_of(task_with(R"("Catch":[{"ErrorEquals":["A"]}])")),
            "SCHEMA_VALIDATION_FAILED: The field 'Next' is required but was missing at "
            "/States/T/Catch/0");
}

TEST(ValidateRetryCatch, StatesAllMustBeAloneAndLast) {
  EXPECT_EQ(errors_of(task_with(R"("Retry":[{"ErrorEquals":["States.ALL","A"]}])")),
            "SCHEMA_VALIDATION_FAILED: The error name 'States.ALL' must appear alone in "
            "'ErrorEquals' at /States/T/Retry/0/ErrorEquals");
  EXPECT_EQ(
      errors_of(task_with(
          R"("Catch":[{"ErrorEquals":["States.ALL"],"Next":"H"},{"ErrorEquals":["A"],"Next":"H"}])")),
      "SCHEMA_VALIDATION_FAILED: A retrier or catcher with 'States.ALL' in 'ErrorEquals' "
      "must be the last one at /States/T/Catch/0/ErrorEquals");
}

TEST(ValidateRetryCatch, CatcherResultPathAndLanguage) {
  EXPECT_EQ(
      errors_of(task_with(R"("Catch":[{"ErrorEquals":["A"],"Next":"H","ResultPath":"$$.x"}])")),
      "SCHEMA_VALIDATION_FAILED: Value is not a Reference Path at "
      "/States/T/Catch/0/ResultPath");
  EXPECT_EQ(errors_of(task_with(R"("Catch":[{"ErrorEquals":["A"],"Next":"H","Output":{}}])")),
            "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' "
            "is only supported for the 'JSONata' QueryLanguage at /States/T/Catch/0");
}

}  // namespace
}  // namespace stepline::asl
