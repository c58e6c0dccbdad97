#include "asl/validator/value_checks.hpp"

#include "asl/validator/jsonata_syntax.hpp"
#include "asl/validator/query_syntax.hpp"
#include "query/syntax_error.hpp"

#include <cctype>
#include <cmath>
#include <set>
#include <utility>
#include <vector>

namespace stepline::asl::validation {
namespace {

bool type_error(Sink& sink, std::string_view type, const std::string& location) {
  sink.schema("Expected value of type: " + std::string(type), location);
  return false;
}

std::string_view strip_dollar_suffix(std::string_view key) {
  return key.ends_with(".$") ? key.substr(0, key.size() - 2) : key;
}

// A "key.$" value: a path ($, $$, $name) or an intrinsic call.
bool is_dynamic_value(std::string_view text) {
  try {
    check_dynamic_value(text);
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool looks_dynamic(std::string_view text) {
  return text == "$" || text.starts_with("$.") || text.starts_with("$$") ||
         text.starts_with("$[") || looks_like_intrinsic(text);
}

// Variable names: an identifier (ASCII letters, digits, '_', or any non-ASCII code unit, not
// starting with a digit), at most 80 characters.
bool valid_variable_name(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    const bool ok = std::isalpha(c) || c == '_' || c >= 0x80 || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

// `$states.result`, `$states.errorOutput` and `$$` outside string literals of an expression.
void check_states_access(Sink& sink, std::string_view expression, const std::string& location,
                         StatesAccess access) {
  const std::string_view body = jsonata_body(expression);
  char quote = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (in_string_literal(body, i, quote)) continue;
    const char c = body[i];
    if (c != '$') continue;
    const std::string_view rest = body.substr(i);
    auto names = [&](std::string_view word) {
      if (!rest.starts_with(word)) return false;
      return rest.size() == word.size() ||
             !(std::isalnum(static_cast<unsigned char>(rest[word.size()])) ||
               rest[word.size()] == '_');
    };
    std::string problem;
    if (rest.starts_with("$$")) {
      problem = "'$$' cannot be used in JSONata expressions; use $states.context instead";
    } else if (names("$states.result") && access != StatesAccess::Result) {
      problem =
          "$states.result is only available in the Output and Assign of Task, Parallel and Map "
          "states";
    } else if (names("$states.errorOutput") && access != StatesAccess::ErrorOutput) {
      problem = "$states.errorOutput is only available in the Output and Assign of a Catcher";
    }
    if (!problem.empty()) {
      sink.schema(
          "The JSONata expression '" + std::string(expression) + "' is not valid: " + problem,
          location);
      return;
    }
  }
}

}  // namespace

bool expect_string(Sink& sink, const json::Value& value, const std::string& location) {
  return value.is_string() || type_error(sink, "String", location);
}
bool expect_bool(Sink& sink, const json::Value& value, const std::string& location) {
  return value.is_bool() || type_error(sink, "Boolean", location);
}
bool expect_object(Sink& sink, const json::Value& value, const std::string& location) {
  return value.is_object() || type_error(sink, "Object", location);
}
bool expect_array(Sink& sink, const json::Value& value, const std::string& location) {
  return value.is_array() || type_error(sink, "Array", location);
}

bool integral_value(const json::Value& value, std::int64_t& out) {
  if (value.is_int64()) {
    out = value.get_int64();
    return true;
  }
  if (value.is_uint64()) {
    const auto u = value.get_uint64();
    out = u > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(u);
    return true;
  }
  if (value.is_double()) {
    const double d = value.get_double();
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > 9.0e18) return false;
    out = static_cast<std::int64_t>(d);
    return true;
  }
  return false;
}

bool expect_integer(Sink& sink, const json::Value& value, const std::string& location,
                    std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  if (!integral_value(value, n)) return type_error(sink, "Integer", location);
  if (n < min) {
    sink.schema("Minimum value is " + std::to_string(min), location);
    return false;
  }
  if (n > max) {
    sink.schema("Maximum value is " + std::to_string(max), location);
    return false;
  }
  return true;
}

bool expect_number(Sink& sink, const json::Value& value, const std::string& location, double min,
                   double max) {
  double d = 0;
  if (!json::as_double(value, d)) return type_error(sink, "Number", location);
  if (d < min) {
    sink.schema("Minimum value is " + json::format_double(min), location);
    return false;
  }
  if (d > max) {
    sink.schema("Maximum value is " + json::format_double(max), location);
    return false;
  }
  return true;
}

bool check_enum(Sink& sink, const json::Value& value, const std::string& location,
                std::string_view field, std::initializer_list<std::string_view> allowed) {
  if (value.is_string())
    for (auto option : allowed)
      if (value.get_string() == option) return true;
  std::string list;
  for (auto option : allowed) list += (list.empty() ? "" : ", ") + std::string(option);
  sink.schema(
      "The field '" + std::string(field) + "' should have one of these values: [" + list + "]",
      location);
  return false;
}

void check_path_field(Sink& sink, const json::Value& value, const std::string& location) {
  if (value.is_null()) return;
  const auto slash = location.rfind('/');
  const std::string field = location.substr(slash + 1);
  if (!value.is_string()) {
    sink.schema("The value for the field '" + field + "' must be a valid JSONPath", location);
    return;
  }
  try {
    check_path(value.get_string());
  } catch (const std::exception&) {
    sink.schema("The value for the field '" + field + "' must be a valid JSONPath", location);
  }
}

void check_reference_path_field(Sink& sink, const json::Value& value, const std::string& location,
                                const ReferencePathRules& rules) {
  if (value.is_null() && rules.allow_null) return;
  if (!value.is_string()) {
    sink.schema("Value is not a Reference Path", location);
    return;
  }
  const std::string_view text = value.get_string();
  try {
    if (rules.allow_intrinsic && looks_like_intrinsic(text)) {
      check_intrinsic(text);
    } else {
      check_reference_path(text, rules.allow_context, rules.allow_variables);
    }
  } catch (const std::exception&) {
    sink.schema("Value is not a Reference Path", location);
  }
}

void check_payload_template(Sink& sink, const json::Value& value, const std::string& location) {
  // Iterative walk: templates may nest as deep as the JSON parser allows.
  std::vector<std::pair<const json::Value*, std::string>> pending{{&value, location}};
  while (!pending.empty()) {
    auto [node, where] = std::move(pending.back());
    pending.pop_back();
    if (node->is_array()) {
      const auto& array = node->get_array();
      for (std::size_t i = array.size(); i-- > 0;) pending.emplace_back(&array[i], child(where, i));
      continue;
    }
    if (!node->is_object()) continue;
    std::set<std::string_view> names;
    std::vector<std::pair<const json::Value*, std::string>> children;
    for (const auto& [key, member] : node->get_object()) {
      const std::string_view name = strip_dollar_suffix(key);
      if (!names.insert(name).second)
        sink.schema("The field '" + std::string(name) + "' is defined more than once", where);
      if (key.ends_with(".$")) {
        if (!member.is_string() || !is_dynamic_value(member.get_string()))
          sink.schema("The value for the field '" + std::string(key) +
                          "' must be a valid JSONPath or a valid intrinsic function call",
                      where);
        continue;
      }
      if (member.is_string() && looks_dynamic(member.get_string()))
        sink.warning("NO_DOLLAR",
                     "The value of the field '" + std::string(key) +
                         "' looks like a path or an intrinsic function but the field name does "
                         "not end with '.$'",
                     child(where, key));
      if (member.is_object() || member.is_array())
        children.emplace_back(&member, child(where, key));
    }
    for (auto it = children.rbegin(); it != children.rend(); ++it)
      pending.push_back(std::move(*it));
  }
}

void check_jsonata_strings(Sink& sink, const json::Value& value, const std::string& location,
                           StatesAccess access) {
  std::vector<std::pair<const json::Value*, std::string>> pending{{&value, location}};
  while (!pending.empty()) {
    auto [node, where] = std::move(pending.back());
    pending.pop_back();
    if (node->is_string()) {
      const std::string_view text = node->get_string();
      if (!is_jsonata_expression(text)) continue;
      try {
        check_jsonata_expression(text);
      } catch (const std::exception& e) {
        sink.schema("The JSONata expression '" + std::string(text) + "' is not valid: " + e.what(),
                    where);
        continue;
      }
      check_states_access(sink, text, where, access);
    } else if (node->is_array()) {
      const auto& array = node->get_array();
      for (std::size_t i = array.size(); i-- > 0;) pending.emplace_back(&array[i], child(where, i));
    } else if (node->is_object()) {
      const auto& object = node->get_object();
      std::vector<std::pair<const json::Value*, std::string>> children;
      for (const auto& [key, member] : object) children.emplace_back(&member, child(where, key));
      for (auto it = children.rbegin(); it != children.rend(); ++it)
        pending.push_back(std::move(*it));
    }
  }
}

bool is_expression_string(const json::Value& value) {
  return value.is_string() && is_jsonata_expression(value.get_string());
}

void collect_assigned_names(const json::Value& assign, std::set<std::string>& out) {
  if (!assign.is_object()) return;
  for (const auto& [key, member] : assign.get_object()) {
    (void)member;
    out.emplace(strip_dollar_suffix(key));
  }
}

void check_assign(const StateSite& site, const json::Value& value, const std::string& location,
                  StatesAccess access) {
  Sink& sink = site.run.sink;
  if (!expect_object(sink, value, location)) return;
  for (const auto& [key, member] : value.get_object()) {
    const bool dynamic = site.language == Language::JSONPath && key.ends_with(".$");
    const std::string name(dynamic ? strip_dollar_suffix(key) : std::string_view(key));
    if (name == "states") {
      sink.schema("The variable name 'states' is reserved", location);
    } else if (!valid_variable_name(name)) {
      sink.schema("The variable name '" + name + "' is not valid", location);
    } else if (site.outer_names && site.outer_names->contains(name)) {
      sink.schema("The variable '" + name +
                      "' is assigned in an outer scope and cannot be assigned in a nested scope",
                  location);
    }
    if (site.language == Language::JSONata) {
      check_jsonata_strings(sink, member, child(location, key), access);
    } else if (dynamic) {
      if (!member.is_string() || !is_dynamic_value(member.get_string()))
        sink.schema("The value for the field '" + std::string(key) +
                        "' must be a valid JSONPath or a valid intrinsic function call",
                    location);
    }
  }
}

}  // namespace stepline::asl::validation
