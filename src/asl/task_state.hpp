// Task: hands its input to an integration and waits for the result (ASL §5 Task).
#pragma once

#include "query/jsonpath/path.hpp"
#include "query/template/payload_template.hpp"

#include <optional>
#include <string>

namespace stepline::asl {

// Which family of history events a Task emits depends on the form of its Resource ARN.
enum class ResourceKind { LambdaFunction, Activity, Service };

struct TaskState {
  std::string resource;
  ResourceKind kind = ResourceKind::Service;
  // Service integrations: "lambda" and "invoke" for arn:aws:states:::lambda:invoke.
  std::string service;
  std::string action;
  std::string region;  // region written in the ARN, else empty (the execution's region)
  bool wait_for_task_token = false;
  std::optional<long long> timeout_seconds;
  std::optional<query::jsonpath::Path> timeout_seconds_path;
  std::optional<long long> heartbeat_seconds;
  std::optional<query::jsonpath::Path> heartbeat_seconds_path;
  std::optional<query::PayloadTemplate> credentials;

  // Callback tasks and, as AWS recorded (a `states:startExecution.sync` Task passing
  // `$$.Task.Token` to its child), `.sync`/`.sync:N` tasks have a task token that
  // SendTaskSuccess/Failure can answer.
  bool has_task_token() const {
    const auto sync = action.find(".sync");
    return wait_for_task_token ||
           (sync != std::string::npos &&
            (sync + 5 == action.size() || action.compare(sync + 5, 1, ":") == 0));
  }
};

}  // namespace stepline::asl
