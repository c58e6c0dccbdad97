#include "integrations/invoker.hpp"

#include <fmt/format.h>

#include <exception>
#include <string>

namespace stepline::integrations {

TaskOutcome invoke_guarded(TaskInvoker* invoker, const TaskRequest& request) {
  if (!invoker) {
    return TaskOutcome::failed(
        std::string(errors::kRuntime),
        fmt::format("No integration is configured for resource '{}'", request.resource));
  }
  try {
    return invoker->invoke(request);
  } catch (const StatesException& e) {
    return TaskOutcome::failed(e.error(), e.cause());
  } catch (const std::exception& e) {
    return TaskOutcome::failed(
        std::string(errors::kRuntime),
        fmt::format("The integration for resource '{}' failed: {}", request.resource, e.what()));
  }
}

}  // namespace stepline::integrations
