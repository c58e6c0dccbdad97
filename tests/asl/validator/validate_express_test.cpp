// Restrictions of EXPRESS state machines: no activities, no .sync, no .waitForTaskToken.
#include "validator_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl {
namespace {

using testing::errors_of;
using testing::one_state;

std::string task(const std::string& resource) {
  return one_state(R"({"Type":"Task","Resource":")" + resource + R"(","End":true})");
}

TEST(ValidateExpress, ActivitiesAreRefused) {
  const auto definition = task("arn:aws:states:us-east-1:111111111111:activity:a");
  EXPECT_EQ(errors_of(definition, MachineType::Express),
            "SCHEMA_VALIDATION_FAILED: Express state machine does not support Activity ARN at "
            "/States/S/Resource");
  EXPECT_EQ(errors_of(definition, MachineType::Standard), "");
}

TEST(ValidateExpress, SyncIntegrationsAreRefused) {
  for (const char* resource : {"arn:aws:states:::states:startExecution.sync",
                               "arn:aws:states:::states:startExecution.sync:2"})
    EXPECT_EQ(errors_of(task(resource), MachineType::Express),
              "SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service "
              "integration at /States/S/Resource")
        << resource;
}

TEST(ValidateExpress, CallbacksAreRefusedWithAwsTrailingSpace) {
  const auto diagnostics = validate_text(task("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
                                         {MachineType::Express});
  EXPECT_EQ(invalid_definition_message(diagnostics),
            "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine "
            "does not support '.waitForTaskToken' service integration  at /States/S/Resource'");
}

TEST(ValidateExpress, NestedStatesAreCheckedToo) {
  EXPECT_EQ(errors_of(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                 {"StartAt":"T","States":{"T":{"Type":"Task","End":true,
                  "Resource":"arn:aws:states:::sns:publish.waitForTaskToken"}}}]}}})",
                      MachineType::Express),
            "SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' "
            "service integration  at /States/P/Branches/0/States/T/Resource");
}

}  // namespace
}  // namespace stepline::asl
