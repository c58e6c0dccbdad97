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

}  // namespace stepline::api
