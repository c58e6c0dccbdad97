// From the ARN a caller gave StartExecution / StartSyncExecution (a state machine, one of its
// versions, an alias, optionally with Step Functions Local's `#TestCase` suffix) to what the
// runtime runs, with AWS's errors (InvalidArn, StateMachineDoesNotExist, StateMachineDeleting,
// ValidationException for label-qualified ARNs).
#pragma once

#include "api/api_error.hpp"
#include "api/handlers/service_context.hpp"
#include "runtime/runtime.hpp"

#include <string>
#include <variant>

namespace stepline::api {

// Alias routing picks a version by weight with `context.ids`.
std::variant<runtime::MachineRef, ApiError> resolve_machine(const ServiceContext& context,
                                                            const std::string& arn);

// The same resolution for the StateMachineArn of nested executions
// (RuntimeOptions::resolve_machine). The runtime calls it from its own threads, also during
// recover(), so `context` needs only the store, clock, ids and location, not the runtime.
runtime::MachineResolver runtime_machine_resolver(ServiceContext context);

}  // namespace stepline::api
