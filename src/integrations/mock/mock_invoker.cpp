#include "integrations/mock/mock_invoker.hpp"

#include "common/errors.hpp"

namespace stepline::integrations::mock {

namespace {

bool is_legacy_lambda(const std::string& resource) {
  return resource.rfind("arn:aws:lambda:", 0) == 0 &&
         resource.find(":function:") != std::string::npos;
}

}  // namespace

json::Value mocked_result(const std::string& resource, const json::Value& returned) {
  if (is_legacy_lambda(resource) && returned.is_object()) {
    // Mocks are written in Invoke-response form ({"StatusCode":200,"Payload":...}); the legacy
    // integration's result is the function's own return value, i.e. the Payload.
    if (const json::Value* payload = returned.get_object().if_contains("Payload")) return *payload;
  }
  return returned;
}

MockInvoker::MockInvoker(MockTestCase test_case, TaskInvoker* unmocked)
    : test_case_(std::move(test_case)), unmocked_(unmocked) {}

TaskOutcome MockInvoker::invoke(const TaskRequest& request) {
  auto response = test_case_.responses.find(request.state_name);
  if (response == test_case_.responses.end()) {
    if (unmocked_) return unmocked_->invoke(request);
    return TaskOutcome::failed(errors::kRuntime,
                               "The mock test case '" + test_case_.name +
                                   "' has no mocked response for the state '" + request.state_name +
                                   "' and no real integration is available for the resource '" +
                                   request.resource + "'.");
  }
  std::uint64_t invocation = 0;
  {
    std::lock_guard lock(mutex_);
    invocation = counts_[request.state_name]++;
  }
  const MockedAnswer* answer = response->second.answer_for(invocation);
  if (!answer) {
    return TaskOutcome::failed(
        errors::kRuntime,
        "The mock test case '" + test_case_.name + "' has no mocked response for invocation " +
            std::to_string(invocation) + " of the state '" + request.state_name +
            "' (the mocked response covers invocations 0 to " +
            std::to_string(response->second.invocation_count_covered() - 1) + ").");
  }
  if (answer->throws) return TaskOutcome::failed(answer->error, answer->cause);
  return TaskOutcome::succeeded(mocked_result(request.resource, answer->result));
}

std::uint64_t MockInvoker::invocations(const std::string& state_name) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(state_name);
  return it == counts_.end() ? 0 : it->second;
}

}  // namespace stepline::integrations::mock
