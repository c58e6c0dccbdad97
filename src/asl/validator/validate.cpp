#include "asl/validator/validate.hpp"

#include "asl/validator/context.hpp"
#include "asl/validator/graph_checks.hpp"
#include "asl/validator/parse_diagnostic.hpp"
#include "asl/validator/state_checks.hpp"
#include "asl/validator/value_checks.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

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

namespace {

// Python's repr() of a string: single quotes unless the text holds a single quote and no double
// quote; backslashes, the chosen quote and control characters escaped.
std::string python_repr(std::string_view text) {
  const bool double_quoted =
      text.find('\'') != std::string_view::npos && text.find('"') == std::string_view::npos;
  const char quote = double_quoted ? '"' : '\'';
  std::string out(1, quote);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == quote || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7F) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned>(byte));
      out += buffer;
    } else {
      out += c;
    }
  }
  return out + quote;
}

}  // namespace

std::string invalid_definition_message(const std::vector<Diagnostic>& diagnostics,
                                       std::string_view definition) {
  for (const auto& d : diagnostics) {
    if (d.severity != "ERROR") continue;
    if (d.code != "INVALID_LABEL_NAME") break;
    return "Error=ValueError Args=[" + python_repr(d.message) + "] in definition '" +
           std::string(definition) + "'.";
  }
  return invalid_definition_message(diagnostics);
}

}  // namespace stepline::asl
