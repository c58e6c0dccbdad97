// Checks of single field values shared by every state type: JSON types, numeric ranges, paths,
// payload templates, JSONata strings and Assign blocks. Each reports to the sink and returns
// whether the value was acceptable.
#pragma once

#include "asl/validator/context.hpp"
#include "common/json.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace stepline::asl::validation {

// "Expected value of type: String" and friends.
bool expect_string(Sink& sink, const json::Value& value, const std::string& location);
bool expect_bool(Sink& sink, const json::Value& value, const std::string& location);
bool expect_object(Sink& sink, const json::Value& value, const std::string& location);
bool expect_array(Sink& sink, const json::Value& value, const std::string& location);

// Integral JSON number (1 and 1.0 both count) within [min, max].
bool integral_value(const json::Value& value, std::int64_t& out);
bool expect_integer(Sink& sink, const json::Value& value, const std::string& location,
                    std::int64_t min, std::int64_t max);
// Any JSON number within [min, max]; bounds are printed the way AWS prints them ("0.0").
bool expect_number(Sink& sink, const json::Value& value, const std::string& location, double min,
                   double max);

// "The field 'Mode' should have one of these values: [INLINE, DISTRIBUTED]".
bool check_enum(Sink& sink, const json::Value& value, const std::string& location,
                std::string_view field, std::initializer_list<std::string_view> allowed);

// `field` holds a Path (InputPath, OutputPath): a string or null.
void check_path_field(Sink& sink, const json::Value& value, const std::string& location);

struct ReferencePathRules {
  bool allow_null = false;
  bool allow_context = true;
  bool allow_variables = true;
  bool allow_intrinsic = false;  // Fail ErrorPath/CausePath
};
void check_reference_path_field(Sink& sink, const json::Value& value, const std::string& location,
                                const ReferencePathRules& rules);

// A JSONPath-mode payload template (Parameters, ResultSelector, ItemSelector, ...): every
// "key.$" value must be a path or an intrinsic call. Warns NO_DOLLAR for literal look-alikes.
void check_payload_template(Sink& sink, const json::Value& value, const std::string& location);

// Every "{% ... %}" string inside a JSONata-mode value must compile and may only read the parts
// of `$states` that `access` allows (and never `$$`).
void check_jsonata_strings(Sink& sink, const json::Value& value, const std::string& location,
                           StatesAccess access = StatesAccess::Input);

// A JSONata-mode field that is either a literal satisfying `literal_ok` or an expression.
bool is_expression_string(const json::Value& value);

// An Assign block of `site` (state, Choice rule or catcher).
void check_assign(const StateSite& site, const json::Value& value, const std::string& location,
                  StatesAccess access = StatesAccess::Input);

// Variable names an Assign block writes ("x.$" counts as "x").
void collect_assigned_names(const json::Value& assign, std::set<std::string>& out);

}  // namespace stepline::asl::validation
