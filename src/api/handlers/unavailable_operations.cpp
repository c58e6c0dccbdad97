// The operations whose store or runtime does not exist yet answer with a clear AWS-shaped error
// rather than pretending to succeed.
#include "api/handlers/handlers.hpp"
#include "api/handlers/machine_ref_cache.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace stepline::api {

void register_unavailable_operations(OperationRegistry& registry, const ServiceModel& model) {
  for (const std::string& operation : model.operation_names()) {
    if (registry.contains(operation)) continue;
    registry.add_sync(operation, [operation](const ApiRequest&) -> ApiOutcome {
      // HTTP 400 (not 5xx) so that SDKs report it at once instead of retrying.
      return ApiError{"UnsupportedOperation",
                      "Operation " + operation + " is not available yet in Stepline",
                      400,
                      {}};
    });
  }
}

OperationRegistry standard_registry(const ServiceModel& model) {
  OperationRegistry registry;
  register_definition_operations(registry);
  register_unavailable_operations(registry, model);
  return registry;
}

namespace {

// Whether `operation` may change what a state machine, version or alias ARN resolves to.
bool writes_resources(std::string_view operation) {
  for (std::string_view verb : {"Create", "Update", "Delete", "Publish", "Tag", "Untag"})
    if (operation.starts_with(verb)) return true;
  return false;
}

// Every write operation drops the resolved machines before its caller hears it is done.
void invalidate_on_writes(OperationRegistry& registry, const ServiceModel& model,
                          const std::shared_ptr<MachineRefCache>& cache) {
  for (const std::string& operation : model.operation_names()) {
    const OperationHandler* handler = registry.find(operation);
    if (!handler || !writes_resources(operation)) continue;
    registry.add(operation, [inner = *handler, cache](const ApiRequest& call, ApiReply reply) {
      inner(call, [cache, reply = std::move(reply)](ApiOutcome outcome) {
        cache->invalidate();
        reply(std::move(outcome));
      });
    });
  }
}

}  // namespace

OperationRegistry service_registry(const ServiceModel& model, const ServiceContext& shared) {
  ServiceContext context = shared;
  if (!context.machine_refs) context.machine_refs = std::make_shared<MachineRefCache>();
  OperationRegistry registry;
  register_definition_operations(registry);
  register_state_machine_operations(registry, context);
  register_version_operations(registry, context);
  register_alias_operations(registry, context);
  register_tag_operations(registry, context);
  register_activity_operations(registry, context);
  register_execution_operations(registry, context);
  register_task_operations(registry, context);
  register_test_state_operation(registry, context);
  register_unavailable_operations(registry, model);
  invalidate_on_writes(registry, model, context.machine_refs);
  return registry;
}

}  // namespace stepline::api
