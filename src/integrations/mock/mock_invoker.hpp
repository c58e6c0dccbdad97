// A TaskInvoker that answers Task states from one mock-config test case, as AWS Step Functions
// Local does: invocations are counted per state name across the whole execution (retries,
// re-entries, Map iterations and Parallel branches all share the count).
#pragma once

#include "integrations/invoker.hpp"
#include "integrations/mock/mock_config.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace stepline::integrations::mock {

class MockInvoker final : public TaskInvoker {
 public:
  // States the test case does not mock go to `unmocked` (Local's "hybrid path"); with nullptr
  // they fail with a clear error instead of succeeding silently.
  explicit MockInvoker(MockTestCase test_case, TaskInvoker* unmocked = nullptr);

  TaskOutcome invoke(const TaskRequest& request) override;

  // How many times `state_name` has been invoked so far (mocked invocations only).
  std::uint64_t invocations(const std::string& state_name) const;

 private:
  MockTestCase test_case_;
  TaskInvoker* unmocked_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> counts_;
};

// The state result a mocked Return stands for, given the Task's resource: a legacy Lambda
// function ARN yields the Invoke response's Payload; everything else yields the Return as is
// (for `.waitForTaskToken` that is the callback's output, for `.sync` the completed job).
json::Value mocked_result(const std::string& resource, const json::Value& returned);

}  // namespace stepline::integrations::mock
