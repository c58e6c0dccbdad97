// The operations whose store or runtime does not exist yet answer with a clear AWS-shaped error
// rather than pretending to succeed.
#include "api/handlers/handlers.hpp"

#include <string>

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

OperationRegistry service_registry(const ServiceModel& model, const ServiceContext& context) {
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
  return registry;
}

}  // namespace stepline::api
