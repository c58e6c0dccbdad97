// Registration of the operations by API group (one file per group). Store- and runtime-backed
// groups (state machines, executions, activities, versions/aliases, tags, map runs) register
// here too once they exist; until then every model operation without a handler answers that it
// is not available yet.
#pragma once

#include "api/operation_registry.hpp"
#include "api/service_model.hpp"

namespace stepline::api {

// ValidateStateMachineDefinition: needs neither store nor runtime.
void register_definition_operations(OperationRegistry& registry);

// Every operation of `model` that `registry` does not answer yet gets a handler failing with
// UnsupportedOperation, so no call ever receives a fake success.
void register_unavailable_operations(OperationRegistry& registry, const ServiceModel& model);

// All of the above: the registry `stepline serve` runs with today.
OperationRegistry standard_registry(const ServiceModel& model);

}  // namespace stepline::api
