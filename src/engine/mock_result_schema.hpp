// TestState's check of a mocked Task result against the response shape of the API the Task calls
// (fieldValidationMode STRICT / PRESENT). The shapes come from AWS's service models in botocore's
// data layout; a service without a model there is not checked.
#pragma once

#include "asl/task_state.hpp"
#include "common/json.hpp"

#include <optional>
#include <string>

namespace stepline::engine {

// AWS's complaint about `result` (without the "Mock result schema validation error: " prefix),
// or nullopt when it fits. `strict`: required fields must be present too. `models_dir` empty:
// the installed botocore's models.
std::optional<std::string> check_mock_result(const asl::TaskState& task, const json::Value& result,
                                             bool strict, const std::string& models_dir);

}  // namespace stepline::engine
