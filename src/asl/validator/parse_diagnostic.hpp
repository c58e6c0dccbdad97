// The INVALID_JSON_DESCRIPTION diagnostic for definition text that is not JSON, worded the way
// AWS's parser (Jackson) words it.
#pragma once

#include "asl/validator/validate.hpp"
#include "common/json.hpp"

#include <string_view>

namespace stepline::asl::validation {

Diagnostic parse_diagnostic(std::string_view text, const json::ParseError& error);

}  // namespace stepline::asl::validation
