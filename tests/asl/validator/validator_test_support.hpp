// Helpers for the validator tests: validate a definition and render its diagnostics as one
// comparable string ("CODE: message at location | ...").
#pragma once

#include "asl/validator/validate.hpp"

#include <string>
#include <string_view>

namespace stepline::asl::testing {

inline std::string render(const std::vector<Diagnostic>& diagnostics, bool with_warnings) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (d.severity != "ERROR" && !with_warnings) continue;
    if (!out.empty()) out += " | ";
    if (d.severity != "ERROR") out += d.severity + " ";
    out += d.code + ": " + d.message + " at " + d.location.value_or("null");
  }
  return out;
}

// The ERROR diagnostics of `definition`, rendered; "" when it is valid.
inline std::string errors_of(std::string_view definition,
                             MachineType type = MachineType::Standard) {
  return render(validate_text(definition, {type}), false);
}

// Every diagnostic including warnings.
inline std::string diagnostics_of(std::string_view definition) {
  return render(validate_text(definition, {}), true);
}

// A machine whose only state is `state` (named "S"), so tests can focus on one state.
inline std::string one_state(std::string_view state) {
  return R"({"StartAt":"S","States":{"S":)" + std::string(state) + "}}";
}

// A JSONata machine whose only state is `state`.
inline std::string one_jsonata_state(std::string_view state) {
  return R"({"QueryLanguage":"JSONata","StartAt":"S","States":{"S":)" + std::string(state) + "}}";
}

}  // namespace stepline::asl::testing
