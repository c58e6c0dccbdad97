// Definition validation as AWS performs it for CreateStateMachine, UpdateStateMachine and
// ValidateStateMachineDefinition (ASL.md §10): codes, messages and locations worded as AWS words
// them.
#pragma once

#include "common/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace stepline::asl {

struct Diagnostic {
  std::string severity;                 // "ERROR" or "WARNING"
  std::string code;                     // e.g. "SCHEMA_VALIDATION_FAILED"
  std::string message;                  // AWS's wording
  std::optional<std::string> location;  // e.g. "/States/X/Next"; absent → "at null"
};

enum class MachineType { Standard, Express };

struct ValidateOptions {
  MachineType type = MachineType::Standard;
};

// Validates definition text (parse errors become INVALID_JSON_DESCRIPTION / MISSING_DESCRIPTION).
std::vector<Diagnostic> validate_text(std::string_view definition, const ValidateOptions& options);
// Validates an already parsed definition.
std::vector<Diagnostic> validate(const json::Value& definition, const ValidateOptions& options);

// True when any diagnostic is an ERROR.
bool has_errors(const std::vector<Diagnostic>& diagnostics);

// The InvalidDefinition message AWS returns from CreateStateMachine: "Invalid State Machine
// Definition: 'CODE: message at location, CODE: ...'" (errors only).
std::string invalid_definition_message(const std::vector<Diagnostic>& diagnostics);
// The same for the API calls that received `definition` as text. AWS reports an invalid Map
// Label in another form, naming the definition: "Error=ValueError Args=['<message>'] in
// definition '<definition>'." (the message quoted as a Python repr, as recorded).
std::string invalid_definition_message(const std::vector<Diagnostic>& diagnostics,
                                       std::string_view definition);

// ValidateStateMachineDefinition's response (API.md): `minimum_severity` is the lowest level
// returned ("ERROR", the API's default, or "WARNING"); at most `max_results` diagnostics (0 means
// the API's maximum, 100), with `truncated` set when some were left out. `result` is "FAIL"
// whenever the definition has an error, whatever the filter.
struct ValidationResponse {
  std::string result;
  std::vector<Diagnostic> diagnostics;
  bool truncated = false;
};
ValidationResponse validation_response(std::string_view definition, const ValidateOptions& options,
                                       std::string_view minimum_severity = "ERROR",
                                       int max_results = 0);
// {"result": ..., "diagnostics": [{"severity","code","message","location"?}], "truncated": ...}
json::Value to_json(const ValidationResponse& response);

}  // namespace stepline::asl
