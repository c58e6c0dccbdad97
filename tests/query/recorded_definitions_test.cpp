// Every JSONPath-mode path, `.$` expression and payload template in the AWS-recorded executions
// was accepted by AWS, so each must compile here too.
#include "common/json.hpp"
#include "query/jsonpath/path.hpp"
#include "query/jsonpath/result_path.hpp"
#include "query/syntax_error.hpp"
#include "query/template/payload_template.hpp"
#include "query/test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace stepline::query {
namespace {

const char* const kAreas[] = {"base",
                              "scenarios",
                              "assign",
                              "logs",
                              "context_object",
                              "express",
                              "error_handling",
                              "services",
                              "callback",
                              "activities",
                              "timeouts",
                              "local_mocking",
                              "credentials",
                              "states_variables",
                              "outputdecl",
                              "intrinsic_functions",
                              "choice_operators",
                              "comments",
                              "arguments",
                              "query_language"};

const char* const kPathFields[] = {"InputPath", "OutputPath", "ItemsPath"};
const char* const kTemplateFields[] = {"Parameters", "ResultSelector", "ItemSelector", "Assign",
                                       "Credentials"};

struct Counts {
  int compiled = 0;
  std::vector<std::string> failures;
};

void check_state(const json::Object& state, bool jsonata, Counts& counts, const std::string& id);

void check_states(const json::Value& states, bool jsonata, Counts& counts, const std::string& id) {
  if (!states.is_object()) return;
  for (const auto& entry : states.get_object()) {
    if (entry.value().is_object()) check_state(entry.value().get_object(), jsonata, counts, id);
  }
}

template <typename F>
void attempt(Counts& counts, const std::string& what, F&& compile) {
  try {
    compile();
    ++counts.compiled;
  } catch (const SyntaxError& e) {
    counts.failures.push_back(what + ": " + e.what());
  }
}

void check_state(const json::Object& state, bool jsonata, Counts& counts, const std::string& id) {
  if (const auto* ql = state.if_contains("QueryLanguage")) jsonata = *ql == "JSONata";
  if (!jsonata) {
    for (const char* field : kPathFields) {
      const auto* v = state.if_contains(field);
      if (v && v->is_string())
        attempt(counts, id + " " + field, [&] { jsonpath::Path::compile(v->get_string()); });
    }
    if (const auto* v = state.if_contains("ResultPath"))
      attempt(counts, id + " ResultPath", [&] { jsonpath::ResultPath::compile(*v); });
    for (const char* field : kTemplateFields) {
      if (const auto* v = state.if_contains(field))
        attempt(counts, id + " " + field, [&] { PayloadTemplate::compile(*v); });
    }
  }
  for (const char* nested : {"Iterator", "ItemProcessor"}) {
    if (const auto* v = state.if_contains(nested); v && v->is_object()) {
      bool inner = jsonata;
      if (const auto* ql = v->get_object().if_contains("QueryLanguage")) inner = *ql == "JSONata";
      if (const auto* s = v->get_object().if_contains("States"))
        check_states(*s, inner, counts, id);
    }
  }
  if (const auto* branches = state.if_contains("Branches"); branches && branches->is_array()) {
    for (const auto& branch : branches->get_array()) {
      if (const auto* s = branch.as_object().if_contains("States"))
        check_states(*s, jsonata, counts, id);
    }
  }
}

TEST(RecordedDefinitions, EveryAcceptedJsonPathConstructCompiles) {
  Counts counts;
  for (const char* area : kAreas) {
    for (const auto& c : testing::recorded_cases(area)) {
      const auto& obj = c.as_object();
      const auto* definition = obj.if_contains("definition");
      if (obj.at("kind") != "execution" || !definition || !definition->is_object()) continue;
      const auto& def = definition->get_object();
      bool jsonata = false;
      if (const auto* ql = def.if_contains("QueryLanguage")) jsonata = *ql == "JSONata";
      if (const auto* states = def.if_contains("States"))
        check_states(*states, jsonata, counts, std::string(obj.at("id").as_string()));
    }
  }
  for (const auto& failure : counts.failures) ADD_FAILURE() << failure;
  std::printf("recorded JSONPath constructs compiled: %d, rejected: %zu\n", counts.compiled,
              counts.failures.size());
  EXPECT_GT(counts.compiled, 400);
}

}  // namespace
}  // namespace stepline::query
