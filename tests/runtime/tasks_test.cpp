// Tasks that wait for the outside: activities (GetActivityTask long polls, worker names,
// heartbeats) and `.waitForTaskToken` callbacks, with AWS's token errors.
#include "runtime/execution_attributes.hpp"
#include "runtime/task_tokens.hpp"
#include "runtime_fixture.hpp"

#include <future>

namespace stepline::runtime::testing {
namespace {

class TasksTest : public RuntimeTest {};
STEPLINE_RUNTIME_BACKENDS(TasksTest);

std::string activity_machine(const std::string& activity, const std::string& extra = "") {
  return R"({"StartAt":"A","States":{"A":{"Type":"Task","Resource":")" + activity + "\"" + extra +
         R"(,"End":true}}})";
}

const char* kCallback = R"({"StartAt":"C","States":{"C":{"Type":"Task",
  "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
  "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}})";

integrations::TaskOutcome pending(const integrations::TaskRequest&, int) {
  return integrations::TaskOutcome{};  // sent: the answer comes through SendTask*
}

TEST_P(TasksTest, ActivityRoundTripRecordsTheWorker) {
  const auto act = activity("work");
  auto arn = start(machine("m", activity_machine(act)), "a", R"({"job":7})").execution_arn;
  auto task = poll(act, "worker-1");
  ASSERT_TRUE(task);
  EXPECT_EQ(task->input, R"({"job":7})");
  auto types = event_types(arn);
  ASSERT_EQ(types.back(), "ActivityStarted");
  EXPECT_EQ(history(arn).back().at("activityStartedEventDetails").at("workerName").as_string(),
            "worker-1");
  EXPECT_EQ(succeed(task->token, R"({"done":true})"), TokenStatus::Accepted);
  auto summary = wait_status(arn, "SUCCEEDED");
  EXPECT_EQ(summary.attributes.at(attributes::kOutput).as_string(), R"({"done":true})");
  EXPECT_EQ(event_types(arn),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled",
                                      "ActivityStarted", "ActivitySucceeded", "TaskStateExited",
                                      "ExecutionSucceeded"}));
  // The task is closed now; so is the execution.
  EXPECT_EQ(succeed(task->token, "{}"), TokenStatus::TaskTimedOut);
}

TEST_P(TasksTest, TaskOnAMissingActivityFailsBeforeScheduling) {
  const auto act = activity_arn("never-created");  // AWS: a deleted activity, the same
  auto arn = start(machine("m", activity_machine(act)), "a").execution_arn;
  auto summary = wait_status(arn, "FAILED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "States.Runtime");
  EXPECT_EQ(summary.attributes.at(attributes::kCause).as_string(),
            "An error occurred while executing the state 'A' (entered at the event id #2). The "
            "activity " +
                act + " does not exist.");
  EXPECT_EQ(event_types(arn),
            (std::vector<std::string>{"ExecutionStarted", "TaskStateEntered", "ExecutionFailed"}));
}

TEST_P(TasksTest, PollerWaitingBeforeTheTaskExistsGetsIt) {
  const auto act = activity("later");
  std::promise<std::optional<ActivityTask>> p;
  auto f = p.get_future();
  runtime->get_activity_task(act, std::nullopt,
                             [&p](std::optional<ActivityTask> t) { p.set_value(std::move(t)); });
  auto arn = start(machine("m", activity_machine(act)), "b").execution_arn;
  auto task = f.get();
  ASSERT_TRUE(task);
  wait_event(arn, "ActivityStarted");
  EXPECT_EQ(fail(task->token, {"Bad", "it broke"}), TokenStatus::Accepted);
  auto summary = wait_status(arn, "FAILED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "Bad");
  EXPECT_EQ(summary.attributes.at(attributes::kCause).as_string(), "it broke");
}

TEST_P(TasksTest, ActivityTasksAreHandedOutOldestFirst) {
  const auto act = activity("fifo");
  auto m = machine("m", activity_machine(act));
  auto first = start(m, "first", R"({"n":1})").execution_arn;
  auto second = start(m, "second", R"({"n":2})").execution_arn;
  EXPECT_EQ(poll(act, "w")->input, R"({"n":1})");
  EXPECT_EQ(poll(act, "w")->input, R"({"n":2})");
}

TEST_P(TasksTest, LongPollWithNothingQueuedAnswersEmpty) {
  options.activity_poll = std::chrono::milliseconds(50);
  open_runtime();
  EXPECT_FALSE(poll(activity_arn("idle"), "w"));
}

TEST_P(TasksTest, ShutdownAnswersWaitingPollsEmpty) {
  std::promise<std::optional<ActivityTask>> p;
  auto f = p.get_future();
  runtime->get_activity_task(activity_arn("idle"), "w",
                             [&p](std::optional<ActivityTask> t) { p.set_value(std::move(t)); });
  runtime->shutdown();
  EXPECT_FALSE(f.get());
}

TEST_P(TasksTest, WaitForTaskTokenSucceedsWithTheCallbackOutput) {
  invoker.on("C", pending);
  auto arn = start(machine("m", kCallback), "cb").execution_arn;
  const auto token = invoker.wait_token("C");
  EXPECT_EQ(invoker.requests().back().input.at("MessageBody").at("token").as_string(), token);
  EXPECT_EQ(succeed(token, R"({"answer":42})"), TokenStatus::Accepted);
  auto summary = wait_status(arn, "SUCCEEDED");
  EXPECT_EQ(summary.attributes.at(attributes::kOutput).as_string(), R"({"answer":42})");
  EXPECT_EQ(succeed(token, "{}"), TokenStatus::TaskTimedOut);
  EXPECT_EQ(heartbeat(token), TokenStatus::TaskTimedOut);
}

TEST_P(TasksTest, WaitForTaskTokenFailureIsCatchable) {
  invoker.on("C", pending);
  auto def = R"({"StartAt":"C","States":{"C":{"Type":"Task",
    "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},
    "Catch":[{"ErrorEquals":["Rejected"],"Next":"Caught"}],"End":true},
    "Caught":{"Type":"Pass","End":true}}})";
  auto arn = start(machine("m", def), "cf").execution_arn;
  EXPECT_EQ(fail(invoker.wait_token("C"), {"Rejected", std::nullopt}), TokenStatus::Accepted);
  wait_status(arn, "SUCCEEDED");
  auto types = event_types(arn);
  EXPECT_NE(std::find(types.begin(), types.end(), "TaskFailed"), types.end());
}

TEST_P(TasksTest, TokenErrorsFollowAws) {
  EXPECT_EQ(succeed("not-a-token", "{}"), TokenStatus::InvalidToken);
  EXPECT_EQ(heartbeat(""), TokenStatus::InvalidToken);
  // Well formed, but it names an execution that never existed.
  RandomIdSource other(7);
  const auto unknown = make_task_token(execution_arn("m", "nobody"), other);
  EXPECT_EQ(succeed(unknown, "{}"), TokenStatus::TaskDoesNotExist);
  EXPECT_EQ(fail(unknown, {}), TokenStatus::TaskDoesNotExist);
}

TEST_P(TasksTest, HeartbeatsKeepAnActivityAliveAndSilenceTimesItOut) {
  const auto act = activity("beat");
  auto arn =
      start(machine("m", activity_machine(act, R"(,"HeartbeatSeconds":10)")), "h").execution_arn;
  auto task = poll(act, "w");
  ASSERT_TRUE(task);
  advance(8);
  EXPECT_EQ(heartbeat(task->token), TokenStatus::Accepted);
  advance(8);  // 16 s after the start, 8 s after the heartbeat
  settle();
  EXPECT_EQ(store->load_execution(arn)->summary.status, "RUNNING");
  advance(2);  // 10 s after the heartbeat
  auto summary = wait_status(arn, "FAILED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "States.Timeout");
  auto types = event_types(arn);
  EXPECT_NE(std::find(types.begin(), types.end(), "ActivityTimedOut"), types.end());
  EXPECT_EQ(succeed(task->token, "{}"), TokenStatus::TaskTimedOut);
}

TEST_P(TasksTest, StopClosesTheExecutionsTasks) {
  invoker.on("C", pending);
  auto arn = start(machine("m", kCallback), "st").execution_arn;
  const auto token = invoker.wait_token("C");
  EXPECT_EQ(stop(arn).status, StopResult::Status::Stopped);
  wait_status(arn, "ABORTED");
  EXPECT_EQ(succeed(token, "{}"), TokenStatus::TaskTimedOut);
  EXPECT_TRUE(store->open_tasks(arn).empty());
}

}  // namespace
}  // namespace stepline::runtime::testing
