// One execution from start to end in the calling thread: what `stepline run`, the conformance
// runner and the .asltest runner use. Timers wait on the given Clock (a manual clock or a time
// scale of 0 makes hour-long Waits instant); tasks go to the given TaskInvoker.
#pragma once

#include "asl/validator/validate.hpp"
#include "common/arns.hpp"
#include "common/clock.hpp"
#include "common/errors.hpp"
#include "common/ids.hpp"
#include "common/json.hpp"
#include "integrations/invoker.hpp"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace stepline::engine {

struct RunOptions {
  json::Value input = json::Object{};
  asl::MachineType type = asl::MachineType::Standard;
  bool started_sync = false;  // as if by StartSyncExecution (ExecutionInfo::started_sync)
  std::string state_machine_name = "StateMachine";
  std::string execution_name;  // empty: a fresh UUID
  std::string role_arn = "arn:aws:iam::123456789012:role/stepline";
  arns::Location location;
  Clock* clock = nullptr;                        // required
  IdSource* ids = nullptr;                       // required
  integrations::TaskInvoker* invoker = nullptr;  // nullptr: every Task fails with a clear error
};

struct RunResult {
  std::string status;  // SUCCEEDED | FAILED | TIMED_OUT | ABORTED
  std::optional<json::Value> output;
  std::optional<std::string> error;
  std::optional<std::string> cause;
  // Events exactly as GetExecutionHistory returns them: {timestamp (epoch seconds), type, id,
  // previousEventId, <type>EventDetails}, with input/output fields as JSON text.
  json::Array history;
};

// The definition did not validate; `diagnostics` holds AWS's findings.
class DefinitionError : public std::runtime_error {
 public:
  explicit DefinitionError(std::vector<asl::Diagnostic> diagnostics);
  const std::vector<asl::Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<asl::Diagnostic> diagnostics_;
};

// Validates and builds `definition`, then runs one execution to its end.
RunResult run_definition(const json::Value& definition, const RunOptions& options);

}  // namespace stepline::engine
