// What the execution and task operations share: reading request members, AWS's error answers for
// execution ARNs, names, inputs and tokens, timestamps, and paging requests. The operations
// themselves live in execution_operations.cpp, executions_*.cpp and task_operations.cpp.
#pragma once

#include "api/api_error.hpp"
#include "api/handlers/service_context.hpp"
#include "api/operation_registry.hpp"
#include "common/json.hpp"
#include "common/time.hpp"
#include "runtime/execution_attributes.hpp"
#include "store/records.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace stepline::api::executions {

namespace attribute = runtime::attributes;

// ---- request members (the body already passed model validation) ----

std::optional<std::string> string_member(const json::Object& body, std::string_view key);
bool bool_member(const json::Object& body, std::string_view key, bool fallback);

// ---- answers ----

// A timestamp as the AWS JSON protocol sends it: epoch seconds with a millisecond fraction.
json::Value timestamp(TimePoint t);

ApiError invalid_arn(std::string_view reason);
ApiError execution_does_not_exist(std::string_view arn);
ApiError state_machine_does_not_exist(std::string_view arn);
ApiError activity_does_not_exist(std::string_view arn);
ApiError invalid_name(std::string_view name);
ApiError invalid_page_token(std::string_view token);
ApiError state_machine_type_not_supported();

// ---- checks ----

// InvalidArn for anything that is not a Standard execution ARN in AWS's wording ("Invalid ARN
// prefix", "Resource type not valid in this context: express"); nothing when it is one.
std::optional<ApiError> check_execution_arn(std::string_view arn);

// Size of `text` in UTF-8 bytes against the 256 KiB payload quota.
inline constexpr std::size_t kMaxPayloadBytes = 262144;

// The ValidationException AWS answers when a payload member (input, output) exceeds the quota.
ApiError payload_too_large(std::string_view member);

// The page a List/History request asks for: maxResults (0 or absent: 100) and nextToken.
store::PageRequest page_request(const json::Object& body);

// ---- groups, registered by register_execution_operations ----

// DescribeExecution, DescribeStateMachineForExecution.
void register_execution_descriptions(OperationRegistry& registry, const ServiceContext& context);
// ListExecutions, GetExecutionHistory.
void register_execution_listings(OperationRegistry& registry, const ServiceContext& context);

}  // namespace stepline::api::executions
