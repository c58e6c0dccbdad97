// $formatNumber: XPath F&O 4.7 decimal-format pictures (sub-pictures, grouping, exponents,
// percent/per-mille), with the reference's validation errors D3080-D3093.
#pragma once

#include <map>
#include <string>

namespace stepline::jsonata {

// `options` overrides decimal-format properties (decimal-separator, zero-digit, ...).
std::string format_number(double value, const std::string& picture,
                          const std::map<std::string, std::string>& options);

}  // namespace stepline::jsonata
