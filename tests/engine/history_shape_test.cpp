#include "engine_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::engine::testing {
namespace {

TEST(HistoryShape, SinglePassMatchesAwsExample) {
  Harness h;
  auto r = h.run(R"({"StartAt":"State_1","States":{"State_1":{"Type":"Pass",
      "Result":{"Arg1":"argument1"},"End":true}}})");
  ASSERT_EQ(r.history.size(), 4u);
  EXPECT_EQ(types(r), (std::vector<std::string>{"ExecutionStarted", "PassStateEntered",
                                                "PassStateExited", "ExecutionSucceeded"}));
  const long long expected_prev[] = {0, 0, 2, 3};
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(field(r.history[i], "id"), static_cast<long long>(i + 1));
    EXPECT_EQ(field(r.history[i], "previousEventId"), expected_prev[i]);
  }
  const auto& exited = r.history[2].as_object().at("stateExitedEventDetails").as_object();
  EXPECT_EQ(exited.at("output").as_string(), R"({"Arg1":"argument1"})");
  EXPECT_EQ(exited.at("outputDetails"), json::parse(R"({"truncated":false})"));
  EXPECT_FALSE(exited.contains("assignedVariables"));
  const auto& started = r.history[0].as_object().at("executionStartedEventDetails").as_object();
  EXPECT_EQ(started.at("input").as_string(), "{}");
  EXPECT_TRUE(started.contains("roleArn"));
}

TEST(HistoryShape, AssignedVariablesAppearOnExited) {
  Harness h;
  auto r = h.run(R"({"StartAt":"A","States":{"A":{"Type":"Pass",
      "Assign":{"x.$":"$.v","y":"literal"},"End":true}}})",
                 R"({"v":[1,2]})");
  const auto& exited = r.history[2].as_object().at("stateExitedEventDetails").as_object();
  EXPECT_EQ(exited.at("assignedVariables"), json::parse(R"({"x":"[1,2]","y":"\"literal\""})"));
  EXPECT_EQ(exited.at("assignedVariablesDetails"), json::parse(R"({"truncated":false})"));
}

TEST(HistoryShape, InlineMapIterationsChainAsAwsRecordsThem) {
  Harness h;
  auto r = h.run(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}})",
                 "[1,2]");
  EXPECT_EQ(r.status, "SUCCEEDED");
  EXPECT_TRUE(json::equal(*r.output, json::parse("[1,2]")));
  std::vector<std::string> expected{
      "ExecutionStarted", "MapStateEntered",   "MapStateStarted",       "MapIterationStarted",
      "PassStateEntered", "PassStateExited",   "MapIterationSucceeded", "MapIterationStarted",
      "PassStateEntered", "PassStateExited",   "MapIterationSucceeded", "MapStateSucceeded",
      "MapStateExited",   "ExecutionSucceeded"};
  EXPECT_EQ(types(r), expected);
  // MapIterationStarted(1) points where MapIterationSucceeded(0) points; MapStateSucceeded and
  // MapStateExited both point at the last MapIterationSucceeded.
  EXPECT_EQ(field(r.history[6], "previousEventId"), 6);
  EXPECT_EQ(field(r.history[7], "previousEventId"), 6);
  EXPECT_EQ(field(r.history[11], "previousEventId"), 11);
  EXPECT_EQ(field(r.history[12], "previousEventId"), 11);
}

TEST(HistoryShape, ParallelCollectsBranchOutputsInOrder) {
  Harness h;
  auto r = h.run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"A","States":{"A":{"Type":"Pass","Result":"a","End":true}}},
      {"StartAt":"B","States":{"B":{"Type":"Wait","Seconds":5,"Next":"C"},
                                "C":{"Type":"Pass","Result":"c","End":true}}}]}}})");
  EXPECT_EQ(r.status, "SUCCEEDED");
  EXPECT_TRUE(json::equal(*r.output, json::parse(R"(["a","c"])")));
  auto t = types(r);
  EXPECT_EQ(t.front(), "ExecutionStarted");
  EXPECT_EQ(t[t.size() - 3], "ParallelStateSucceeded");
  EXPECT_EQ(t[t.size() - 2], "ParallelStateExited");
}

TEST(HistoryShape, FailInsideParallelFailsWithTheBranchError) {
  Harness h;
  auto r = h.run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"C"}}}]}}})");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "E");
  EXPECT_EQ(r.cause, "C");
  EXPECT_EQ(types(r), (std::vector<std::string>{"ExecutionStarted", "ParallelStateEntered",
                                                "ParallelStateStarted", "FailStateEntered",
                                                "ParallelStateFailed", "ExecutionFailed"}));
}

TEST(HistoryShape, MachineTimeoutEndsTheExecution) {
  Harness h;
  auto r = h.run(R"({"TimeoutSeconds":10,"StartAt":"W","States":{
      "W":{"Type":"Wait","Seconds":60,"End":true}}})");
  EXPECT_EQ(r.status, "TIMED_OUT");
  EXPECT_EQ(r.error, "States.Timeout");
  EXPECT_EQ(types(r).back(), "ExecutionTimedOut");
  EXPECT_EQ(h.clock.now(), test_start() + std::chrono::seconds(10));
}

TEST(HistoryShape, ResultPathIntoNonObjectIsCatchableFailure) {
  Harness h;
  auto r = h.run(R"({"StartAt":"A","States":{"A":{"Type":"Pass","Result":1,
      "ResultPath":"$.x","End":true}}})",
                 R"("text")");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.ResultPathMatchFailure");
}

TEST(HistoryShape, OversizedOutputIsDataLimitExceeded) {
  Harness h;
  std::string big(270000, 'a');
  auto r = h.run(R"({"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}})",
                 "{\"v\":\"" + big + "\"}");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.DataLimitExceeded");
  EXPECT_EQ(r.cause,
            "The state/task 'A' returned a result with a size exceeding the maximum number of "
            "bytes service limit.");
}

}  // namespace
}  // namespace stepline::engine::testing
