// Whole executions through engine::run_definition with the router and local Python functions:
// the engine sees function results, function errors (Retry/Catch) and Task timeouts as AWS
// records them.
#include "common/clock.hpp"
#include "common/ids.hpp"
#include "engine/run.hpp"
#include "integrations/routing/task_router.hpp"
#include "lambda_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace stepline::integrations {
namespace {

using lambda::testing::Scratch;

class RunWithLambda : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_.write("code/steps.py", R"(import time

class OutOfStock(Exception):
    pass

def reserve(event, context):
    if event["qty"] > 3:
        raise OutOfStock("only 3 left")
    return {"reserved": event["qty"]}

def slow(event, context):
    time.sleep(30)
    return event
)");
    const auto file = scratch_.write("functions.json", R"({"functions": {
      "reserve": {"runtime": "python3", "handler": "steps.reserve", "code": "code"},
      "slow": {"runtime": "python3", "handler": "steps.slow", "code": "code", "timeout": 60}}})");
    IntegrationOptions options;
    options.functions_file = file.string();
    invoker_ = make_task_invoker(options);
  }

  engine::RunResult run(const char* definition, const char* input) {
    ManualClock clock(TimePoint{std::chrono::sys_days{std::chrono::year{2024} / 1 / 1}});
    RandomIdSource ids(7);
    engine::RunOptions options;
    options.input = json::parse(input);
    options.clock = &clock;
    options.ids = &ids;
    options.invoker = invoker_.get();
    return engine::run_definition(json::parse(definition), options);
  }

  static std::vector<std::string> types(const engine::RunResult& r) {
    std::vector<std::string> out;
    for (const auto& e : r.history) out.emplace_back(e.as_object().at("type").as_string());
    return out;
  }

  Scratch scratch_;
  std::unique_ptr<TaskInvoker> invoker_;
};

constexpr const char* kReserve = R"({"StartAt": "Reserve", "States": {"Reserve": {
  "Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:reserve",
  "Catch": [{"ErrorEquals": ["OutOfStock"], "ResultPath": "$.error", "Next": "Sorry"}],
  "End": true},
  "Sorry": {"Type": "Pass", "End": true}}})";

TEST_F(RunWithLambda, ResultsAndCaughtFunctionErrors) {
  auto ok = run(kReserve, R"({"qty": 2})");
  ASSERT_EQ(ok.status, "SUCCEEDED") << ok.cause.value_or("");
  EXPECT_EQ(json::dump(*ok.output), R"({"reserved":2})");
  EXPECT_EQ(types(ok), (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered",
                                                 "LambdaFunctionScheduled", "LambdaFunctionStarted",
                                                 "LambdaFunctionSucceeded", "TaskStateExited",
                                                 "ExecutionSucceeded"}));

  auto caught = run(kReserve, R"({"qty": 5})");
  ASSERT_EQ(caught.status, "SUCCEEDED") << caught.cause.value_or("");
  const json::Object& error = caught.output->as_object().at("error").as_object();
  EXPECT_EQ(error.at("Error"), json::Value("OutOfStock"));
  auto cause = json::parse(error.at("Cause").as_string());
  EXPECT_EQ(cause.as_object().at("errorMessage"), json::Value("only 3 left"));
}

TEST_F(RunWithLambda, TaskTimeoutEndsTheTaskWithStatesTimeout) {
  auto r = run(R"({"StartAt": "Wait", "States": {"Wait": {
    "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 1,
    "Parameters": {"FunctionName": "slow", "Payload.$": "$"}, "End": true}}})",
               "{}");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.Timeout");
  const auto t = types(r);
  EXPECT_NE(std::find(t.begin(), t.end(), "TaskTimedOut"), t.end());
}

}  // namespace
}  // namespace stepline::integrations
