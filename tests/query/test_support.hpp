// Helpers for query-layer tests: variables held in a map, a document-backed EvalContext, and
// access to the AWS-recorded conformance cases.
#pragma once

#include "common/json.hpp"
#include "query/eval_context.hpp"

#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace stepline::query::testing {

class MapVariables final : public VariableLookup {
 public:
  const json::Value* find(std::string_view name) const override {
    auto it = values.find(std::string(name));
    return it == values.end() ? nullptr : &it->second;
  }
  std::map<std::string, json::Value> values;
};

// Owns the documents an EvalContext points at.
struct Documents {
  explicit Documents(std::string_view input_json, std::string_view context_json = "{}")
      : input(json::parse(input_json)), context(json::parse(context_json)) {}
  EvalContext ctx() const { return EvalContext{&input, &context, &variables, nullptr}; }
  json::Value input;
  json::Value context;
  MapVariables variables;
};

// Every case of one area in shared/conformance/aws-recorded.jsonl.
inline std::vector<json::Value> recorded_cases(std::string_view area) {
  // The build passes the folder (tests/CMakeLists.txt); compilers may make __FILE__ relative.
  std::ifstream in(std::string(STEPLINE_SHARED_DIR) + "/conformance/aws-recorded.jsonl");
  std::vector<json::Value> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json::Value v = json::parse(line);
    const auto* a = v.as_object().if_contains("area");
    if (a && a->is_string() && a->get_string() == area) out.push_back(std::move(v));
  }
  return out;
}

}  // namespace stepline::query::testing
