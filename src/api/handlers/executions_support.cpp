#include "api/handlers/executions_support.hpp"

#include "store/page_token.hpp"

namespace stepline::api::executions {

std::optional<std::string> string_member(const json::Object& body, std::string_view key) {
  const json::Value* v = body.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

bool bool_member(const json::Object& body, std::string_view key, bool fallback) {
  const json::Value* v = body.if_contains(key);
  return v && v->is_bool() ? v->get_bool() : fallback;
}

json::Value timestamp(TimePoint t) {
  return to_epoch_seconds(t);
}

ApiError invalid_arn(std::string_view reason) {
  return {"InvalidArn", "Invalid Arn: '" + std::string(reason) + "'", 400, {}};
}

ApiError execution_does_not_exist(std::string_view arn) {
  return {"ExecutionDoesNotExist", "Execution Does Not Exist: '" + std::string(arn) + "'", 400, {}};
}

ApiError state_machine_does_not_exist(std::string_view arn) {
  return {"StateMachineDoesNotExist",
          "State Machine Does Not Exist: '" + std::string(arn) + "'",
          400,
          {}};
}

ApiError activity_does_not_exist(std::string_view arn) {
  return {"ActivityDoesNotExist", "Activity Does Not Exist: '" + std::string(arn) + "'", 400, {}};
}

ApiError invalid_name(std::string_view name) {
  return {"InvalidName", "Invalid Name: '" + std::string(name) + "'", 400, {}};
}

ApiError invalid_page_token(std::string_view token) {
  return {"InvalidToken", "Invalid Token: '" + std::string(token) + "'", 400, {}};
}

ApiError state_machine_type_not_supported() {
  return {"StateMachineTypeNotSupported",
          "This operation is not supported by this type of state machine",
          400,
          {}};
}

std::optional<ApiError> check_execution_arn(std::string_view arn) {
  if (arn.substr(0, 4) != "arn:") return invalid_arn("Invalid ARN prefix: " + std::string(arn));
  // arn:partition:states:region:account:<type>:...
  std::size_t pos = 0;
  for (int colons = 0; colons < 5; ++colons) {
    pos = arn.find(':', pos);
    if (pos == std::string_view::npos)
      return invalid_arn("Invalid ARN prefix: " + std::string(arn));
    ++pos;
  }
  const std::string_view type = arn.substr(pos, arn.find(':', pos) - pos);
  if (type != "execution")
    return invalid_arn("Resource type not valid in this context: " + std::string(type));
  return std::nullopt;
}

ApiError payload_too_large(std::string_view member) {
  // The payload members are sensitive in the model, so AWS redacts the value in the message.
  return validation_error(
      "1 validation error detected: Value '*** Sensitive Data Redacted ***' at '" +
      std::string(member) +
      "' failed to satisfy constraint: Member must have length less than or "
      "equal to 262144");
}

store::PageRequest page_request(const json::Object& body) {
  store::PageRequest page;
  if (const json::Value* m = body.if_contains("maxResults"); m && m->is_int64())
    page.limit = static_cast<std::size_t>(m->get_int64());
  page.limit = store::page_limit(page);
  if (auto token = string_member(body, "nextToken")) page.token = *token;
  return page;
}

}  // namespace stepline::api::executions
