// AWS Step Functions Local's mock configuration (LOCAL.md §3): test cases that map Task state
// names to mocked responses, each answering invocation 0, 1, 2, ... with a Return or a Throw.
#pragma once

#include "common/json.hpp"

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::integrations::mock {

// The configuration (or one mocked response) is malformed; the message says where and why.
class MockConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What one invocation of a mocked Task answers: a raw service result, or an error.
struct MockedAnswer {
  bool throws = false;
  json::Value result;  // Return: the service API response
  std::string error;   // Throw
  std::string cause;   // Throw
};

// One mocked response: consecutive invocation ranges starting at 0 ("0", "1-2", "3", ...).
class MockedResponse {
 public:
  struct Range {
    std::uint64_t first = 0;
    std::uint64_t last = 0;  // inclusive
    MockedAnswer answer;
  };

  // `where` names the response in error messages (e.g. "MockedResponses.MockedLambdaRetry").
  static MockedResponse parse(const json::Value& value, std::string_view where);

  // The answer for the n-th invocation (0-based), or nullptr when the ranges end before n.
  const MockedAnswer* answer_for(std::uint64_t invocation) const;
  std::uint64_t invocation_count_covered() const;

 private:
  std::vector<Range> ranges_;  // sorted, consecutive
};

// A test case resolved to its responses: state name -> mocked response.
struct MockTestCase {
  std::string machine;  // the state machine it belongs to (empty when built by hand)
  std::string name;
  std::map<std::string, MockedResponse> responses;
};

class MockConfig {
 public:
  static MockConfig parse(const json::Value& document);
  static MockConfig parse_text(std::string_view text);
  // Reads and parses a file; unreadable files and bad JSON raise MockConfigError.
  static MockConfig load(const std::string& path);

  // The test case `test_case` of state machine `machine`; MockConfigError naming what is missing.
  MockTestCase test_case(const std::string& machine, const std::string& test_case) const;
  // Looks `test_case` up under every state machine; used when the caller has no machine name
  // (e.g. `stepline run`). Ambiguous or missing names raise MockConfigError.
  MockTestCase find_test_case(const std::string& test_case) const;

 private:
  // machine name -> test case name -> (state name -> response name)
  std::map<std::string, std::map<std::string, std::map<std::string, std::string>>> machines_;
  std::map<std::string, MockedResponse> responses_;

  MockTestCase resolve(const std::string& machine, const std::string& test_case,
                       const std::map<std::string, std::string>& states) const;
};

}  // namespace stepline::integrations::mock
