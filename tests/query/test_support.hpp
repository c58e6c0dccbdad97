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

// Every case of one area in shared/conformance/aws-recorded.jsonl (found beside the repo).
inline std::vector<json::Value> recorded_cases(std::string_view area) {
  std::string here = __FILE__;
  auto at = here.rfind("tests/");
  std::string root = at == 0 ? "." : here.substr(0, at - 1);  // __FILE__ may be relative
  std::ifstream in(root + "/../shared/conformance/aws-recorded.jsonl");
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
