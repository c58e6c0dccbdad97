// Definition-time syntax checks of JSONPath paths, reference paths, intrinsic calls and `.$`
// values, delegated to the query layer's compilers so that definition time and run time agree
// on one grammar. Each throws query::SyntaxError when the text cannot be compiled.
#pragma once

#include <string_view>

namespace stepline::asl::validation {

// A Path: `$`, `$$` or `$name` followed by any JsonPath (filters, slices, wildcards...).
void check_path(std::string_view text);

// A Reference Path: a Path addressing one node (only `.name`, `['name']`, `[n]` steps).
// `allow_context` admits `$$...`; `allow_variables` admits `$name...`.
void check_reference_path(std::string_view text, bool allow_context, bool allow_variables);

// `States.Name(arg, ...)`: a known function with a valid argument count.
void check_intrinsic(std::string_view text);

// The value of a "key.$" field: a path ($, $$, $name) or an intrinsic call.
void check_dynamic_value(std::string_view text);

// True when `text` starts like an intrinsic call (`States.` followed by a name and `(`).
bool looks_like_intrinsic(std::string_view text);

}  // namespace stepline::asl::validation
