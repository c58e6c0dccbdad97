// The TestState operation (API.md §4, ASL.md §11): runs ONE state of a definition with a given
// input, variables, context object and mocked task outcome, and reports what the state did
// (status, output, error, next state) and, by inspection level, the intermediate data-flow values.
// It never touches a store or a runtime: everything happens inside this call.
#pragma once

#include "common/errors.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "common/time.hpp"
#include "integrations/invoker.hpp"

#include <optional>
#include <string>
#include <variant>

namespace stepline::engine {

struct TestStateMock {
  std::optional<std::string> result;             // JSON text
  std::optional<StatesError> error_output;       // errorOutput {error, cause}
  std::string field_validation_mode = "STRICT";  // STRICT | PRESENT | NONE
};

// The request members of TestState, as the API receives them (texts stay texts).
struct TestStateRequest {
  std::string definition;
  std::optional<std::string> role_arn;
  std::optional<std::string> input;
  std::string inspection_level = "INFO";  // INFO | DEBUG | TRACE
  bool reveal_secrets = false;
  std::optional<std::string> variables;
  std::optional<std::string> state_name;
  std::optional<std::string> context;
  std::optional<TestStateMock> mock;
  // stateConfiguration
  std::optional<long long> retrier_retry_count;
  std::optional<std::string> error_caused_by_state;
  std::optional<long long> map_iteration_failure_count;
  std::optional<std::string> map_item_reader_data;
};

// Where the test runs and what it may call.
struct TestStateEnvironment {
  std::string region = "us-east-1";
  std::string account = "123456789012";
  TimePoint now{};
  IdSource* ids = nullptr;
  // Runs un-mocked Task states; null: such a test fails with States.TaskFailed.
  integrations::TaskInvoker* invoker = nullptr;
  // The folder of AWS service models (botocore's data layout: <service>/<version>/service-2.json)
  // the mock result schema checks use; empty: the installed botocore's, when present.
  std::string service_models_dir;
};

// A request AWS refuses before running anything: the error's type (InvalidDefinition,
// ValidationException, InvalidExecutionInput) and AWS's wording.
struct TestStateRejection {
  std::string type;
  std::string message;
};

// The TestState response members (output, error, cause, inspectionData, nextState, status), or
// the rejection.
using TestStateOutcome = std::variant<json::Object, TestStateRejection>;

TestStateOutcome test_state(const TestStateRequest& request, const TestStateEnvironment& env);

}  // namespace stepline::engine
