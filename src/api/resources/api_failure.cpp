#include "api/resources/api_failure.hpp"

#include "store/records.hpp"

#include <fmt/format.h>

namespace stepline::api::resources {

ApiOutcome answer_with(const std::function<json::Object()>& compute) {
  try {
    return compute();
  } catch (const ApiFailure& failure) {
    return failure.error();
  } catch (const store::StoreError& e) {
    return internal_failure(std::string("The store failed: ") + e.what());
  } catch (const std::exception& e) {
    return internal_failure(e.what());
  }
}

std::function<ApiOutcome(const ApiRequest&)> sync_operation(const ServiceContext& context,
                                                            ResourceOperation operation) {
  return [context, operation](const ApiRequest& request) -> ApiOutcome {
    return answer_with([&] { return operation(context, request.body); });
  };
}

namespace {
ApiError error(std::string type, std::string message, json::Object extra = {}) {
  return ApiError{std::move(type), std::move(message), 400, std::move(extra)};
}
}  // namespace

ApiError invalid_arn_prefix(std::string_view arn) {
  return error("InvalidArn", fmt::format("Invalid Arn: 'Invalid ARN prefix: {}'", arn));
}

ApiError invalid_arn_type(std::string_view resource_type) {
  return error(
      "InvalidArn",
      fmt::format("Invalid Arn: 'Resource type not valid in this context: {}'", resource_type));
}

ApiError invalid_arn(std::string_view arn) {
  return error("InvalidArn", fmt::format("Invalid Arn: '{}'", arn));
}

ApiError invalid_name(std::string_view name) {
  return error("InvalidName", fmt::format("Invalid Name: '{}'", name));
}

ApiError state_machine_does_not_exist(std::string_view arn) {
  return error("StateMachineDoesNotExist", fmt::format("State Machine Does Not Exist: '{}'", arn));
}

ApiError state_machine_deleting(std::string_view arn) {
  return error("StateMachineDeleting", fmt::format("State Machine is being deleted: '{}'", arn));
}

ApiError state_machine_already_exists(std::string_view arn) {
  return error("StateMachineAlreadyExists", fmt::format("State Machine Already Exists: '{}'", arn));
}

ApiError activity_does_not_exist(std::string_view arn) {
  return error("ActivityDoesNotExist", fmt::format("Activity Does Not Exist: '{}'", arn));
}

ApiError resource_not_found() {
  return error("ResourceNotFound", "Request references a resource that does not exist.");
}

ApiError resource_not_found_named(std::string_view arn) {
  json::Object extra;
  extra["resourceName"] = std::string(arn);
  return error("ResourceNotFound", fmt::format("Resource not found: '{}'", arn), std::move(extra));
}

ApiError too_many_tags(std::string_view resource_arn) {
  json::Object extra;
  extra["resourceName"] = std::string(resource_arn);
  return error("TooManyTags", fmt::format("Too many tags for resource: '{}'", resource_arn),
               std::move(extra));
}

ApiError conflict(std::string message) {
  ApiError e = error("ConflictException", std::move(message));
  e.status = 409;
  return e;
}

ApiError service_quota_exceeded(std::string message) {
  ApiError e = error("ServiceQuotaExceededException", std::move(message));
  e.status = 402;
  return e;
}

ApiError invalid_token(std::string_view reason) {
  return error("InvalidToken", fmt::format("Invalid Token: '{}'", reason));
}

ApiError invalid_logging_configuration(std::string_view reason) {
  return error("InvalidLoggingConfiguration",
               fmt::format("Invalid Logging Configuration: {}", reason));
}

ApiError validation(std::string message) {
  return error("ValidationException", std::move(message));
}

ApiError labelled_arn_not_supported(std::string_view arn) {
  json::Object extra;
  extra["reason"] = "API_DOES_NOT_SUPPORT_LABELED_ARNS";
  return error("ValidationException",
               fmt::format("Invalid Arn: 'This API does not support labelled ARNs: {}'", arn),
               std::move(extra));
}

}  // namespace stepline::api::resources
