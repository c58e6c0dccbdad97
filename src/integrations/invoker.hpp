// How a Task state's work gets done: the interpreter asks a TaskInvoker to run the Task's
// resource and receives a result, an error, or "pending" (the answer comes later: callbacks,
// activities, long-running jobs).
#pragma once

#include "common/errors.hpp"
#include "common/json.hpp"

#include <optional>
#include <string>

namespace stepline::integrations {

struct TaskRequest {
  std::string execution_arn;
  std::string state_machine_name;
  std::string state_name;
  std::string resource;                   // the Task's Resource ARN as written
  json::Value input;                      // the effective task input (after Parameters/Arguments)
  std::optional<std::string> task_token;  // for .waitForTaskToken and activities
  std::optional<long long> timeout_seconds;
  std::optional<long long> heartbeat_seconds;
};

struct TaskOutcome {
  enum class Kind { Succeeded, Failed, Pending };
  Kind kind = Kind::Pending;
  json::Value output;  // Succeeded: the raw result of the resource
  StatesError error;   // Failed: error name and cause as the integration reports them
  // .waitForTaskToken/.sync: the API's first response, recorded as TaskSubmitted.
  std::optional<json::Value> submitted;

  static TaskOutcome succeeded(json::Value output) {
    TaskOutcome o;
    o.kind = Kind::Succeeded;
    o.output = std::move(output);
    return o;
  }
  static TaskOutcome failed(std::optional<std::string> error, std::optional<std::string> cause) {
    TaskOutcome o;
    o.kind = Kind::Failed;
    o.error = {std::move(error), std::move(cause)};
    return o;
  }
};

class TaskInvoker {
 public:
  virtual ~TaskInvoker() = default;
  // Starts the task. A synchronous invoker returns Succeeded/Failed at once; an asynchronous one
  // returns Pending and delivers the outcome to the engine later.
  virtual TaskOutcome invoke(const TaskRequest& request) = 0;
};

// Runs `request` on `invoker` the way every driver must: no invoker, or an invoker that throws,
// becomes a Failed outcome (States.Runtime naming the resource, or the StatesError thrown), never
// an exception that could take a driver thread down.
TaskOutcome invoke_guarded(TaskInvoker* invoker, const TaskRequest& request);

}  // namespace stepline::integrations
