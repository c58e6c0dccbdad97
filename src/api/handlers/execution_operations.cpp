// StartExecution, StartSyncExecution and StopExecution (API.md §4): the checks AWS makes before an
// execution exists (machine, name, input), then the runtime, which answers later through a
// callback. Describe/List/History live in executions_describe.cpp and executions_list.cpp.
#include "api/handlers/executions_support.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/machine_ref_cache.hpp"
#include "api/resources/names.hpp"

#include <algorithm>
#include <chrono>
#include <utility>
#include <variant>

namespace stepline::api {

namespace {

using namespace executions;

// The request as the runtime gets it, or AWS's error for the machine, name or input.
std::variant<runtime::StartRequest, ApiError> start_request(const ServiceContext& context,
                                                            const json::Object& body) {
  const std::string arn = string_member(body, "stateMachineArn").value_or("");
  std::variant<runtime::MachineRef, ApiError> machine = resolve_machine_cached(context, arn);
  if (auto* error = std::get_if<ApiError>(&machine)) return std::move(*error);

  runtime::StartRequest request;
  request.machine = std::move(std::get<runtime::MachineRef>(machine));
  if (auto name = string_member(body, "name")) {
    if (!resources::is_valid_resource_name(*name)) return invalid_name(*name);
    request.name = std::move(*name);
  }
  request.input_text = string_member(body, "input").value_or("{}");
  if (request.input_text.size() > kMaxPayloadBytes) return payload_too_large("input");
  try {
    json::parse(request.input_text);
  } catch (const json::ParseError& e) {
    return ApiError{"InvalidExecutionInput",
                    "Invalid State Machine Execution Input: '" + std::string(e.what()) + "'",
                    400,
                    {}};
  }
  request.trace_header = string_member(body, "traceHeader").value_or("");
  return request;
}

void start_execution(const ServiceContext& context, const ApiRequest& call, ApiReply reply) {
  std::variant<runtime::StartRequest, ApiError> request = start_request(context, call.body);
  if (auto* error = std::get_if<ApiError>(&request)) return reply(std::move(*error));
  context.runtime->start(
      std::move(std::get<runtime::StartRequest>(request)),
      [reply = std::move(reply)](runtime::StartResult result) {
        using Status = runtime::StartResult::Status;
        switch (result.status) {
          case Status::Started:
          case Status::AlreadyRunning:
            return reply(json::Object{{"executionArn", result.execution_arn},
                                      {"startDate", timestamp(result.start_date)}});
          case Status::AlreadyExists:
            return reply(ApiError{"ExecutionAlreadyExists",
                                  "Execution Already Exists: '" + result.execution_arn + "'",
                                  400,
                                  {}});
          case Status::LimitExceeded:
            return reply(ApiError{"ExecutionLimitExceeded",
                                  "The maximum number of running executions has been reached. "
                                  "Running executions must end or be stopped before a new "
                                  "execution can be started.",
                                  400,
                                  {}});
          case Status::InvalidTestCase:
            return reply(validation_error(result.message));
          case Status::Failed:
            return reply(internal_failure(result.message));
        }
        reply(internal_failure("unknown start status"));
      });
}

// AWS bills Express executions in 100 ms increments, 64 MB at least (recorded responses).
json::Object billing_details(TimePoint start, TimePoint stop) {
  const long long elapsed = std::max<long long>(0, (stop - start).count());
  const long long billed = std::max<long long>(100, (elapsed + 99) / 100 * 100);
  return json::Object{{"billedMemoryUsedInMB", 64}, {"billedDurationInMilliseconds", billed}};
}

json::Object sync_response(const runtime::SyncResult& result, const std::string& machine_arn,
                           const std::string& trace_header, bool include_data) {
  json::Object out;
  out["executionArn"] = result.execution_arn;
  out["stateMachineArn"] = machine_arn;
  out["name"] = result.name;
  out["startDate"] = timestamp(result.start_date);
  out["stopDate"] = timestamp(result.stop_date);
  out["status"] = result.status;
  if (result.error) out["error"] = *result.error;
  if (result.cause) out["cause"] = *result.cause;
  if (include_data) out["input"] = result.input;
  out["inputDetails"] = json::Object{{"included", include_data}};
  if (include_data && result.output) out["output"] = *result.output;
  out["outputDetails"] = json::Object{{"included", include_data}};
  if (!trace_header.empty()) out["traceHeader"] = trace_header;
  out["billingDetails"] = billing_details(result.start_date, result.stop_date);
  return out;
}

void start_sync_execution(const ServiceContext& context, const ApiRequest& call, ApiReply reply) {
  std::variant<runtime::StartRequest, ApiError> prepared = start_request(context, call.body);
  if (auto* error = std::get_if<ApiError>(&prepared)) return reply(std::move(*error));
  runtime::StartRequest request = std::move(std::get<runtime::StartRequest>(prepared));
  if (!request.machine.express) return reply(state_machine_type_not_supported());
  const bool include_data = string_member(call.body, "includedData") != "METADATA_ONLY";
  std::string machine_arn = request.machine.state_machine_arn;
  std::string trace_header = request.trace_header;
  context.runtime->start_sync(
      std::move(request),
      [reply = std::move(reply), machine_arn = std::move(machine_arn),
       trace_header = std::move(trace_header), include_data](runtime::SyncResult result) {
        reply(sync_response(result, machine_arn, trace_header, include_data));
      });
}

void stop_execution(const ServiceContext& context, const ApiRequest& call, ApiReply reply) {
  const std::string arn = string_member(call.body, "executionArn").value_or("");
  if (auto error = check_execution_arn(arn)) return reply(std::move(*error));
  StatesError reason{string_member(call.body, "error"), string_member(call.body, "cause")};
  context.runtime->stop(arn, std::move(reason),
                        [reply = std::move(reply), arn](runtime::StopResult result) {
                          if (result.status == runtime::StopResult::Status::NotFound)
                            return reply(execution_does_not_exist(arn));
                          // A closed execution keeps its own stop date (AWS answers 200).
                          reply(json::Object{{"stopDate", timestamp(result.stop_date)}});
                        });
}

}  // namespace

void register_execution_operations(OperationRegistry& registry, const ServiceContext& context) {
  registry.add("StartExecution", [context](const ApiRequest& call, ApiReply reply) {
    start_execution(context, call, std::move(reply));
  });
  registry.add("StartSyncExecution", [context](const ApiRequest& call, ApiReply reply) {
    start_sync_execution(context, call, std::move(reply));
  });
  registry.add("StopExecution", [context](const ApiRequest& call, ApiReply reply) {
    stop_execution(context, call, std::move(reply));
  });
  executions::register_execution_descriptions(registry, context);
  executions::register_execution_listings(registry, context);
}

}  // namespace stepline::api
