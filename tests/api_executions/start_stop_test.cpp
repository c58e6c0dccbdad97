// StartExecution, StartSyncExecution and StopExecution against the real runtime.
#include "api_harness.hpp"

#include <gtest/gtest.h>

#include <string>

namespace stepline::testing {
namespace {

const char* kPass =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}})";
const char* kWaitMinute =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})";
const char* kFail =
    R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"SomeFailure","Cause":"it failed"}}})";

TEST(StartExecution, SucceededExecutionDescribesAsAws) {
  ApiHarness api;
  const std::string machine = api.create_machine("pass", kPass);
  Answer started =
      api.call("StartExecution",
               {{"stateMachineArn", machine}, {"name", "run-1"}, {"input", R"({"a": 1})"}});
  ASSERT_EQ(started.status, 200) << json::dump(started.body);
  EXPECT_EQ(started.text("executionArn"),
            "arn:aws:states:us-east-1:123456789012:execution:pass:run-1");
  EXPECT_TRUE(started.body.at("startDate").is_number());

  Answer described = api.wait_closed(started.text("executionArn"));
  EXPECT_EQ(described.text("status"), "SUCCEEDED");
  EXPECT_EQ(described.text("stateMachineArn"), machine);
  EXPECT_EQ(described.text("name"), "run-1");
  EXPECT_EQ(described.text("input"), R"({"a": 1})");
  EXPECT_EQ(described.text("output"), R"({"Arg1":"argument1"})");
  EXPECT_EQ(json::dump(described.body.at("inputDetails")), R"({"included":true})");
  EXPECT_EQ(json::dump(described.body.at("outputDetails")), R"({"included":true})");
  EXPECT_TRUE(described.body.at("stopDate").is_number());
  EXPECT_EQ(described.body.at("redriveCount"), 0);
  EXPECT_EQ(described.text("redriveStatus"), "NOT_REDRIVABLE");
  EXPECT_EQ(described.text("redriveStatusReason"), "Execution is SUCCEEDED and cannot be redriven");
  EXPECT_FALSE(described.body.contains("error"));
  EXPECT_FALSE(described.body.contains("traceHeader"));
}

TEST(StartExecution, FailedExecutionIsRedrivableWithErrorAndCause) {
  ApiHarness api;
  const std::string machine = api.create_machine("fails", kFail);
  Answer started = api.call("StartExecution", {{"stateMachineArn", machine}});
  ASSERT_EQ(started.status, 200);
  Answer described = api.wait_closed(started.text("executionArn"));
  EXPECT_EQ(described.text("status"), "FAILED");
  EXPECT_EQ(described.text("error"), "SomeFailure");
  EXPECT_EQ(described.text("cause"), "it failed");
  EXPECT_EQ(described.text("input"), "{}");
  EXPECT_FALSE(described.body.contains("output"));
  EXPECT_FALSE(described.body.contains("outputDetails"));
  EXPECT_EQ(described.text("redriveStatus"), "REDRIVABLE");
  EXPECT_FALSE(described.body.contains("redriveStatusReason"));
  // A generated name is a UUID.
  EXPECT_EQ(described.text("name").size(), 36u);
}

TEST(StartExecution, IdempotentWhileRunningThenAlreadyExists) {
  ApiHarness api;
  const std::string machine = api.create_machine("waits", kWaitMinute);
  const json::Object request{{"stateMachineArn", machine}, {"name", "once"}, {"input", "{}"}};
  Answer first = api.call("StartExecution", request);
  ASSERT_EQ(first.status, 200) << json::dump(first.body);
  Answer again = api.call("StartExecution", request);
  ASSERT_EQ(again.status, 200) << json::dump(again.body);
  EXPECT_EQ(again.text("executionArn"), first.text("executionArn"));
  EXPECT_TRUE(json::equal(again.body.at("startDate"), first.body.at("startDate")));

  Answer running = api.call("DescribeExecution", {{"executionArn", first.text("executionArn")}});
  EXPECT_EQ(running.text("status"), "RUNNING");
  EXPECT_FALSE(running.body.contains("stopDate"));
  EXPECT_EQ(running.text("redriveStatusReason"), "Execution is RUNNING and cannot be redriven");

  Answer other_input = api.call(
      "StartExecution", {{"stateMachineArn", machine}, {"name", "once"}, {"input", R"({"b":2})"}});
  EXPECT_EQ(other_input.status, 400);
  EXPECT_EQ(other_input.error(), "ExecutionAlreadyExists");
  EXPECT_EQ(other_input.message(),
            "Execution Already Exists: '" + first.text("executionArn") + "'");

  Answer stopped = api.call(
      "StopExecution",
      {{"executionArn", first.text("executionArn")}, {"error", "Halt"}, {"cause", "enough"}});
  ASSERT_EQ(stopped.status, 200) << json::dump(stopped.body);
  EXPECT_TRUE(stopped.body.at("stopDate").is_number());
  Answer aborted = api.wait_closed(first.text("executionArn"));
  EXPECT_EQ(aborted.text("status"), "ABORTED");
  EXPECT_EQ(aborted.text("error"), "Halt");
  EXPECT_EQ(aborted.text("cause"), "enough");
  EXPECT_EQ(aborted.text("redriveStatus"), "REDRIVABLE");

  // Closed: the same request no longer is an idempotent retry.
  Answer after_close = api.call("StartExecution", request);
  EXPECT_EQ(after_close.error(), "ExecutionAlreadyExists");
  // Stopping a closed execution answers with its stop date.
  Answer stop_again = api.call("StopExecution", {{"executionArn", first.text("executionArn")}});
  ASSERT_EQ(stop_again.status, 200) << json::dump(stop_again.body);
  EXPECT_TRUE(json::equal(stop_again.body.at("stopDate"), aborted.body.at("stopDate")));
}

TEST(StartExecution, RejectsBadInputNameAndMachine) {
  ApiHarness api;
  const std::string machine = api.create_machine("pass", kPass);

  Answer bad_input = api.call("StartExecution", {{"stateMachineArn", machine}, {"input", "not"}});
  EXPECT_EQ(bad_input.error(), "InvalidExecutionInput");
  EXPECT_EQ(bad_input.message().rfind("Invalid State Machine Execution Input: '", 0), 0u)
      << bad_input.message();

  for (const char* name : {"has space", "a/b", "x:y", "tab\there", "star*", "q?"}) {
    Answer bad_name = api.call("StartExecution", {{"stateMachineArn", machine}, {"name", name}});
    EXPECT_EQ(bad_name.error(), "InvalidName") << name;
    EXPECT_EQ(bad_name.message(), std::string("Invalid Name: '") + name + "'");
  }
  Answer unicode = api.call("StartExecution", {{"stateMachineArn", machine}, {"name", "é-ok.v2"}});
  EXPECT_EQ(unicode.status, 200) << json::dump(unicode.body);

  Answer unknown =
      api.call("StartExecution",
               {{"stateMachineArn", "arn:aws:states:us-east-1:123456789012:stateMachine:missing"}});
  EXPECT_EQ(unknown.error(), "StateMachineDoesNotExist");
  EXPECT_EQ(unknown.message(),
            "State Machine Does Not Exist: "
            "'arn:aws:states:us-east-1:123456789012:stateMachine:missing'");

  Answer not_arn = api.call("StartExecution", {{"stateMachineArn", "nope"}});
  EXPECT_EQ(not_arn.error(), "InvalidArn");
  EXPECT_EQ(not_arn.message(), "Invalid Arn: 'Invalid ARN prefix: nope'");

  // 256 KiB of UTF-8 that is fewer UTF-16 units than the model's limit still is too large.
  std::string big = "\"";
  while (big.size() < 262144) big += "\xC3\xA9";
  big += "\"";
  Answer too_large = api.call("StartExecution", {{"stateMachineArn", machine}, {"input", big}});
  EXPECT_EQ(too_large.error(), "ValidationException");
  EXPECT_NE(too_large.message().find("at 'input'"), std::string::npos) << too_large.message();
}

TEST(StartExecution, TraceHeaderIsDescribed) {
  ApiHarness api;
  const std::string machine = api.create_machine("pass", kPass);
  Answer started =
      api.call("StartExecution", {{"stateMachineArn", machine}, {"traceHeader", "Root=1-abc"}});
  ASSERT_EQ(started.status, 200);
  Answer described = api.wait_closed(started.text("executionArn"));
  EXPECT_EQ(described.text("traceHeader"), "Root=1-abc");
}

TEST(StopExecution, UnknownAndExpressArns) {
  ApiHarness api;
  const std::string unknown = "arn:aws:states:us-east-1:123456789012:execution:m:none";
  Answer missing = api.call("StopExecution", {{"executionArn", unknown}});
  EXPECT_EQ(missing.error(), "ExecutionDoesNotExist");
  EXPECT_EQ(missing.message(), "Execution Does Not Exist: '" + unknown + "'");
  Answer express = api.call(
      "StopExecution",
      {{"executionArn",
        "arn:aws:states:us-east-1:123456789012:express:m:n:0e5bd6a2-0000-4000-8000-000000000000"}});
  EXPECT_EQ(express.error(), "InvalidArn");
  EXPECT_EQ(express.message(), "Invalid Arn: 'Resource type not valid in this context: express'");
  Answer not_arn = api.call("StopExecution", {{"executionArn", "invalid_arn"}});
  EXPECT_EQ(not_arn.message(), "Invalid Arn: 'Invalid ARN prefix: invalid_arn'");
}

TEST(StartSyncExecution, StandardMachinesAreRejected) {
  ApiHarness api;
  const std::string machine = api.create_machine("standard", kPass);
  Answer answer = api.call("StartSyncExecution", {{"stateMachineArn", machine}, {"input", "{}"}});
  EXPECT_EQ(answer.error(), "StateMachineTypeNotSupported");
  EXPECT_EQ(answer.message(), "This operation is not supported by this type of state machine");
}

TEST(StartSyncExecution, AnswersWithTheResultAndBilling) {
  ApiHarness api;
  const std::string machine = api.create_machine("fast", kPass, "EXPRESS");
  Answer answer = api.call("StartSyncExecution",
                           {{"stateMachineArn", machine}, {"name", "sync1"}, {"input", "{}"}});
  ASSERT_EQ(answer.status, 200) << json::dump(answer.body);
  EXPECT_EQ(answer.text("executionArn")
                .rfind("arn:aws:states:us-east-1:123456789012:express:fast:sync1:", 0),
            0u)
      << answer.text("executionArn");
  EXPECT_EQ(answer.text("stateMachineArn"), machine);
  EXPECT_EQ(answer.text("name"), "sync1");
  EXPECT_EQ(answer.text("status"), "SUCCEEDED");
  EXPECT_EQ(answer.text("input"), "{}");
  EXPECT_EQ(answer.text("output"), R"({"Arg1":"argument1"})");
  EXPECT_EQ(json::dump(answer.body.at("inputDetails")), R"({"included":true})");
  EXPECT_EQ(json::dump(answer.body.at("outputDetails")), R"({"included":true})");
  const json::Object& billing = answer.body.at("billingDetails").get_object();
  EXPECT_EQ(billing.at("billedMemoryUsedInMB"), 64);
  EXPECT_GE(billing.at("billedDurationInMilliseconds").as_int64(), 100);
  EXPECT_EQ(billing.at("billedDurationInMilliseconds").as_int64() % 100, 0);
  EXPECT_TRUE(answer.body.at("stopDate").is_number());

  // Express executions have no history or description through the API.
  Answer history = api.call("GetExecutionHistory", {{"executionArn", answer.text("executionArn")}});
  EXPECT_EQ(history.error(), "InvalidArn");
  Answer listed = api.call("ListExecutions", {{"stateMachineArn", machine}});
  EXPECT_EQ(listed.error(), "StateMachineTypeNotSupported");
}

TEST(StartSyncExecution, FailedWorkflowIsStillOk) {
  ApiHarness api;
  const std::string machine = api.create_machine("failing", kFail, "EXPRESS");
  Answer answer = api.call("StartSyncExecution", {{"stateMachineArn", machine}});
  ASSERT_EQ(answer.status, 200) << json::dump(answer.body);
  EXPECT_EQ(answer.text("status"), "FAILED");
  EXPECT_EQ(answer.text("error"), "SomeFailure");
  EXPECT_EQ(answer.text("cause"), "it failed");
  EXPECT_FALSE(answer.body.contains("output"));
  EXPECT_EQ(json::dump(answer.body.at("outputDetails")), R"({"included":true})");
}

TEST(StartExecution, ExpressAsynchronousGetsAnExpressArn) {
  ApiHarness api;
  const std::string machine = api.create_machine("async", kPass, "EXPRESS");
  Answer started = api.call("StartExecution", {{"stateMachineArn", machine}, {"name", "e1"}});
  ASSERT_EQ(started.status, 200) << json::dump(started.body);
  EXPECT_EQ(started.text("executionArn")
                .rfind("arn:aws:states:us-east-1:123456789012:express:async:e1:", 0),
            0u);
  Answer described =
      api.call("DescribeExecution", {{"executionArn", started.text("executionArn")}});
  EXPECT_EQ(described.message(), "Invalid Arn: 'Resource type not valid in this context: express'");
}

}  // namespace
}  // namespace stepline::testing
