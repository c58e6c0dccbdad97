#include "engine_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::engine::testing {
namespace {

std::string waiting_map(std::string_view extra) {
  return std::string(R"({"StartAt":"M","States":{"M":{"Type":"Map")") + std::string(extra) +
         R"(,"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,
         "End":true}}},"End":true}}})";
}

TEST(MapConcurrency, MaxConcurrencyBoundsRunningIterations) {
  Harness one;
  one.run(waiting_map(R"(,"MaxConcurrency":1)"), "[1,2,3,4]");
  EXPECT_EQ(one.clock.now(), test_start() + std::chrono::seconds(40));
  Harness two;
  two.run(waiting_map(R"(,"MaxConcurrency":2)"), "[1,2,3,4]");
  EXPECT_EQ(two.clock.now(), test_start() + std::chrono::seconds(20));
  Harness unlimited;
  auto r = unlimited.run(waiting_map(""), "[1,2,3,4]");
  EXPECT_EQ(unlimited.clock.now(), test_start() + std::chrono::seconds(10));
  EXPECT_TRUE(json::equal(*r.output, json::parse("[1,2,3,4]")));
}

std::string failing_map(std::string_view tolerance) {
  return std::string(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1)") +
         std::string(tolerance) + R"(,"ItemProcessor":{"StartAt":"C","States":{
         "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericGreaterThan":2,"Next":"F"}],
              "Default":"P"},
         "F":{"Type":"Fail","Error":"TooBig"},"P":{"Type":"Pass","End":true}}},"End":true}}})";
}

TEST(MapTolerance, FailuresWithinTheCountAreTolerated) {
  Harness h;
  auto r = h.run(failing_map(R"(,"ToleratedFailureCount":2)"), "[1,2,3,4]");
  EXPECT_EQ(r.status, "SUCCEEDED");
}

TEST(MapTolerance, ExceedingTheCountFailsTheMap) {
  Harness h;
  auto r = h.run(failing_map(R"(,"ToleratedFailureCount":1)"), "[1,2,3,4]");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.ExceedToleratedFailureThreshold");
  EXPECT_EQ(r.cause, "The specified tolerated failure threshold was exceeded");
}

TEST(MapTolerance, PercentageIsMeasuredOverAllItems) {
  Harness ok;
  EXPECT_EQ(ok.run(failing_map(R"(,"ToleratedFailurePercentage":50)"), "[1,2,3,4]").status,
            "SUCCEEDED");
  Harness bad;
  EXPECT_EQ(bad.run(failing_map(R"(,"ToleratedFailurePercentage":49)"), "[1,2,3,4]").status,
            "FAILED");
}

TEST(MapTolerance, WithoutToleranceTheIterationErrorPropagates) {
  Harness h;
  auto r = h.run(failing_map(""), "[1,2,3,4]");
  EXPECT_EQ(r.error, "TooBig");
  auto t = types(r);
  EXPECT_EQ(t[t.size() - 3], "MapIterationFailed");
  EXPECT_EQ(t[t.size() - 2], "MapStateFailed");
}

TEST(Variables, IterationsReadOuterScopeAndTheirOwnVanish) {
  Harness h;
  auto r = h.run(R"({"StartAt":"Init","States":{
      "Init":{"Type":"Pass","Assign":{"outer":10},"Next":"M"},
      "M":{"Type":"Map","ItemProcessor":{"StartAt":"In","States":{
          "In":{"Type":"Pass","Assign":{"inner.$":"$outer"},"Parameters":{"o.$":"$outer"},
                "End":true}}},"Next":"After"},
      "After":{"Type":"Pass","Parameters":{"v.$":"$inner"},"End":true}}})",
                 "[1]");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.error, "States.Runtime");
  bool saw_inner_output = false;
  for (const auto& e : r.history) {
    const auto& o = e.as_object();
    if (o.at("type") == "PassStateExited" &&
        o.at("stateExitedEventDetails").as_object().at("name") == "In") {
      saw_inner_output =
          o.at("stateExitedEventDetails").as_object().at("output") == json::Value(R"({"o":10})");
    }
  }
  EXPECT_TRUE(saw_inner_output);
}

TEST(Variables, AssignSeesValuesAsOfStateEntry) {
  Harness h;
  auto r = h.run(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Assign":{"x":1,"y":2},"Next":"B"},
      "B":{"Type":"Pass","Assign":{"x.$":"$y","y.$":"$x"},"Next":"C"},
      "C":{"Type":"Pass","Parameters":{"x.$":"$x","y.$":"$y"},"End":true}}})");
  EXPECT_EQ(r.status, "SUCCEEDED");
  EXPECT_TRUE(json::equal(*r.output, json::parse(R"({"x":2,"y":1})")));
}

TEST(Variables, CatcherAssignWritesTheOuterScope) {
  Harness h;
  auto r = h.run(R"({"StartAt":"P","States":{
      "P":{"Type":"Parallel","Branches":[{"StartAt":"F","States":{"F":{"Type":"Fail",
          "Error":"E","Cause":"why"}}}],
          "Catch":[{"ErrorEquals":["E"],"Assign":{"err.$":"$.Cause"},"Next":"Done"}],
          "Next":"Done"},
      "Done":{"Type":"Pass","Parameters":{"e.$":"$err"},"End":true}}})");
  EXPECT_EQ(r.status, "SUCCEEDED");
  EXPECT_TRUE(json::equal(*r.output, json::parse(R"({"e":"why"})")));
}

}  // namespace
}  // namespace stepline::engine::testing

namespace stepline::engine::testing {
namespace {

TEST(Aborts, FailingBranchAbortsWaitingSiblings) {
  Harness h;
  auto r = h.run(R"({"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
      {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":100,"End":true}}},
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}]}}})");
  EXPECT_EQ(r.status, "FAILED");
  auto t = types(r);
  EXPECT_NE(std::find(t.begin(), t.end(), "WaitStateAborted"), t.end());
  EXPECT_EQ(t[t.size() - 2], "ParallelStateFailed");
  EXPECT_EQ(h.clock.now(), test_start());
}

TEST(Aborts, FailingIterationAbortsRunningIterations) {
  Harness h;
  auto r = h.run(R"({"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":2,"End":true,
      "ItemProcessor":{"StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":1,"Next":"F"}],
             "Default":"W"},
        "W":{"Type":"Wait","Seconds":100,"End":true},
        "F":{"Type":"Fail","Error":"E"}}}}}})",
                 "[0,1,2]");
  EXPECT_EQ(r.status, "FAILED");
  auto t = types(r);
  EXPECT_NE(std::find(t.begin(), t.end(), "WaitStateAborted"), t.end());
  EXPECT_NE(std::find(t.begin(), t.end(), "MapIterationAborted"), t.end());
  EXPECT_EQ(t[t.size() - 2], "MapStateFailed");
}

}  // namespace
}  // namespace stepline::engine::testing
