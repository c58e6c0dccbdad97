// The resource operations report AWS errors by throwing ApiFailure from deep inside their helpers;
// `answer_with` turns it (and store failures) into the ApiOutcome the registry expects, so no
// handler ever answers with a crash.
#pragma once

#include "api/api_error.hpp"
#include "api/handlers/service_context.hpp"
#include "api/operation_registry.hpp"

#include <exception>
#include <functional>
#include <string>
#include <string_view>

namespace stepline::api::resources {

class ApiFailure : public std::exception {
 public:
  explicit ApiFailure(ApiError error) : error_(std::move(error)) {}
  const ApiError& error() const { return error_; }
  const char* what() const noexcept override { return error_.message.c_str(); }

 private:
  ApiError error_;
};

// Runs `compute`, mapping ApiFailure to its error and any other exception to InternalFailure.
ApiOutcome answer_with(const std::function<json::Object()>& compute);

// A synchronous resource operation: the request body in, the answer out (or ApiFailure thrown).
using ResourceOperation = json::Object (*)(const ServiceContext&, const json::Object&);
// The registry handler running `operation` over `context` through answer_with.
std::function<ApiOutcome(const ApiRequest&)> sync_operation(const ServiceContext& context,
                                                            ResourceOperation operation);

// AWS's errors for the resource operations, worded as AWS words them (API.md, recorded cases).
ApiError invalid_arn_prefix(std::string_view arn);  // "Invalid Arn: 'Invalid ARN prefix: <arn>'"
ApiError invalid_arn_type(
    std::string_view resource_type);  // "...: 'Resource type not valid in this context: <t>'"
ApiError invalid_arn(std::string_view arn);  // a malformed ARN after the prefix
ApiError invalid_name(std::string_view name);
ApiError state_machine_does_not_exist(std::string_view arn);
ApiError state_machine_deleting(std::string_view arn);
ApiError state_machine_already_exists(std::string_view arn);
ApiError activity_does_not_exist(std::string_view arn);
ApiError resource_not_found();                            // aliases: "Request references ..."
ApiError resource_not_found_named(std::string_view arn);  // tags: "Resource not found: '<arn>'"
ApiError too_many_tags(std::string_view resource_arn);
ApiError conflict(std::string message);
ApiError service_quota_exceeded(std::string message);
ApiError invalid_token(std::string_view reason);
ApiError invalid_logging_configuration(std::string_view reason);
ApiError validation(std::string message);
ApiError labelled_arn_not_supported(std::string_view arn);

}  // namespace stepline::api::resources
