// An error answered to an API caller in AWS's JSON 1.0 shape: {"__type": ..., "message": ...}
// with the HTTP status AWS uses for it.
#pragma once

#include "common/json.hpp"

#include <string>

namespace stepline::api {

struct ApiError {
  std::string type;     // the `__type`: a modeled exception name or a Coral-namespaced code
  std::string message;  // AWS's wording
  int status = 400;
  json::Object extra;  // additional members some exceptions carry (e.g. resourceName)
};

// The generic errors every AWS JSON service returns before an operation runs. botocore keeps
// only the part after '#', so the Coral namespace AWS sends is harmless and kept for fidelity.
ApiError unknown_operation();
ApiError serialization_error(std::string message);
ApiError validation_error(std::string message);
ApiError internal_failure(std::string message);

// The response body for `error`.
json::Object error_body(const ApiError& error);

}  // namespace stepline::api
