// DeleteStateMachine's work: the machine shows DELETING (StartExecution refuses it) while its
// RUNNING Standard executions are stopped through the runtime; then the machine, its versions and
// aliases are erased. Its Revision resources stay: executions keep referring to them.
#pragma once

#include "api/handlers/service_context.hpp"
#include "api/operation_registry.hpp"

#include <functional>
#include <string>

namespace stepline::api::resources {

// `done` is called once, possibly from a runtime thread: {} (also when the machine does not
// exist, as AWS answers) or an error.
void delete_machine(const ServiceContext& context, const std::string& machine_arn,
                    std::function<void(ApiOutcome)> done);

}  // namespace stepline::api::resources
