// Map iterations run ahead on helper threads (engine/map_prerun.hpp) must leave exactly the
// history, output and error of the same execution run on one thread: same events, ids,
// previousEventIds and texts, as JSON events and as records.
#include "asl/builder.hpp"
#include "engine/history_records.hpp"
#include "engine/interpreter.hpp"
#include "engine/iteration_helpers.hpp"
#include "engine_test_support.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <string>

namespace stepline::engine::testing {
namespace {

// Counts the jobs a Map posts, so that each test knows its iterations did run ahead.
class CountingHelpers final : public IterationHelpers {
 public:
  void post(std::function<void()> job) override {
    ++posted;
    threads_.post(std::move(job));
  }
  unsigned concurrency() const override { return threads_.concurrency(); }
  std::atomic<int> posted{0};

 private:
  HelperThreads threads_{2};
};

struct Outcome {
  json::Array history;
  Frame frame;
};

Outcome run_once(const std::shared_ptr<const asl::StateMachine>& machine, const json::Value& input,
                 IterationHelpers* helpers, bool as_records) {
  ExecutionInfo info;
  info.execution_arn = "arn:aws:states:us-east-1:123456789012:express:M:e:1";
  info.execution_name = "e";
  info.state_machine_name = "M";
  RandomIdSource ids{11};
  Interpreter interpreter(machine, info, &ids);
  interpreter.set_iteration_helpers(helpers);
  HistoryRecords records;
  if (as_records) interpreter.set_history_records(&records);
  Event start;
  start.kind = Event::Kind::Start;
  start.now = test_start();
  start.input = input;
  Step step = interpreter.step(Frame{}, start);
  Outcome out;
  out.history = as_records ? records.to_json() : std::move(step.events);
  out.frame = std::move(step.frame);
  return out;
}

// Runs `definition` on one thread, then with helpers (JSON events and records); expects the
// three identical and returns the first.
Outcome run_compared(const std::string& definition, const std::string& input) {
  auto machine = asl::build(json::parse(definition));
  const json::Value in = json::parse(input);
  CountingHelpers helpers;
  Outcome alone = run_once(machine, in, nullptr, false);
  Outcome ahead = run_once(machine, in, &helpers, false);
  Outcome ahead_records = run_once(machine, in, &helpers, true);
  EXPECT_GT(helpers.posted.load(), 0) << "no Map ran its iterations ahead";
  EXPECT_EQ(alone.frame.status, ahead.frame.status);
  EXPECT_EQ(alone.frame.status, ahead_records.frame.status);
  EXPECT_EQ(alone.frame.error.error, ahead.frame.error.error);
  EXPECT_EQ(alone.frame.error.cause, ahead.frame.error.cause);
  if (alone.frame.output) {
    EXPECT_TRUE(ahead.frame.output && json::equal(*alone.frame.output, *ahead.frame.output));
    EXPECT_TRUE(ahead_records.frame.output &&
                json::equal(*alone.frame.output, *ahead_records.frame.output));
  }
  EXPECT_EQ(alone.history.size(), ahead.history.size());
  EXPECT_EQ(json::dump(alone.history), json::dump(ahead.history));
  EXPECT_EQ(json::dump(alone.history), json::dump(ahead_records.history));
  return alone;
}

std::string items(int n, const std::string& extra = "") {
  std::string out = "{" + extra + "\"items\":[";
  for (int i = 0; i < n; ++i) out += (i ? "," : "") + std::to_string(i);
  return out + "]}";
}

std::string count_events(const json::Array& history, std::string_view type) {
  long long n = 0;
  for (const auto& e : history) n += e.as_object().at("type").as_string() == type;
  return std::to_string(n);
}

TEST(MapPrerun, PassChainsGiveTheSameHistory) {
  auto out =
      run_compared(R"json({"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items",
      "ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
      "ItemProcessor":{"StartAt":"P1","States":{
        "P1":{"Type":"Pass","Parameters":{"v.$":"$.v","tag.$":"States.Format('item-{}', $.v)"},
              "Next":"P2"},
        "P2":{"Type":"Pass","Parameters":{"label.$":"$.tag"},"ResultPath":"$.calc","Next":"P3"},
        "P3":{"Type":"Pass","OutputPath":"$.calc.label","End":true}}},
      "ResultPath":"$.results","End":true}}})json",
                   items(1000));
  EXPECT_EQ(out.frame.status, "SUCCEEDED");
  EXPECT_EQ(count_events(out.history, "MapIterationSucceeded"), "1000");
}

TEST(MapPrerun, ToleratedFailuresRunAgainOnTheInterpretersThread) {
  // Every seventh item fails; the failures are tolerated, so every iteration is spliced or run
  // again in order.
  auto out =
      run_compared(R"json({"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items",
      "ToleratedFailureCount":1000,"ItemSelector":{"v.$":"$$.Map.Item.Value",
        "bad.$":"States.MathAdd($$.Map.Item.Index, 0)"},
      "ItemProcessor":{"StartAt":"Route","States":{
        "Route":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericGreaterThan":500,
                 "Next":"Big"}],"Default":"Check"},
        "Big":{"Type":"Pass","Result":"big","End":true},
        "Check":{"Type":"Choice","Choices":[{"Variable":"$.bad","NumericLessThan":100,
                 "Next":"Sometimes"}],"Default":"Small"},
        "Sometimes":{"Type":"Choice","Choices":[{"Variable":"$.v","NumericEquals":7,"Next":"Boom"},
                 {"Variable":"$.v","NumericEquals":49,"Next":"Boom"}],"Default":"Small"},
        "Boom":{"Type":"Fail","Error":"Bad","Cause":"seven"},
        "Small":{"Type":"Pass","Parameters":{"small.$":"$.v"},"End":true}}},
      "End":true}}})json",
                   items(700));
  EXPECT_EQ(out.frame.status, "SUCCEEDED");
  EXPECT_EQ(count_events(out.history, "MapIterationFailed"), "2");
}

TEST(MapPrerun, AFailedIterationFailsTheMapAsOnOneThread) {
  auto out = run_compared(R"json({"StartAt":"Fan","States":{
      "Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":0,
        "ItemProcessor":{"StartAt":"Check","States":{
          "Check":{"Type":"Choice","Choices":[{"Variable":"$","NumericEquals":333,
                   "Next":"Boom"}],"Default":"Fine"},
          "Boom":{"Type":"Fail","Error":"Bad","Cause":"333"},
          "Fine":{"Type":"Pass","End":true}}},
        "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Caught"}],
        "End":true},
      "Caught":{"Type":"Pass","OutputPath":"$.error","End":true}}})json",
                          items(600));
  EXPECT_EQ(out.frame.status, "SUCCEEDED");
  EXPECT_EQ(count_events(out.history, "MapIterationAborted"), "266");
}

TEST(MapPrerun, IterationsReadOuterVariablesAndTheExecutionInput) {
  auto out = run_compared(R"json({"QueryLanguage":"JSONPath","StartAt":"Set","States":{
      "Set":{"Type":"Pass","Assign":{"factor":3},"Next":"Fan"},
      "Fan":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":3,
        "ItemProcessor":{"StartAt":"Use","States":{
          "Use":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($, $factor)",
                   "tag.$":"$$.Execution.Input.tag"},"Assign":{"mine.$":"$"},"Next":"Again"},
          "Again":{"Type":"Pass","Parameters":{"n.$":"$.n","mine.$":"$mine"},"End":true}}},
        "End":true}}})json",
                          items(400, "\"tag\":\"t\","));
  EXPECT_EQ(out.frame.status, "SUCCEEDED");
  ASSERT_TRUE(out.frame.output);
  EXPECT_EQ(json::dump(out.frame.output->as_array().at(5)), R"({"n":8,"mine":{"n":8,"tag":"t"}})");
}

TEST(MapPrerun, AMapAbortedBySiblingBranchStopsItsHelpers) {
  auto out = run_compared(R"json({"StartAt":"Both","States":{"Both":{"Type":"Parallel","Branches":[
      {"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items",
        "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}},
      {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Sibling","Cause":"stop"}}}],
      "End":true}}})json",
                          items(2000));
  EXPECT_EQ(out.frame.status, "FAILED");
  ASSERT_TRUE(out.frame.error.error);
  EXPECT_EQ(*out.frame.error.error, "Sibling");
}

TEST(MapPrerun, TheFirstItemSelectorFailureIsTheOneReported) {
  // The selector is evaluated on several threads; items 200 and 600 both fail, each with its
  // own message: the Map fails with item 200's, as a plain loop would.
  std::string input = "{\"items\":[";
  for (int i = 0; i < 700; ++i) {
    input += i ? "," : "";
    input += i == 200 || i == 600 ? "\"bad-" + std::to_string(i) + "\"" : std::to_string(i);
  }
  input += "]}";
  auto out =
      run_compared(R"json({"StartAt":"Fan","States":{"Fan":{"Type":"Map","ItemsPath":"$.items",
      "ItemSelector":{"n.$":"States.MathAdd($$.Map.Item.Value, 1)"},
      "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
      "End":true}}})json",
                   input);
  EXPECT_EQ(out.frame.status, "FAILED");
  ASSERT_TRUE(out.frame.error.cause);
  EXPECT_NE(out.frame.error.cause->find("bad-200"), std::string::npos) << *out.frame.error.cause;
}

TEST(MapPrerun, NestedMapsInsideAnIterationRunOnTheInterpretersThread) {
  auto out =
      run_compared(R"json({"StartAt":"Outer","States":{"Outer":{"Type":"Map","ItemsPath":"$.outer",
      "ItemSelector":{"row.$":"$.items"},
      "ItemProcessor":{"StartAt":"Inner","States":{"Inner":{"Type":"Map","ItemsPath":"$.row",
        "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"End":true}}},
        "ResultSelector":{"n.$":"States.ArrayLength($)"},"End":true}}},
      "End":true}}})json",
                   items(130, "\"outer\":[1,2,3],"));
  EXPECT_EQ(out.frame.status, "SUCCEEDED");
}

}  // namespace
}  // namespace stepline::engine::testing
