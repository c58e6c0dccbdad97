// Every JSONPath Choice rule in the AWS-recorded executions was accepted by AWS, so each must
// compile here too.
#include "asl/choice/choice_rule.hpp"
#include "common/json.hpp"
#include "query/syntax_error.hpp"
#include "query/test_support.hpp"

#include <gtest/gtest.h>

namespace stepline::asl::choice {
namespace {

void check_states(const json::Value& states, bool jsonata, int& compiled,
                  std::vector<std::string>& failures) {
  if (!states.is_object()) return;
  for (const auto& entry : states.get_object()) {
    if (!entry.value().is_object()) continue;
    const auto& state = entry.value().get_object();
    bool inner = jsonata;
    if (const auto* ql = state.if_contains("QueryLanguage")) inner = *ql == "JSONata";
    if (!inner && state.contains("Choices") && state.at("Choices").is_array()) {
      for (const auto& rule : state.at("Choices").get_array()) {
        try {
          compile_rule(rule);
          ++compiled;
        } catch (const query::SyntaxError& e) {
          failures.push_back(json::dump(rule) + ": " + e.what());
        }
      }
    }
    for (const char* nested : {"Iterator", "ItemProcessor"}) {
      if (const auto* v = state.if_contains(nested);
          v && v->is_object() && v->as_object().contains("States"))
        check_states(v->at("States"), inner, compiled, failures);
    }
    if (const auto* branches = state.if_contains("Branches"); branches && branches->is_array()) {
      for (const auto& branch : branches->get_array()) {
        if (branch.is_object() && branch.as_object().contains("States"))
          check_states(branch.at("States"), inner, compiled, failures);
      }
    }
  }
}

TEST(RecordedChoiceRules, EveryAcceptedRuleCompiles) {
  int compiled = 0;
  std::vector<std::string> failures;
  for (const char* area : {"base", "scenarios", "assign", "choice_operators", "error_handling",
                           "states_variables", "query_language", "logs", "express"}) {
    for (const auto& c : query::testing::recorded_cases(area)) {
      const auto& obj = c.as_object();
      const auto* definition = obj.if_contains("definition");
      if (obj.at("kind") != "execution" || !definition || !definition->is_object()) continue;
      bool jsonata = false;
      if (const auto* ql = definition->as_object().if_contains("QueryLanguage"))
        jsonata = *ql == "JSONata";
      if (const auto* states = definition->as_object().if_contains("States"))
        check_states(*states, jsonata, compiled, failures);
    }
  }
  for (const auto& failure : failures) ADD_FAILURE() << failure;
  std::printf("recorded Choice rules compiled: %d, rejected: %zu\n", compiled, failures.size());
  EXPECT_GT(compiled, 354);
}

}  // namespace
}  // namespace stepline::asl::choice
