// Executions from start to end: Pass-only machines, Wait and retry timers on the ManualClock,
// the machine's TimeoutSeconds, StopExecution, idempotent starts, quotas.
#include "runtime/execution_attributes.hpp"
#include "runtime_fixture.hpp"

#include <future>

namespace stepline::runtime::testing {
namespace {

class ExecutionsTest : public RuntimeTest {};
STEPLINE_RUNTIME_BACKENDS(ExecutionsTest);

const char* kPass = R"({"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"a":1},"End":true}}})";
const char* kWait = R"({"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}})";

TEST_P(ExecutionsTest, RunsAPassMachineToTheEnd) {
  auto started = start(machine("m", kPass), "e1", R"({"in":true})");
  ASSERT_EQ(started.status, StartResult::Status::Started);
  EXPECT_EQ(started.execution_arn, execution_arn("m", "e1"));
  EXPECT_EQ(started.start_date, clock->now());
  auto summary = wait_status(started.execution_arn, "SUCCEEDED");
  EXPECT_EQ(summary.attributes.at(attributes::kOutput).as_string(), R"({"a":1})");
  EXPECT_EQ(summary.attributes.at(attributes::kRevisionArn).as_string(),
            machine_arn("m") + ":revision:1");
  EXPECT_EQ(summary.attributes.at(attributes::kRedriveCount).as_int64(), 0);
  EXPECT_EQ(event_types(started.execution_arn),
            (std::vector<std::string>{"ExecutionStarted", "PassStateEntered", "PassStateExited",
                                      "ExecutionSucceeded"}));
  auto record = store->load_execution(started.execution_arn);
  EXPECT_EQ(record->input, R"({"in":true})");
  // The runtime wrote the revision recovery reads when the API had not.
  EXPECT_TRUE(store->get_resource(store::ResourceKind::Revision, machine_arn("m") + ":revision:1"));
}

TEST_P(ExecutionsTest, RecordsVersionAliasAndTraceHeader) {
  auto m = machine("m", kPass);
  m.version_arn = machine_arn("m") + ":3";
  m.alias_arn = machine_arn("m") + ":prod";
  StartRequest request;
  request.machine = m;
  request.name = "v";
  request.input_text = "{}";
  request.trace_header = "Root=1-abc";
  std::promise<StartResult> p;
  auto f = p.get_future();
  runtime->start(request, [&](StartResult r) { p.set_value(r); });
  auto arn = f.get().execution_arn;
  auto summary = wait_status(arn, "SUCCEEDED");
  EXPECT_EQ(summary.attributes.at(attributes::kVersionArn).as_string(), m.version_arn);
  EXPECT_EQ(summary.attributes.at(attributes::kAliasArn).as_string(), m.alias_arn);
  EXPECT_EQ(summary.attributes.at(attributes::kTraceHeader).as_string(), "Root=1-abc");
  auto started = history(arn)[0].at("executionStartedEventDetails").as_object();
  EXPECT_EQ(started.at("stateMachineVersionArn").as_string(), m.version_arn);
  EXPECT_EQ(started.at("stateMachineAliasArn").as_string(), m.alias_arn);
}

TEST_P(ExecutionsTest, WaitFiresWhenTheClockReachesItsDueTime) {
  auto arn = start(machine("m", kWait), "w").execution_arn;
  wait_event(arn, "WaitStateEntered");
  advance(59);
  settle();
  EXPECT_EQ(store->load_execution(arn)->summary.status, "RUNNING");
  advance(1);
  wait_status(arn, "SUCCEEDED");
  auto events = history(arn);
  EXPECT_DOUBLE_EQ(events.at(2).at("timestamp").as_double(), 1'700'000'060.0);
}

TEST_P(ExecutionsTest, RetryBackOffWaitsOnTheClock) {
  invoker.on("T", [](const integrations::TaskRequest&, int n) {
    if (n == 0) return integrations::TaskOutcome::failed("Boom", "first try");
    return integrations::TaskOutcome::succeeded(json::Object{{"ok", n}});
  });
  auto def =
      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
    "Retry":[{"ErrorEquals":["Boom"],"IntervalSeconds":5}],"End":true}}})";
  auto arn = start(machine("m", def), "r").execution_arn;
  wait_event(arn, "TaskFailed");
  settle();
  EXPECT_EQ(store->load_execution(arn)->summary.status, "RUNNING");
  advance(5);
  auto summary = wait_status(arn, "SUCCEEDED");
  EXPECT_EQ(summary.attributes.at(attributes::kOutput).as_string(), R"({"ok":1})");
}

TEST_P(ExecutionsTest, TaskWithoutAnInvokerFailsAsStepFunctionsRunDoes) {
  options.invoker = nullptr;
  open_runtime();
  auto def =
      R"({"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","End":true}}})";
  auto summary = wait_status(start(machine("m", def), "n").execution_arn, "FAILED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "States.Runtime");
}

TEST_P(ExecutionsTest, MachineTimeoutSecondsTimesTheExecutionOut) {
  auto def =
      R"({"TimeoutSeconds":5,"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}})";
  auto arn = start(machine("m", def), "t").execution_arn;
  wait_event(arn, "WaitStateEntered");
  advance(5);
  auto summary = wait_status(arn, "TIMED_OUT");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "States.Timeout");
  EXPECT_EQ(event_types(arn).back(), "ExecutionTimedOut");
  EXPECT_TRUE(store->execution_timers(arn).empty());
}

TEST_P(ExecutionsTest, StopAbortsAndClosesTimers) {
  auto arn = start(machine("m", kWait), "s").execution_arn;
  wait_event(arn, "WaitStateEntered");
  advance(3);
  auto stopped = stop(arn, {"Because", "told to"});
  EXPECT_EQ(stopped.status, StopResult::Status::Stopped);
  EXPECT_EQ(stopped.stop_date, clock->now());
  auto summary = wait_status(arn, "ABORTED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "Because");
  EXPECT_EQ(summary.attributes.at(attributes::kCause).as_string(), "told to");
  EXPECT_EQ(summary.stop_date, clock->now());
  EXPECT_EQ(event_types(arn).back(), "ExecutionAborted");
  EXPECT_TRUE(store->execution_timers(arn).empty());

  auto again = stop(arn);
  EXPECT_EQ(again.status, StopResult::Status::NotRunning);
  EXPECT_EQ(again.stop_date, summary.stop_date);
  EXPECT_EQ(stop(arn + "-unknown").status, StopResult::Status::NotFound);
  advance(100);  // the Wait's timer is gone: nothing more happens
  settle();
  EXPECT_EQ(event_types(arn).back(), "ExecutionAborted");
}

TEST_P(ExecutionsTest, StartIsIdempotentWhileRunningOnly) {
  auto m = machine("m", kWait);
  auto first = start(m, "same", R"({"x":1})");
  ASSERT_EQ(first.status, StartResult::Status::Started);
  advance(1);
  auto retry = start(m, "same", R"({"x":1})");
  EXPECT_EQ(retry.status, StartResult::Status::AlreadyRunning);
  EXPECT_EQ(retry.execution_arn, first.execution_arn);
  EXPECT_EQ(retry.start_date, first.start_date);
  EXPECT_EQ(start(m, "same", R"({"x":2})").status, StartResult::Status::AlreadyExists);
  stop(first.execution_arn);
  EXPECT_EQ(start(m, "same", R"({"x":1})").status, StartResult::Status::AlreadyExists);
}

TEST_P(ExecutionsTest, OpenExecutionQuotaRefusesMore) {
  options.max_open_executions = 2;
  open_runtime();
  auto m = machine("m", kWait);
  EXPECT_EQ(start(m, "a").status, StartResult::Status::Started);
  EXPECT_EQ(start(m, "b").status, StartResult::Status::Started);
  EXPECT_EQ(start(m, "c").status, StartResult::Status::LimitExceeded);
  stop(execution_arn("m", "a"));
  EXPECT_EQ(start(m, "c").status, StartResult::Status::Started);
}

TEST_P(ExecutionsTest, HistoryQuotaFailsTheExecutionAtTheLimit) {
  options.max_history_events = 20;
  open_runtime();
  auto def = R"({"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items",
    "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})";
  auto arn = start(machine("m", def), "q", R"({"items":[1,2,3,4,5,6,7,8,9,10]})").execution_arn;
  auto summary = wait_status(arn, "FAILED");
  EXPECT_EQ(summary.attributes.at(attributes::kError).as_string(), "States.Runtime");
  auto events = history(arn);
  ASSERT_EQ(events.size(), 20u);
  EXPECT_EQ(events.back().at("type").as_string(), "ExecutionFailed");
  EXPECT_EQ(events.back().at("id").as_int64(), 20);
}

TEST_P(ExecutionsTest, ManyConcurrentExecutionsAllFinish) {
  auto def = R"({"StartAt":"T","States":{
    "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"W"},
    "W":{"Type":"Wait","Seconds":1,"Next":"P"},
    "P":{"Type":"Pass","End":true}}})";
  auto m = machine("many", def);
  constexpr int kCount = 2000;
  std::vector<std::promise<StartResult>> promises(kCount);
  for (int i = 0; i < kCount; ++i) {
    StartRequest request;
    request.machine = m;
    request.name = "e" + std::to_string(i);
    request.input_text = "{}";
    runtime->start(std::move(request), [&promises, i](StartResult r) { promises[i].set_value(r); });
  }
  for (auto& p : promises) ASSERT_EQ(p.get_future().get().status, StartResult::Status::Started);
  for (int i = 0; i < kCount; ++i) {
    wait_event(execution_arn("many", "e" + std::to_string(i)), "WaitStateEntered");
  }
  advance(1);
  for (int i = 0; i < kCount; ++i) {
    wait_status(execution_arn("many", "e" + std::to_string(i)), "SUCCEEDED");
  }
  EXPECT_EQ(store->counts().open_executions, 0);
}

}  // namespace
}  // namespace stepline::runtime::testing
