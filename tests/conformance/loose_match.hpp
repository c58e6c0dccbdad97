// Compares a recorded AWS value with ours, loosely where the recording is loose: placeholder
// tokens (`<uuid:1>`, `<ArnPart_0idx>`, ...), recorder words for times and ARNs (`timestamp`,
// `date`, `snf_role_arn`, ...), and strings that the recorder parsed as JSON.
#pragma once

#include "common/json.hpp"

#include <optional>
#include <string>

namespace stepline::harness {

// nullopt when `actual` matches `expected`; otherwise where and how they first differ.
std::optional<std::string> loose_diff(const json::Value& expected, const json::Value& actual,
                                      const std::string& path = "$");

// Exact comparison (numbers by value, but an integer never equals a fraction-formatted double
// such as 1.0, since AWS keeps the two apart); same report format as loose_diff.
std::optional<std::string> exact_diff(const json::Value& expected, const json::Value& actual,
                                      const std::string& path = "$");

// A short rendering of a value for messages (cut after `limit` characters).
std::string brief(const json::Value& value, std::size_t limit = 120);

}  // namespace stepline::harness
