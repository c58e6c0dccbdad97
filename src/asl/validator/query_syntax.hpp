// Definition-time syntax checks of JSONPath paths, reference paths and intrinsic calls, as the
// validator needs them. Each throws query::SyntaxError when the text cannot be compiled.
//
// Seam: these are the validator's own recognisers, written while the query layer's compilers
// (src/query/jsonpath, src/query/intrinsics) are being built; once those exist these functions
// should delegate to them so that definition time and run time agree on one grammar.
#pragma once

#include <string_view>

namespace stepline::asl::validation {

// A Path: `$`, `$$` or `$name` followed by any JsonPath (filters, slices, wildcards...).
void check_path(std::string_view text);

// A Reference Path: a Path addressing one node (only `.name`, `['name']`, `[n]` steps).
// `allow_context` admits `$$...`; `allow_variables` admits `$name...`.
void check_reference_path(std::string_view text, bool allow_context, bool allow_variables);

// `States.Name(arg, ...)`: a known function with a valid argument count; arguments are quoted
// strings (escapes \' \{ \} \\ only), numbers, true/false/null, paths or nested calls.
void check_intrinsic(std::string_view text);

// True when `text` looks like an intrinsic call (starts with "States." and has a '(').
bool looks_like_intrinsic(std::string_view text);

}  // namespace stepline::asl::validation
