// Registration of the operations by API group (one file per group). Every model operation without
// a handler answers UnsupportedOperation, so no call ever receives a fake success.
#pragma once

#include "api/handlers/service_context.hpp"
#include "api/operation_registry.hpp"
#include "api/service_model.hpp"

namespace stepline::api {

// ValidateStateMachineDefinition: needs neither store nor runtime.
void register_definition_operations(OperationRegistry& registry);

// Create/Describe/List/Update/DeleteStateMachine.
void register_state_machine_operations(OperationRegistry& registry, const ServiceContext& context);
// PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion.
void register_version_operations(OperationRegistry& registry, const ServiceContext& context);
// Create/Describe/Update/Delete/ListStateMachineAliases.
void register_alias_operations(OperationRegistry& registry, const ServiceContext& context);
// TagResource, UntagResource, ListTagsForResource.
void register_tag_operations(OperationRegistry& registry, const ServiceContext& context);
// Create/Describe/List/DeleteActivity.
void register_activity_operations(OperationRegistry& registry, const ServiceContext& context);
// Start/StartSync/Describe/List/StopExecution, GetExecutionHistory,
// DescribeStateMachineForExecution.
void register_execution_operations(OperationRegistry& registry, const ServiceContext& context);
// GetActivityTask, SendTaskSuccess, SendTaskFailure, SendTaskHeartbeat.
void register_task_operations(OperationRegistry& registry, const ServiceContext& context);
// TestState.
void register_test_state_operation(OperationRegistry& registry, const ServiceContext& context);

// Every operation of `model` that `registry` does not answer yet gets a handler failing with
// UnsupportedOperation.
void register_unavailable_operations(OperationRegistry& registry, const ServiceModel& model);

// Only what needs no store or runtime (ValidateStateMachineDefinition): for tests of the protocol.
OperationRegistry standard_registry(const ServiceModel& model);
// Every group above over `context`: the registry `stepline serve` runs with.
OperationRegistry service_registry(const ServiceModel& model, const ServiceContext& context);

}  // namespace stepline::api
