#include "api/api_error.hpp"

#include <utility>

namespace stepline::api {

ApiError unknown_operation() {
  return {"com.amazon.coral.service#UnknownOperationException", "", 400, {}};
}

ApiError serialization_error(std::string message) {
  return {"com.amazon.coral.service#SerializationException", std::move(message), 400, {}};
}

ApiError validation_error(std::string message) {
  return {"ValidationException", std::move(message), 400, {}};
}

ApiError internal_failure(std::string message) {
  return {"com.amazon.coral.service#InternalFailure", std::move(message), 500, {}};
}

json::Object error_body(const ApiError& error) {
  json::Object body;
  body["__type"] = error.type;
  // AWS omits the message of UnknownOperationException rather than sending an empty one.
  if (!error.message.empty()) body["message"] = error.message;
  for (const auto& member : error.extra) body[member.key()] = member.value();
  return body;
}

}  // namespace stepline::api
