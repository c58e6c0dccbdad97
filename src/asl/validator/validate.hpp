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

}  // namespace stepline::asl
