// Nested executions (`arn:aws:states:::states:startExecution` in its four forms) in the runtime:
// the answers and histories AWS records, failures, timeouts and aborts of the child, stopping
// the parent, and a parent that waits for its child across a restart.
#include "runtime/execution_attributes.hpp"
#include "runtime_fixture.hpp"

#include <mutex>

namespace stepline::runtime::testing {
namespace {

class NestedTest : public RuntimeTest {
 protected:
  void SetUp() override {
    RuntimeTest::SetUp();
    options.resolve_machine = machines.resolver();
    open_runtime();
  }
  // A machine the nested Tasks can name.
  MachineRef child(const std::string& name, const std::string& definition, bool express = false) {
    auto m = machine(name, definition, express);
    machines.add(m);
    return m;
  }
  static std::string parent_definition(const std::string& resource, const std::string& parameters) {
    return R"({"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":")" + resource +
           R"(","Parameters":)" + parameters + R"(,"End":true}}})";
  }
  json::Value output_of(const std::string& arn) {
    auto summary = store->load_execution(arn)->summary;
    return json::parse(std::string(summary.attributes.at(attributes::kOutput).as_string()));
  }
  json::Value cause_of(const store::ExecutionSummary& summary) {
    return json::parse(std::string(summary.attributes.at(attributes::kCause).as_string()));
  }

  MachineDirectory machines;
};
STEPLINE_RUNTIME_BACKENDS(NestedTest);

const char* kPassChild =
    R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"Arg1":"argument1"},"End":true}}})";
const char* kWaitChild =
    R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"Next":"P"},
        "P":{"Type":"Pass","Result":{"waited":true},"End":true}}})";

std::string params(const std::string& child_name, const std::string& input = "null") {
  return R"({"StateMachineArn":")" + machine_arn(child_name) + R"(","Name":"kid","Input":)" +
         input + "}";
}

TEST_P(NestedTest, RequestResponseAnswersWithStartExecutionsResponse) {
  child("child", kPassChild);
  auto parent =
      start(machine("parent", parent_definition("arn:aws:states:::states:startExecution",
                                                R"({"StateMachineArn":")" + machine_arn("child") +
                                                    R"(","Name":"kid","Input":{
          "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$":"$$.Execution.Id"}})")),
            "p")
          .execution_arn;
  wait_status(parent, "SUCCEEDED");
  auto out = output_of(parent);
  EXPECT_EQ(out.at("ExecutionArn").as_string(), execution_arn("child", "kid"));
  EXPECT_TRUE(out.at("StartDate").is_int64());
  EXPECT_EQ(out.at("SdkHttpMetadata").at("HttpStatusCode").as_int64(), 200);
  EXPECT_EQ(event_types(parent),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                      "TaskStarted", "TaskSucceeded", "TaskStateExited",
                                      "ExecutionSucceeded"}));
  // The child carries the parent's id in its input, as the ASL asked.
  auto kid = store->load_execution(execution_arn("child", "kid"));
  ASSERT_TRUE(kid);
  EXPECT_EQ(json::parse(kid->input).at("AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID").as_string(),
            parent);
  wait_status(execution_arn("child", "kid"), "SUCCEEDED");
}

TEST_P(NestedTest, SyncWaitsAndAnswersWithJsonTexts) {
  child("child", kPassChild);
  auto parent =
      start(machine("parent", parent_definition("arn:aws:states:::states:startExecution.sync",
                                                params("child"))),
            "p")
          .execution_arn;
  wait_status(parent, "SUCCEEDED");
  auto out = output_of(parent);
  EXPECT_EQ(out.at("Output").as_string(), R"({"Arg1":"argument1"})");
  EXPECT_EQ(out.at("Input").as_string(), "{}");
  EXPECT_EQ(out.at("Status").as_string(), "SUCCEEDED");
  EXPECT_EQ(out.at("Name").as_string(), "kid");
  EXPECT_EQ(out.at("StateMachineArn").as_string(), machine_arn("child"));
  EXPECT_EQ(out.at("RedriveStatus").as_string(), "NOT_REDRIVABLE");
  EXPECT_EQ(event_types(parent),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "TaskScheduled",
                                      "TaskStarted", "TaskSubmitted", "TaskSucceeded",
                                      "TaskStateExited", "ExecutionSucceeded"}));
  auto submitted = json::parse(
      std::string(history(parent)[4].at("taskSubmittedEventDetails").at("output").as_string()));
  EXPECT_EQ(submitted.at("ExecutionArn").as_string(), execution_arn("child", "kid"));
  // {"executionArn":"<arn>","startDate":1.700000000000E9}: the body AWS's SDK measured.
  EXPECT_EQ(submitted.at("SdkHttpMetadata").at("HttpHeaders").at("Content-Length").as_string(),
            std::to_string(17 + execution_arn("child", "kid").size() + 14 + 16 + 1));
}

TEST_P(NestedTest, Sync2WaitsForALongChildAndParsesItsData) {
  child("child", kWaitChild);
  auto parent =
      start(machine("parent", parent_definition("arn:aws:states:::states:startExecution.sync:2",
                                                params("child", R"("{\"n\": 1}")"))),
            "p")
          .execution_arn;
  const auto kid = execution_arn("child", "kid");
  wait_event(kid, "WaitStateEntered");
  wait_event(parent, "TaskSubmitted");
  advance(100);
  wait_status(parent, "SUCCEEDED");
  auto out = output_of(parent);
  EXPECT_TRUE(json::equal(out.at("Output"), json::parse(R"({"waited":true})")));
  EXPECT_TRUE(json::equal(out.at("Input"), json::parse(R"({"n":1})")));
}

TEST_P(NestedTest, SyncToAnExpressChildHasNoRedriveFields) {
  child("fast", kPassChild, true);
  auto parent =
      start(machine("parent", parent_definition("arn:aws:states:::states:startExecution.sync",
                                                params("fast"))),
            "p")
          .execution_arn;
  wait_status(parent, "SUCCEEDED");
  auto out = output_of(parent);
  EXPECT_EQ(out.at("Output").as_string(), R"({"Arg1":"argument1"})");
  EXPECT_FALSE(out.as_object().contains("RedriveCount"));
  EXPECT_NE(out.at("ExecutionArn").as_string().find(":express:"), std::string::npos);
}

TEST_P(NestedTest, AFailedChildFailsTheTaskWithItsDescription) {
  child("child", R"({"StartAt":"F","States":{"F":{"Type":"Fail","Error":"SomeFailure",
    "Cause":"it broke"}}})");
  auto parent =
      start(machine("parent", parent_definition("arn:aws:states:::states:startExecution.sync",
                                                params("child"))),
            "p")
          .execution_arn;
  auto summary = wait_status(parent, "FAILED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "States.TaskFailed");
  auto cause = cause_of(summary);
  EXPECT_EQ(cause.at("Error").as_string(), "SomeFailure");
  EXPECT_EQ(cause.at("Cause").as_string(), "it broke");
  EXPECT_EQ(cause.at("Status").as_string(), "FAILED");
  EXPECT_FALSE(cause.as_object().contains("Output"));
  auto types = event_types(parent);
  EXPECT_EQ(types[types.size() - 2], "TaskFailed");
}

TEST_P(NestedTest, ATimedOutChildFailsTheTask) {
  child("slow", R"({"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait",
    "Seconds":100,"End":true}}})");
  auto parent =
      start(machine("parent", parent_definition("arn:aws:states:::states:startExecution.sync",
                                                params("slow"))),
            "p")
          .execution_arn;
  wait_event(execution_arn("slow", "kid"), "WaitStateEntered");
  advance(5);
  auto summary = wait_status(parent, "FAILED");
  auto cause = cause_of(summary);
  EXPECT_EQ(cause.at("Error").as_string(), "States.Timeout");
  EXPECT_EQ(cause.at("Status").as_string(), "TIMED_OUT");
}

TEST_P(NestedTest, AnUnknownMachineFailsTheTaskAsAws) {
  auto parent = start(machine("parent", parent_definition("arn:aws:states:::states:startExecution",
                                                          params("nowhere"))),
                      "p")
                    .execution_arn;
  auto summary = wait_status(parent, "FAILED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(),
            "StepFunctions.StateMachineDoesNotExistException");
  const std::string cause(summary.attributes.at(attributes::kCause).as_string());
  EXPECT_EQ(cause.rfind("State Machine Does Not Exist: '" + machine_arn("nowhere") +
                            "' (Service: AWSStepFunctions; Status Code: 400; Error Code: "
                            "StateMachineDoesNotExist; Request ID: ",
                        0),
            0u)
      << cause;
}

TEST_P(NestedTest, StoppingTheParentAbortsItsSyncChild) {
  child("child", kWaitChild);
  auto parent =
      start(machine("parent", parent_definition("arn:aws:states:::states:startExecution.sync",
                                                params("child"))),
            "p")
          .execution_arn;
  const auto kid = execution_arn("child", "kid");
  wait_event(parent, "TaskSubmitted");
  EXPECT_EQ(stop(parent).status, StopResult::Status::Stopped);
  wait_status(parent, "ABORTED");
  wait_status(kid, "ABORTED");
}

TEST_P(NestedTest, WaitForTaskTokenIsAnsweredBySendTaskSuccess) {
  child("child", kWaitChild);
  auto parent =
      start(machine("parent",
                    parent_definition("arn:aws:states:::states:startExecution.waitForTaskToken",
                                      params("child", R"({"token.$":"$$.Task.Token"})"))),
            "p")
          .execution_arn;
  const auto kid = execution_arn("child", "kid");
  wait_event(parent, "TaskSubmitted");
  const std::string token(json::parse(store->load_execution(kid)->input).at("token").as_string());
  EXPECT_EQ(succeed(token, R"({"from":"child"})"), TokenStatus::Accepted);
  wait_status(parent, "SUCCEEDED");
  EXPECT_TRUE(json::equal(output_of(parent), json::parse(R"({"from":"child"})")));
  // The child goes on by itself.
  EXPECT_EQ(store->load_execution(kid)->summary.status, "RUNNING");
}

TEST_P(NestedTest, AParentWaitingAcrossARestartHearsItsChild) {
  child("child", kWaitChild);
  auto parent =
      start(machine("parent",
                    parent_definition("arn:aws:states:::states:startExecution.sync",
                                      R"({"StateMachineArn":")" + machine_arn("child") + R"("})")),
            "p")
          .execution_arn;
  wait_event(parent, "TaskSubmitted");
  auto submitted = json::parse(
      std::string(history(parent)[4].at("taskSubmittedEventDetails").at("output").as_string()));
  const std::string kid(submitted.at("ExecutionArn").as_string());
  wait_event(kid, "WaitStateEntered");
  restart();
  advance(100);
  wait_status(parent, "SUCCEEDED");
  EXPECT_EQ(output_of(parent).at("ExecutionArn").as_string(), kid);
  // One child, one Submitted event: the dispatch after the restart adopted the child.
  auto types = event_types(parent);
  EXPECT_EQ(std::count(types.begin(), types.end(), "TaskSubmitted"), 1);
  store::ExecutionFilter filter;
  filter.state_machine_arn = machine_arn("child");
  EXPECT_EQ(store->list_executions(filter, {}).items.size(), 1u);
}

TEST_P(NestedTest, AChildThatClosedWhileTheServerWasDownAnswersFromItsRecord) {
  child("child", kWaitChild);
  auto parent =
      start(machine("parent", parent_definition("arn:aws:states:::states:startExecution.sync:2",
                                                params("child"))),
            "p")
          .execution_arn;
  const auto kid = execution_arn("child", "kid");
  wait_event(parent, "TaskSubmitted");
  wait_event(kid, "WaitStateEntered");
  runtime->shutdown();
  runtime.reset();
  advance(100);  // the child's Wait is due as soon as anything runs it again
  open_store();
  open_runtime();
  runtime->recover();
  wait_status(parent, "SUCCEEDED");
  EXPECT_TRUE(json::equal(output_of(parent).at("Output"), json::parse(R"({"waited":true})")));
}

}  // namespace
}  // namespace stepline::runtime::testing
