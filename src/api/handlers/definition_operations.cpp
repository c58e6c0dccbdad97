// ValidateStateMachineDefinition (API.md §4): never fails for a bad definition; the diagnostics
// come from the same validator CreateStateMachine uses.
#include "api/handlers/handlers.hpp"
#include "asl/validator/validate.hpp"

#include <string>

namespace stepline::api {

namespace {

std::string string_or(const json::Object& body, std::string_view key, std::string fallback) {
  const json::Value* v = body.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : fallback;
}

ApiOutcome validate_definition(const ApiRequest& request) {
  const json::Object& body = request.body;
  asl::ValidateOptions options;
  if (string_or(body, "type", "STANDARD") == "EXPRESS") options.type = asl::MachineType::Express;
  int max_results = 0;  // model validation bounds it to 0..100; 0 means the maximum
  if (const json::Value* m = body.if_contains("maxResults"); m && m->is_int64())
    max_results = static_cast<int>(m->get_int64());
  const std::string definition = string_or(body, "definition", "");
  const std::string severity = string_or(body, "severity", "ERROR");
  json::Value response =
      asl::to_json(asl::validation_response(definition, options, severity, max_results));
  return std::move(response.get_object());
}

}  // namespace

void register_definition_operations(OperationRegistry& registry) {
  registry.add_sync("ValidateStateMachineDefinition", validate_definition);
}

}  // namespace stepline::api
