#include "engine/frame_codec.hpp"

#include "asl/builder.hpp"
#include "engine/interpreter.hpp"
#include "engine_test_support.hpp"

#include <gtest/gtest.h>

#include <map>

namespace stepline::engine::testing {
namespace {

// Drives the interpreter by hand, committing the frame as JSON text between steps the way a
// durable driver would, and returns the whole history.
json::Array drive_through_json(const std::string& definition, const std::string& input) {
  RandomIdSource ids(7);
  Interpreter interpreter(asl::build(json::parse(definition)), ExecutionInfo{}, &ids);
  std::string committed = json::dump(frame_to_json(Frame{}));
  Event event;
  event.kind = Event::Kind::Start;
  event.now = test_start();
  event.input = json::parse(input);
  std::multimap<TimePoint, Effect> timers;
  json::Array history;
  for (int guard = 0; guard < 1000; ++guard) {
    Step step = interpreter.step(frame_from_json(json::parse(committed)), event);
    for (auto& e : step.events) history.push_back(e);
    if (step.finished()) break;
    committed = json::dump(frame_to_json(step.frame));
    for (auto& effect : step.effects) timers.emplace(effect.due, effect);
    if (timers.empty()) break;
    auto next = timers.begin();
    event = Event{};
    event.kind = Event::Kind::TimerFired;
    event.thread = next->second.thread;
    event.effect_id = next->second.id;
    event.now = next->first;
    timers.erase(next);
  }
  return history;
}

TEST(FrameCodec, ResumingFromCommittedFramesGivesTheSameHistory) {
  const std::string definition = R"({"StartAt":"Init","States":{
      "Init":{"Type":"Pass","Assign":{"n":2},"Next":"M"},
      "M":{"Type":"Map","MaxConcurrency":2,"ItemSelector":{"v.$":"$$.Map.Item.Value","n.$":"$n"},
           "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":3,"End":true}}},
           "Next":"P"},
      "P":{"Type":"Parallel","Branches":[
          {"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":1,"End":true}}},
          {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"End":true}}})";
  json::Array resumed = drive_through_json(definition, "[1,2,3]");

  Harness h;
  RunResult direct = h.run(definition, "[1,2,3]");
  ASSERT_EQ(direct.status, "SUCCEEDED");
  ASSERT_EQ(resumed.size(), direct.history.size());
  for (std::size_t i = 0; i < resumed.size(); ++i) {
    const auto& a = resumed[i].as_object();
    const auto& b = direct.history[i].as_object();
    EXPECT_EQ(a.at("type"), b.at("type")) << i;
    EXPECT_EQ(a.at("previousEventId"), b.at("previousEventId")) << i;
  }
  EXPECT_EQ(resumed.back().as_object().at("type"), "ExecutionSucceeded");
}

TEST(FrameCodec, RejectsDocumentsThatAreNotFrames) {
  EXPECT_THROW(frame_from_json(json::parse("[]")), FrameFormatError);
  EXPECT_THROW(frame_from_json(json::parse(R"({"format":1})")), FrameFormatError);
  EXPECT_THROW(frame_from_json(json::parse(R"({"format":99})")), FrameFormatError);
}

}  // namespace
}  // namespace stepline::engine::testing
