// Replays the AWS-recorded choice_operators cases: each is a Choice with one rule whose outcome
// AWS recorded as the ConditionTrue / ConditionFalse branch.
#include "asl/choice/choice_rule.hpp"
#include "common/json.hpp"
#include "query/test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl::choice {
namespace {

TEST(RecordedChoice, OperatorsMatchAws) {
  int compared = 0, matched = 0;
  for (const auto& c : query::testing::recorded_cases("choice_operators")) {
    const auto& obj = c.as_object();
    if (obj.at("kind") != "execution") continue;
    const auto& states = obj.at("definition").at("States").as_object();
    const auto* check = states.if_contains("CheckValues");
    const auto* output = obj.at("expected").as_object().if_contains("output");
    if (!check || !output) continue;
    const auto& choices = check->at("Choices").as_array();
    if (choices.size() != 1) continue;
    bool expected = json::dump(*output).find("ConditionTrue") != std::string::npos;
    json::Value input = obj.at("input");
    query::EvalContext ctx{&input, nullptr, nullptr, nullptr};
    ++compared;
    bool got = compile_rule(choices.front())->evaluate(ctx);
    if (got == expected) {
      ++matched;
    } else {
      ADD_FAILURE() << obj.at("id").as_string() << ": rule " << json::dump(choices.front())
                    << " on " << json::dump(input) << " gave " << got;
    }
  }
  std::printf("recorded choice cases: %d/%d match\n", matched, compared);
  EXPECT_GT(compared, 300);
}

}  // namespace
}  // namespace stepline::asl::choice
