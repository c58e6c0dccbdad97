#include "asl/validator/validate.hpp"

#include "asl/validator/context.hpp"
#include "asl/validator/graph_checks.hpp"
#include "asl/validator/parse_diagnostic.hpp"
#include "asl/validator/state_checks.hpp"
#include "asl/validator/value_checks.hpp"

#include <algorithm>
#include <cctype>

namespace stepline::asl {

std::vector<Diagnostic> validate_text(std::string_view definition, const ValidateOptions& options) {
  const bool blank = std::all_of(definition.begin(), definition.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c));
  });
  if (blank)
    return {{"ERROR", "SCHEMA_VALIDATION_FAILED", "Definition must be a valid JSON object",
             std::nullopt}};
  json::Value value;
  try {
    value = json::parse(definition);
  } catch (const json::ParseError& error) {
    return {validation::parse_diagnostic(definition, error)};
  }
  return validate(value, options);
}

std::vector<Diagnostic> validate(const json::Value& definition, const ValidateOptions& options) {
  using namespace validation;
  Sink sink;
  if (!definition.is_object()) {
    sink.schema("Definition must be a valid JSON object", "/");
    return sink.take();
  }
  const auto& root = definition.get_object();
  Run run{options, sink};
  if (const auto* language = root.if_contains("QueryLanguage")) {
    if (check_enum(sink, *language, "/QueryLanguage", "QueryLanguage", {"JSONPath", "JSONata"}) &&
        language->get_string() == "JSONata")
      run.machine_language = Language::JSONata;
  }
  check_scope(run, root, "", ScopeKind::TopLevel, 0, {});
  // Transitions and reachability only mean something once every scope is well formed.
  if (sink.error_count() == 0) check_graph(sink, root);
  return sink.take();
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == "ERROR"; });
}

std::string invalid_definition_message(const std::vector<Diagnostic>& diagnostics) {
  std::string out = "Invalid State Machine Definition: '";
  bool first = true;
  for (const auto& d : diagnostics) {
    if (d.severity != "ERROR") continue;
    if (!first) out += ", ";
    first = false;
    out += d.code + ": " + d.message + " at " + d.location.value_or("null");
  }
  return out + "'";
}

}  // namespace stepline::asl
