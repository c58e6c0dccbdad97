// Replays the AWS-recorded intrinsic_functions cases whose machine is a single JSONPath Pass
// state with Parameters: the template's output must equal what AWS produced.
#include "common/json.hpp"
#include "query/template/payload_template.hpp"
#include "query/test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::query {
namespace {

// Outputs recorded with placeholders for generated values cannot be compared literally.
bool has_placeholder(const json::Value& v) {
  std::string text = json::dump(v);
  return text.find("RandomNumberGenerated") != std::string::npos ||
         text.find("generated-uuid") != std::string::npos ||
         text.find("<ArnPart") != std::string::npos;
}

TEST(RecordedIntrinsics, PassParametersMatchAws) {
  int compared = 0, matched = 0;
  for (const auto& c : testing::recorded_cases("intrinsic_functions")) {
    const auto& obj = c.as_object();
    if (obj.at("kind") != "execution") continue;
    const auto& definition = obj.at("definition");
    if (!definition.is_object()) continue;
    const auto& states = definition.at("States").as_object();
    if (states.size() != 1) continue;
    const auto& state = states.begin()->value().as_object();
    if (state.at("Type") != "Pass" || !state.contains("Parameters") ||
        state.contains("QueryLanguage"))
      continue;
    const auto* expected = obj.at("expected").as_object().if_contains("output");
    if (!expected || has_placeholder(*expected)) continue;
    ++compared;
    json::Value input = obj.at("input");
    EvalContext ctx{&input, nullptr, nullptr, nullptr};
    json::Value output = PayloadTemplate::compile(state.at("Parameters")).evaluate(ctx);
    if (json::equal(output, *expected)) {
      ++matched;
    } else {
      ADD_FAILURE() << obj.at("id").as_string() << "\n got      " << json::dump(output)
                    << "\n expected " << json::dump(*expected);
    }
  }
  std::printf("recorded intrinsic cases: %d/%d match\n", matched, compared);
  EXPECT_GT(compared, 50);
}

// The same replay over every area: single Pass states whose output is their Parameters alone.
TEST(RecordedPassParameters, MatchAwsInEveryArea) {
  int compared = 0, matched = 0;
  for (const char* area : {"base", "scenarios", "assign", "context_object", "states_variables",
                           "express", "logs", "error_handling", "query_language"}) {
    for (const auto& c : testing::recorded_cases(area)) {
      const auto& obj = c.as_object();
      const auto* definition = obj.if_contains("definition");
      if (obj.at("kind") != "execution" || !definition || !definition->is_object()) continue;
      if (definition->as_object().contains("QueryLanguage")) continue;
      const auto& states = definition->at("States").as_object();
      if (states.size() != 1) continue;
      const auto& state = states.begin()->value().as_object();
      if (state.at("Type") != "Pass" || !state.contains("Parameters") ||
          state.contains("QueryLanguage") || state.contains("InputPath") ||
          state.contains("OutputPath") || state.contains("ResultPath") || state.contains("Assign"))
        continue;
      if (json::dump(state.at("Parameters")).find("$$") != std::string::npos) continue;
      const auto& expected = obj.at("expected").as_object();
      const auto* output = expected.if_contains("output");
      if (!output || has_placeholder(*output) || !obj.contains("input")) continue;
      ++compared;
      json::Value input = obj.at("input");
      EvalContext ctx{&input, nullptr, nullptr, nullptr};
      json::Value got = PayloadTemplate::compile(state.at("Parameters")).evaluate(ctx);
      if (json::equal(got, *output)) {
        ++matched;
      } else {
        ADD_FAILURE() << obj.at("id").as_string() << "\n got      " << json::dump(got)
                      << "\n expected " << json::dump(*output);
      }
    }
  }
  std::printf("recorded Pass Parameters cases: %d/%d match\n", matched, compared);
  EXPECT_GT(compared, 10);
}

}  // namespace
}  // namespace stepline::query
