// Whether a literal is a timestamp Step Functions accepts (Wait Timestamp, Choice Timestamp*
// operands): RFC 3339 with an uppercase T, `Z` or a numeric offset, any number of fractional
// digits. A syntax check only: no conversion, so any four-digit year is fine.
#pragma once

#include <string_view>

namespace stepline::asl::validation {

bool is_rfc3339_timestamp(std::string_view text);

}  // namespace stepline::asl::validation
