// Engine behaviour the AWS recordings (shared/conformance, the `needs: ["lambda:..."]` cases)
// show: oversized task results are catchable, TimeoutSecondsPath reads the state input, Started
// events follow all Scheduled events of a step, JSONata Credentials, RedriveCount by start mode,
// the Cause of a caught timeout, and the Aborted events of failing branches/iterations.
#include "engine_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace stepline::engine::testing {
namespace {

using integrations::TaskOutcome;

const json::Object& details(const json::Value& event, std::string_view key) {
  return event.as_object().at(key).as_object();
}

const json::Value& event_of(const RunResult& r, std::string_view type, int nth = 0) {
  for (const auto& e : r.history) {
    if (e.as_object().at("type").as_string() == type && nth-- == 0) return e;
  }
  throw std::logic_error("no such event: " + std::string(type));
}

ScriptedInvoker::Script answer(json::Value output) {
  return [output](const integrations::TaskRequest&) { return TaskOutcome::succeeded(output); };
}

ScriptedInvoker::Script never_answer() {
  return [](const integrations::TaskRequest&) { return TaskOutcome{}; };
}

TEST(RecordedBehaviour, OversizedTaskResultIsCaughtByNameAndByStatesAll) {
  for (const char* error_equals : {"States.DataLimitExceeded", "States.ALL"}) {
    Harness h;
    ScriptedInvoker invoker(h.clock, answer(json::Value(std::string(300000, 'x'))));
    auto r = h.run(std::string(R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
        "Catch":[{"ErrorEquals":[")") +
                       error_equals +
                       R"("],"Next":"Handled"}],"End":true},
        "Handled":{"Type":"Pass","End":true}}})",
                   "{}", &invoker);
    ASSERT_EQ(r.status, "SUCCEEDED") << error_equals;
    EXPECT_EQ(json::dump(*r.output),
              R"({"Error":"States.DataLimitExceeded","Cause":"The state/task 'lambda' returned a )"
              R"(result with a size exceeding the maximum number of bytes service limit."})");
    EXPECT_EQ(details(event_of(r, "TaskFailed"), "taskFailedEventDetails").at("error"),
              "States.DataLimitExceeded");
  }
}

TEST(RecordedBehaviour, OversizedStateOutputStaysTerminal) {
  Harness h;
  std::string big(150000, 'x');
  auto r = h.run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel",
      "Branches":[{"StartAt":"Double","States":{"Double":{"Type":"Pass",
        "Parameters":{"a.$":"$.big","b.$":"$.big"},"End":true}}}],
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}],"End":true},
      "Handled":{"Type":"Pass","End":true}}})",
                 R"({"big":")" + big + R"("})");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.DataLimitExceeded");
}

TEST(RecordedBehaviour, TimeoutSecondsPathReadsTheStateInput) {
  Harness h;
  ScriptedInvoker invoker(h.clock, never_answer());
  auto r = h.run(R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","TimeoutSecondsPath":"$.limit",
      "Parameters":{"FunctionName.$":"$.fn"},"End":true}}})",
                 R"({"limit":5,"fn":"f"})", &invoker);
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(details(event_of(r, "TaskScheduled"), "taskScheduledEventDetails")
                .at("timeoutInSeconds")
                .as_int64(),
            5);
  EXPECT_EQ(h.clock.now() - test_start(), std::chrono::seconds(5));
}

TEST(RecordedBehaviour, StartedEventsFollowEveryScheduledEventOfTheStep) {
  Harness h;
  ScriptedInvoker invoker(h.clock, answer(json::Object{}));
  auto r = h.run(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
      "ItemProcessor":{"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
        "End":true}}}}}})",
                 "[1,2]", &invoker);
  ASSERT_EQ(r.status, "SUCCEEDED");
  auto t = types(r);
  std::vector<std::string> head(t.begin(), t.begin() + 11);
  EXPECT_EQ(head,
            (std::vector<std::string>{"ExecutionStarted", "MapStateEntered", "MapStateStarted",
                                      "MapIterationStarted", "MapIterationStarted",
                                      "TaskStateEntered", "TaskScheduled", "TaskStateEntered",
                                      "TaskScheduled", "TaskStarted", "TaskStarted"}));
  // Each Started event still follows its own Scheduled event.
  EXPECT_EQ(field(r.history[9], "previousEventId"), field(r.history[6], "id"));
  EXPECT_EQ(field(r.history[10], "previousEventId"), field(r.history[8], "id"));
}

TEST(RecordedBehaviour, JsonataCredentialsGiveTaskCredentials) {
  Harness h;
  ScriptedInvoker invoker(h.clock, answer(json::Object{}));
  auto r = h.run(R"({"QueryLanguage":"JSONata","StartAt":"Call","States":{"Call":{
      "Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
      "Arguments":{"FunctionName":"f"},
      "Credentials":{"RoleArn":"{% $states.input.role %}"},"End":true}}})",
                 R"({"role":"arn:aws:iam::111111111111:role/other"})", &invoker);
  ASSERT_EQ(r.status, "SUCCEEDED");
  EXPECT_EQ(
      json::dump(
          details(event_of(r, "TaskScheduled"), "taskScheduledEventDetails").at("taskCredentials")),
      R"({"roleArn":"arn:aws:iam::111111111111:role/other"})");
}

TEST(RecordedBehaviour, RedriveCountDependsOnHowTheExecutionStarted) {
  auto redrive_count = [](asl::MachineType type, bool sync) {
    ManualClock clock{test_start()};
    RandomIdSource ids{1};
    RunOptions options;
    options.type = type;
    options.started_sync = sync;
    options.clock = &clock;
    options.ids = &ids;
    auto r = run_definition(
        json::parse(
            R"({"StartAt":"P","States":{"P":{"Type":"Pass","InputPath":"$$.Execution","End":true}}})"),
        options);
    return r.output->as_object().if_contains("RedriveCount") != nullptr;
  };
  EXPECT_TRUE(redrive_count(asl::MachineType::Standard, false));
  EXPECT_TRUE(redrive_count(asl::MachineType::Express, false));
  EXPECT_FALSE(redrive_count(asl::MachineType::Express, true));
}

TEST(RecordedBehaviour, CaughtTaskTimeoutHasAnEmptyCause) {
  Harness h;
  ScriptedInvoker invoker(h.clock, never_answer());
  auto r = h.run(R"({"StartAt":"Call","States":{"Call":{"Type":"Task",
      "Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,
      "Parameters":{"FunctionName":"f"},
      "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Handled"}],"End":true},
      "Handled":{"Type":"Pass","End":true}}})",
                 "{}", &invoker);
  ASSERT_EQ(r.status, "SUCCEEDED");
  EXPECT_EQ(json::dump(*r.output), R"({"Error":"States.Timeout","Cause":""})");
}

TEST(RecordedBehaviour, FailedBranchTaskIsAbortedBeforeParallelStateFailed) {
  Harness h;
  ScriptedInvoker invoker(h.clock, [](const integrations::TaskRequest&) {
    return TaskOutcome::failed("Exception", "boom");
  });
  auto r = h.run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
      "Branches":[{"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
        "End":true}}}]}}})",
                 "{}", &invoker);
  EXPECT_EQ(r.status, "FAILED");
  auto t = types(r);
  std::vector<std::string> tail(t.end() - 4, t.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"TaskFailed", "TaskStateAborted", "ParallelStateFailed",
                                            "ExecutionFailed"}));
}

TEST(RecordedBehaviour, MapFailureAbortsIterationsInIndexOrderFromTheFailingEvent) {
  Harness h;
  // The first item fails at once; the others never answer.
  ScriptedInvoker invoker(h.clock, [](const integrations::TaskRequest& request) {
    if (request.input.as_object().at("Payload").as_int64() == 0)
      return TaskOutcome::failed("E", "c");
    return TaskOutcome{};
  });
  auto r = h.run(R"({"StartAt":"M","States":{"M":{"Type":"Map","End":true,
      "ItemProcessor":{"StartAt":"Call","States":{"Call":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke",
        "Parameters":{"FunctionName":"f","Payload.$":"$"},"End":true}}}}}})",
                 "[0,1,2]", &invoker);
  EXPECT_EQ(r.status, "FAILED");
  auto t = types(r);
  auto failed = std::find(t.begin(), t.end(), "TaskFailed");
  ASSERT_NE(failed, t.end());
  std::vector<std::string> after(failed, t.end());
  EXPECT_EQ(after, (std::vector<std::string>{"TaskFailed", "MapIterationFailed", "TaskStateAborted",
                                             "MapIterationAborted", "TaskStateAborted",
                                             "MapIterationAborted", "TaskStateAborted",
                                             "MapStateFailed", "ExecutionFailed"}));
  auto failing_id = field(*(r.history.end() - 9), "id");
  for (auto e = r.history.end() - 8; e != r.history.end() - 1; ++e) {
    EXPECT_EQ(field(*e, "previousEventId"), failing_id) << json::dump(*e);
  }
}

}  // namespace
}  // namespace stepline::engine::testing
