// The declarative `.asltest` case (format in tests/asltest/README.md): a definition, its input,
// mocked task answers, and what AWS would do — status, output or error/cause, history event
// types, and when events happen under a manual clock.
#pragma once

#include "common/json.hpp"
#include "common/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stepline::asltest {

// A malformed .asltest file.
class CaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct AslTest {
  std::string name;  // file stem
  std::string description;
  json::Value definition;
  json::Value input = json::Object{};
  std::string type = "STANDARD";
  json::Object mocks;                     // state name -> MockedResponses-shaped object
  std::vector<std::string> never_answer;  // Task states whose invocation stays pending
  std::uint64_t seed = 1;
  std::optional<std::string> skip;
  json::Object expect;
};

// Every run starts at this instant, so cases may rely on $$.Execution.StartTime.
TimePoint asltest_start_time();

AslTest parse_asltest(const json::Value& document, const std::string& name);
AslTest load_asltest(const std::string& path);

// Differences between `result` ({"status","output","error","cause","history"} or
// {"definition_error":[...]}) and the case's expectations; empty when it passes.
std::vector<std::string> check_asltest(const AslTest& test, const json::Value& result);

}  // namespace stepline::asltest
