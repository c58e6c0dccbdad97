// The RuntimeOptions::resolve_machine of `stepline serve`: the API's own ARN resolution (state
// machine, version or alias ARN, with its errors) for the StateMachineArn of nested executions.
// Header-only and included only where the API library is linked (the CLI), so that the runtime
// library does not depend on the API. The runtime calls it from its dispatch threads, also
// during recover(), so it needs no Runtime: only the store, clock, ids and location.
#pragma once

#include "api/api_error.hpp"
#include "api/handlers/service_context.hpp"
#include "api/resources/machine_resolver.hpp"
#include "runtime/runtime.hpp"

#include <string>
#include <variant>

namespace stepline::runtime {

inline MachineResolver api_machine_resolver(store::Store* store, Clock* clock, IdSource* ids,
                                            std::string region, std::string account) {
  api::ServiceContext context;
  context.store = store;
  context.clock = clock;
  context.ids = ids;
  context.region = std::move(region);
  context.account = std::move(account);
  return [context](const std::string& arn, MachineLookupError& error) -> std::optional<MachineRef> {
    auto resolved = api::resolve_machine(context, arn);
    if (auto* machine = std::get_if<MachineRef>(&resolved)) return std::move(*machine);
    const auto& failure = std::get<api::ApiError>(resolved);
    error.code = failure.type;
    error.message = failure.message;
    return std::nullopt;
  };
}

}  // namespace stepline::runtime
