// ValidateStateMachineDefinition's response shape built from the validator's diagnostics.
#include "asl/validator/validate.hpp"

namespace stepline::asl {

namespace {
constexpr int kMaxResults = 100;
}  // namespace

ValidationResponse validation_response(std::string_view definition, const ValidateOptions& options,
                                       std::string_view minimum_severity, int max_results) {
  const auto all = validate_text(definition, options);
  const std::size_t limit = static_cast<std::size_t>(
      max_results <= 0 || max_results > kMaxResults ? kMaxResults : max_results);
  ValidationResponse response;
  response.result = has_errors(all) ? "FAIL" : "OK";
  for (const auto& d : all) {
    if (minimum_severity != "WARNING" && d.severity != "ERROR") continue;
    if (response.diagnostics.size() == limit) {
      response.truncated = true;
      break;
    }
    response.diagnostics.push_back(d);
  }
  return response;
}

json::Value to_json(const ValidationResponse& response) {
  json::Array diagnostics;
  for (const auto& d : response.diagnostics) {
    json::Object item;
    item["severity"] = d.severity;
    item["code"] = d.code;
    item["message"] = d.message;
    if (d.location) item["location"] = *d.location;
    diagnostics.push_back(std::move(item));
  }
  json::Object out;
  out["result"] = response.result;
  out["diagnostics"] = std::move(diagnostics);
  out["truncated"] = response.truncated;
  return out;
}

}  // namespace stepline::asl
