// GetActivityTask (long poll) and SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat with the
// real runtime, and the token errors through a scripted runtime.
#include "api_harness.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>

namespace stepline::testing {
namespace {

std::string activity_machine(const std::string& activity_arn) {
  return R"({"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":")" + activity_arn +
         R"(","HeartbeatSeconds":30,"End":true}}})";
}

std::string create_activity(ApiHarness& api, const std::string& name) {
  Answer created = api.call("CreateActivity", {{"name", name}});
  EXPECT_EQ(created.status, 200) << json::dump(created.body);
  return created.text("activityArn");
}

TEST(ActivityTasks, PollHeartbeatAndSucceed) {
  ApiHarness api;
  const std::string activity = create_activity(api, "worker-queue");
  const std::string machine = api.create_machine("uses-activity", activity_machine(activity));
  Answer started =
      api.call("StartExecution", {{"stateMachineArn", machine}, {"input", R"({"job":7})"}});
  ASSERT_EQ(started.status, 200);

  Answer task = api.call("GetActivityTask", {{"activityArn", activity}, {"workerName", "w1"}});
  ASSERT_EQ(task.status, 200) << json::dump(task.body);
  const std::string token = task.text("taskToken");
  ASSERT_FALSE(token.empty());
  EXPECT_EQ(task.text("input"), R"({"job":7})");

  Answer beat = api.call("SendTaskHeartbeat", {{"taskToken", token}});
  EXPECT_EQ(beat.status, 200) << json::dump(beat.body);
  EXPECT_TRUE(beat.body.empty());

  Answer bad_output = api.call("SendTaskSuccess", {{"taskToken", token}, {"output", "{oops"}});
  EXPECT_EQ(bad_output.error(), "InvalidOutput");

  Answer done = api.call("SendTaskSuccess", {{"taskToken", token}, {"output", R"({"ok":true})"}});
  EXPECT_EQ(done.status, 200) << json::dump(done.body);
  Answer described = api.wait_closed(started.text("executionArn"));
  EXPECT_EQ(described.text("status"), "SUCCEEDED");
  EXPECT_EQ(described.text("output"), R"({"ok":true})");

  Answer history =
      api.call("GetExecutionHistory", {{"executionArn", started.text("executionArn")}});
  bool worker_recorded = false;
  for (const json::Value& e : history.body.at("events").get_array())
    if (e.at("type") == "ActivityStarted")
      worker_recorded = e.at("activityStartedEventDetails").at("workerName") == "w1";
  EXPECT_TRUE(worker_recorded);

  // The task is closed now.
  Answer late = api.call("SendTaskSuccess", {{"taskToken", token}, {"output", "{}"}});
  EXPECT_EQ(late.status, 400);
  EXPECT_TRUE(late.error() == "TaskTimedOut" || late.error() == "TaskDoesNotExist") << late.error();
}

TEST(ActivityTasks, FailureFailsTheExecution) {
  ApiHarness api;
  const std::string activity = create_activity(api, "failing-queue");
  const std::string machine = api.create_machine("activity-fails", activity_machine(activity));
  Answer started = api.call("StartExecution", {{"stateMachineArn", machine}});
  Answer task = api.call("GetActivityTask", {{"activityArn", activity}});
  ASSERT_FALSE(task.text("taskToken").empty()) << json::dump(task.body);
  Answer failed = api.call(
      "SendTaskFailure",
      {{"taskToken", task.text("taskToken")}, {"error", "Worker.Broke"}, {"cause", "disk full"}});
  EXPECT_EQ(failed.status, 200) << json::dump(failed.body);
  Answer described = api.wait_closed(started.text("executionArn"));
  EXPECT_EQ(described.text("status"), "FAILED");
  EXPECT_EQ(described.text("error"), "Worker.Broke");
  EXPECT_EQ(described.text("cause"), "disk full");
}

TEST(ActivityTasks, LongPollAnsweredLaterAndEmptyOnTimeout) {
  ApiHarness api(nullptr, std::chrono::seconds(10));
  const std::string activity = create_activity(api, "late-queue");
  const std::string machine = api.create_machine("late", activity_machine(activity));

  std::promise<Answer> polled;
  std::future<Answer> poll = polled.get_future();
  api.call_async("GetActivityTask", {{"activityArn", activity}},
                 [&polled](Answer a) { polled.set_value(std::move(a)); });
  // Nothing queued yet: the poll waits without holding a thread.
  EXPECT_EQ(poll.wait_for(std::chrono::milliseconds(200)), std::future_status::timeout);
  Answer started = api.call("StartExecution", {{"stateMachineArn", machine}, {"input", "[1]"}});
  ASSERT_EQ(started.status, 200);
  ASSERT_EQ(poll.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  Answer task = poll.get();
  EXPECT_EQ(task.text("input"), "[1]");
  EXPECT_FALSE(task.text("taskToken").empty());
  api.call("StopExecution", {{"executionArn", started.text("executionArn")}});
}

TEST(ActivityTasks, EmptyAnswerWhenNothingArrives) {
  ApiHarness api(nullptr, std::chrono::milliseconds(300));
  const std::string activity = create_activity(api, "idle-queue");
  Answer empty = api.call("GetActivityTask", {{"activityArn", activity}});
  EXPECT_EQ(empty.status, 200);
  EXPECT_TRUE(empty.body.empty()) << json::dump(empty.body);
}

TEST(ActivityTasks, UnknownOrMalformedActivity) {
  ApiHarness api;
  const std::string arn = "arn:aws:states:us-east-1:123456789012:activity:TestActivity-1";
  Answer unknown = api.call("GetActivityTask", {{"activityArn", arn}});
  EXPECT_EQ(unknown.error(), "ActivityDoesNotExist");
  EXPECT_EQ(unknown.message(), "Activity Does Not Exist: '" + arn + "'");
  Answer malformed = api.call("GetActivityTask", {{"activityArn", "no_an_activity_arn"}});
  EXPECT_EQ(malformed.error(), "InvalidArn");
  EXPECT_EQ(malformed.message(), "Invalid Arn: 'Invalid ARN prefix: no_an_activity_arn'");

  const std::string deleted = create_activity(api, "short-lived");
  api.call("DeleteActivity", {{"activityArn", deleted}});
  EXPECT_EQ(api.call("GetActivityTask", {{"activityArn", deleted}}).error(),
            "ActivityDoesNotExist");
}

TEST(TaskTokens, UnknownTokensWithTheRealRuntime) {
  ApiHarness api;
  Answer success =
      api.call("SendTaskSuccess", {{"taskToken", "NoSuchTaskToken"}, {"output", "{}"}});
  EXPECT_EQ(success.status, 400);
  EXPECT_TRUE(success.error() == "InvalidToken" || success.error() == "TaskDoesNotExist")
      << success.error();
  Answer heartbeat = api.call("SendTaskHeartbeat", {{"taskToken", "NoSuchTaskToken"}});
  EXPECT_EQ(heartbeat.error(), success.error());
}

// A runtime that answers every token call with one status and records what it was given.
class ScriptedRuntime final : public runtime::Runtime {
 public:
  explicit ScriptedRuntime(runtime::TokenStatus answer) : answer_(answer) {}
  void recover() override {}
  void start(runtime::StartRequest, std::function<void(runtime::StartResult)> done) override {
    done(runtime::StartResult{runtime::StartResult::Status::LimitExceeded, "", {}, ""});
  }
  void start_sync(runtime::StartRequest, std::function<void(runtime::SyncResult)>) override {}
  void stop(const std::string&, StatesError,
            std::function<void(runtime::StopResult)> done) override {
    done(runtime::StopResult{runtime::StopResult::Status::NotFound, {}});
  }
  void send_task_success(const std::string&, std::string output,
                         std::function<void(runtime::TokenStatus)> done) override {
    last_output = std::move(output);
    done(answer_);
  }
  void send_task_failure(const std::string&, StatesError error,
                         std::function<void(runtime::TokenStatus)> done) override {
    last_error = std::move(error);
    done(answer_);
  }
  void send_task_heartbeat(const std::string&,
                           std::function<void(runtime::TokenStatus)> done) override {
    done(answer_);
  }
  void get_activity_task(const std::string&, std::optional<std::string>,
                         std::function<void(std::optional<runtime::ActivityTask>)> done) override {
    done(std::nullopt);
  }
  void shutdown() override {}

  std::string last_output;
  StatesError last_error;

 private:
  runtime::TokenStatus answer_;
};

struct TokenCase {
  runtime::TokenStatus status;
  const char* type;
  const char* message;
};

TEST(TaskTokens, EachRuntimeAnswerIsAwsError) {
  const TokenCase cases[] = {
      {runtime::TokenStatus::InvalidToken, "InvalidToken", "Invalid Token: 'Invalid token'"},
      {runtime::TokenStatus::TaskDoesNotExist, "TaskDoesNotExist",
       "Task Does Not Exist: 'Provided task does not exist'"},
      {runtime::TokenStatus::TaskTimedOut, "TaskTimedOut",
       "Task Timed Out: 'Provided task does not exist anymore'"},
  };
  for (const TokenCase& c : cases) {
    ApiHarness api(std::make_unique<ScriptedRuntime>(c.status));
    for (const char* operation : {"SendTaskSuccess", "SendTaskFailure", "SendTaskHeartbeat"}) {
      json::Object body{{"taskToken", "t"}};
      if (std::string(operation) == "SendTaskSuccess") body["output"] = "{}";
      Answer answer = api.call(operation, body);
      EXPECT_EQ(answer.status, 400) << operation;
      EXPECT_EQ(answer.error(), c.type) << operation;
      EXPECT_EQ(answer.message(), c.message) << operation;
    }
  }
}

TEST(TaskTokens, AcceptedAnswersEmptyAndPassesErrorAndCause) {
  auto scripted = std::make_unique<ScriptedRuntime>(runtime::TokenStatus::Accepted);
  ScriptedRuntime* runtime = scripted.get();
  ApiHarness api(std::move(scripted));
  Answer failure = api.call("SendTaskFailure", {{"taskToken", "t"}, {"error", "E"}});
  EXPECT_EQ(failure.status, 200);
  EXPECT_TRUE(failure.body.empty());
  EXPECT_EQ(runtime->last_error.error, std::optional<std::string>("E"));
  EXPECT_FALSE(runtime->last_error.cause.has_value());
  Answer success = api.call("SendTaskSuccess", {{"taskToken", "t"}, {"output", R"( [1, 2] )"}});
  EXPECT_EQ(success.status, 200);
  EXPECT_EQ(runtime->last_output, R"( [1, 2] )");

  std::string big = "\"";
  while (big.size() < 262144) big += "\xC3\xA9";
  big += "\"";
  Answer too_large = api.call("SendTaskSuccess", {{"taskToken", "t"}, {"output", big}});
  EXPECT_EQ(too_large.error(), "InvalidOutput");
}

TEST(StartExecution, LimitExceededAndUnknownStopFromTheRuntime) {
  ApiHarness api(std::make_unique<ScriptedRuntime>(runtime::TokenStatus::Accepted));
  const std::string machine =
      api.create_machine("limited", R"({"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}})");
  Answer limited = api.call("StartExecution", {{"stateMachineArn", machine}});
  EXPECT_EQ(limited.error(), "ExecutionLimitExceeded");
  Answer stop =
      api.call("StopExecution",
               {{"executionArn", "arn:aws:states:us-east-1:123456789012:execution:limited:x"}});
  EXPECT_EQ(stop.error(), "ExecutionDoesNotExist");
}

}  // namespace
}  // namespace stepline::testing
