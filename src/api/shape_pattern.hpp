// Matching of the service model's `pattern` constraints (Java regular expressions, matched
// against the whole value) with PCRE2, bounded so that no input can make matching run away.
#pragma once

#include <string_view>

namespace stepline::api {

// True when `value` matches all of `pattern`. A pattern PCRE2 cannot compile, or a match that
// exceeds the work limit, counts as a match: the model's patterns are AWS's, and rejecting a
// request on our own limitation would be worse than letting it through.
bool matches_shape_pattern(std::string_view pattern, std::string_view value);

}  // namespace stepline::api
