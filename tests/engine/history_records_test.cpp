// HistoryRecords: an execution whose history is kept as records must read back exactly as the
// JSON events the interpreter writes otherwise (same order, members, texts and ids).
#include "engine/history_records.hpp"
#include "asl/builder.hpp"
#include "engine/interpreter.hpp"
#include "engine_test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::engine::testing {
namespace {

struct Histories {
  json::Array events;   // written as JSON events
  json::Array records;  // kept as records, read back
  std::size_t record_count = 0;
  Frame frame;
};

// Runs a definition that needs no tasks or timers (one step) both ways, with the same ids.
Histories run_both(std::string_view definition, std::string_view input) {
  auto machine = asl::build(json::parse(definition));
  ExecutionInfo info;
  info.execution_arn = "arn:aws:states:us-east-1:123456789012:express:M:e:1";
  info.execution_name = "e";
  info.state_machine_name = "M";
  Event start;
  start.kind = Event::Kind::Start;
  start.now = test_start();
  start.input = json::parse(input);

  Histories out;
  RandomIdSource ids_a{7};
  Interpreter as_json(machine, info, &ids_a);
  Step a = as_json.step(Frame{}, start);
  out.events = std::move(a.events);

  RandomIdSource ids_b{7};
  Interpreter as_records(machine, info, &ids_b);
  HistoryRecords records;
  as_records.set_history_records(&records);
  Step b = as_records.step(Frame{}, start);
  EXPECT_TRUE(b.events.empty());
  out.records = records.to_json();
  out.record_count = records.size();
  out.frame = std::move(b.frame);
  EXPECT_EQ(a.frame.status, out.frame.status);
  return out;
}

TEST(HistoryRecords, ReadBackAsTheJsonEvents) {
  const auto h = run_both(R"({"StartAt":"Init","States":{
      "Init":{"Type":"Pass","Parameters":{"id.$":"$.orderId","n":1},"ResultPath":"$.order",
              "Next":"Route"},
      "Route":{"Type":"Choice","Choices":[{"Variable":"$.order.n","NumericEquals":1,
               "Next":"Keep","Assign":{"picked":"one"}}],"Default":"Done"},
      "Keep":{"Type":"Pass","Assign":{"seen.$":"$.orderId"},"Next":"Fan"},
      "Fan":{"Type":"Parallel","Branches":[
          {"StartAt":"B","States":{"B":{"Type":"Pass","Result":"b\"quoted\"","End":true}}},
          {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E","Cause":"c"}}}],
        "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Items"}],
        "Next":"Items"},
      "Items":{"Type":"Map","ItemsPath":"$.list","ItemProcessor":{"StartAt":"P",
          "States":{"P":{"Type":"Pass","End":true}}},"ResultPath":"$.mapped","Next":"Done"},
      "Done":{"Type":"Succeed"}}})",
                          R"({"orderId":"o-1","price":10.5,"list":[1,"two",{"three":3.25}]})");
  EXPECT_EQ(h.frame.status, "SUCCEEDED");
  ASSERT_GT(h.events.size(), 20u);
  EXPECT_EQ(h.record_count, h.events.size());
  EXPECT_EQ(json::dump(h.records), json::dump(h.events));
}

TEST(HistoryRecords, FailedExecutionReadsBackToo) {
  const auto h = run_both(R"({"StartAt":"A","States":{
      "A":{"Type":"Pass","Next":"B"},
      "B":{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}}})",
                          R"({"e":"Oops","c":"because"})");
  EXPECT_EQ(h.frame.status, "FAILED");
  EXPECT_EQ(json::dump(h.records), json::dump(h.events));
  EXPECT_EQ(h.events.back().as_object().at("type").as_string(), "ExecutionFailed");
}

}  // namespace
}  // namespace stepline::engine::testing
