// How JSON numbers that are doubles are written: AWS's (Java's) shortest round-trip form, without
// heap allocation (the history serialises every number of every state's data).
#pragma once

#include <cstddef>

namespace stepline::json::detail {

// format_double into `out` (at least 64 bytes). Returns the length.
std::size_t format_double_chars(char* out, double value);

}  // namespace stepline::json::detail
