#include "engine_test_support.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace stepline::engine::testing {
namespace {

using integrations::TaskOutcome;
using std::chrono::seconds;

constexpr const char* kLambda = "arn:aws:lambda:us-east-1:123456789012:function:f";

std::string task_machine(std::string_view resource, std::string_view extra) {
  bool catches = extra.find("Caught") != std::string_view::npos;
  return std::string(R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":")") +
         std::string(resource) + "\"" + std::string(extra) + R"(,"End":true})" +
         (catches ? R"(,"Caught":{"Type":"Pass","End":true})" : "") + "}}";
}

// Fails with `error` the first `failures` times, then returns {"ok":true}.
ScriptedInvoker::Script failing(int failures, std::string error = "Boom") {
  auto count = std::make_shared<int>(0);
  return [=](const integrations::TaskRequest&) {
    if ((*count)++ < failures) return TaskOutcome::failed(error, "it broke");
    return TaskOutcome::succeeded(json::parse(R"({"ok":true})"));
  };
}

TEST(TaskRetry, BackoffWaitsIntervalTimesRate) {
  Harness h;
  ScriptedInvoker invoker(h.clock, failing(2));
  auto r = h.run(task_machine(kLambda, R"(,"Retry":[{"ErrorEquals":["Boom"],
      "IntervalSeconds":3,"BackoffRate":2,"MaxAttempts":2}])"),
                 "{}", &invoker);
  EXPECT_EQ(r.status, "SUCCEEDED");
  ASSERT_EQ(invoker.times.size(), 3u);
  EXPECT_EQ(invoker.times[1] - invoker.times[0], seconds(3));
  EXPECT_EQ(invoker.times[2] - invoker.times[1], seconds(6));
}

TEST(TaskRetry, ParametersSeeTheRetryCount) {
  Harness h;
  ScriptedInvoker invoker(h.clock, failing(2));
  auto r = h.run(task_machine(kLambda, R"(,"Parameters":{"attempt.$":"$$.State.RetryCount"},
      "Retry":[{"ErrorEquals":["Boom"]}])"),
                 "{}", &invoker);
  EXPECT_EQ(r.status, "SUCCEEDED");
  ASSERT_EQ(invoker.requests.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(invoker.requests[i].input, json::parse(fmt::format(R"({{"attempt":{}}})", i)));
  }
}

TEST(TaskRetry, MaxDelaySecondsCapsTheBackoff) {
  Harness h;
  ScriptedInvoker invoker(h.clock, failing(2));
  auto r = h.run(task_machine(kLambda, R"(,"Retry":[{"ErrorEquals":["States.ALL"],
      "IntervalSeconds":3,"BackoffRate":2,"MaxAttempts":2,"MaxDelaySeconds":4}])"),
                 "{}", &invoker);
  EXPECT_EQ(r.status, "SUCCEEDED");
  ASSERT_EQ(invoker.times.size(), 3u);
  EXPECT_EQ(invoker.times[1] - invoker.times[0], seconds(3));
  EXPECT_EQ(invoker.times[2] - invoker.times[1], seconds(4));
}

TEST(TaskRetry, FullJitterStaysWithinTheCappedDelay) {
  for (int run = 0; run < 20; ++run) {
    Harness h;
    ScriptedInvoker invoker(h.clock, failing(3));
    auto r = h.run(task_machine(kLambda, R"(,"Retry":[{"ErrorEquals":["Boom"],
        "IntervalSeconds":10,"BackoffRate":2,"MaxAttempts":3,"JitterStrategy":"FULL"}])"),
                   "{}", &invoker);
    ASSERT_EQ(r.status, "SUCCEEDED");
    ASSERT_EQ(invoker.times.size(), 4u);
    const long long caps[] = {10000, 20000, 40000};
    for (int i = 0; i < 3; ++i) {
      auto waited = std::chrono::duration_cast<Millis>(invoker.times[i + 1] - invoker.times[i]);
      EXPECT_GE(waited.count(), 0);
      EXPECT_LE(waited.count(), caps[i]);
    }
  }
}

TEST(TaskRetry, FirstMatchingRetrierDecidesEvenWhenExhausted) {
  Harness h;
  ScriptedInvoker invoker(h.clock, failing(10));
  auto r = h.run(task_machine(kLambda, R"(,"Retry":[
      {"ErrorEquals":["Boom"],"MaxAttempts":1},
      {"ErrorEquals":["States.ALL"],"MaxAttempts":5}],
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught","ResultPath":"$.error"}])"),
                 R"({"in":1})", &invoker);
  EXPECT_EQ(invoker.requests.size(), 2u);
  EXPECT_EQ(r.status, "SUCCEEDED");
  EXPECT_TRUE(json::equal(*r.output,
                          json::parse(R"({"in":1,"error":{"Error":"Boom","Cause":"it broke"}})")));
}

TEST(TaskRetry, RuntimeErrorsAreNeverCaught) {
  Harness h;
  ScriptedInvoker invoker(h.clock, failing(0));
  auto r = h.run(task_machine(kLambda, R"(,"OutputPath":"$.missing",
      "Catch":[{"ErrorEquals":["States.Runtime"],"Next":"Caught"}])"),
                 "{}", &invoker);
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(types(r).back(), "ExecutionFailed");
  EXPECT_EQ(types(r)[types(r).size() - 2], "LambdaFunctionSucceeded");
}

TEST(TaskFamilies, LambdaServiceAndActivityEvents) {
  Harness h;
  ScriptedInvoker invoker(h.clock, failing(0));
  auto lambda = h.run(task_machine(kLambda, ""), "{}", &invoker);
  EXPECT_EQ(types(lambda), (std::vector<std::string>{
                               "ExecutionStarted", "TaskStateEntered", "LambdaFunctionScheduled",
                               "LambdaFunctionStarted", "LambdaFunctionSucceeded",
                               "TaskStateExited", "ExecutionSucceeded"}));
  auto service = h.run(task_machine("arn:aws:states:::lambda:invoke",
                                    R"(,"Parameters":{"FunctionName":"f","Payload.$":"$"})"),
                       R"({"a":1})", &invoker);
  const auto& scheduled =
      service.history[2].as_object().at("taskScheduledEventDetails").as_object();
  EXPECT_EQ(scheduled.at("resourceType").as_string(), "lambda");
  EXPECT_EQ(scheduled.at("resource").as_string(), "invoke");
  EXPECT_EQ(scheduled.at("region").as_string(), "us-east-1");
  EXPECT_EQ(scheduled.at("parameters").as_string(), R"({"FunctionName":"f","Payload":{"a":1}})");
  auto activity = h.run(task_machine("arn:aws:states:us-east-1:123456789012:activity:work", ""),
                        "{}", &invoker);
  EXPECT_EQ(types(activity)[2], "ActivityScheduled");
  EXPECT_EQ(types(activity)[4], "ActivitySucceeded");
}

TEST(TaskFamilies, CredentialsAndTimeoutsAreRecordedOnScheduled) {
  Harness h;
  ScriptedInvoker invoker(h.clock, failing(0));
  auto r = h.run(task_machine("arn:aws:states:::sqs:sendMessage",
                              R"(,"TimeoutSeconds":30,"HeartbeatSeconds":5,
                              "Credentials":{"RoleArn":"arn:aws:iam::1:role/r"})"),
                 "{}", &invoker);
  const auto& scheduled = r.history[2].as_object().at("taskScheduledEventDetails").as_object();
  EXPECT_EQ(scheduled.at("timeoutInSeconds"), json::Value(30));
  EXPECT_EQ(scheduled.at("heartbeatInSeconds"), json::Value(5));
  EXPECT_EQ(scheduled.at("taskCredentials"), json::parse(R"({"roleArn":"arn:aws:iam::1:role/r"})"));
  ASSERT_EQ(invoker.requests.size(), 1u);
  EXPECT_EQ(invoker.requests[0].timeout_seconds, 30);
}

TEST(TaskFamilies, WaitForTaskTokenPassesATokenInContextAndRequest) {
  Harness h;
  ScriptedInvoker invoker(h.clock, [](const integrations::TaskRequest& req) {
    return TaskOutcome::succeeded(req.input);
  });
  auto r = h.run(task_machine("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                              R"(,"Parameters":{"token.$":"$$.Task.Token"})"),
                 "{}", &invoker);
  ASSERT_EQ(invoker.requests.size(), 1u);
  ASSERT_TRUE(invoker.requests[0].task_token);
  EXPECT_EQ(invoker.requests[0].input.as_object().at("token").as_string(),
            *invoker.requests[0].task_token);
  EXPECT_EQ(r.status, "SUCCEEDED");
}

// As AWS recorded: a `.sync` Task (here a nested execution) has a token its child may answer.
TEST(TaskFamilies, SyncTasksHaveATokenInBothQueryLanguages) {
  for (const char* extra : {R"(,"Parameters":{"token.$":"$$.Task.Token"})",
                            R"(,"QueryLanguage":"JSONata",
                               "Arguments":{"token":"{% $states.context.Task.Token %}"})"}) {
    Harness h;
    ScriptedInvoker invoker(h.clock, [](const integrations::TaskRequest& req) {
      return TaskOutcome::succeeded(req.input);
    });
    auto r =
        h.run(task_machine("arn:aws:states:::states:startExecution.sync:2", extra), "{}", &invoker);
    ASSERT_EQ(invoker.requests.size(), 1u) << extra;
    ASSERT_TRUE(invoker.requests[0].task_token) << extra;
    EXPECT_EQ(invoker.requests[0].input.as_object().at("token").as_string(),
              *invoker.requests[0].task_token);
    EXPECT_EQ(r.status, "SUCCEEDED");
  }
  // A request-response Task has none.
  Harness h;
  ScriptedInvoker invoker(h.clock, [](const integrations::TaskRequest& req) {
    return TaskOutcome::succeeded(req.input);
  });
  h.run(task_machine("arn:aws:states:::states:startExecution", ""), "{}", &invoker);
  ASSERT_EQ(invoker.requests.size(), 1u);
  EXPECT_FALSE(invoker.requests[0].task_token);
}

TEST(TaskFamilies, NoInvokerFailsHonestly) {
  Harness h;
  auto r = h.run(task_machine(kLambda, ""));
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.Runtime");
  EXPECT_EQ(r.cause, std::string("No integration is configured for resource '") + kLambda + "'");
}

TEST(TaskTimeout, PendingTaskTimesOut) {
  Harness h;
  ScriptedInvoker invoker(h.clock, [](const integrations::TaskRequest&) { return TaskOutcome{}; });
  auto r = h.run(
      task_machine("arn:aws:states:::sqs:sendMessage.waitForTaskToken", R"(,"TimeoutSeconds":5)"),
      "{}", &invoker);
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(types(r)[types(r).size() - 2], "TaskTimedOut");
  EXPECT_EQ(h.clock.now(), test_start() + seconds(5));
}

TEST(TaskTimeout, MissingHeartbeatIsCaughtAsHeartbeatTimeout) {
  Harness h;
  ScriptedInvoker invoker(h.clock, [](const integrations::TaskRequest&) { return TaskOutcome{}; });
  auto r = h.run(task_machine("arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                              R"(,"TimeoutSeconds":60,"HeartbeatSeconds":5,
                              "Catch":[{"ErrorEquals":["States.HeartbeatTimeout"],
                                        "Next":"Caught"}])"),
                 "{}", &invoker);
  EXPECT_EQ(r.status, "SUCCEEDED");
  EXPECT_EQ(h.clock.now(), test_start() + seconds(5));
  auto t = types(r);
  EXPECT_NE(std::find(t.begin(), t.end(), "TaskTimedOut"), t.end());
}

}  // namespace
}  // namespace stepline::engine::testing
