// GetActivityTask (a long poll) and SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat
// (API.md §4): the API checks what it can without the runtime (ARNs, the activity, the output),
// then the runtime answers through a callback, so a waiting poll holds no thread.
#include "api/handlers/executions_support.hpp"
#include "api/handlers/handlers.hpp"
#include "api/resources/api_failure.hpp"
#include "api/resources/resource_arn.hpp"

#include <utility>

namespace stepline::api {

namespace {

using namespace executions;

void get_activity_task(const ServiceContext& context, const ApiRequest& call, ApiReply reply) {
  const std::string arn = string_member(call.body, "activityArn").value_or("");
  try {
    resources::parse_activity_arn(arn);
  } catch (const resources::ApiFailure& failure) {
    return reply(failure.error());
  }
  if (!context.store->get_resource(store::ResourceKind::Activity, arn))
    return reply(activity_does_not_exist(arn));
  context.runtime->get_activity_task(
      arn, string_member(call.body, "workerName"),
      [reply = std::move(reply)](std::optional<runtime::ActivityTask> task) {
        // Nothing queued before the poll ended: AWS answers 200 with no members.
        if (!task) return reply(json::Object{});
        reply(json::Object{{"taskToken", task->token}, {"input", task->input}});
      });
}

// AWS's answer to a task token the runtime did not accept.
ApiOutcome token_outcome(runtime::TokenStatus status) {
  switch (status) {
    case runtime::TokenStatus::Accepted:
      return json::Object{};
    case runtime::TokenStatus::InvalidToken:
      return ApiError{"InvalidToken", "Invalid Token: 'Invalid token'", 400, {}};
    case runtime::TokenStatus::TaskDoesNotExist:
      return ApiError{
          "TaskDoesNotExist", "Task Does Not Exist: 'Provided task does not exist'", 400, {}};
    case runtime::TokenStatus::TaskTimedOut:
      return ApiError{
          "TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'", 400, {}};
  }
  return internal_failure("unknown task token status");
}

ApiError invalid_output(std::string reason) {
  return {"InvalidOutput", "Invalid Output: '" + std::move(reason) + "'", 400, {}};
}

void send_task_success(const ServiceContext& context, const ApiRequest& call, ApiReply reply) {
  const std::string token = string_member(call.body, "taskToken").value_or("");
  std::string output = string_member(call.body, "output").value_or("");
  if (output.size() > kMaxPayloadBytes)
    return reply(invalid_output("Output exceeds the maximum size of 262144 bytes"));
  try {
    json::parse(output);
  } catch (const json::ParseError& e) {
    return reply(invalid_output(e.what()));
  }
  context.runtime->send_task_success(
      token, std::move(output),
      [reply = std::move(reply)](runtime::TokenStatus status) { reply(token_outcome(status)); });
}

void send_task_failure(const ServiceContext& context, const ApiRequest& call, ApiReply reply) {
  const std::string token = string_member(call.body, "taskToken").value_or("");
  StatesError error{string_member(call.body, "error"), string_member(call.body, "cause")};
  context.runtime->send_task_failure(
      token, std::move(error),
      [reply = std::move(reply)](runtime::TokenStatus status) { reply(token_outcome(status)); });
}

void send_task_heartbeat(const ServiceContext& context, const ApiRequest& call, ApiReply reply) {
  const std::string token = string_member(call.body, "taskToken").value_or("");
  context.runtime->send_task_heartbeat(
      token,
      [reply = std::move(reply)](runtime::TokenStatus status) { reply(token_outcome(status)); });
}

}  // namespace

void register_task_operations(OperationRegistry& registry, const ServiceContext& context) {
  registry.add("GetActivityTask", [context](const ApiRequest& call, ApiReply reply) {
    get_activity_task(context, call, std::move(reply));
  });
  registry.add("SendTaskSuccess", [context](const ApiRequest& call, ApiReply reply) {
    send_task_success(context, call, std::move(reply));
  });
  registry.add("SendTaskFailure", [context](const ApiRequest& call, ApiReply reply) {
    send_task_failure(context, call, std::move(reply));
  });
  registry.add("SendTaskHeartbeat", [context](const ApiRequest& call, ApiReply reply) {
    send_task_heartbeat(context, call, std::move(reply));
  });
}

}  // namespace stepline::api
