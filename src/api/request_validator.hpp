// Checks a request body against its operation's input shape in the service model, as AWS does
// before an operation runs: wrong JSON types are a SerializationException, constraint violations
// (required, lengths, value ranges, enums, patterns) one ValidationException listing them all in
// AWS's wording.
#pragma once

#include "api/api_error.hpp"
#include "api/service_model.hpp"
#include "common/json.hpp"

#include <optional>
#include <string_view>

namespace stepline::api {

// The error AWS would answer for `body` sent as `input_shape`, or nothing when it is valid.
std::optional<ApiError> validate_request(const ServiceModel& model, std::string_view input_shape,
                                         const json::Value& body);

}  // namespace stepline::api
